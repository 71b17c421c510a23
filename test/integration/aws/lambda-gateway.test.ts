// SdkLambdaGateway against a real moto server: every call goes through the SDK client that
// createClients builds from the environment (AWS_ENDPOINT_URL → moto; in the proxy blocks
// AWS_ENDPOINT_URL_LAMBDA → the aws-proxy in front of moto, or in front of a relay that pages
// list answers as Lambda does).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import {
  codeSha256,
  createBucket,
  createFunction,
  lambdaClient,
  makeZip,
  s3Client,
} from '../../harness/lambda-fixtures.mjs';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { destroyClients, startMoto, useAwsEnv, useEnv } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
let gateway: SdkLambdaGateway;
let tmp: string;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  gateway = new SdkLambdaGateway(clients.lambda, {
    waiter: { minDelaySeconds: 1, maxDelaySeconds: 2, maxWaitSeconds: 30 },
  });
  tmp = mkdtempSync(join(tmpdir(), 'lambda-gateway-'));
});

afterAll(async () => {
  clients?.lambda.destroy();
  clients?.s3.destroy();
  clients?.logs.destroy();
  await moto?.stop();
  restoreEnv?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

let counter = 0;
/** A fresh function per test, so tests do not depend on each other's order. */
async function freshFunction(environment: Record<string, string> = { GREETING: 'hello' }) {
  counter += 1;
  const name = `gateway-fn-${counter}`;
  const zipPath = makeZip(tmp, { 'index.js': `exports.handler = async () => 'v1 of ${name}';\n` });
  const created = await createFunction(moto.endpoint, { name, zipPath, environment });
  return { name, zipPath, sha: codeSha256(zipPath), arn: created.FunctionArn! };
}

async function publishWithSdk(name: string, description: string) {
  const lambda = lambdaClient(moto.endpoint);
  try {
    return await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: description }));
  } finally {
    lambda.destroy();
  }
}

describe('getVersion', () => {
  it('returns undefined for a function that does not exist', async () => {
    expect(await gateway.getVersion('no-such-function')).toBeUndefined();
    expect(await gateway.getVersion('no-such-function', '3')).toBeUndefined();
  });

  it('returns undefined for a version that does not exist', async () => {
    const fn = await freshFunction();
    expect(await gateway.getVersion(fn.name, '42')).toBeUndefined();
  });

  it('returns $LATEST when no version is given, by name or by ARN', async () => {
    const fn = await freshFunction({ GREETING: 'hello', TABLE: 'notes' });
    const latest = await gateway.getVersion(fn.name);
    expect(latest).toMatchObject({
      functionArn: fn.arn,
      functionName: fn.name,
      version: '$LATEST',
      codeSha256: fn.sha,
      codeSize: statSync(fn.zipPath).size,
      environment: { GREETING: 'hello', TABLE: 'notes' },
      memorySize: 128,
      timeoutSeconds: 3,
      description: '',
      handler: 'index.handler',
      runtime: 'nodejs20.x',
    });
    // Asked for by qualifier, Lambda (and moto) answer with the qualified ARN.
    expect(await gateway.getVersion(fn.name, '$LATEST')).toEqual({ ...latest, functionArn: `${fn.arn}:$LATEST` });
    expect(await gateway.getVersion(fn.arn)).toEqual(latest);
  });

  it('returns a numbered version with its own snapshot of code and configuration', async () => {
    const fn = await freshFunction({ STAGE: 'one' });
    const published = await publishWithSdk(fn.name, 'first release');
    expect(published.Version).toBe('1');
    await gateway.updateConfiguration(fn.name, { environment: { STAGE: 'two' } });

    const v1 = await gateway.getVersion(fn.name, '1');
    expect(v1).toMatchObject({
      functionArn: `${fn.arn}:1`,
      functionName: fn.name,
      version: '1',
      codeSha256: fn.sha,
      environment: { STAGE: 'one' },
      description: 'first release',
    });
    expect((await gateway.getVersion(fn.name))?.environment).toEqual({ STAGE: 'two' });
  });
});

describe('getAlias', () => {
  it('returns undefined for a missing alias and for a missing function', async () => {
    const fn = await freshFunction();
    expect(await gateway.getAlias(fn.name, 'dev')).toBeUndefined();
    expect(await gateway.getAlias('no-such-function', 'dev')).toBeUndefined();
  });
});

