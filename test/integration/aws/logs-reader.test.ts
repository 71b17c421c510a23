// SdkLogReader against a real moto server, on the CloudWatch Logs client that createClients builds
// from the environment (AWS_ENDPOINT_URL → moto; in the proxy block AWS_ENDPOINT_URL_CLOUDWATCH_LOGS
// → the aws-proxy in front of moto, which records the calls).
//
// What moto 5.2.1 does differently from CloudWatch Logs (see moto/logs/models.py, responses.py):
// - FilterLogEvents ignores logStreamNamePrefix (it answers every stream of the group): the reader
//   keeps only the streams it asked for, and pages on until it has `limit` of those.
// - Without `interleaved` it answers stream after stream (CloudWatch always interleaves by time):
//   the reader sends `interleaved: true`, which CloudWatch ignores.
// - PutLogEvents refuses events older than 14 days: the events below are from the last hour.
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { SdkLogReader } from '../../../src/aws/logs-gateway.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { destroyClients, startMoto, useAwsEnv, useEnv } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
let reader: SdkLogReader;
/** A client of its own, straight to moto: for arranging state. */
let direct: CloudWatchLogsClient;
let restoreEnv: (() => void) | undefined;


const GROUP = '/aws/lambda/reader-fn';
const SECOND = 1000;
/** A whole second some minutes ago: the events below are put around it. */
const BASE = Math.floor((Date.now() - 20 * 60 * SECOND) / SECOND) * SECOND;
const at = (seconds: number) => BASE + seconds * SECOND;
/** Lambda's stream names start with the UTC day of the cold start. */
const DAY = new Date(BASE).toISOString().slice(0, 10).replaceAll('-', '/');
const V8_A = `${DAY}/[8]${'a'.repeat(32)}`;
const V8_B = `${DAY}/[8]${'b'.repeat(32)}`;
const V7 = `${DAY}/[7]${'c'.repeat(32)}`;
/** Version 80: its streams share `…/[8` but not `…/[8]`. */
const V80 = `${DAY}/[80]${'d'.repeat(32)}`;

async function putEvents(group: string, stream: string, events: [number, string][]): Promise<void> {
  await direct.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  await direct.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: stream,
      logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  reader = new SdkLogReader(clients.logs);
  direct = new CloudWatchLogsClient({ endpoint: moto.endpoint });

  await direct.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  // Version 7 first, so that in the group's order its events come before version 8's.
  await putEvents(GROUP, V7, [
    [at(0), 'v7 start'],
    [at(3), 'v7 end'],
  ]);
  // Two cold starts of version 8, their events interleaved in time.
  await putEvents(GROUP, V8_A, [
    [at(1), 'v8a one'],
    [at(4), 'v8a two'],
    [at(6), 'v8a three'],
  ]);
  await putEvents(GROUP, V8_B, [
    [at(2), 'v8b one'],
    [at(5), 'v8b two'],
  ]);
  await putEvents(GROUP, V80, [[at(2), 'v80 one']]);
});

afterAll(async () => {
  destroyClients(clients);
  direct?.destroy();
  await moto?.stop();
  restoreEnv?.();
});

const messages = (events: { message: string }[]) => events.map((event) => event.message);

