/**
 * The action's entry (src/action/main.ts) in-process, the way a runner drives it: INPUT_*
 * variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_STATE files, GITHUB_WORKSPACE, then
 * `await run()`. Against moto (behind the proxy that keeps LoggingConfig) and a local endpoint
 * that runs whichever version the alias points at. The e2e ring does the same through dist/.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, UpdateAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';

import { run } from '../../../src/action/main.js';
import { keyFile, macOf } from '../../../src/action/state.js';
import { annotations, parseOutputFile } from '../../harness/action.mjs';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { startEndpoint } from '../../harness/endpoint.mjs';
import { codeSha256, createFunction, lambdaClient, makeZip, snapshotFunction } from '../../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto, useEnv } from '../../harness/moto.mjs';

const FN = 'main-notes';
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FN}`;
const CONFIG = 'stages.yml';
const GOOD = `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok' }) });\n`;
const BROKEN = `gibberish;\nexport const handler = async () => ({ statusCode: 200, body: '{"status":"ok"}' });\n`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
/** The runner's files; fixed for the file, as @actions/core remembers the summary's path. */
let runnerDir: string;
let files: { output: string; summary: string; state: string };
let lambda: LambdaClient;
let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
let restoreEnv: (() => void) | undefined;
let stdout: MockInstance<typeof process.stdout.write>;

/** What the step printed (workflow commands included), read from the captured stdout. */
function printed(): string {
  return stdout.mock.calls.map(([chunk]) => String(chunk)).join('');
}

function zip(code: string): { path: string; sha: string } {
  const path = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return { path: path.slice(workspace.length + 1), sha: codeSha256(path) };
}

/** Run the step in this process with these inputs (and STATE_* / other variables); returns what the runner would read. */
async function step(inputs: Record<string, string>, extra: Record<string, string> = {}) {
  const variables: Record<string, string> = {
    ...awsEnv(proxy.endpoint),
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    RUNNER_TEMP: runnerDir,
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_RUN_ID: '4242',
    STAGE_DEPLOY_LOG_RETRY_MS: '200',
    ...extra,
  };
  for (const [name, value] of Object.entries(inputs)) variables[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  restoreEnv = useEnv(variables);
  await run();
  return {
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    state: parseOutputFile(readFileSync(files.state, 'utf8')),
    exitCode: process.exitCode,
    stdout: printed(),
  };
}

async function aliasOf(name: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: FN, Name: name }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {}, description: answer.Description ?? '' };
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.keepLoggingConfig();
  workspace = mkdtempSync(join(tmpdir(), 'main-workspace-'));
  mkdirSync(join(workspace, 'build'));
  runnerDir = mkdtempSync(join(tmpdir(), 'main-runner-'));
  files = { output: join(runnerDir, 'output'), summary: join(runnerDir, 'summary'), state: join(runnerDir, 'state') };
  lambda = lambdaClient(moto.endpoint);
  await createFunction(proxy.endpoint, { name: FN, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': GOOD.replace("'ok'", "'boot'") }) });
  endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'dev', codeRoots: [workspace], writeLogs: true });
  writeFileSync(
    join(workspace, CONFIG),
    `defaults: { function: ${FN}, region: us-east-1 }
stages:
  dev:
    smoke: { url: "${endpoint.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 50ms, timeout: 5s }
  prod:
    extends: dev
`,
  );
});

beforeEach(() => {
  for (const file of Object.values(files)) writeFileSync(file, '');
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
});

afterEach(() => {
  stdout.mockRestore();
  restoreEnv?.();
  restoreEnv = undefined;
  process.exitCode = undefined;
});

