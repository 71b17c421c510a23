// SdkLogGroupGateway against a real moto server, on the CloudWatch Logs client that createClients
// builds from the environment (AWS_ENDPOINT_URL → moto; in the proxy block
// AWS_ENDPOINT_URL_CLOUDWATCH_LOGS → the aws-proxy in front of moto, which records the calls).
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { SdkLogGroupGateway } from '../../../src/aws/logs-gateway.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { startMoto, useAwsEnv } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
let gateway: SdkLogGroupGateway;
/** A client of its own, straight to moto: for arranging and checking state. */
let direct: CloudWatchLogsClient;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  gateway = new SdkLogGroupGateway(clients.logs);
  direct = new CloudWatchLogsClient({ endpoint: moto.endpoint });
});

afterAll(async () => {
  clients?.lambda.destroy();
  clients?.s3.destroy();
  clients?.logs.destroy();
  direct?.destroy();
  await moto?.stop();
  restoreEnv?.();
});

let counter = 0;
/** A fresh group name per test, so tests do not depend on each other's order. */
function freshName(base = 'logs-fn'): string {
  counter += 1;
  return `/aws/lambda/${base}-${counter}`;
}

async function createGroup(name: string, retentionInDays?: number): Promise<void> {
  await direct.send(new CreateLogGroupCommand({ logGroupName: name }));
  if (retentionInDays !== undefined) {
    await direct.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays }));
  }
}

/** What DescribeLogGroups says of exactly this group: undefined when missing. */
async function describeGroup(name: string) {
  const answer = await direct.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return answer.logGroups?.find((group) => group.logGroupName === name);
}

describe('ensureRetention', () => {
  it('creates a missing group with the retention', async () => {
    const name = freshName();
    expect(await describeGroup(name)).toBeUndefined();
    expect(await gateway.ensureRetention(name, 7)).toBe('created');
    expect(await describeGroup(name)).toMatchObject({ logGroupName: name, retentionInDays: 7 });
  });

  it('updates a group without retention (Lambda creates them so) and one whose retention differs', async () => {
    const forever = freshName();
    await createGroup(forever);
    expect((await describeGroup(forever))?.retentionInDays).toBeUndefined();
    expect(await gateway.ensureRetention(forever, 14)).toBe('updated');
    expect((await describeGroup(forever))?.retentionInDays).toBe(14);

    const differing = freshName();
    await createGroup(differing, 30);
    expect(await gateway.ensureRetention(differing, 90)).toBe('updated');
    expect((await describeGroup(differing))?.retentionInDays).toBe(90);
  });

  it('leaves a group whose retention is already right unchanged', async () => {
    const name = freshName();
    await createGroup(name, 30);
    expect(await gateway.ensureRetention(name, 30)).toBe('unchanged');
    expect((await describeGroup(name))?.retentionInDays).toBe(30);
  });

  it('does not take a group for another whose name it is a prefix of', async () => {
    // Only the longer name exists: the shorter one is missing, and is created beside it.
    await createGroup('/aws/lambda/notes-api', 30);
    expect(await gateway.ensureRetention('/aws/lambda/notes', 7)).toBe('created');
    expect(await describeGroup('/aws/lambda/notes')).toMatchObject({ retentionInDays: 7 });
    expect(await describeGroup('/aws/lambda/notes-api')).toMatchObject({ retentionInDays: 30 });

    // Both exist: each is matched exactly, and the other keeps its retention.
    expect(await gateway.ensureRetention('/aws/lambda/notes-api', 30)).toBe('unchanged');
    expect(await gateway.ensureRetention('/aws/lambda/notes', 14)).toBe('updated');
    expect(await describeGroup('/aws/lambda/notes')).toMatchObject({ retentionInDays: 14 });
    expect(await describeGroup('/aws/lambda/notes-api')).toMatchObject({ retentionInDays: 30 });
  });

  it('refuses a retention CloudWatch Logs does not accept, before anything is written', async () => {
    const name = freshName();
    await expect(gateway.ensureRetention(name, 10)).rejects.toThrow(
      'log-retention-days: 10 is not a retention CloudWatch Logs accepts',
    );
    await expect(gateway.ensureRetention(name, 0)).rejects.toThrow('log-retention-days: 0');
    await expect(gateway.ensureRetention('', 7)).rejects.toThrow('A log group name is required');
    expect(await describeGroup(name)).toBeUndefined();
  });

  it('tolerates a group created by someone else between its read and its CreateLogGroup', async () => {
    const name = freshName('race');
    const raced = new SdkLogGroupGateway(clients.logs);
    clients.logs.middlewareStack.add(
      (next, context) => async (args) => {
        // Another writer (Lambda on the function's first log line) creates the group just now.
        if (context.commandName === 'CreateLogGroupCommand') await createGroup(name);
        return next(args);
      },
      { step: 'initialize', name: 'concurrentCreator' },
    );
    try {
      expect(await raced.ensureRetention(name, 60)).toBe('created');
    } finally {
      clients.logs.middlewareStack.remove('concurrentCreator');
    }
    expect((await describeGroup(name))?.retentionInDays).toBe(60);
  });
});

