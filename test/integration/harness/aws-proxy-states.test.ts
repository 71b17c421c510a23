// The proxy's emulation of Lambda's function states, of updates in progress and of
// GetAccountSettings (test/harness/aws-proxy.mjs, issue 13), in front of a real moto server; and
// the action's Lambda gateway (src/aws/lambda-gateway.ts) against it: publishVersion waits for a
// Pending version to be Active, a write refused while another update is in progress waits for it,
// codeStorage reads GetAccountSettings.
import {
  GetAccountSettingsCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  LambdaClient,
  UpdateFunctionConfigurationCommand,
  waitUntilPublishedVersionActive,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';

import { commonConfig } from '../../../src/aws/client-config.js';
import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-states-');

let counter = 0;
async function freshFunction() {
  counter += 1;
  const name = `states-fn-${counter}`;
  const zipPath = makeZip(aws.tmp, { 'index.js': `exports.handler = async () => ({ statusCode: 200, body: '${name}' });\n` });
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  return name;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const configOf = (name: string, version: string) => aws.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: version }));
/** A gateway as the action builds it, polling fast, its progress collected. */
function gateway(maxWaitSeconds = 20) {
  const said: string[] = [];
  const lambdaGateway = new SdkLambdaGateway(aws.clients.lambda, {
    waiter: { minDelaySeconds: 0.1, maxDelaySeconds: 0.2, maxWaitSeconds },
    progress: (message) => said.push(message),
    progressEveryMs: 200,
  });
  return { lambdaGateway, said };
}

describe('publishPending', () => {
  it('PublishVersion answers Pending (Creating); the version reports Pending until its time, then Active, and the SDK waiter sees it', async () => {
    const name = await freshFunction();
    aws.proxy.publishPending(700);
    const published = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(published).toMatchObject({ Version: '1', State: 'Pending', StateReasonCode: 'Creating' });
    const activeAt = aws.proxy.versionActiveAt(name, '1')!;
    expect(activeAt).toBeGreaterThan(Date.now());
    expect(await configOf(name, '1')).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating' });
    expect((await aws.clients.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }))).Configuration).toMatchObject({ State: 'Pending' });
    expect((await aws.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }))).Versions?.find((v) => v.Version === '1')).toMatchObject({ State: 'Pending' });
    // $LATEST is not a published version: as moto says.
    expect((await aws.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).State).toBe('Active');

    const done = await waitUntilPublishedVersionActive({ client: aws.clients.lambda, minDelay: 0.1, maxDelay: 0.2, maxWaitTime: 10 }, { FunctionName: name, Qualifier: '1' });
    expect(done.state).toBe('SUCCESS');
    expect(Date.now()).toBeGreaterThanOrEqual(activeAt);
    const after = await configOf(name, '1');
    expect(after.State).toBe('Active');
    expect(after.StateReasonCode).toBeUndefined();
  });

  it('with fail: the version ends Failed with the reason and code', async () => {
    const name = await freshFunction();
    aws.proxy.publishPending(200, { fail: { reason: 'Lambda was unable to create an ENI.', code: 'EniLimitExceeded' } });
    await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await sleep(300);
    expect(await configOf(name, '1')).toMatchObject({ State: 'Failed', StateReason: 'Lambda was unable to create an ENI.', StateReasonCode: 'EniLimitExceeded' });
  });

  it('off (clearBehaviours): versions are Active at once, as moto has them', async () => {
    const name = await freshFunction();
    const published = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(published.State).toBe('Active');
    expect(aws.proxy.versionActiveAt(name, '1')).toBeUndefined();
  });
});

