// The aws-proxy's enforceWeightedAliasRules switch, in front of a real moto server: a routing
// configuration that pairs versions with another execution role or dead-letter queue, or names
// $LATEST, is refused with 400 InvalidParameterValueException as Lambda refuses it (moto accepts
// it); DeadLetterConfig, which moto drops, is kept for $LATEST and snapshotted onto versions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { createFunction, lambdaClient, makeZip, TEST_ROLE_ARN } from '../../harness/lambda-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';

const OTHER_ROLE = 'arn:aws:iam::123456789012:role/stage-deploy-other';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:notes-dlq';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let lambda: LambdaClient;
let tmp: string;
let count = 0;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  lambda = lambdaClient(proxy.endpoint);
  tmp = mkdtempSync(join(tmpdir(), 'aws-proxy-weighted-'));
});

afterAll(async () => {
  lambda?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

/** A function with version 1 and an alias `live` on it; returns its name. */
async function functionWithAlias(): Promise<string> {
  const name = `weighted-${++count}`;
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(tmp, { 'index.mjs': `export const handler = async () => ${count};\n` }) });
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
  return name;
}

/** Change $LATEST's configuration and publish it: the next version. */
async function publishWith(name: string, change: { Role?: string; DeadLetterConfig?: { TargetArn: string }; Description: string }): Promise<string> {
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...change }));
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return published.Version ?? '';
}

const split = (name: string, weights: Record<string, number>, version = '1') =>
  lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: weights } }));

async function weightsOf(name: string) {
  const alias = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
  return { version: alias.FunctionVersion, weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

describe('enforceWeightedAliasRules', () => {
  it('off (moto alone): a split between versions with different roles is accepted', async () => {
    const name = await functionWithAlias();
    const two = await publishWith(name, { Role: OTHER_ROLE, Description: 'other role' });
    await split(name, { [two]: 0.1 });
    expect(await weightsOf(name)).toEqual({ version: '1', weights: { [two]: 0.1 } });
  });

  it('on: another execution role → 400 InvalidParameterValueException, as Lambda words it; the alias is unchanged', async () => {
    proxy.enforceWeightedAliasRules();
    const name = await functionWithAlias();
    const two = await publishWith(name, { Role: OTHER_ROLE, Description: 'other role' });
    const error = await split(name, { [two]: 0.1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidParameterValueException', message: 'Specified versions must be associated with the same execution role' });
    expect((error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
    expect(await weightsOf(name)).toEqual({ version: '1', weights: {} });
    // CreateAlias with the same routing is refused too.
    await expect(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'other', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { [two]: 0.5 } } })),
    ).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    // Moving the alias all at once (no weights) is allowed, whatever the role.
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: two, RoutingConfig: { AdditionalVersionWeights: {} } }));
    expect(await weightsOf(name)).toEqual({ version: two, weights: {} });
  });

  it('on: the same role is accepted, also when UpdateAlias names no FunctionVersion (the alias keeps its own)', async () => {
    proxy.enforceWeightedAliasRules();
    const name = await functionWithAlias();
    const two = await publishWith(name, { Description: 'same role', Role: TEST_ROLE_ARN });
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', RoutingConfig: { AdditionalVersionWeights: { [two]: 0.25 } } }));
    expect(await weightsOf(name)).toEqual({ version: '1', weights: { [two]: 0.25 } });
  });

  it('on: DeadLetterConfig is kept (moto drops it) and a different one refuses the split', async () => {
    proxy.enforceWeightedAliasRules();
    const name = await functionWithAlias();
    const two = await publishWith(name, { DeadLetterConfig: { TargetArn: DLQ }, Description: 'with a DLQ' });
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const version = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: two }));
    const first = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }));
    expect(latest.DeadLetterConfig).toEqual({ TargetArn: DLQ });
    expect(version.DeadLetterConfig).toEqual({ TargetArn: DLQ });
    expect(first.DeadLetterConfig).toBeUndefined();
    // The gateway maps both into FunctionVersionState, which the weighted-alias check compares.
    const gateway = new SdkLambdaGateway(lambda);
    expect(await gateway.getVersion(name, two)).toMatchObject({ role: TEST_ROLE_ARN, deadLetterTarget: DLQ });
    const one = await gateway.getVersion(name, '1');
    expect(one).toMatchObject({ role: TEST_ROLE_ARN });
    expect(one?.deadLetterTarget).toBeUndefined();
    await expect(split(name, { [two]: 0.1 })).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('same dead-letter queue') });
    expect(await weightsOf(name)).toEqual({ version: '1', weights: {} });
  });

  it('on: $LATEST in a routing configuration is refused', async () => {
    proxy.enforceWeightedAliasRules();
    const name = await functionWithAlias();
    await expect(split(name, { '1': 0.1 }, '$LATEST')).rejects.toMatchObject({ name: 'InvalidParameterValueException', message: expect.stringContaining('$LATEST') });
    expect(await weightsOf(name)).toEqual({ version: '1', weights: {} });
  });

  it('clearBehaviours switches it off', async () => {
    proxy.enforceWeightedAliasRules();
    proxy.clearBehaviours();
    const name = await functionWithAlias();
    const two = await publishWith(name, { Role: OTHER_ROLE, Description: 'other role' });
    await split(name, { [two]: 0.1 });
    expect((await weightsOf(name)).weights).toEqual({ [two]: 0.1 });
  });
});
