// The aws-proxy harness itself (test/harness/aws-proxy.mjs) in front of a real moto server:
// SDK clients reach it through AWS_ENDPOINT_URL alone, it records what they send, and its
// behaviours change moto's answers the way Lambda would.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import {
  CreateAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-');

let counter = 0;
async function freshFunction() {
  counter += 1;
  const name = `proxy-fn-${counter}`;
  const zipPath = makeZip(aws.tmp, { 'index.js': `exports.handler = async () => '${name}';\n` });
  // Created through the proxy, which records IAM and Lambda calls.
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  return name;
}

const summary = () => aws.proxy.calls.map((call) => `${call.service} ${call.method} ${call.operation} ${call.status}`);

describe('recording', () => {
  it('names Lambda operations from the REST path and method, with the JSON bodies', async () => {
    const name = await freshFunction();
    expect(summary()).toEqual(
      expect.arrayContaining(['iam POST CreateRole 200', 'lambda POST CreateFunction 201']),
    );
    aws.proxy.reset();

    const lambda = aws.clients.lambda;
    await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, MemorySize: 256 }));
    await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'one' }));
    await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: '1' }));
    await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '1' }));
    await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'dev' }));
    await lambda.send(new ListAliasesCommand({ FunctionName: name }));
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name, Qualifier: '1' }));

    // Statuses are moto's (it answers GetAlias with 201, Lambda with 200).
    expect(summary()).toEqual([
      'lambda GET GetFunction 200',
      'lambda PUT UpdateFunctionConfiguration 200',
      'lambda POST PublishVersion 201',
      'lambda GET GetFunctionConfiguration 200',
      'lambda GET ListVersionsByFunction 200',
      'lambda POST CreateAlias 201',
      'lambda GET GetAlias 201',
      'lambda GET ListAliases 200',
      'lambda DELETE DeleteFunction 204',
    ]);
    expect(aws.proxy.calls[1]).toMatchObject({
      path: `/2015-03-31/functions/${name}/configuration`,
      requestBody: { MemorySize: 256 },
    });
    expect(aws.proxy.calls[3]).toMatchObject({ query: 'Qualifier=1' });
    expect(aws.proxy.calls[3]).not.toHaveProperty('requestBody');
    expect(aws.proxy.calls[8]).toMatchObject({ path: `/2015-03-31/functions/${name}`, query: 'Qualifier=1' });
    for (const call of aws.proxy.calls) {
      expect(call.startedAt).toBeGreaterThan(0);
      expect(call.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(aws.proxy.counts()).toMatchObject({ GetFunction: 1, PublishVersion: 1, DeleteFunction: 1 });
  });

  it('names S3 operations (path-style), multipart uploads included, and streams large bodies both ways', async () => {
    const s3 = aws.clients.s3;
    await s3.send(new CreateBucketCommand({ Bucket: 'proxy-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'proxy-bucket', Key: 'a/b.txt', Body: 'hello' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'proxy-bucket', Key: 'a/b.txt' }))).ContentLength).toBe(5);
    const small = await s3.send(new GetObjectCommand({ Bucket: 'proxy-bucket', Key: 'a/b.txt' }));
    expect(await small.Body!.transformToString()).toBe('hello');

    const big = Buffer.alloc(11 * 1024 * 1024, 7);
    await new Upload({
      client: s3,
      params: { Bucket: 'proxy-bucket', Key: 'big.bin', Body: big },
      partSize: 5 * 1024 * 1024,
      queueSize: 2,
    }).done();
    const got = await s3.send(new GetObjectCommand({ Bucket: 'proxy-bucket', Key: 'big.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(big)).toBe(true);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'proxy-bucket' }));
    expect(listed.KeyCount).toBe(2);

    expect(aws.proxy.calls.every((call) => call.service === 's3')).toBe(true);
    expect(aws.proxy.counts()).toEqual({
      CreateBucket: 1,
      PutObject: 1,
      HeadObject: 1,
      GetObject: 2,
      CreateMultipartUpload: 1,
      UploadPart: 3,
      CompleteMultipartUpload: 1,
      ListObjectsV2: 1,
    });
    expect(aws.proxy.calls.find((call) => call.operation === 'PutObject')).toMatchObject({
      method: 'PUT',
      path: '/proxy-bucket/a/b.txt',
      status: 200,
    });
    expect(aws.proxy.calls.find((call) => call.operation === 'UploadPart')).not.toHaveProperty('requestBody');
  });

  it('names CloudWatch Logs (JSON protocol) and IAM (Query protocol) operations', async () => {
    const logs = new CloudWatchLogsClient({});
    const iam = new IAMClient({});
    try {
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/aws/lambda/proxy-logs' }));
      const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/proxy' }));
      expect(groups.logGroups?.map((group) => group.logGroupName)).toEqual(['/aws/lambda/proxy-logs']);
      await iam.send(new ListRolesCommand({}));
    } finally {
      logs.destroy();
      iam.destroy();
    }
    expect(summary()).toEqual([
      'logs POST CreateLogGroup 200',
      'logs POST DescribeLogGroups 200',
      'iam POST ListRoles 200',
    ]);
    expect(aws.proxy.calls[0]?.requestBody).toEqual({ logGroupName: '/aws/lambda/proxy-logs' });
    expect(aws.proxy.calls[2]?.requestBody).toMatchObject({ Action: 'ListRoles' });
  });

  it('answers injected failures in each protocol so that the SDK names the error', async () => {
    aws.proxy.failOperation('GetObject', { status: 403, type: 'AccessDenied', message: 'Access Denied' });
    await expect(aws.clients.s3.send(new GetObjectCommand({ Bucket: 'proxy-bucket', Key: 'a/b.txt' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      $metadata: { httpStatusCode: 403 },
    });
    const logs = new CloudWatchLogsClient({});
    const iam = new IAMClient({});
    try {
      aws.proxy.failOperation('DescribeLogGroups', { status: 400, type: 'AccessDeniedException', message: 'no logs for you' });
      await expect(logs.send(new DescribeLogGroupsCommand({}))).rejects.toMatchObject({
        name: 'AccessDeniedException',
        message: 'no logs for you',
      });
      aws.proxy.failOperation('ListRoles', { status: 403, type: 'AccessDenied', message: 'no roles for you' });
      await expect(iam.send(new ListRolesCommand({}))).rejects.toMatchObject({
        name: 'AccessDenied',
        message: 'no roles for you',
      });
    } finally {
      logs.destroy();
      iam.destroy();
    }
    expect(aws.proxy.calls.map((call) => [call.operation, call.status, call.injected])).toEqual([
      ['GetObject', 403, true],
      ['DescribeLogGroups', 400, true],
      ['ListRoles', 403, true],
    ]);
  });
});

describe('behaviours', () => {
  it('keepLoggingConfig: $LATEST keeps the LoggingConfig it was given, and a published version its snapshot', async () => {
    const name = await freshFunction();
    aws.proxy.keepLoggingConfig();
    const lambda = aws.clients.lambda;
    const v1 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'before' }));
    const loggingConfig = { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' } as const;
    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, LoggingConfig: loggingConfig, MemorySize: 256 }),
    );
    expect(updated.LoggingConfig).toMatchObject(loggingConfig);
    const v2 = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'after' }));
    expect(v2.LoggingConfig).toMatchObject(loggingConfig);

    // A later change of $LATEST does not reach the published version.
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, LoggingConfig: { LogFormat: 'Text' } }));

    const ofV2 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: v2.Version }));
    expect(ofV2.LoggingConfig).toEqual({ ...loggingConfig, LogGroup: `/aws/lambda/${name}` });
    const latest = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(latest.Configuration?.LoggingConfig).toEqual({ LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` });
    const ofV1 = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: v1.Version }));
    expect(ofV1.LoggingConfig).toBeUndefined();
    expect(aws.proxy.calls.find((call) => call.operation === 'UpdateFunctionConfiguration')?.requestBody).toEqual({
      LoggingConfig: loggingConfig,
      MemorySize: 256,
    });

    // Off (the default), moto's own answer: no LoggingConfig at all.
    aws.proxy.clearBehaviours();
    const plain = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: v2.Version }));
    expect(plain.LoggingConfig).toBeUndefined();
  });

  it('enforceRevisionId: UpdateAlias and PublishVersion with a stale RevisionId answer 412 PreconditionFailedException; CreateAlias of an existing alias 409', async () => {
    const name = await freshFunction();
    aws.proxy.enforceRevisionId();
    const lambda = aws.clients.lambda;
    await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'one' }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    const two = await lambda.send(new PublishVersionCommand({ FunctionName: name, Description: 'two' }));
    const created = await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    const first = created.RevisionId!;
    expect(first).toBe(aws.proxy.revisionIdOf(name, 'live'));

    // Another run moves the alias: its revision changes, the first one is stale.
    const moved = await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2', RevisionId: first }));
    expect(moved.RevisionId).not.toBe(first);
    const stale = lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', RevisionId: first }));
    await expect(stale).rejects.toMatchObject({ name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } });
    // Refused before moto saw it: the alias stays where the other run put it.
    const after = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    expect(after).toMatchObject({ FunctionVersion: '2', RevisionId: moved.RevisionId });
    // Without a RevisionId the write is unconditional, as on Lambda.
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '2' }));

    // PublishVersion with a RevisionId of $LATEST that has changed since.
    const latest = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 10 }));
    await expect(
      lambda.send(new PublishVersionCommand({ FunctionName: name, RevisionId: latest.RevisionId! })),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } });

    // A second CreateAlias of the same alias: another first deploy lost the race.
    await expect(
      lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: two.Version! })),
    ).rejects.toMatchObject({ name: 'ResourceConflictException', $metadata: { httpStatusCode: 409 } });
    expect(summary().filter((line) => /Alias|PublishVersion/.test(line) && !line.includes('GetAlias'))).toEqual([
      'lambda POST PublishVersion 201',
      'lambda POST PublishVersion 201',
      'lambda POST CreateAlias 201',
      'lambda PUT UpdateAlias 201',
      'lambda PUT UpdateAlias 412',
      'lambda PUT UpdateAlias 201',
      'lambda POST PublishVersion 412',
      'lambda POST CreateAlias 409',
    ]);
  });

  it('enforceRevisionId: an alias the proxy never saw is checked against the revision moto reports', async () => {
    const name = await freshFunction();
    const lambda = aws.clients.lambda;
    await lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));
    aws.proxy.enforceRevisionId();
    await expect(
      lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', RevisionId: 'not-the-revision' })),
    ).rejects.toMatchObject({ name: 'PreconditionFailedException', $metadata: { httpStatusCode: 412 } });
    const current = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'live' }));
    await lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1', RevisionId: current.RevisionId! }));
  });

  it('holdInProgress: $LATEST reports InProgress until the hold is over, and when that was', async () => {
    const name = await freshFunction();
    aws.proxy.holdInProgress(600);
    const lambda = aws.clients.lambda;
    const before = Date.now();
    const answer = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    expect(answer.LastUpdateStatus).toBe('InProgress');
    const during = await lambda.send(new GetFunctionCommand({ FunctionName: name }));
    expect(during.Configuration).toMatchObject({ State: 'Active', LastUpdateStatus: 'InProgress', Timeout: 9 });
    const completedAt = aws.proxy.lastUpdateCompletedAt(name)!;
    expect(completedAt).toBeGreaterThanOrEqual(before + 600);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, completedAt - Date.now()) + 50));
    const after = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    expect(after).toMatchObject({ LastUpdateStatus: 'Successful', Timeout: 9 });
  });
});