describe('markInactive', () => {
  it('the version reports Inactive (Idle); an Invoke fails with ResourceNotReadyException and sets it Pending, then Active', async () => {
    const name = await freshFunction();
    await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    aws.proxy.markInactive(name, '1', { reactivateMs: 500 });
    expect(await configOf(name, '1')).toMatchObject({ State: 'Inactive', StateReasonCode: 'Idle' });

    // One attempt: the SDK retries a 502, which would meet the version Pending.
    const once = new LambdaClient({ ...commonConfig({}), maxAttempts: 1 });
    const invoke = () => once.send(new InvokeCommand({ FunctionName: name, Qualifier: '1', Payload: new TextEncoder().encode('{}') }));
    try {
      await expect(invoke()).rejects.toMatchObject({ name: 'ResourceNotReadyException', $metadata: { httpStatusCode: 502 } });
      expect(await configOf(name, '1')).toMatchObject({ State: 'Pending', StateReasonCode: 'Restoring' });
      await expect(invoke()).rejects.toMatchObject({
        name: 'ResourceConflictException',
        message: 'The operation cannot be performed at this time. The function is currently in the following state: Pending',
      });
    } finally {
      once.destroy();
    }
    expect(aws.proxy.invocations).toEqual([]);
    await sleep(600);
    expect((await configOf(name, '1')).State).toBe('Active');
    const again = await aws.clients.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: '1', Payload: new TextEncoder().encode('{}') }));
    expect(again.FunctionError).toBeUndefined();
  });
});

describe('conflictWhileInProgress', () => {
  it('with holdInProgress: $LATEST\'s writes answer 409 ResourceConflictException naming the function until the update is over', async () => {
    const name = await freshFunction();
    aws.proxy.holdInProgress(800);
    aws.proxy.conflictWhileInProgress();
    await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    const refused = aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256 }));
    await expect(refused).rejects.toMatchObject({
      name: 'ResourceConflictException',
      message: `The operation cannot be performed at this time. An update is in progress for resource: arn:aws:lambda:us-east-1:123456789012:function:${name}`,
      $metadata: { httpStatusCode: 409 },
    });
    await expect(aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }))).rejects.toMatchObject({ name: 'ResourceConflictException' });
    // Refused means not applied.
    expect((await aws.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).MemorySize).not.toBe(256);
    await sleep(aws.proxy.lastUpdateCompletedAt(name)! - Date.now() + 50);
    expect((await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256 }))).MemorySize).toBe(256);
  });

  it('without the switch, holdInProgress alone refuses nothing (as before)', async () => {
    const name = await freshFunction();
    aws.proxy.holdInProgress(800);
    await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    await expect(aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256 }))).resolves.toMatchObject({ MemorySize: 256 });
  });
});