describe('updateConfiguration', () => {
  it('applies only the given fields, replaces the environment with the given map, and returns the new state', async () => {
    const fn = await freshFunction({ A: '1', B: '2' });

    const first = await gateway.updateConfiguration(fn.name, { environment: { C: '3' }, memorySize: 256 });
    expect(first).toMatchObject({
      functionName: fn.name,
      version: '$LATEST',
      codeSha256: fn.sha,
      environment: { C: '3' },
      memorySize: 256,
      timeoutSeconds: 3,
      lastUpdateStatus: 'Successful',
    });
    expect(await gateway.getVersion(fn.name)).toMatchObject({ environment: { C: '3' }, memorySize: 256, timeoutSeconds: 3 });

    const second = await gateway.updateConfiguration(fn.name, { timeoutSeconds: 20 });
    expect(second).toMatchObject({ environment: { C: '3' }, memorySize: 256, timeoutSeconds: 20 });
  });

  it('can empty the environment', async () => {
    const fn = await freshFunction({ A: '1' });
    const state = await gateway.updateConfiguration(fn.name, { environment: {} });
    expect(state.environment).toEqual({});
    expect((await gateway.getVersion(fn.name))?.environment).toEqual({});
  });

  it('fails with the SDK error when the function does not exist', async () => {
    await expect(gateway.updateConfiguration('no-such-function', { memorySize: 256 })).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('updateCode', () => {
  it('uploads a zip file and returns $LATEST with its CodeSha256', async () => {
    const fn = await freshFunction();
    const zip2 = makeZip(tmp, { 'index.js': "exports.handler = async () => 'v2';\n", 'lib/util.js': 'module.exports = 2;\n' });
    expect(codeSha256(zip2)).not.toBe(fn.sha);

    const state = await gateway.updateCode(fn.name, { kind: 'zip-file', zipPath: zip2 });
    expect(state).toMatchObject({
      functionName: fn.name,
      version: '$LATEST',
      codeSha256: codeSha256(zip2),
      codeSize: statSync(zip2).size,
      environment: { GREETING: 'hello' },
      lastUpdateStatus: 'Successful',
    });
    expect((await gateway.getVersion(fn.name))?.codeSha256).toBe(codeSha256(zip2));
  });

  it('points the function at an object in S3', async () => {
    const fn = await freshFunction();
    const zip3 = makeZip(tmp, { 'index.js': "exports.handler = async () => 'from s3';\n" });
    await createBucket(moto.endpoint, 'gateway-artifacts');
    const s3 = s3Client(moto.endpoint);
    try {
      await s3.send(
        new PutObjectCommand({ Bucket: 'gateway-artifacts', Key: 'releases/zip3.zip', Body: readFileSync(zip3) }),
      );
    } finally {
      s3.destroy();
    }

    const state = await gateway.updateCode(fn.name, { kind: 's3', bucket: 'gateway-artifacts', key: 'releases/zip3.zip' });
    expect(state.codeSha256).toBe(codeSha256(zip3));
    expect(state.codeSha256).not.toBe(fn.sha);
    expect((await gateway.getVersion(fn.name))?.codeSha256).toBe(codeSha256(zip3));
  });
});

describe('publishVersion', () => {
  it('publishes $LATEST with the description and returns the new version', async () => {
    const fn = await freshFunction();
    const v1 = await gateway.publishVersion(fn.name, { codeSha256: fn.sha, description: 'release abc123' });
    expect(v1).toMatchObject({
      functionArn: `${fn.arn}:1`,
      functionName: fn.name,
      version: '1',
      codeSha256: fn.sha,
      description: 'release abc123',
      environment: { GREETING: 'hello' },
    });

    const zip2 = makeZip(tmp, { 'index.js': "exports.handler = async () => 'second';\n" });
    await gateway.updateCode(fn.name, { kind: 'zip-file', zipPath: zip2 });
    const v2 = await gateway.publishVersion(fn.name, { codeSha256: codeSha256(zip2), description: 'release def456' });
    expect(v2).toMatchObject({ version: '2', codeSha256: codeSha256(zip2), description: 'release def456' });
    expect(await gateway.getVersion(fn.name, '1')).toMatchObject({ version: '1', codeSha256: fn.sha });
  });
});

describe('aliases', () => {
  it('creates, shifts with weights, clears the weights, and deletes an alias', async () => {
    const fn = await freshFunction();
    await gateway.publishVersion(fn.name, { codeSha256: fn.sha, description: 'one' });
    await gateway.updateConfiguration(fn.name, { memorySize: 512 });
    const v2 = await gateway.publishVersion(fn.name, { codeSha256: fn.sha, description: 'two' });
    expect(v2.version).toBe('2');

    const created = await gateway.createAlias(fn.name, 'dev', '1', 'first release');
    expect(created).toMatchObject({
      name: 'dev',
      arn: `${fn.arn}:dev`,
      version: '1',
      description: 'first release',
      weights: {},
    });
    expect(await gateway.getAlias(fn.name, 'dev')).toMatchObject({ name: 'dev', version: '1', weights: {} });

    const canary = await gateway.updateAlias(fn.name, 'dev', {
      version: '1',
      weights: { '2': 0.25 },
      description: 'canary of 2',
    });
    expect(canary).toMatchObject({ version: '1', weights: { '2': 0.25 }, description: 'canary of 2' });
    expect(await gateway.getAlias(fn.name, 'dev')).toMatchObject({ version: '1', weights: { '2': 0.25 } });

    const shifted = await gateway.updateAlias(fn.name, 'dev', { version: '2' });
    expect(shifted).toMatchObject({ name: 'dev', version: '2', weights: {}, description: 'canary of 2' });
    expect(await gateway.getAlias(fn.name, 'dev')).toMatchObject({ version: '2', weights: {} });

    await gateway.deleteAlias(fn.name, 'dev');
    expect(await gateway.getAlias(fn.name, 'dev')).toBeUndefined();
  });
});

describe('listVersions, listAliases, deleteVersion', () => {
  /** Publish `count` more versions, each after a configuration change (moto publishes only on a change). */
  async function publishMany(name: string, count: number) {
    const lambda = lambdaClient(moto.endpoint);
    try {
      for (let i = 1; i <= count; i += 1) {
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `config ${i}` }));
        await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: `release ${i}` }));
      }
    } finally {
      lambda.destroy();
    }
  }

  it('lists the published versions, without $LATEST, with their configuration', async () => {
    const fn = await freshFunction({ STAGE: 'one' });
    expect(await gateway.listVersions(fn.name)).toEqual([]);

    await gateway.publishVersion(fn.name, { codeSha256: fn.sha, description: 'first' });
    await gateway.updateConfiguration(fn.name, { environment: { STAGE: 'two' }, memorySize: 256 });
    await gateway.publishVersion(fn.name, { codeSha256: fn.sha, description: 'second' });

    const versions = await gateway.listVersions(fn.name);
    expect(versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(versions[0]).toMatchObject({
      functionArn: `${fn.arn}:1`,
      functionName: fn.name,
      codeSha256: fn.sha,
      environment: { STAGE: 'one' },
      memorySize: 128,
      description: 'first',
    });
    expect(versions[1]).toMatchObject({ functionArn: `${fn.arn}:2`, environment: { STAGE: 'two' }, memorySize: 256 });
    // The same state getVersion gives (moto reports no LoggingConfig: logging stays undefined).
    expect(versions[1]).toEqual(await gateway.getVersion(fn.name, '2'));
    expect(versions[1]?.logging).toBeUndefined();
  });

  it('lists every alias with its version and weights', async () => {
    const fn = await freshFunction();
    expect(await gateway.listAliases(fn.name)).toEqual([]);
    await publishMany(fn.name, 2);
    await gateway.createAlias(fn.name, 'prod', '1', 'prod release');
    await gateway.createAlias(fn.name, 'dev', '2', 'dev release');
    await gateway.updateAlias(fn.name, 'prod', { version: '1', weights: { '2': 0.1 } });

    const aliases = await gateway.listAliases(fn.name);
    expect([...aliases].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { name: 'dev', arn: `${fn.arn}:dev`, version: '2', description: 'dev release', weights: {}, ...revision(aliases, 'dev') },
      {
        name: 'prod',
        arn: `${fn.arn}:prod`,
        version: '1',
        description: 'prod release',
        weights: { '2': 0.1 },
        ...revision(aliases, 'prod'),
      },
    ]);
  });

  /** The alias's revisionId as listed (whatever moto makes of it), so toEqual can compare the rest. */
  function revision(aliases: { name: string; revisionId?: string }[], name: string) {
    const id = aliases.find((alias) => alias.name === name)?.revisionId;
    return id === undefined ? {} : { revisionId: id };
  }

  it('deletes one version and leaves the function and the other versions', async () => {
    const fn = await freshFunction();
    await publishMany(fn.name, 3);
    await gateway.deleteVersion(fn.name, '2');

    expect(await gateway.getVersion(fn.name, '2')).toBeUndefined();
    expect((await gateway.listVersions(fn.name)).map((v) => v.version)).toEqual(['1', '3']);
    expect(await gateway.getVersion(fn.name, '1')).toMatchObject({ version: '1', description: 'release 1' });
    expect(await gateway.getVersion(fn.name)).toMatchObject({ functionName: fn.name, version: '$LATEST' });
  });

  it('refuses $LATEST, an empty version and an alias name, and the function stays', async () => {
    const fn = await freshFunction();
    await publishMany(fn.name, 1);
    await gateway.createAlias(fn.name, 'dev', '1', 'dev');
    for (const version of ['$LATEST', '', 'dev', ' 1', '0']) {
      await expect(gateway.deleteVersion(fn.name, version)).rejects.toThrow(
        `Refusing to delete version ${JSON.stringify(version)} of ${fn.name}`,
      );
    }
    expect(await gateway.getVersion(fn.name)).toMatchObject({ version: '$LATEST' });
    expect(await gateway.getVersion(fn.name, '1')).toMatchObject({ version: '1' });
    expect(await gateway.getAlias(fn.name, 'dev')).toMatchObject({ version: '1' });
  });
});