describe('recentEvents', () => {
  it("answers only the version's streams, oldest first, with each event's stream", async () => {
    const events = await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 100);
    expect(events).toEqual([
      { timestamp: at(1), message: 'v8a one', logStream: V8_A },
      { timestamp: at(2), message: 'v8b one', logStream: V8_B },
      { timestamp: at(4), message: 'v8a two', logStream: V8_A },
      { timestamp: at(5), message: 'v8b two', logStream: V8_B },
      { timestamp: at(6), message: 'v8a three', logStream: V8_A },
    ]);
  });

  it('answers at most `limit` events: the oldest, across the streams', async () => {
    expect(messages(await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 3))).toEqual([
      'v8a one',
      'v8b one',
      'v8a two',
    ]);
    expect(messages(await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 1))).toEqual(['v8a one']);
  });

  it('merges several prefixes into one timeline, an event once even when prefixes overlap', async () => {
    expect(messages(await reader.recentEvents(GROUP, [`${DAY}/[7]`, `${DAY}/[8]`], new Date(at(-60)), 4))).toEqual([
      'v7 start',
      'v8a one',
      'v8b one',
      'v7 end',
    ]);
    const overlapping = await reader.recentEvents(GROUP, [`${DAY}/[8]`, V8_A, `${DAY}/[8]`], new Date(at(-60)), 100);
    expect(messages(overlapping)).toEqual(['v8a one', 'v8b one', 'v8a two', 'v8b two', 'v8a three']);
  });

  it('respects `since` (inclusive)', async () => {
    expect(messages(await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(4)), 100))).toEqual([
      'v8a two',
      'v8b two',
      'v8a three',
    ]);
    expect(await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(7)), 100)).toEqual([]);
  });

  it('answers [] for a missing group, for streams that do not exist, and for no prefixes or no room', async () => {
    expect(await reader.recentEvents('/aws/lambda/no-such-fn', [`${DAY}/[8]`], new Date(at(-60)), 100)).toEqual([]);
    expect(await reader.recentEvents(GROUP, [`${DAY}/[9]`], new Date(at(-60)), 100)).toEqual([]);
    expect(await reader.recentEvents(GROUP, [], new Date(at(-60)), 100)).toEqual([]);
    expect(await reader.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 0)).toEqual([]);
  });
});

describe('through the aws-proxy (what was sent)', () => {
  let proxy: AwsProxy;
  let proxyClients: AwsClients;
  let viaProxy: SdkLogReader;
  let restoreEndpoint: (() => void) | undefined;

  beforeAll(async () => {
    proxy = await startProxy({ target: moto.endpoint });
    restoreEndpoint = useEnv({ AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: proxy.endpoint });
    proxyClients = createClients({});
    viaProxy = new SdkLogReader(proxyClients.logs);
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

  it('asks FilterLogEvents once per prefix, by stream-name prefix, from `since`, `limit` a page', async () => {
    const since = new Date(at(-60));
    await viaProxy.recentEvents(GROUP, [`${DAY}/[7]`, `${DAY}/[8]`], since, 100);
    expect(proxy.calls.map((call) => [call.service, call.operation, call.status])).toEqual([
      ['logs', 'FilterLogEvents', 200],
      ['logs', 'FilterLogEvents', 200],
    ]);
    expect(proxy.calls.map((call) => call.requestBody)).toEqual([
      { logGroupName: GROUP, logStreamNamePrefix: `${DAY}/[7]`, startTime: since.getTime(), interleaved: true, limit: 100 },
      { logGroupName: GROUP, logStreamNamePrefix: `${DAY}/[8]`, startTime: since.getTime(), interleaved: true, limit: 100 },
    ]);
  });

  it('sends nothing for no prefixes', async () => {
    expect(await viaProxy.recentEvents(GROUP, [], new Date(at(-60)), 100)).toEqual([]);
    expect(proxy.calls).toEqual([]);
  });

  it('follows nextToken until it holds `limit` events of its streams, and stops there', async () => {
    // A page of 2: moto's first pages hold version 7's and version 80's events too (it ignores the prefix).
    expect(messages(await viaProxy.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 2))).toEqual(['v8a one', 'v8b one']);
    // Page 1: v7 start, v8a one; page 2: v8b one, v80 one (same second). Enough: no third page,
    // although the group holds 4 more events.
    const bodies = proxy.calls.map((call) => call.requestBody as Record<string, unknown>);
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).not.toHaveProperty('nextToken');
    expect(bodies[1]).toMatchObject({ limit: 2, nextToken: expect.any(String) });
  });

  it('fails with the SDK error when the call is denied', async () => {
    proxy.failOperation('FilterLogEvents', { status: 400, type: 'AccessDeniedException', message: 'not allowed' });
    await expect(viaProxy.recentEvents(GROUP, [`${DAY}/[8]`], new Date(at(-60)), 10)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
