/**
 * A stage of several functions released as one (issue 14), end to end through `node dist/index.js`
 * with a stages file in the syntax of CONTRACT.md ("Beyond one zip on one function": `functions`,
 * each with its own `artifact`), against moto behind the proxy, an endpoint per function's alias:
 * - three functions deployed as one release;
 * - one function's smoke test failing puts all three back;
 * - one function's PublishVersion failing shifts none;
 * - an all-unchanged stage is `unchanged` with no publish;
 * - killed mid-canary (SIGKILL), then the post step puts back every alias.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAction } from '../harness/action.mjs';
import type { AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const FUNCTIONS = ['multi-api', 'multi-worker', 'multi-cron'] as const;
type Fn = (typeof FUNCTIONS)[number];
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BROKEN = `export const handler = async () => ({ statusCode: 502, body: 'broken' });\n`;
const CONFIG = 'multi.yml';

let stack: AwsStack | undefined;
let proxy: AwsProxy;
let lambda: LambdaClient;
let workspace: string;
/** RUNNER_TEMP, shared by a main step and its post step as on a runner. */
let runnerTemp: string;

function env() {
  return { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', RUNNER_TEMP: runnerTemp, GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' };
}

/** Writes each function's zip at build/<fn>.zip (the paths the stages file names). */
function build(code: Partial<Record<Fn, string>>, release: string): void {
  for (const fn of FUNCTIONS) copyFileSync(makeZip(join(workspace, 'build'), { 'index.mjs': code[fn] ?? handler(release) }), join(workspace, 'build', `${fn}.zip`));
}

function deploy(stage: string, extra: Partial<Parameters<typeof runAction>[0]> = {}) {
  return runAction({ inputs: { stage, config: CONFIG }, workspace, env: env(), ...extra });
}

async function versions(alias: string): Promise<(string | undefined)[]> {
  return Promise.all(
    FUNCTIONS.map(async (fn) => {
      try {
        return (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).FunctionVersion;
      } catch {
        return undefined;
      }
    }),
  );
}

async function weights(alias: string) {
  return Promise.all(FUNCTIONS.map(async (fn) => (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).RoutingConfig?.AdditionalVersionWeights ?? {}));
}

beforeAll(async () => {
  stack = await startAwsStack('e2e-multi-');
  ({ proxy, lambda, workspace } = stack);
  runnerTemp = mkdtempSync(join(tmpdir(), 'e2e-multi-runner-'));
  const urls: Record<string, string> = {};
  for (const fn of FUNCTIONS) {
    await createFunction(proxy.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
    for (const alias of ['dev', 'prod']) {
      const endpoint = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: fn, alias, codeRoots: [workspace] });
      stack.stops.push(endpoint.stop);
      urls[`${fn}:${alias}`] = `${endpoint.url}/health`;
    }
  }
  const functions = (alias: string) =>
    FUNCTIONS.map((fn) => `      ${fn}: { artifact: build/${fn}.zip, smoke: { url: "${urls[`${fn}:${alias}`] ?? ''}", attempts: 2, interval: 500ms } }`).join('\n');
  writeFileSync(
    join(workspace, CONFIG),
    `defaults:
  region: us-east-1
stages:
  dev:
    functions:
${functions('dev')}
  prod:
    traffic: canary 10% 30s
    functions:
${functions('prod')}
`,
  );
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
});

describe('a stage of three functions, one release', () => {
  it('deploys all three: every alias on its new version, status deployed', async () => {
    build({}, 'one');
    const run = await deploy('dev');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(await versions('dev')).toEqual(['1', '1', '1']);
  });

  it('an all-unchanged stage is unchanged, with no publish', async () => {
    proxy.reset();
    const run = await deploy('dev');
    expect(run.code).toBe(0);
    expect(run.outputs.status).toBe('unchanged');
    expect(proxy.counts().PublishVersion ?? 0).toBe(0);
  });

  it("one function's smoke test failing rolls all three back, and the step fails", async () => {
    build({ 'multi-worker': BROKEN }, 'two');
    const run = await deploy('dev');
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.stdout).toMatch(/multi-worker failed/);
    expect(await versions('dev')).toEqual(['1', '1', '1']);
  });

  it("one function's publish failing shifts none", async () => {
    build({}, 'three');
    proxy.reset();
    proxy.failOperationFor('PublishVersion', 'multi-cron');
    const run = await deploy('dev');
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    expect(proxy.calls.filter((c) => c.operation === 'UpdateAlias' || c.operation === 'CreateAlias')).toEqual([]);
    expect(await versions('dev')).toEqual(['1', '1', '1']);
  });

  it('killed mid-canary, the post step puts every alias back', async () => {
    build({}, 'four');
    expect((await deploy('prod')).outputs.status).toBe('deployed');
    const before = await versions('prod');
    build({}, 'five');
    // Every function's 10% step is written together (the group's step); kill once they are.
    const killed = await deploy('prod', { killWhen: { pattern: /Step 1\/2/, signal: 'SIGKILL', afterMs: 1000 } });
    expect(killed.code).not.toBe(0);
    expect((await weights('prod')).map((w) => Object.values(w))).toEqual([[0.1], [0.1], [0.1]]);
    const saved = JSON.parse(killed.state.rollout ?? '[]') as { functionName: string }[];
    expect(saved.map((s) => s.functionName).sort()).toEqual([...FUNCTIONS].sort());

    const post = await runAction({ inputs: { stage: 'prod', config: CONFIG }, workspace, env: env(), state: { isPost: 'true', ...killed.state } });
    expect(post.code).toBe(0);
    expect(await versions('prod')).toEqual(before);
    expect((await weights('prod')).map((w) => Object.keys(w))).toEqual([[], [], []]);
  });
});
