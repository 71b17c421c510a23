/**
 * End to end, as GitHub runs it: `node dist/index.js` with INPUT_* variables, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, against a real moto server and a local endpoint that runs whichever
 * version the alias points at.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createBucket, createFunction, lambdaClient, makeZip, s3Client, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const GOOD = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ status: 'ok', table: process.env.TABLE, level: process.env.LOG_LEVEL, release: 'one' }),
});
`;
const GOOD_TWO = GOOD.replace("release: 'one'", "release: 'two'");
const BROKEN = `gibberish;\nexport const handler = async () => ({ statusCode: 200, body: '"ok"' });\n`;
const SECRET = 'sk-live-7f3a9c1e5b';

let moto: Awaited<ReturnType<typeof startMoto>>;
/** In front of moto: keeps LoggingConfig, which moto drops and Lambda keeps. */
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let s3: S3Client;
const stops: (() => Promise<void>)[] = [];

function zip(files: Record<string, string>): string {
  return makeZip(join(workspace, 'build'), files);
}

/** A function on moto, its own endpoint, and a stages file whose smoke test hits that endpoint. */
async function setUp(functionName: string, stages: (url: string) => string, alias = 'dev', writeLogs = true) {
  await createFunction(moto.endpoint, {
    name: functionName,
    zipPath: zip({ 'index.mjs': 'export const handler = async () => ({ statusCode: 503, body: "bootstrap" });\n' }),
    environment: { KEEP: 'me', TABLE: 'from-iac' },
  });
  // The endpoint writes what the Lambda runtime would log, and the metrics, into moto's CloudWatch.
  const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName, alias, codeRoots: [workspace], writeLogs });
  stops.push(endpoint.stop);
  const config = join(workspace, `${functionName}.yml`);
  writeFileSync(config, stages(endpoint.url));
  return { endpoint, config: `${functionName}.yml` };
}

function deploy(inputs: Record<string, string>, env: Record<string, string> = {}) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_LOG_RETRY_MS: '300', ...env } });
}

async function versionConfig(functionName: string, version: string) {
  return lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: version }));
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.keepLoggingConfig();
  workspace = mkdtempSync(join(tmpdir(), 'e2e-workspace-'));
  mkdirSync(join(workspace, 'build'));
  lambda = lambdaClient(moto.endpoint);
  s3 = s3Client(moto.endpoint);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  lambda?.destroy();
  s3?.destroy();
  await proxy?.stop();
  await moto?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