// What moto alone cannot show (updates that take a while or fail, RevisionId and CodeSha256
// preconditions, denied access, server errors): the same gateway, on a client that createClients
// builds from the environment, against moto through test/harness/aws-proxy.mjs, which adds those
// behaviours and records the requests exactly as the SDK sent them.
describe('through the aws-proxy (behaviours moto lacks)', () => {
  let proxy: AwsProxy;
  let proxyClients: AwsClients;
  let viaProxy: SdkLambdaGateway;
  let restoreEndpoint: (() => void) | undefined;
  const fastWaiter = { minDelaySeconds: 0.2, maxDelaySeconds: 0.5, maxWaitSeconds: 20 };

  beforeAll(async () => {
    proxy = await startProxy({ target: moto.endpoint });
    // The service-specific variable wins over AWS_ENDPOINT_URL (moto); a client reads it on its
    // first request, so it stays set while this block runs.
    restoreEndpoint = useEnv({ AWS_ENDPOINT_URL_LAMBDA: proxy.endpoint });
    proxyClients = createClients({});
    viaProxy = new SdkLambdaGateway(proxyClients.lambda, { waiter: fastWaiter });
  });

  afterAll(async () => {
    destroyClients(proxyClients);
    await proxy?.stop();
    restoreEndpoint?.();
  });

  beforeEach(() => {
    proxy.clearBehaviours();
    proxy.reset();
  });

  const ofOperation = (operation: string) => proxy.calls.filter((call) => call.operation === operation);

  it('waits while an update is InProgress and returns the state once it is Successful', async () => {
    const fn = await freshFunction();
    proxy.holdInProgress(1500);

    const started = Date.now();
    const state = await viaProxy.updateConfiguration(fn.name, { memorySize: 256 });
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(state).toMatchObject({ functionName: fn.name, version: '$LATEST', memorySize: 256, lastUpdateStatus: 'Successful' });
    expect(ofOperation('UpdateFunctionConfiguration').map((call) => call.requestBody)).toEqual([{ MemorySize: 256 }]);
    // The waiter polled GetFunction while the update was held; its last answer is the result (no extra read).
    expect(ofOperation('GetFunction').length).toBeGreaterThanOrEqual(3);
    const completedAt = proxy.lastUpdateCompletedAt(fn.name);
    expect(completedAt).toBeDefined();
    const lastCall = proxy.calls.at(-1)!;
    expect(lastCall.operation).toBe('GetFunction');
    expect(lastCall.startedAt).toBeGreaterThanOrEqual(completedAt!);
    // Noticed within about one maximum delay (0.5 s) of the end of the update.
    expect(lastCall.startedAt - completedAt!).toBeLessThan(1500);
  });

  it('throws with LastUpdateStatusReason and its code when Lambda reports the update Failed', async () => {
    const fn = await freshFunction();
    const zip2 = makeZip(tmp, { 'index.js': "exports.handler = async () => 'too big';\n" });
    proxy.holdInProgress(300);
    proxy.failNextUpdate('Unzipped size must be smaller than 262144000 bytes', 'InvalidZipFileException');
    await expect(viaProxy.updateCode(fn.name, { kind: 'zip-file', zipPath: zip2 })).rejects.toThrow(
      `Lambda could not update the code of ${fn.name}: Unzipped size must be smaller than 262144000 bytes (InvalidZipFileException)`,
    );

    // The default reason code; and the next update, which does not fail, clears the failure.
    proxy.failNextUpdate('Lambda was unable to create an ENI: the ENI limit was reached.');
    await expect(viaProxy.updateConfiguration(fn.name, { timeoutSeconds: 10 })).rejects.toThrow(
      `Lambda could not update the configuration of ${fn.name}: Lambda was unable to create an ENI: the ENI limit was reached. (EniLimitExceeded)`,
    );
    expect(await viaProxy.updateConfiguration(fn.name, { timeoutSeconds: 12 })).toMatchObject({
      timeoutSeconds: 12,
      lastUpdateStatus: 'Successful',
    });
  });

  it('gives up after maxWaitSeconds with a message that says so', async () => {
    const fn = await freshFunction();
    proxy.holdInProgress(10_000);
    const impatient = new SdkLambdaGateway(proxyClients.lambda, {
      waiter: { minDelaySeconds: 0.1, maxDelaySeconds: 0.2, maxWaitSeconds: 1 },
    });
    await expect(impatient.updateConfiguration(fn.name, { memorySize: 384 })).rejects.toThrow(
      `Lambda did not finish updating the configuration of ${fn.name} within 1s (last update status: InProgress).`,
    );
  });

  it('keeps polling when GetFunction is denied while waiting (the waiter retries on errors)', async () => {
    const fn = await freshFunction();
    proxy.failOperation('GetFunction', { status: 403, type: 'AccessDeniedException', message: 'not allowed', times: 2 });
    const state = await viaProxy.updateConfiguration(fn.name, { memorySize: 512 });
    expect(state.memorySize).toBe(512);
    expect(ofOperation('GetFunction').map((call) => call.status)).toEqual([403, 403, 200]);
  });

  it('publishVersion sends CodeSha256 and Description, and fails with PreconditionFailedException on a wrong CodeSha256', async () => {
    const fn = await freshFunction();
    proxy.enforceCodeSha256();
    const wrong = codeSha256(makeZip(tmp, { 'index.js': "exports.handler = async () => 'other';\n" }));

    await expect(viaProxy.publishVersion(fn.name, { codeSha256: wrong, description: 'release bad' })).rejects.toMatchObject({
      name: 'PreconditionFailedException',
      $metadata: { httpStatusCode: 412 },
    });
    const v1 = await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'release abc123' });
    expect(v1).toMatchObject({ version: '1', codeSha256: fn.sha, description: 'release abc123' });

    expect(ofOperation('PublishVersion').map((call) => [call.status, call.requestBody])).toEqual([
      [412, { CodeSha256: wrong, Description: 'release bad' }],
      [201, { CodeSha256: fn.sha, Description: 'release abc123' }],
    ]);
    // Not published by the refused call.
    expect(await viaProxy.getVersion(fn.name, '2')).toBeUndefined();
  });

  it('publishVersion with a stale RevisionId fails with PreconditionFailedException, with the fresh one it publishes', async () => {
    const fn = await freshFunction();
    proxy.enforceRevisionId();
    const before = await viaProxy.getVersion(fn.name);
    expect(before?.revisionId).toBeDefined();
    const updated = await viaProxy.updateConfiguration(fn.name, { memorySize: 256 });
    expect(updated.revisionId).toBeDefined();
    expect(updated.revisionId).not.toBe(before?.revisionId);

    await expect(
      viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'stale', revisionId: before!.revisionId! }),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException' });
    const v1 = await viaProxy.publishVersion(fn.name, {
      codeSha256: fn.sha,
      description: 'fresh',
      revisionId: updated.revisionId!,
    });
    expect(v1).toMatchObject({ version: '1', memorySize: 256, description: 'fresh' });
    expect(ofOperation('PublishVersion').map((call) => [call.status, call.requestBody])).toEqual([
      [412, { CodeSha256: fn.sha, Description: 'stale', RevisionId: before!.revisionId }],
      [201, { CodeSha256: fn.sha, Description: 'fresh', RevisionId: updated.revisionId }],
    ]);
  });

  it('updateAlias sends RoutingConfig, Description and RevisionId; a stale RevisionId fails, the fresh one succeeds', async () => {
    const fn = await freshFunction();
    proxy.enforceRevisionId();
    await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'one' });
    await viaProxy.updateConfiguration(fn.name, { memorySize: 512 });
    await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'two' });
    const created = await viaProxy.createAlias(fn.name, 'live', '1', 'first release');
    expect(created.revisionId).toBeDefined();

    const canary = await viaProxy.updateAlias(fn.name, 'live', {
      version: '1',
      weights: { '2': 0.1 },
      description: 'canary of 2',
      revisionId: created.revisionId!,
    });
    expect(canary).toMatchObject({ version: '1', weights: { '2': 0.1 }, description: 'canary of 2' });
    expect(canary.revisionId).not.toBe(created.revisionId);

    // A conflict is told apart: AliasConflictError (moved), with Lambda's error as its cause.
    await expect(
      viaProxy.updateAlias(fn.name, 'live', { version: '2', revisionId: created.revisionId! }),
    ).rejects.toMatchObject({
      name: 'AliasConflictError',
      conflict: 'moved',
      cause: { name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } },
    });
    const current = await viaProxy.getAlias(fn.name, 'live');
    expect(current).toMatchObject({ version: '1', weights: { '2': 0.1 }, revisionId: canary.revisionId });

    const shifted = await viaProxy.updateAlias(fn.name, 'live', { version: '2', revisionId: current!.revisionId! });
    expect(shifted).toMatchObject({ version: '2', weights: {}, description: 'canary of 2' });

    expect(ofOperation('CreateAlias').map((call) => call.requestBody)).toEqual([
      { Name: 'live', FunctionVersion: '1', Description: 'first release' },
    ]);
    // moto answers UpdateAlias with 201 (Lambda: 200).
    expect(ofOperation('UpdateAlias').map((call) => [call.status, call.requestBody])).toEqual([
      [
        201,
        {
          FunctionVersion: '1',
          RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
          Description: 'canary of 2',
          RevisionId: created.revisionId,
        },
      ],
      [412, { FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: created.revisionId }],
      [201, { FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} }, RevisionId: canary.revisionId }],
    ]);
  });

  it('createAlias of an alias that exists fails with AliasConflictError (exists); other alias errors pass as they are', async () => {
    const fn = await freshFunction();
    await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'one' });
    await viaProxy.createAlias(fn.name, 'live', '1', 'the first run');
    await expect(viaProxy.createAlias(fn.name, 'live', '1', 'the second run')).rejects.toMatchObject({
      name: 'AliasConflictError',
      conflict: 'exists',
      cause: { name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } },
    });
    expect((await viaProxy.getAlias(fn.name, 'live'))?.description).toBe('the first run');
    await expect(viaProxy.updateAlias(fn.name, 'no-such-alias', { version: '1' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(ofOperation('CreateAlias').map((call) => call.status)).toEqual([201, 409]);
  });

  it('rethrows errors other than ResourceNotFoundException instead of answering undefined', async () => {
    const fn = await freshFunction();
    proxy.failOperation('GetFunction', { status: 403, type: 'AccessDeniedException', message: 'not allowed' });
    proxy.failOperation('GetAlias', { status: 403, type: 'AccessDeniedException', message: 'not allowed' });
    await expect(viaProxy.getVersion(fn.name)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: 'not allowed',
      $metadata: { httpStatusCode: 403 },
    });
    await expect(viaProxy.getAlias(fn.name, 'dev')).rejects.toMatchObject({ name: 'AccessDeniedException' });
    // 403 is not retried.
    expect(proxy.counts()).toMatchObject({ GetFunction: 1, GetAlias: 1 });
  });

  it('lets the SDK retry a 500 and a throttle (standard retry mode) and returns the answer', async () => {
    const fn = await freshFunction();
    proxy.failOperation('GetFunction', { status: 500, type: 'ServiceException', message: 'internal error' });
    expect(await viaProxy.getVersion(fn.name)).toMatchObject({ functionName: fn.name, version: '$LATEST' });
    expect(ofOperation('GetFunction').map((call) => call.status)).toEqual([500, 200]);

    await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'one' });
    await viaProxy.createAlias(fn.name, 'dev', '1', 'one');
    proxy.failOperation('UpdateAlias', { status: 429, type: 'TooManyRequestsException', message: 'Rate exceeded', times: 2 });
    expect(await viaProxy.updateAlias(fn.name, 'dev', { version: '1', description: 'again' })).toMatchObject({
      version: '1',
      description: 'again',
    });
    expect(ofOperation('UpdateAlias').map((call) => call.status)).toEqual([429, 429, 201]);
  });
  it('updateConfiguration sends LoggingConfig without LogGroup; $LATEST and the published version report it', async () => {
    const fn = await freshFunction();
    proxy.keepLoggingConfig();
    const logging = { logFormat: 'JSON', applicationLogLevel: 'ERROR', systemLogLevel: 'WARN' } as const;
    // Lambda (here the proxy) reports the log group the function writes to along with the levels.
    const reported = { ...logging, logGroup: `/aws/lambda/${fn.name}` };

    const state = await viaProxy.updateConfiguration(fn.name, { environment: { LOG_LEVEL: 'ERROR' }, logging });
    expect(ofOperation('UpdateFunctionConfiguration').map((call) => call.requestBody)).toEqual([
      {
        Environment: { Variables: { LOG_LEVEL: 'ERROR' } },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' },
      },
    ]);
    expect(state.logging).toEqual(reported);
    expect((await viaProxy.getVersion(fn.name))?.logging).toEqual(reported);

    const published = await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'json logs' });
    expect(published.logging).toEqual(reported);
    expect((await viaProxy.getVersion(fn.name, published.version))?.logging).toEqual(reported);

    // Text format: only LogFormat goes out, and the published version keeps its JSON snapshot.
    proxy.reset();
    const text = await viaProxy.updateConfiguration(fn.name, { logging: { logFormat: 'Text' } });
    expect(ofOperation('UpdateFunctionConfiguration').map((call) => call.requestBody)).toEqual([
      { LoggingConfig: { LogFormat: 'Text' } },
    ]);
    expect(text.logging).toEqual({ logFormat: 'Text', logGroup: `/aws/lambda/${fn.name}` });
    expect((await viaProxy.getVersion(fn.name, published.version))?.logging).toEqual(reported);
  });

  it('deleteVersion sends DeleteFunction with the version as Qualifier, and nothing for $LATEST or an empty version', async () => {
    const fn = await freshFunction();
    await viaProxy.publishVersion(fn.name, { codeSha256: fn.sha, description: 'one' });
    await expect(viaProxy.deleteVersion(fn.name, '$LATEST')).rejects.toThrow('Refusing to delete version "$LATEST"');
    await expect(viaProxy.deleteVersion(fn.name, '')).rejects.toThrow('Refusing to delete version ""');
    expect(ofOperation('DeleteFunction')).toEqual([]);

    await viaProxy.deleteVersion(fn.name, '1');
    expect(ofOperation('DeleteFunction').map((call) => [call.status, call.path, call.query])).toEqual([
      [204, `/2015-03-31/functions/${fn.name}`, 'Qualifier=1'],
    ]);
    expect(await viaProxy.getVersion(fn.name, '1')).toBeUndefined();
    expect(await viaProxy.getVersion(fn.name)).toMatchObject({ version: '$LATEST' });
  });
});