describe('accountSettings', () => {
  it('answers GetAccountSettings with the figures (limit 75 GB by default); off, moto does not answer it', async () => {
    aws.proxy.accountSettings({ usedBytes: 1234 });
    const answer = await aws.clients.lambda.send(new GetAccountSettingsCommand({}));
    expect(answer.AccountUsage).toMatchObject({ TotalCodeSize: 1234 });
    expect(answer.AccountLimit).toMatchObject({ TotalCodeSize: 75 * 1024 ** 3, CodeSizeZipped: 52428800, CodeSizeUnzipped: 262144000 });
    expect(aws.proxy.calls.map((c) => [c.service, c.operation, c.status])).toEqual([['lambda', 'GetAccountSettings', 200]]);

    aws.proxy.accountSettings(undefined);
    await expect(aws.clients.lambda.send(new GetAccountSettingsCommand({}))).rejects.toBeDefined();
  });

  it('failOperation still applies (an AccessDenied)', async () => {
    aws.proxy.accountSettings({ usedBytes: 1 });
    aws.proxy.failOperation('GetAccountSettings', { status: 403, type: 'AccessDeniedException', message: 'not authorized' });
    await expect(aws.clients.lambda.send(new GetAccountSettingsCommand({}))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('SdkLambdaGateway against these behaviours', () => {
  it('publishVersion returns only once the version is Active, and says that it waited', async () => {
    const name = await freshFunction();
    aws.proxy.publishPending(900);
    const { lambdaGateway, said } = gateway();
    const latest = await lambdaGateway.getVersion(name);
    const published = await lambdaGateway.publishVersion(name, { codeSha256: latest!.codeSha256, description: 'test' });
    expect(published).toMatchObject({ version: '1', state: 'Active' });
    expect(Date.now()).toBeGreaterThanOrEqual(aws.proxy.versionActiveAt(name, '1')!);
    expect(said[0]).toBe(`Version 1 of ${name} is Pending (Creating): waiting for it to be Active before it takes traffic.`);
    expect(said.some((line) => line.startsWith(`Still waiting for version 1 of ${name} to be Active (`))).toBe(true);
    expect(said.at(-1)).toMatch(new RegExp(`^Version 1 of ${name} is Active \\(waited \\d+\\.\\d s\\)\\.$`));
  });

  it('publishVersion of a version that ends Failed throws with Lambda\'s reason', async () => {
    const name = await freshFunction();
    aws.proxy.publishPending(300, { fail: { reason: 'The role cannot be assumed.', code: 'InsufficientRolePermissions' } });
    const { lambdaGateway } = gateway();
    const latest = await lambdaGateway.getVersion(name);
    await expect(lambdaGateway.publishVersion(name, { codeSha256: latest!.codeSha256, description: 'test' })).rejects.toThrow(
      `Lambda could not make version 1 of ${name} Active: it is Failed: The role cannot be assumed. (InsufficientRolePermissions)`,
    );
  });

  it('waitForVersionActive of a version still Pending at the time limit says so', async () => {
    const name = await freshFunction();
    aws.proxy.publishPending(5000);
    await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    const { lambdaGateway } = gateway(1);
    await expect(lambdaGateway.waitForVersionActive(name, '1')).rejects.toThrow(`version 1 of ${name} did not become Active within 1s (state: Pending).`);
  });

  it('a write refused while another update is in progress waits for that update, then is sent again', async () => {
    const name = await freshFunction();
    aws.proxy.holdInProgress(1000);
    aws.proxy.conflictWhileInProgress();
    // Someone else's update, still in progress.
    await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    const othersEnd = aws.proxy.lastUpdateCompletedAt(name)!;
    aws.proxy.reset();
    const { lambdaGateway, said } = gateway();
    const updated = await lambdaGateway.updateConfiguration(name, { memorySize: 512 });
    expect(updated).toMatchObject({ memorySize: 512, timeoutSeconds: 9, lastUpdateStatus: 'Successful' });
    const writes = aws.proxy.calls.filter((c) => c.operation === 'UpdateFunctionConfiguration');
    expect(writes.map((c) => c.status)).toEqual([409, 200]);
    expect(writes[1]!.startedAt).toBeGreaterThanOrEqual(othersEnd);
    expect(said[0]).toBe(`${name} has an update in progress that this run did not start (Lambda refused UpdateFunctionConfiguration): waiting for it to finish before writing.`);
    expect(said.at(-1)).toMatch(new RegExp(`^The update in progress on ${name} ended \\(waited \\d+\\.\\d s\\): sending UpdateFunctionConfiguration again\\.$`));
  });

  it('an update still in progress at the time limit fails the write, not sent again', async () => {
    const name = await freshFunction();
    aws.proxy.holdInProgress(5000);
    aws.proxy.conflictWhileInProgress();
    await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    aws.proxy.reset();
    const { lambdaGateway } = gateway(1);
    await expect(lambdaGateway.updateConfiguration(name, { memorySize: 512 })).rejects.toThrow(
      `another update of ${name} was still in progress after 1s; UpdateFunctionConfiguration was not sent again.`,
    );
    expect(aws.proxy.calls.filter((c) => c.operation === 'UpdateFunctionConfiguration').map((c) => c.status)).toEqual([409]);
  });

  it('codeStorage reads GetAccountSettings', async () => {
    aws.proxy.accountSettings({ usedBytes: 42, limitBytes: 100 });
    expect(await gateway().lambdaGateway.codeStorage()).toEqual({ usedBytes: 42, limitBytes: 100 });
  });
});
