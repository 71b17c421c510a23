/**
 * `provisioned-concurrency: N`, end to end through `node dist/index.js`, against moto behind the
 * proxy, which emulates provisioned concurrency (moto has none: emulateProvisionedConcurrency).
 * The sequence (src/release/capacity.ts): the new version gets the configuration and is READY
 * before the alias moves; the version the alias left gives its capacity back once the release
 * is done; FAILED, or a failed check after the shift, leaves the alias (and the capacity) where
 * they were and removes what the release created. Canary or linear traffic with provisioned
 * concurrency is refused before anything changes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const handler = (release: string, status = 200) =>
  `export const handler = async () => ({ statusCode: ${status}, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stops: AwsStack['stops'];
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-capacity-');
  ({ moto, proxy, workspace, lambda, stops } = stack);
});

afterAll(() => stack?.stop());

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}
async function aliasOf(name: string, alias: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {} };
}
/** The emulated configurations of one function: qualifier → status. */
function capacityOf(name: string) {
  return Object.fromEntries(proxy.provisionedConcurrencyConfigs().filter((c) => c.functionName === name).map((c) => [c.qualifier, `${c.requested} ${c.status}`]));
}
/** The order of the calls that matter here, as `Operation qualifier`. */
function sequence() {
  const kept = new Set(['PublishVersion', 'PutProvisionedConcurrencyConfig', 'CreateAlias', 'UpdateAlias', 'DeleteProvisionedConcurrencyConfig']);
  return proxy.calls
    .filter((c) => kept.has(c.operation))
    .map((c) => {
      const qualifier = new URLSearchParams(c.query).get('Qualifier');
      return qualifier ? `${c.operation} ${qualifier}` : c.operation;
    });
}

describe('provisioned-concurrency', () => {
  const name = 'capacity-fn';
  let config: string;

  beforeAll(async () => {
    await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
    const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: name, alias: 'prod', codeRoots: [workspace] });
    stops.push(endpoint.stop);
    config = 'capacity.yml';
    writeFileSync(
      join(workspace, config),
      `defaults: { function: ${name}, region: us-east-1 }
stages:
  prod:
    provisioned-concurrency: 3
    smoke: { url: "${endpoint.url}/health", attempts: 1 }
  canary:
    alias: prod
    provisioned-concurrency: 3
    traffic: canary 10% 1m
`,
    );
  });

  it('warms the new version to READY before the alias moves, then releases the capacity of the version it left', async () => {
    proxy.emulateProvisionedConcurrency({ readyAfterMs: 1500 });
    proxy.reset();
    const first = await run({ stage: 'prod', config, artifact: zipOf(handler('one')) });
    expect(annotations(first.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(first.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(sequence()).toEqual(['PublishVersion', 'PutProvisionedConcurrencyConfig 1', 'CreateAlias']);
    expect(first.stdout).toMatch(/Provisioned concurrency 3 on version 1 of capacity-fn: IN_PROGRESS/);
    expect(first.stdout).toMatch(/Provisioned concurrency on version 1 of capacity-fn: READY, 3 of 3 allocated after \d/);
    expect(capacityOf(name)).toEqual({ '1': '3 READY' });

    proxy.reset();
    const second = await run({ stage: 'prod', config, artifact: zipOf(handler('two')) });
    expect(second.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });
    expect(sequence()).toEqual(['PublishVersion', 'PutProvisionedConcurrencyConfig 2', 'UpdateAlias', 'DeleteProvisionedConcurrencyConfig 1']);
    expect(await aliasOf(name, 'prod')).toEqual({ version: '2', weights: {} });
    expect(capacityOf(name)).toEqual({ '2': '3 READY' });
  });

  it('FAILED: the alias does not move, and the configuration the release put is removed', async () => {
    proxy.emulateProvisionedConcurrency({ readyAfterMs: 300, fail: 'Insufficient unreserved concurrency available in the account' });
    proxy.reset();
    const failed = await run({ stage: 'prod', config, artifact: zipOf(handler('three')) });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toContain('provisioned concurrency 3 on version 3 of capacity-fn: Lambda could not allocate it (FAILED: Insufficient unreserved concurrency available in the account); nothing was shifted');
    expect(sequence()).toEqual(['PublishVersion', 'PutProvisionedConcurrencyConfig 3', 'DeleteProvisionedConcurrencyConfig 3']);
    expect(await aliasOf(name, 'prod')).toEqual({ version: '2', weights: {} });
    // Version 2 kept its capacity throughout; nothing of version 3's is left.
    expect(capacityOf(name)).toEqual({ '2': '3 READY' });
  });

  it('a smoke test that fails after the shift: the alias goes back to the version that kept its capacity, and the new one gives its own back', async () => {
    proxy.emulateProvisionedConcurrency({ readyAfterMs: 300 });
    proxy.reset();
    const broken = await run({ stage: 'prod', config, artifact: zipOf(handler('four', 502)) });
    expect(broken.code).not.toBe(0);
    expect(broken.outputs).toMatchObject({ status: 'rolled-back' });
    expect(sequence()).toEqual(['PublishVersion', 'PutProvisionedConcurrencyConfig 4', 'UpdateAlias', 'UpdateAlias', 'DeleteProvisionedConcurrencyConfig 4']);
    expect(await aliasOf(name, 'prod')).toEqual({ version: '2', weights: {} });
    expect(capacityOf(name)).toEqual({ '2': '3 READY' });
  });

  it('rollback to a version without capacity warms it first, then moves the alias back', async () => {
    proxy.emulateProvisionedConcurrency({ readyAfterMs: 800 });
    proxy.reset();
    const back = await run({ stage: 'prod', config, command: 'rollback' });
    expect(annotations(back.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(back.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'previous-version': '2' });
    expect(sequence()).toEqual(['PutProvisionedConcurrencyConfig 1', 'UpdateAlias', 'DeleteProvisionedConcurrencyConfig 2']);
    expect(capacityOf(name)).toEqual({ '1': '3 READY' });
  });

  it('canary traffic with provisioned-concurrency is refused before anything changes, naming both fields', async () => {
    proxy.emulateProvisionedConcurrency();
    proxy.reset();
    const refused = await run({ stage: 'canary', config, artifact: zipOf(handler('five')) });
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toContain('stages.canary.provisioned-concurrency: 3 cannot be used with stages.canary.traffic: canary');
    expect(proxy.calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD')).toEqual([]);
    expect(await aliasOf(name, 'prod')).toEqual({ version: '1', weights: {} });
  });
});