describe('through the aws-proxy (what was sent)', () => {
  let proxy: AwsProxy;
  let proxyClients: AwsClients;
  let viaProxy: SdkLogGroupGateway;
  let savedLogsEndpoint: string | undefined;

  beforeAll(async () => {
    proxy = await startProxy({ target: moto.endpoint });
    savedLogsEndpoint = process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = proxy.endpoint;
    proxyClients = createClients({});
    viaProxy = new SdkLogGroupGateway(proxyClients.logs);
  });

  afterAll(async () => {
    proxyClients?.lambda.destroy();
    proxyClients?.s3.destroy();
    proxyClients?.logs.destroy();
    await proxy?.stop();
    if (savedLogsEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    else process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = savedLogsEndpoint;
  });

  beforeEach(() => {
    proxy.clearBehaviours();
    proxy.reset();
  });

  const operations = () => proxy.calls.map((call) => call.operation);

  it('sends no write when the retention is already right', async () => {
    const name = freshName();
    await createGroup(name, 7);
    expect(await viaProxy.ensureRetention(name, 7)).toBe('unchanged');
    expect(operations()).toEqual(['DescribeLogGroups']);
    expect(proxy.calls[0]).toMatchObject({ service: 'logs', status: 200, requestBody: { logGroupNamePrefix: name } });
  });

  it('creates then sets the retention of a missing group, and only sets it on an existing one', async () => {
    const missing = freshName();
    expect(await viaProxy.ensureRetention(missing, 5)).toBe('created');
    expect(proxy.calls.map((call) => [call.operation, call.requestBody])).toEqual([
      ['DescribeLogGroups', { logGroupNamePrefix: missing }],
      ['CreateLogGroup', { logGroupName: missing }],
      ['PutRetentionPolicy', { logGroupName: missing, retentionInDays: 5 }],
    ]);

    proxy.reset();
    expect(await viaProxy.ensureRetention(missing, 3)).toBe('updated');
    expect(proxy.calls.map((call) => [call.operation, call.requestBody])).toEqual([
      ['DescribeLogGroups', { logGroupNamePrefix: missing }],
      ['PutRetentionPolicy', { logGroupName: missing, retentionInDays: 3 }],
    ]);
  });

  it('pages through DescribeLogGroups while the exact name is not found', async () => {
    // 55 groups share the prefix, the name itself is missing: moto answers 50 a page.
    const base = freshName('paged');
    for (let i = 0; i < 55; i += 1) await createGroup(`${base}-${String(i).padStart(2, '0')}`);
    expect(await viaProxy.ensureRetention(base, 1)).toBe('created');
    const describes = proxy.calls.filter((call) => call.operation === 'DescribeLogGroups');
    expect(describes).toHaveLength(2);
    expect(describes[0]?.requestBody).toEqual({ logGroupNamePrefix: base });
    expect(describes[1]?.requestBody).toMatchObject({ logGroupNamePrefix: base, nextToken: expect.any(String) });
    expect(operations().slice(2)).toEqual(['CreateLogGroup', 'PutRetentionPolicy']);
    expect((await describeGroup(base))?.retentionInDays).toBe(1);
  });

  it('stops at the page where the group is found', async () => {
    const base = freshName('found');
    await createGroup(base, 7);
    for (let i = 0; i < 55; i += 1) await createGroup(`${base}-${String(i).padStart(2, '0')}`);
    expect(await viaProxy.ensureRetention(base, 7)).toBe('unchanged');
    expect(operations()).toEqual(['DescribeLogGroups']);
  });

  it('fails with the SDK error when a write is denied, and writes nothing after it', async () => {
    const name = freshName();
    proxy.failOperation('CreateLogGroup', { status: 400, type: 'AccessDeniedException', message: 'not allowed' });
    await expect(viaProxy.ensureRetention(name, 7)).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(operations()).toEqual(['DescribeLogGroups', 'CreateLogGroup']);
  });
});