describe('deploy: the push-to-dev loop', () => {
  const fn = 'notes-api';
  let config: string;
  let endpoint: Awaited<ReturnType<typeof setUp>>['endpoint'];
  const good = () => zip({ 'index.mjs': GOOD });

  beforeAll(async () => {
    ({ config, endpoint } = await setUp(
      fn,
      (url) => `
defaults:
  function: ${fn}
  region: us-east-1
stages:
  dev:
    log-level: INFO
    environment: { TABLE: notes-dev }
    smoke:
      url: ${url}/notes/health
      headers: { x-api-key: "\${SMOKE_API_KEY}" }
      expect-body: '"status":"ok"'
      attempts: 3
      interval: 100ms
      timeout: 5s
  prod:
    extends: dev
    environment: { TABLE: notes-prod }
`,
    ));
  });

  /** The titles of the log's groups, in order; fails on a group opened inside another or left open. */
  function groupsOf(stdout: string): string[] {
    const titles: string[] = [];
    let open = false;
    for (const line of stdout.split('\n')) {
      if (line.startsWith('::group::')) {
        expect(open, `group inside a group: ${line}`).toBe(false);
        open = true;
        titles.push(line.slice('::group::'.length));
      } else if (line === '::endgroup::') {
        expect(open, 'endgroup without a group').toBe(true);
        open = false;
      }
    }
    expect(open, 'a group left open').toBe(false);
    return titles;
  }

  it('a good first deploy publishes version 1 with the stage settings and points dev at it', async () => {
    const artifact = good();
    const run = await deploy({ stage: 'dev', artifact: relative(artifact), config }, { SMOKE_API_KEY: SECRET });

    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({
      status: 'deployed',
      version: '1',
      'previous-version': '',
      'code-sha256': codeSha256(artifact),
      'alias-arn': `arn:aws:lambda:us-east-1:123456789012:function:${fn}:dev`,
      release: JSON.stringify([{ function: fn, region: 'us-east-1', version: '1', 'previous-version': '', 'code-sha256': codeSha256(artifact) }]),
      // The URL smoke-tested: the stage's smoke.url.
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/notes\/health$/),
    });
    const published = await versionConfig(fn, '1');
    expect(published.CodeSha256).toBe(codeSha256(artifact));
    // environment merged into what the function had; LOG_LEVEL from log-level.
    expect(published.Environment?.Variables).toEqual({ KEEP: 'me', TABLE: 'notes-dev', LOG_LEVEL: 'INFO' });
    expect(published.Description).toBe('stage-deploy dev: commit a1b2c3d4e5f6 run 4242');
    // No github-token input: deployment statuses are skipped, and the log says so.
    expect(run.stdout).toContain('No github-token: deployment statuses skipped.');
    // The smoke test really hit version 1 through the endpoint.
    expect(endpoint.requests.at(-1)).toMatchObject({ version: '1', status: 200, path: '/notes/health' });
    expect(run.summary).toContain('deployed');
    expect(run.summary).toContain('— → 1');
    // The runner is told to mask the header secret, and it never reaches the log or the summary.
    expect(run.stdout).toContain(`::add-mask::${SECRET}`);
    expect(visibleLog(run.stdout)).not.toContain(SECRET);
    expect(run.summary).not.toContain(SECRET);
    // The log folds each phase in a group of its own, closed before the next, none inside another.
    expect(groupsOf(run.stdout)).toEqual([`Package the code of ${fn}`, `Publish a version of ${fn}`, 'Smoke test of dev']);
  });

  it('an unchanged redeploy publishes nothing and says unchanged', async () => {
    const before = await snapshotFunction(moto.endpoint, fn);
    const run = await deploy({ stage: 'dev', artifact: relative(good()), config }, { SMOKE_API_KEY: SECRET });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('unchanged');
    expect(run.outputs.version).toBe('1');
    expect(run.outputs['previous-version']).toBe('1');
    expect(await snapshotFunction(moto.endpoint, fn)).toEqual(before);
  });

  it('a broken release is rolled back, the endpoint is healthy again, and the step fails', async () => {
    const broken = zip({ 'index.mjs': BROKEN });
    const run = await deploy({ stage: 'dev', artifact: relative(broken), config }, { SMOKE_API_KEY: SECRET });

    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs.version).toBe('1');
    expect(run.outputs['previous-version']).toBe('1');
    const [failure, ...others] = annotations(run.stdout).filter((a) => a.kind === 'error');
    expect(others).toEqual([]);
    expect(failure?.title).toBe('stage-deploy: dev rolled back from 2 to 1');
    expect(failure?.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/notes\/health → 502 on 3 of 3 attempts; dev rolled back from 2 to 1$/);
    // The broken version was published and reached by the smoke test, then left.
    expect((await versionConfig(fn, '2')).CodeSha256).toBe(codeSha256(broken));
    expect(endpoint.requests.filter((r) => r.version === '2').map((r) => r.status)).toEqual([502, 502, 502]);
    expect(endpoint.requests.find((r) => r.version === '2')?.stderr).toContain('ReferenceError: gibberish is not defined');
    const health = await fetch(`${endpoint.url}/notes/health`);
    expect(health.status).toBe(200);
    expect(endpoint.requests.at(-1)?.version).toBe('1');
    expect(run.summary).toContain('rolled back');
    expect(run.summary).toContain('1 → 2 → 1 (rolled back)');
    // Why, at a glance: the status codes seen, the function's own error line, the metrics.
    expect(run.summary).toContain('<details open><summary>Smoke attempts</summary>');
    expect(run.summary).toMatch(/\| 1 \| GET `http:\/\/127\.0\.0\.1:\d+\/notes\/health` \| ❌ 502 \|/);
    expect(run.summary).toContain('### What went wrong with version 2');
    expect(run.summary).toContain('```text\nReferenceError: gibberish is not defined (×3)\nREPORT Status: error (Runtime.Unknown) (×3)\n```');
    expect(run.summary).toMatch(/\| version 2 \| 3 \| 3 \| 0 \|/);
    expect(run.stdout).toContain('  ReferenceError: gibberish is not defined (×3)');
    expect(visibleLog(run.stdout)).not.toContain(SECRET);
    // The failing attempts are in the smoke test's group, the function's own lines in the next.
    expect(groupsOf(run.stdout)).toEqual([`Package the code of ${fn}`, `Publish a version of ${fn}`, 'Smoke test of dev', `What version 2 of ${fn} logged`]);
    // The verdict is outside every group, where a reader sees it without unfolding anything.
    const lines = run.stdout.split('\n');
    const verdict = lines.findIndex((line) => line.startsWith('::error title=stage-deploy%3A dev rolled back'));
    expect(verdict).toBeGreaterThan(lines.lastIndexOf('::endgroup::'));
  });

  it('a second good release moves dev from 1 to the new version', async () => {
    const run = await deploy({ stage: 'dev', artifact: relative(zip({ 'index.mjs': GOOD_TWO })), config }, { SMOKE_API_KEY: SECRET });
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('deployed');
    expect(run.outputs['previous-version']).toBe('1');
    expect(run.outputs.version).toBe('3');
    const answer = (await (await fetch(`${endpoint.url}/x`)).json()) as { release: string };
    expect(answer.release).toBe('two');
  });

  it('prod on the same function gets its own version with its own settings; dev keeps its own', async () => {
    const artifact = zip({ 'index.mjs': GOOD_TWO });
    const run = await deploy({ stage: 'prod', artifact: relative(artifact), config }, { SMOKE_API_KEY: SECRET });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deployed', version: '4', 'previous-version': '', 'code-sha256': codeSha256(artifact) });
    expect((await versionConfig(fn, '4')).Environment?.Variables).toEqual({ KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'INFO' });
    expect((await versionConfig(fn, '3')).Environment?.Variables).toEqual({ KEEP: 'me', TABLE: 'notes-dev', LOG_LEVEL: 'INFO' });
    const snapshot = await snapshotFunction(moto.endpoint, fn);
    expect(snapshot.aliases.map((a) => [a.Name, a.FunctionVersion])).toEqual([
      ['dev', '3'],
      ['prod', '4'],
    ]);
  });

  it.each([
    ['a malformed stages file', 'stages:\n  dev: [unclosed\n', /::error::bad\.yml: YAML syntax error at line \d+, column \d+: /],
    ['a bad duration', 'stages:\n  dev:\n    function: notes-api\n    smoke: { url: "http://127.0.0.1:9/", interval: 5 minutes }\n', /::error::stages\.dev\.smoke\.interval: "5 minutes" is not a duration \(use 500ms, 2s or 5m\)/],
    ['a function that does not exist', 'stages:\n  dev:\n    function: no-such-function\n', /::error::stages.dev.function: "no-such-function" does not exist/],
  ])('%s is refused with the field and the value, and AWS is untouched', async (_name, text, message) => {
    writeFileSync(join(workspace, 'bad.yml'), text);
    const before = await snapshotFunction(moto.endpoint, fn);
    const run = await deploy({ stage: 'dev', artifact: relative(good()), config: 'bad.yml' });
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(run.stdout).toMatch(message);
    expect(run.stdout.match(/::error::/g)).toHaveLength(1);
    expect(await snapshotFunction(moto.endpoint, fn)).toEqual(before);
  });

  it('an unknown stage is refused with the stages that exist, and AWS is untouched', async () => {
    const before = await snapshotFunction(moto.endpoint, fn);
    const run = await deploy({ stage: 'qa', artifact: relative(good()), config });
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(run.stdout).toContain(`::error::stage: "qa" is not defined in ${config} (stages: dev, prod)`);
    expect(await snapshotFunction(moto.endpoint, fn)).toEqual(before);
  });

  it('a missing artifact is refused by name, and AWS is untouched', async () => {
    const before = await snapshotFunction(moto.endpoint, fn);
    const run = await deploy({ stage: 'dev', artifact: 'build/missing.zip', config }, { SMOKE_API_KEY: SECRET });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toContain('::error::artifact: "build/missing.zip" does not exist');
    expect(await snapshotFunction(moto.endpoint, fn)).toEqual(before);
  });
});