/**
 * moto answers ListVersionsByFunction and ListAliases in one page, whatever their length. This
 * relay in front of it pages them as Lambda does: at most MaxItems (default 50) per answer, a
 * NextMarker while more remain, the rest from Marker on. Every other request goes through as is.
 */
async function startPagingRelay(target: string) {
  const markers: { operation: 'versions' | 'aliases'; marker: string | null }[] = [];
  const DROPPED_REQUEST_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'expect']);
  const DROPPED_ANSWER_HEADERS = new Set(['connection', 'content-length', 'content-encoding', 'transfer-encoding', 'keep-alive']);

  async function relay(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://relay.invalid');
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || DROPPED_REQUEST_HEADERS.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const answer = await fetch(`${target}${url.pathname}${url.search}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body.length > 0 && { body }),
    });
    let bytes = Buffer.from(await answer.arrayBuffer());
    const list = req.method === 'GET' ? /^\/2015-03-31\/functions\/[^/]+\/(versions|aliases)$/.exec(url.pathname) : null;
    if (list && answer.ok) {
      const operation = list[1] as 'versions' | 'aliases';
      const key = operation === 'versions' ? 'Versions' : 'Aliases';
      const all = (JSON.parse(bytes.toString('utf8')) as Record<string, unknown[]>)[key] ?? [];
      const marker = url.searchParams.get('Marker');
      markers.push({ operation, marker });
      const start = marker === null ? 0 : Number(marker);
      const end = start + Number(url.searchParams.get('MaxItems') ?? 50);
      bytes = Buffer.from(
        JSON.stringify({ [key]: all.slice(start, end), ...(end < all.length && { NextMarker: String(end) }) }),
      );
    }
    const out: Record<string, string> = { 'content-length': String(bytes.length) };
    answer.headers.forEach((value, name) => {
      if (!DROPPED_ANSWER_HEADERS.has(name)) out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(bytes);
  }

  const server = createServer((req, res) => {
    relay(req, res).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `paging relay: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('paging relay: no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    markers,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('listVersions and listAliases over several pages (through a relay that pages as Lambda does)', () => {
  let relay: Awaited<ReturnType<typeof startPagingRelay>>;
  let proxy: AwsProxy;
  let pagedClients: AwsClients;
  let paged: SdkLambdaGateway;
  let restoreEndpoint: (() => void) | undefined;

  beforeAll(async () => {
    relay = await startPagingRelay(moto.endpoint);
    // client → aws-proxy (records the calls as the SDK sent them) → relay (pages) → moto
    proxy = await startProxy({ target: relay.endpoint });
    restoreEndpoint = useEnv({ AWS_ENDPOINT_URL_LAMBDA: proxy.endpoint });
    pagedClients = createClients({});
    paged = new SdkLambdaGateway(pagedClients.lambda);
  });

  afterAll(async () => {
    destroyClients(pagedClients);
    await proxy?.stop();
    await relay?.stop();
    restoreEndpoint?.();
  });

  beforeEach(() => {
    proxy.reset();
    relay.markers.length = 0;
  });

  const listCalls = (operation: string) =>
    proxy.calls.filter((call) => call.operation === operation).map((call) => [call.status, call.query]);

  it('follows NextMarker through every page of versions', async () => {
    const fn = await freshFunction();
    const lambda = lambdaClient(moto.endpoint);
    try {
      for (let i = 1; i <= 55; i += 1) {
        await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: fn.name, Description: `config ${i}` }));
        await lambda.send(new PublishVersionCommand({ FunctionName: fn.name, Description: `release ${i}` }));
      }
    } finally {
      lambda.destroy();
    }
    proxy.reset();
    relay.markers.length = 0;

    const versions = await paged.listVersions(fn.name);
    // 56 entries with $LATEST: a page of 50 ($LATEST and 1..49), then one of 6 (50..55).
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 55 }, (_, i) => String(i + 1)));
    expect(versions[54]).toMatchObject({ functionArn: `${fn.arn}:55`, description: 'release 55' });
    expect(listCalls('ListVersionsByFunction')).toEqual([
      [200, ''],
      [200, 'Marker=50'],
    ]);
    expect(relay.markers).toEqual([
      { operation: 'versions', marker: null },
      { operation: 'versions', marker: '50' },
    ]);
  });

  it('follows NextMarker through every page of aliases', async () => {
    const fn = await freshFunction();
    const lambda = lambdaClient(moto.endpoint);
    try {
      await lambda.send(new PublishVersionCommand({ FunctionName: fn.name }));
      for (let i = 0; i < 53; i += 1) {
        await lambda.send(
          new CreateAliasCommand({ FunctionName: fn.name, Name: `a${String(i).padStart(2, '0')}`, FunctionVersion: '1' }),
        );
      }
    } finally {
      lambda.destroy();
    }
    proxy.reset();

    const aliases = await paged.listAliases(fn.name);
    expect(aliases.map((alias) => alias.name)).toEqual(Array.from({ length: 53 }, (_, i) => `a${String(i).padStart(2, '0')}`));
    expect(aliases.every((alias) => alias.version === '1' && alias.arn === `${fn.arn}:${alias.name}`)).toBe(true);
    expect(listCalls('ListAliases')).toEqual([
      [200, ''],
      [200, 'Marker=50'],
    ]);
  });
});