afterAll(async () => {
  await endpoint?.stop();
  lambda?.destroy();
  await proxy?.stop();
  await moto?.stop();
  for (const dir of [workspace, runnerDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('run(): the main step', () => {
  it('a good deploy sets the six outputs (release: an array of one), writes the summary and leaves the exit code alone', async () => {
    const artifact = zip(GOOD);
    const result = await step({ stage: 'dev', artifact: artifact.path, config: CONFIG });

    expect(result.exitCode).toBeUndefined();
    expect(result.stdout).not.toContain('::error');
    expect(result.outputs).toEqual({
      status: 'deployed',
      version: '1',
      'previous-version': '',
      'code-sha256': artifact.sha,
      'alias-arn': `${ARN}:dev`,
      release: JSON.stringify([{ function: FN, region: 'us-east-1', version: '1', 'previous-version': '', 'code-sha256': artifact.sha }]),
      url: `${endpoint.url}/health`,
    });
    expect(result.summary).toContain('deployed');
    expect(result.summary).toContain('— → 1');
    expect(result.stdout).toContain('dev: deployed, alias dev (new) → 1.');
    // The post step will run (isPost), and finds no shift left in progress.
    expect(result.state).toMatchObject({ isPost: 'true', rollout: '' });
    expect(await aliasOf('dev')).toMatchObject({ version: '1', weights: {} });
    expect(endpoint.requests.at(-1)).toMatchObject({ version: '1', status: 200 });
  });

  it('a release whose smoke test fails is rolled back: status rolled-back, one error, the step fails', async () => {
    const result = await step({ stage: 'dev', artifact: zip(BROKEN).path, config: CONFIG });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'previous-version': '1' });
    const errors = annotations(result.stdout).filter((a) => a.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.title).toBe('stage-deploy: dev rolled back from 2 to 1');
    expect(errors[0]?.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health → 502 on 2 of 2 attempts; dev rolled back from 2 to 1$/);
    expect(result.summary).toContain('rolled back');
    expect(result.summary).toContain('### What went wrong with version 2');
    expect(result.summary).toContain('ReferenceError: gibberish is not defined');
    expect(await aliasOf('dev')).toMatchObject({ version: '1', weights: {} });
  });

  it('an unknown stage fails with one line naming the stages, and changes nothing in AWS', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const calls = proxy.calls.length;
    const result = await step({ stage: 'qa', artifact: zip(GOOD).path, config: CONFIG, 'dry-run': 'false' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toEqual({ status: 'failed', release: '[]' });
    expect(result.stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([
      `::error::stage: "qa" is not defined in ${CONFIG} (stages: dev, prod)`,
    ]);
    expect(result.summary).toBe('');
    expect(proxy.calls.length).toBe(calls);
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });

  it('dry-run (INPUT_DRY-RUN) reports unchanged and the plan, and publishes nothing', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const result = await step({ stage: 'dev', artifact: zip(GOOD.replace("'ok'", "'ok', n: 2")).path, config: CONFIG, 'dry-run': 'true' });

    expect(process.env['INPUT_DRY-RUN']).toBe('true');
    expect(result.exitCode).toBeUndefined();
    expect(result.outputs).toMatchObject({ status: 'unchanged', version: '1', 'previous-version': '1' });
    expect(result.stdout).toContain('dry-run: nothing was changed. deploy dev would:');
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });
});

describe('run(): the post step', () => {
  /** A state as the main step signs it: key in a 0600 file under RUNNER_TEMP, id and MAC beside it. */
  function signedState(saved: object): Record<string, string> {
    const keyId = randomBytes(16).toString('hex');
    const key = randomBytes(32);
    writeFileSync(keyFile(runnerDir, keyId), key, { mode: 0o600 });
    const payload = JSON.stringify(saved);
    return { STATE_isPost: 'true', STATE_rollout: payload, STATE_rolloutKey: keyId, STATE_rolloutMac: macOf(key, keyId, payload) };
  }

  it('with a rollout left in progress, puts the alias back', async () => {
    const { description } = await aliasOf('dev');
    await lambda.send(
      new UpdateAliasCommand({ FunctionName: FN, Name: 'dev', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } }, Description: description }),
    );
    const saved = { functionName: FN, alias: 'dev', region: 'us-east-1', toVersion: '2', toDescription: 'next', before: { version: '1', weights: {}, description } };
    const state = signedState(saved);

    // Unsigned, the same state changes nothing.
    const unsigned = await step({ stage: 'dev', config: CONFIG, artifact: 'build/unused.zip' }, { STATE_isPost: 'true', STATE_rollout: JSON.stringify(saved) });
    expect(unsigned.stdout).toContain("::warning::stage-deploy post: the saved rollout state is not one this step's main step signed (no key id was saved with it)");
    expect(await aliasOf('dev')).toEqual({ version: '1', weights: { '2': 0.25 }, description });
    restoreEnv?.();

    const result = await step({ stage: 'dev', config: CONFIG, artifact: 'build/unused.zip' }, state);
    expect(result.exitCode).toBeUndefined();
    expect(result.stdout).toContain(`stage-deploy post: the main step did not finish shifting alias dev of ${FN} to version 2.`);
    expect(await aliasOf('dev')).toEqual({ version: '1', weights: {}, description });
    expect(result.outputs).toEqual({});
    expect(existsSync(keyFile(runnerDir, state.STATE_rolloutKey ?? ''))).toBe(false);
  });

  it('with nothing left in progress, says so and touches nothing', async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const result = await step({}, { STATE_isPost: 'true', STATE_rollout: '' });
    expect(result.exitCode).toBeUndefined();
    expect(result.stdout).toContain('stage-deploy post: no shift was left in progress.');
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });
});