describe('deploy: first release that fails', () => {
  it('removes the alias it created, so no stage runs unverified code', async () => {
    const fn = 'first-broken';
    const { config } = await setUp(
      fn,
      (url) => `stages:\n  dev:\n    function: ${fn}\n    smoke: { url: "${url}/", attempts: 2, interval: 50ms }\n`,
      'dev',
      false, // no logs: the release still rolls back, and says the logs were empty
    );
    const run = await deploy({ stage: 'dev', artifact: relative(zip({ 'index.mjs': BROKEN })), config });
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs.version).toBe('');
    expect(run.stdout).toContain('→ 502 on 2 of 2 attempts; dev rolled back: alias dev removed (first deploy of version 1)');
    const snapshot = await snapshotFunction(moto.endpoint, fn);
    expect(snapshot.aliases).toEqual([]);
    expect(run.summary).toContain(`_the logs were empty: no lines from version 1 in /aws/lambda/${fn} yet_`);
  });
});

describe('deploy: through S3 and from a directory', () => {
  it('uploads to the content-addressed key once, and a directory gives the same CodeSha256 every time', async () => {
    const fn = 'via-s3';
    await createBucket(moto.endpoint, 'artifacts');
    const { config, endpoint } = await setUp(
      fn,
      (url) => `
defaults: { function: ${fn}, s3-bucket: artifacts, s3-prefix: stage-deploy/ }
stages:
  dev: { smoke: { url: "${url}/", interval: 50ms } }
`,
    );
    const dir = join(workspace, 'src-dir');
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'index.mjs'), "import { answer } from './lib/answer.mjs';\nexport const handler = async () => ({ statusCode: 200, body: answer });\n");
    writeFileSync(join(dir, 'lib', 'answer.mjs'), 'export const answer = \'"ok"\';\n');
    // The endpoint finds code by hash among zips in the workspace: pack the tree the way the
    // action does, so the endpoint can run it, and so the hash the action reports can be checked.
    const { prepareArtifact } = await import('../../src/artifact/package.js');
    const packed = await prepareArtifact(dir, { workDir: join(workspace, 'build') });

    const run = await deploy({ stage: 'dev', artifact: 'src-dir', config });
    expect(annotations(run.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(run.outputs.status).toBe('deployed');
    expect(run.outputs['code-sha256']).toBe(packed.codeSha256);
    const key = `stage-deploy/${fn}/${packed.sha256Hex}.zip`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'artifacts', Key: key }));
    expect(head.ContentLength).toBe(packed.sizeBytes);
    expect(run.stdout).toContain(`Uploading`);
    expect(endpoint.requests.at(-1)).toMatchObject({ version: '1', status: 200 });

    // Another release, then the same tree again: same hash, same key, no second upload.
    const other = await deploy({ stage: 'dev', artifact: relative(zip({ 'index.mjs': GOOD })), config });
    expect(other.outputs).toMatchObject({ status: 'deployed', version: '2' });
    const again = await deploy({ stage: 'dev', artifact: 'src-dir', config });
    expect(again.outputs).toMatchObject({ status: 'deployed', version: '3', 'previous-version': '2', 'code-sha256': packed.codeSha256 });
    expect(again.stdout).toContain(`s3://artifacts/${key} is already there`);
    expect(again.stdout).not.toContain('Uploading');
  });
});

/** The log as a person sees it: the runner consumes `::add-mask::` commands and never shows them. */
function visibleLog(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

function relative(path: string): string {
  return path.slice(workspace.length + 1);
}
