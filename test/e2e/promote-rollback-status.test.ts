/**
 * The Seed story end to end, through `node dist/index.js`: deploy to dev, promote to prod (prod
 * runs dev's exact code with prod's LOG_LEVEL), a second release deployed and promoted, rollback
 * on prod returns to the first, status shows it all; GitHub deployments recorded on the way.
 * Through the proxy in front of moto, so a version's code can be downloaded as from Lambda.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { startGitHubApi, type GitHubApi } from '../harness/github-api.mjs';
import { codeSha256, createFunction, lambdaClient, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const release = (name: string) =>
  `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${name}', level: process.env.LOG_LEVEL, table: process.env.TABLE }) });\n`;
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';
const FN = 'notes-api';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let github: GitHubApi;
let lambda: LambdaClient;
let workspace: string;
let devUrl: string;
let prodUrl: string;
const stops: (() => Promise<void>)[] = [];
const zips: Record<string, string> = {};

function run(inputs: Record<string, string>, sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678') {
  return runAction({
    inputs: { 'github-token': github.token, ...inputs },
    workspace,
    env: { ...awsEnv(proxy.endpoint), GITHUB_API_URL: github.url, GITHUB_SHA: sha },
  });
}
const deploy = (name: string, sha: string) => run({ stage: 'dev', artifact: zips[name]!.slice(workspace.length + 1) }, sha);
const promote = () => run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' }, 'd15a7c4000000000000000000000000000000000');

async function variables(version: string) {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: FN, Qualifier: version }));
  return { code: config.CodeSha256, env: config.Environment?.Variables };
}
async function answer(url: string) {
  return (await (await fetch(`${url}/notes/health`)).json()) as { release: string; level: string; table: string };
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  // Lambda keeps a version's LoggingConfig (moto drops it): the published version is checked against it.
  proxy.keepLoggingConfig();
  github = await startGitHubApi();
  lambda = lambdaClient(moto.endpoint);
  workspace = mkdtempSync(join(tmpdir(), 'e2e-story-'));
  const build = join(workspace, 'build');
  mkdirSync(build);
  for (const name of ['one', 'two']) zips[name] = makeZip(build, { 'index.mjs': release(name) });
  zips.broken = makeZip(build, { 'index.mjs': BROKEN });
  await createFunction(moto.endpoint, {
    name: FN,
    zipPath: makeZip(build, { 'index.mjs': 'export const handler = async () => ({ statusCode: 503 });\n' }),
    environment: { KEEP: 'me' },
  });
  const devEndpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'dev', codeRoots: [workspace], writeLogs: true });
  const prodEndpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'prod', codeRoots: [workspace] });
  stops.push(devEndpoint.stop, prodEndpoint.stop);
  devUrl = devEndpoint.url;
  prodUrl = prodEndpoint.url;
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:
  function: ${FN}
  region: us-east-1
stages:
  dev:
    log-level: INFO
    environment: { TABLE: notes-dev }
    smoke: { url: "${devUrl}/notes/health", expect-body: '"status":"ok"', attempts: 2, interval: 50ms }
  prod:
    extends: dev
    log-level: ERROR
    environment: { TABLE: notes-prod }
    smoke: { url: "${prodUrl}/notes/health" }
`,
  );
});

afterAll(async () => {
  for (const stop of stops) await stop();
  lambda?.destroy();
  await github?.stop();
  await proxy?.stop();
  await moto?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

describe('deploy → promote → release two → promote → rollback → status', () => {
  it('refuses to promote from a stage that has no release yet, with AWS untouched', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const result = await promote();
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('::error::promote-from: stage "dev" has no release to promote (alias dev of notes-api does not exist)');
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
    expect(github.deployments).toHaveLength(0);
  });

  it('deploys release one to dev', async () => {
    const result = await deploy('one', '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(await answer(devUrl)).toMatchObject({ release: 'one', level: 'INFO', table: 'notes-dev' });
  });

  it('promotes dev to prod: dev\'s exact code, with prod\'s settings', async () => {
    proxy.reset();
    const result = await promote();
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'promoted', version: '2', 'previous-version': '', 'code-sha256': codeSha256(zips.one!) });
    expect(await variables('2')).toEqual({ code: codeSha256(zips.one!), env: { KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'ERROR' } });
    expect(await answer(prodUrl)).toMatchObject({ release: 'one', level: 'ERROR', table: 'notes-prod' });
    // Same code on $LATEST already: no upload, no download.
    expect(proxy.counts().UpdateFunctionCode).toBeUndefined();
    expect(result.summary).toContain('## stage-deploy promote · prod: ✅ promoted');
    expect(result.summary).toContain('```mermaid\ngantt');
    expect(result.summary).toContain('| Commit | `1111111` |');
  });

  it('ships release two to dev; a broken third release is rolled back, leaving its code on $LATEST', async () => {
    expect((await deploy('two', '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).outputs).toMatchObject({ status: 'deployed', version: '3' });
    const broken = await deploy('broken', '3333333ccccccccccccccccccccccccccccccccc');
    expect(broken.code).not.toBe(0);
    expect(broken.outputs).toMatchObject({ status: 'rolled-back', version: '3' });
  });

  it('promotes release two: downloads dev\'s version (no bucket, $LATEST moved on) and publishes it with prod\'s settings', async () => {
    proxy.reset();
    const result = await promote();
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'promoted', version: '5', 'previous-version': '2', 'code-sha256': codeSha256(zips.two!) });
    expect(proxy.counts().DownloadCode).toBe(1);
    expect(proxy.calls.find((c) => c.operation === 'GetFunction' && c.query.includes('Qualifier=3'))).toBeDefined();
    // The presigned URL is a secret: never in the log.
    expect(result.stdout).not.toContain('presigned-secret');
    expect(result.stdout).not.toContain('__code');
    expect(await variables('5')).toEqual({ code: codeSha256(zips.two!), env: { KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'ERROR' } });
    expect(await answer(prodUrl)).toMatchObject({ release: 'two', level: 'ERROR' });
  });

  it('rolls prod back to release one, smoke-tested, saying from and to', async () => {
    const result = await run({ stage: 'prod', command: 'rollback' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '2', 'previous-version': '5', 'code-sha256': codeSha256(zips.one!) });
    expect(result.stdout).toContain('Rolling prod back from version 5 to 2.');
    expect(result.summary).toContain('| Version | 5 → 2 |');
    expect(await answer(prodUrl)).toMatchObject({ release: 'one' });
    // A second rollback has nowhere earlier to go.
    const again = await run({ stage: 'prod', command: 'rollback' });
    expect(again.code).not.toBe(0);
    expect(again.stdout).toContain('::error::to-version: not given, and prod has no earlier release recorded; give the version to return to');
  });

  it('refuses a rollback to a version that does not exist, with AWS untouched', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const result = await run({ stage: 'prod', command: 'rollback', 'to-version': '42' });
    expect(result.stdout).toContain('::error::to-version: "42" is not a published version of notes-api');
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });

  it('status shows every stage: version, code, commit, release time, and changes nothing', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const result = await run({ stage: 'prod', command: 'status' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'unchanged', version: '2', 'code-sha256': codeSha256(zips.one!) });
    const row = (stage: string) => result.summary.split('\n').find((line) => line.startsWith(`| ${stage} |`)) ?? '';
    expect(row('prod')).toContain('prod → 2');
    expect(row('prod')).toContain('`1111111`');
    expect(row('dev')).toContain('dev → 3');
    expect(row('dev')).toContain('`2222222`');
    expect(row('dev')).toMatch(/\| \d{4}-\d\d-\d\d \d\d:\d\d UTC \|/);
    // Like Zappa's status: the current version's last hour, so a person sees which stage is unwell.
    expect(result.summary).toContain('| Last hour |');
    expect(row('dev')).toMatch(/\| [1-9]\d* invocations, 0 errors, p95 \d+ ms \|$/);
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });

  it('recorded a GitHub deployment per release, success or failure, and retired the replaced ones', () => {
    const summary = github.deployments.map((d) => [d.environment, github.latestState(d.id)]);
    expect(summary).toEqual([
      ['dev', 'inactive'], // release one, replaced by two
      ['prod', 'inactive'], // prod 2 (one), replaced by 5 (two)
      ['dev', 'success'], // release two: still what dev runs
      ['dev', 'failure'], // the broken release
      ['prod', 'inactive'], // prod 5 (two), rolled back from
      ['prod', 'success'], // the rollback to one
    ]);
    expect(github.statuses(github.deployments[0]!.id).map((s) => s.state)).toEqual(['in_progress', 'success', 'inactive']);
    expect(github.deployments[1]).toMatchObject({ ref: 'd15a7c4000000000000000000000000000000000', production_environment: true });
    expect(github.statuses(github.deployments[1]!.id)[1]?.environment_url).toBe(`${prodUrl}/notes/health`);
  });
});
