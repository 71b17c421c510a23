/**
 * Rollback semantics users can predict, end to end through `node dist/index.js`, against moto
 * behind the proxy:
 * - `rollback` after a canary killed mid-shift clears the split and stays on the stable primary,
 *   and the history keeps it (the next plain rollback goes further back);
 * - `rollback` onto another stage's version is refused, naming the settings that differ; with
 *   `force: true` it goes, with a warning;
 * - a promote whose source stage's history carries a 220-character "commit" keeps the target's
 *   history, and drops the bad commit with a warning.
 * No test may leave an alias with routing weights.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const handler = (release: string) =>
  `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}', table: process.env.TABLE }) });\n`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stops: AwsStack['stops'];
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-rollback-');
  ({ moto, proxy, workspace, lambda, stops } = stack);
});

afterAll(() => stack?.stop());

function run(inputs: Record<string, string>, extra: Partial<Parameters<typeof runAction>[0]> = {}, sha = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678') {
  return runAction({
    inputs,
    workspace,
    env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', GITHUB_SHA: sha },
    ...extra,
  });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}

async function alias(name: string, aliasName: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: aliasName }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {}, description: answer.Description ?? '' };
}
/** The history in an alias's description: [version, commit, rolled back from], newest first. */
async function history(name: string, aliasName: string): Promise<unknown[][]> {
  const { description } = await alias(name, aliasName);
  expect(description.startsWith('stage-deploy ')).toBe(true);
  expect(description.length).toBeLessThanOrEqual(256);
  const entries = (JSON.parse(description.slice('stage-deploy '.length)) as { r: unknown[][] }).r;
  return entries.map((e) => [e[0], e[1], e[3]]);
}

/** A function, an endpoint per alias, and a stages file. */
async function setUp(name: string, aliases: string[], stages: string) {
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }), environment: { KEEP: 'me' } });
  const urls: Record<string, string> = {};
  for (const a of aliases) {
    const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: name, alias: a, codeRoots: [workspace] });
    stops.push(endpoint.stop);
    urls[a] = endpoint.url;
  }
  const config = `${name}.yml`;
  writeFileSync(join(workspace, config), stages.replace(/\$\{url:(\w+)\}/g, (_, a: string) => `${urls[a] ?? ''}/health`));
  return config;
}

describe('rollback after a canary killed mid-shift', () => {
  it('clears the split and stays on the stable primary; the history keeps it, and the next rollback goes further back', async () => {
    const name = 'rollback-canary';
    const config = await setUp(
      name,
      ['prod'],
      `defaults: { function: ${name}, region: us-east-1 }
stages:
  first:
    alias: prod
    smoke: { url: "\${url:prod}", expect-body: '"status":"ok"', attempts: 2, interval: 100ms }
  prod:
    traffic: canary 50% 20s
    smoke: { url: "\${url:prod}", expect-body: '"status":"ok"', attempts: 2, interval: 100ms }
`,
    );
    const one = await run({ stage: 'first', config, artifact: zipOf(handler('one')) }, {}, '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    expect(one.outputs).toMatchObject({ status: 'deployed', version: '1' });
    const two = await run({ stage: 'first', config, artifact: zipOf(handler('two')) }, {}, '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
    expect(two.outputs).toMatchObject({ status: 'deployed', version: '2' });

    const killed = await run(
      { stage: 'prod', config, artifact: zipOf(handler('three')) },
      { killWhen: { pattern: /^Step 1\/2/, signal: 'SIGKILL' } },
      '3333333ccccccccccccccccccccccccccccccccc',
    );
    expect(killed.code).not.toBe(0);
    expect(await alias(name, 'prod')).toMatchObject({ version: '2', weights: { '3': 0.5 } });

    const result = await run({ stage: 'prod', config, command: 'rollback' });
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '2', 'previous-version': '2' });
    expect(result.stdout).toContain('Rolling prod back to version 2: clearing the traffic split (3).');
    expect(await alias(name, 'prod')).toMatchObject({ version: '2', weights: {} });
    // History only grows: the rollback is a new entry for 2, marked with the canary it stopped.
    expect(await history(name, 'prod')).toEqual([
      ['2', '2222222', '3'],
      ['2', '2222222', undefined],
      ['1', '1111111', undefined],
    ]);

    const next = await run({ stage: 'prod', config, command: 'rollback' });
    expect(next.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'previous-version': '2' });
    expect(await alias(name, 'prod')).toMatchObject({ version: '1', weights: {} });
  });
});

