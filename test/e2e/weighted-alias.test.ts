/**
 * Weighted-alias rules end to end, through `node dist/index.js`, against moto behind the proxy with
 * `enforceWeightedAliasRules` on (Lambda refuses a routing configuration whose versions differ in
 * execution role or dead-letter queue; moto does not):
 * - a canary after the function's role changed (by IaC, here our own client on moto) is refused
 *   before anything changes, with the reason: nothing published, no UpdateAlias sent, the alias as
 *   it was;
 * - the same for a dead-letter queue that was added;
 * - all at once, the same release goes through; a canary between versions that qualify shifts.
 * No test may leave an alias with routing weights.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createFunction, lambdaClient, makeZip, TEST_ROLE_ARN } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const OTHER_ROLE = 'arn:aws:iam::123456789012:role/notes-api-v2';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:notes-dlq';
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;

let stack: AwsStack;
let count = 0;

beforeAll(async () => {
  stack = await startAwsStack('e2e-weighted-');
  stack.proxy.enforceWeightedAliasRules();
});

afterAll(() => stack?.stop());

/** A function with release one live on `prod` (version 1, all at once), and a stages file with a canary stage and an all-at-once one on the same alias. */
async function setUp() {
  const name = `weighted-${++count}`;
  const { proxy, workspace } = stack;
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const config = `${name}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${name}, region: us-east-1 }
stages:
  prod: { alias: prod, traffic: canary 50% 1s }
  prod-at-once: { alias: prod, traffic: all-at-once }
`,
  );
  const first = await deploy(config, 'prod', handler('one'));
  expect(first.outputs).toMatchObject({ status: 'deployed', version: '1' });
  return { name, config };
}

function deploy(config: string, stage: string, code: string) {
  const zip = makeZip(join(stack.workspace, 'build'), { 'index.mjs': code });
  return runAction({
    inputs: { stage, artifact: zip.slice(stack.workspace.length + 1), config },
    workspace: stack.workspace,
    env: { ...awsEnv(stack.proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300' },
  });
}

async function alias(name: string) {
  const answer = await stack.lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'prod' }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

/** What the function's IaC does between two releases: a new configuration on $LATEST. `via`: moto itself, or the proxy (which keeps DeadLetterConfig). */
async function changeFunction(name: string, change: { Role?: string; DeadLetterConfig?: { TargetArn: string } }, via: 'moto' | 'proxy' = 'moto') {
  const client = via === 'moto' ? stack.lambda : lambdaClient(stack.proxy.endpoint);
  try {
    await client.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...change }));
    await waitUntilFunctionUpdatedV2({ client, maxWaitTime: 30 }, { FunctionName: name });
  } finally {
    if (client !== stack.lambda) client.destroy();
  }
}

/** The write calls (to Lambda) the last run sent through the proxy. */
function writes(): string[] {
  return stack.proxy.calls
    .filter((c) => c.service === 'lambda' && ['UpdateFunctionConfiguration', 'UpdateFunctionCode', 'PublishVersion', 'CreateAlias', 'UpdateAlias', 'DeleteAlias'].includes(c.operation))
    .map((c) => c.operation);
}

describe('weighted aliases: same execution role, same dead-letter queue, published versions', () => {
  it('a canary after the role changed is refused before anything changes, with the reason', async () => {
    const { name, config } = await setUp();
    await changeFunction(name, { Role: OTHER_ROLE });
    stack.proxy.reset();
    const result = await deploy(config, 'prod', handler('two'));
    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'failed' });
    const message =
      `traffic: canary needs both versions to share the execution role: version 1 runs as ${TEST_ROLE_ARN}, ` +
      `the new version as ${OTHER_ROLE}; release all at once (traffic: all-at-once) or keep the role`;
    expect(annotations(result.stdout).filter((a) => a.kind === 'error').map((a) => a.message)).toEqual([message]);
    // Refused before Lambda would be asked: nothing published, no alias write at all.
    expect(writes()).toEqual([]);
    expect(await alias(name)).toEqual({ version: '1', weights: {} });

    // All at once, the same release goes through (a role change is a release like any other).
    const atOnce = await deploy(config, 'prod-at-once', handler('two'));
    expect(atOnce.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });
    expect(await alias(name)).toEqual({ version: '2', weights: {} });
    // And from there a canary whose versions share the new role shifts as planned.
    stack.proxy.reset();
    const canary = await deploy(config, 'prod', handler('three'));
    expect(canary.outputs).toMatchObject({ status: 'deployed', version: '3', 'previous-version': '2' });
    expect(stack.proxy.calls.filter((c) => c.operation === 'UpdateAlias').map((c) => c.requestBody?.RoutingConfig)).toEqual([
      { AdditionalVersionWeights: { '3': 0.5 } },
      { AdditionalVersionWeights: {} },
    ]);
    expect(await alias(name)).toEqual({ version: '3', weights: {} });
  });

  it('a canary after a dead-letter queue was added is refused the same way', async () => {
    const { name, config } = await setUp();
    await changeFunction(name, { DeadLetterConfig: { TargetArn: DLQ } }, 'proxy');
    stack.proxy.reset();
    const result = await deploy(config, 'prod', handler('two'));
    expect(result.outputs).toMatchObject({ status: 'failed' });
    expect(annotations(result.stdout).find((a) => a.kind === 'error')?.message).toBe(
      `traffic: canary needs both versions to share the dead-letter queue: version 1 has none, the new version ${DLQ}; ` +
        'release all at once (traffic: all-at-once) or keep the dead-letter queue',
    );
    expect(writes()).toEqual([]);
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });
});