describe('rollback onto another stage\'s version, and promote over a bad source commit', () => {
  const name = 'rollback-stages';
  let config: string;

  beforeAll(async () => {
    config = await setUp(
      name,
      ['dev', 'prod'],
      `defaults: { function: ${name}, region: us-east-1 }
stages:
  dev:
    environment: { TABLE: notes-dev }
    smoke: { url: "\${url:dev}", expect-body: '"status":"ok"', attempts: 2, interval: 100ms }
  prod:
    environment: { TABLE: notes-prod }
    smoke: { url: "\${url:prod}", expect-body: '"status":"ok"', attempts: 2, interval: 100ms }
`,
    );
  });
  const deploy = (release: string, sha: string) => run({ stage: 'dev', config, artifact: zipOf(handler(release)) }, {}, sha);
  const promote = () => run({ stage: 'prod', config, command: 'promote', 'promote-from': 'dev' }, {}, 'd15a7c4000000000000000000000000000000000');

  it('sets up: two releases deployed to dev and promoted to prod', async () => {
    expect((await deploy('one', '1111111aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect((await promote()).outputs).toMatchObject({ status: 'promoted', version: '2' });
    expect((await deploy('two', '2222222bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb')).outputs).toMatchObject({ status: 'deployed', version: '3' });
    expect((await promote()).outputs).toMatchObject({ status: 'promoted', version: '4' });
    expect(await history(name, 'prod')).toEqual([
      ['4', '2222222', undefined],
      ['2', '1111111', undefined],
    ]);
  });

  it('a promote whose source history carries a 220-character commit keeps prod\'s history and drops the commit, with a warning', async () => {
    const three = await deploy('three', '3333333ccccccccccccccccccccccccccccccccc');
    expect(three.outputs).toMatchObject({ status: 'deployed', version: '5' });
    // Something else wrote dev's description: a "commit" of 220 characters.
    const bad = 'z'.repeat(220);
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'dev', Description: `stage-deploy {"r":[["5","${bad}",0]]}` }));

    const result = await promote();
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'promoted', version: '6', 'previous-version': '4', 'code-sha256': expect.any(String) });
    expect(annotations(result.stdout).filter((a) => a.kind === 'warning').map((a) => a.message)).toContain(
      "dev's release history: the commit recorded for version 5 is not a commit SHA (220 characters, expected at most 40 hex digits): recorded as unknown.",
    );
    expect(result.stdout).not.toContain(bad);
    expect(await history(name, 'prod')).toEqual([
      ['6', '', undefined],
      ['4', '2222222', undefined],
      ['2', '1111111', undefined],
    ]);
  });

  it('refuses to roll prod back onto dev\'s version, naming the settings, with AWS untouched', async () => {
    const before = await snapshotFunction(moto.endpoint, name);
    const result = await run({ stage: 'prod', config, command: 'rollback', 'to-version': '3' });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(
      `::error::to-version: "3" was published with other settings than prod's: environment.TABLE; force: true rolls back anyway`,
    );
    expect(await snapshotFunction(moto.endpoint, name)).toEqual(before);
  });

  it('with force: true it goes, said loudly', async () => {
    const result = await run({ stage: 'prod', config, command: 'rollback', 'to-version': '3', force: 'true' });
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '3', 'previous-version': '6' });
    expect(annotations(result.stdout).filter((a) => a.kind === 'warning').map((a) => a.message)).toContain(
      `to-version: "3" was published with other settings than prod's: environment.TABLE. Rolling back anyway (force: true): prod will run version 3 with its settings, not prod's.`,
    );
    expect(await alias(name, 'prod')).toMatchObject({ version: '3', weights: {} });
    // Nothing dropped: the release rolled back from stays on record.
    expect((await history(name, 'prod')).map((e) => e[0])).toEqual(['3', '6', '4', '2']);
    expect((await history(name, 'prod'))[0]?.[2]).toBe('6');
  });
});
