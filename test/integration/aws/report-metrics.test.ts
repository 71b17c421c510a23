// SdkMetricsGateway's ReportMetrics (functionReport, apiReport) against a real moto server, and the
// local endpoint's `writeLogs` end to end: a broken version behind the endpoint, one request, then
// what SdkLogReader and functionReport / apiReport find of it.
//
// moto 5.2.1 and extended statistics: GetMetricData computes Sum, Average, Minimum, Maximum and
// SampleCount only (moto/cloudwatch/models.py, Statistics.get_statistics_for_type). A `p95`
// query over a window *without* data answers an empty result as CloudWatch does, but one *with*
// data fails the whole call with HTTP 500 (the value is None). So, where Duration or Latency data
// is in the window, the gateway here runs on a client whose middleware turns `p95` into `Maximum`
// just before sending (`p95AsMaximum`): moto then answers the largest value per period, and what
// the gateway makes of per-period values (the largest of them) is still checked. What the gateway
// sends (`Stat: 'p95'`) is checked through the aws-proxy, on windows without such data.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type Dimension,
  type GetMetricDataCommandInput,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import { CreateAliasCommand, PublishVersionCommand, UpdateAliasCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { SdkLogReader } from '../../../src/aws/logs-gateway.js';
import { SdkMetricsGateway, versionDimensions } from '../../../src/aws/metrics-gateway.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { startEndpoint } from '../../harness/endpoint.mjs';
import { createFunction, lambdaClient, makeZip } from '../../harness/lambda-fixtures.mjs';
import { destroyClients, startMoto, useAwsEnv, useEnv } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
/** On createClients' CloudWatch client, as the action uses it. */
let gateway: SdkMetricsGateway;
/** On a client of its own whose GetMetricData asks moto for Maximum where the gateway asks p95. */
let maxGateway: SdkMetricsGateway;
let maxClient: CloudWatchClient;
/** A client of its own, straight to moto: for arranging state. */
let direct: CloudWatchClient;
let restoreEnv: (() => void) | undefined;


/** See the top of the file: moto cannot compute p95, so p95 is asked as Maximum on the wire. */
function p95AsMaximum(client: CloudWatchClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'GetMetricDataCommand') return next(args);
      const input = args.input as GetMetricDataCommandInput;
      const queries = input.MetricDataQueries?.map((query) =>
        query.MetricStat?.Stat === 'p95' ? { ...query, MetricStat: { ...query.MetricStat, Stat: 'Maximum' } } : query,
      );
      return next({ ...args, input: { ...input, MetricDataQueries: queries } });
    },
    { step: 'initialize', name: 'p95AsMaximum' },
  );
}

const MINUTE = 60_000;
/** A whole minute some time ago: the metrics below are put around it. */
const BASE = new Date(Math.floor((Date.now() - 30 * MINUTE) / MINUTE) * MINUTE);
const at = (minutes: number) => new Date(BASE.getTime() + minutes * MINUTE);
const apiDimensions = (apiId: string, stage: string): Dimension[] => [
  { Name: 'ApiId', Value: apiId },
  { Name: 'Stage', Value: stage },
];

async function put(namespace: string, name: string, values: number[], dimensions: Dimension[], timestamp: Date, unit: StandardUnit = 'Count') {
  await direct.send(
    new PutMetricDataCommand({
      Namespace: namespace,
      MetricData: values.map((value) => ({ MetricName: name, Value: value, Unit: unit, Dimensions: dimensions, Timestamp: timestamp })),
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  gateway = new SdkMetricsGateway(clients.cloudwatch);
  maxClient = new CloudWatchClient({ endpoint: moto.endpoint });
  p95AsMaximum(maxClient);
  maxGateway = new SdkMetricsGateway(maxClient);
  direct = new CloudWatchClient({ endpoint: moto.endpoint });

  // notes-api:prod version 3 over two minutes: Invocations 6 + 4, Errors 2, Throttles 1 + 1,
  // Duration 10, 20, 30 ms then 100, 250 ms.
  const v3 = versionDimensions('notes-api', 'prod', '3');
  await put('AWS/Lambda', 'Invocations', [6], v3, at(0));
  await put('AWS/Lambda', 'Invocations', [4], v3, at(1));
  await put('AWS/Lambda', 'Errors', [2], v3, at(0));
  await put('AWS/Lambda', 'Throttles', [1], v3, at(0));
  await put('AWS/Lambda', 'Throttles', [1], v3, at(1));
  await put('AWS/Lambda', 'Duration', [10, 20, 30], v3, at(0), 'Milliseconds');
  await put('AWS/Lambda', 'Duration', [100, 250], v3, at(1), 'Milliseconds');
  // Version 4: counts, no Duration (so its p95 query can go to moto as p95).
  const v4 = versionDimensions('notes-api', 'prod', '4');
  await put('AWS/Lambda', 'Invocations', [5], v4, at(0));
  await put('AWS/Lambda', 'Errors', [1], v4, at(0));
  // Noise: version 3 through another alias, and the per-alias aggregate.
  for (const dimensions of [versionDimensions('notes-api', 'dev', '3'), versionDimensions('notes-api', 'prod', '3').slice(0, 2)]) {
    await put('AWS/Lambda', 'Invocations', [70], dimensions, at(0));
    await put('AWS/Lambda', 'Errors', [7], dimensions, at(0));
    await put('AWS/Lambda', 'Throttles', [7], dimensions, at(0));
    await put('AWS/Lambda', 'Duration', [9999], dimensions, at(0), 'Milliseconds');
  }

  // API abc123, stage prod: 4XXError 1 + 2, 5XXError 3, Latency 40, 60 ms then 500 ms.
  const prod = apiDimensions('abc123', 'prod');
  await put('AWS/ApiGateway', '4XXError', [1], prod, at(0));
  await put('AWS/ApiGateway', '4XXError', [2], prod, at(1));
  await put('AWS/ApiGateway', '5XXError', [3], prod, at(1));
  await put('AWS/ApiGateway', 'Latency', [40, 60], prod, at(0), 'Milliseconds');
  await put('AWS/ApiGateway', 'Latency', [500], prod, at(1), 'Milliseconds');
  // Stage beta: errors only. Noise: another stage and another API.
  await put('AWS/ApiGateway', '5XXError', [4], apiDimensions('abc123', 'beta'), at(0));
  for (const dimensions of [apiDimensions('abc123', 'dev'), apiDimensions('zzz999', 'prod')]) {
    await put('AWS/ApiGateway', '4XXError', [50], dimensions, at(0));
    await put('AWS/ApiGateway', '5XXError', [50], dimensions, at(0));
    await put('AWS/ApiGateway', 'Latency', [9999], dimensions, at(0), 'Milliseconds');
  }
});

afterAll(async () => {
  destroyClients(clients);
  maxClient?.destroy();
  direct?.destroy();
  await moto?.stop();
  restoreEnv?.();
});

describe('moto', () => {
  it('still cannot compute p95 (if this fails, moto learnt it: drop p95AsMaximum)', async () => {
    const strict = new CloudWatchClient({ endpoint: moto.endpoint, maxAttempts: 1 });
    try {
      const query = (dimensions: Dimension[]) =>
        new GetMetricDataCommand({
          MetricDataQueries: [
            { Id: 'p', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Duration', Dimensions: dimensions }, Period: 60, Stat: 'p95' } },
          ],
          StartTime: at(-5),
          EndTime: at(5),
        });
      const empty = await strict.send(query(versionDimensions('notes-api', 'prod', '4')));
      expect(empty.MetricDataResults?.[0]?.Values).toEqual([]);
      await expect(strict.send(query(versionDimensions('notes-api', 'prod', '3')))).rejects.toMatchObject({
        $metadata: { httpStatusCode: 500 },
      });
    } finally {
      strict.destroy();
    }
  });
});

describe('functionReport', () => {
  it('sums Invocations, Errors and Throttles of exactly that version through that alias', async () => {
    expect(await maxGateway.functionReport('notes-api', 'prod', '3', at(-5), at(5))).toEqual({
      invocations: 10,
      errors: 2,
      throttles: 2,
      durationP95Ms: 250,
    });
  });

  it('reports the largest per-period p95 of Duration (here moto Maximum), per window', async () => {
    expect((await maxGateway.functionReport('notes-api', 'prod', '3', at(0), at(1))).durationP95Ms).toBe(30);
    expect((await maxGateway.functionReport('notes-api', 'prod', '3', at(1), at(2))).durationP95Ms).toBe(250);
  });

  it('leaves durationP95Ms out without Duration data (sent as p95 to moto), and answers zeros without data', async () => {
    expect(await gateway.functionReport('notes-api', 'prod', '4', at(-5), at(5))).toEqual({ invocations: 5, errors: 1, throttles: 0 });
    expect(await gateway.functionReport('notes-api', 'prod', '3', at(5), at(15))).toEqual({ invocations: 0, errors: 0, throttles: 0 });
    expect(await gateway.functionReport('notes-api', 'prod', '9', at(-5), at(5))).toEqual({ invocations: 0, errors: 0, throttles: 0 });
  });

  it('takes a function ARN for its name', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:notes-api:prod';
    expect(await maxGateway.functionReport(arn, 'prod', '3', at(-5), at(5))).toMatchObject({ invocations: 10, errors: 2 });
  });
});

describe('apiReport', () => {
  it('sums 4XXError and 5XXError of exactly that stage, with the largest per-period p95 of Latency', async () => {
    expect(await maxGateway.apiReport('abc123', 'prod', at(-5), at(5))).toEqual({ errors4xx: 3, errors5xx: 3, latencyP95Ms: 500 });
    expect(await maxGateway.apiReport('abc123', 'prod', at(0), at(1))).toEqual({ errors4xx: 1, errors5xx: 0, latencyP95Ms: 60 });
  });

  it('leaves latencyP95Ms out without Latency data, and answers zeros for an unknown stage', async () => {
    expect(await gateway.apiReport('abc123', 'beta', at(-5), at(5))).toEqual({ errors4xx: 0, errors5xx: 4 });
    expect(await gateway.apiReport('abc123', 'nope', at(-5), at(5))).toEqual({ errors4xx: 0, errors5xx: 0 });
  });
});

describe('through the aws-proxy (what was sent)', () => {
  let proxy: AwsProxy;
  let proxyClients: AwsClients;
  let viaProxy: SdkMetricsGateway;
  let restoreEndpoint: (() => void) | undefined;

  beforeAll(async () => {
    proxy = await startProxy({ target: moto.endpoint });
    restoreEndpoint = useEnv({ AWS_ENDPOINT_URL_CLOUDWATCH: proxy.endpoint });
    proxyClients = createClients({});
    viaProxy = new SdkMetricsGateway(proxyClients.cloudwatch);
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

  const query = (id: string, namespace: string, name: string, dimensions: Dimension[], stat: string) => ({
    Id: id,
    MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: 60, Stat: stat },
    ReturnData: true,
  });

  it('functionReport: one GetMetricData, three Sums and the p95 of Duration of the version, per minute', async () => {
    const since = at(-5);
    const until = at(5);
    expect(await viaProxy.functionReport('notes-api', 'prod', '4', since, until)).toEqual({ invocations: 5, errors: 1, throttles: 0 });
    expect(proxy.calls.map((call) => [call.service, call.operation, call.status])).toEqual([['cloudwatch', 'GetMetricData', 200]]);
    const dimensions = versionDimensions('notes-api', 'prod', '4');
    expect(proxy.calls[0]?.requestBody).toEqual({
      MetricDataQueries: [
        query('invocations', 'AWS/Lambda', 'Invocations', dimensions, 'Sum'),
        query('errors', 'AWS/Lambda', 'Errors', dimensions, 'Sum'),
        query('throttles', 'AWS/Lambda', 'Throttles', dimensions, 'Sum'),
        query('duration_p95', 'AWS/Lambda', 'Duration', dimensions, 'p95'),
      ],
      StartTime: since.getTime() / 1000,
      EndTime: until.getTime() / 1000,
    });
  });

  it('apiReport: one GetMetricData, the Sums of 4XXError and 5XXError and the p95 of Latency of the stage', async () => {
    const since = at(-5);
    const until = at(5);
    expect(await viaProxy.apiReport('abc123', 'beta', since, until)).toEqual({ errors4xx: 0, errors5xx: 4 });
    const dimensions = apiDimensions('abc123', 'beta');
    expect(proxy.calls[0]?.requestBody).toEqual({
      MetricDataQueries: [
        query('errors_4xx', 'AWS/ApiGateway', '4XXError', dimensions, 'Sum'),
        query('errors_5xx', 'AWS/ApiGateway', '5XXError', dimensions, 'Sum'),
        query('latency_p95', 'AWS/ApiGateway', 'Latency', dimensions, 'p95'),
      ],
      StartTime: since.getTime() / 1000,
      EndTime: until.getTime() / 1000,
    });
  });

  it('answers zeros for a window under a second, without a call', async () => {
    expect(await viaProxy.functionReport('notes-api', 'prod', '3', at(0), new Date(at(0).getTime() + 999))).toEqual({
      invocations: 0,
      errors: 0,
      throttles: 0,
    });
    expect(await viaProxy.apiReport('abc123', 'prod', at(1), at(0))).toEqual({ errors4xx: 0, errors5xx: 0 });
    expect(proxy.calls).toEqual([]);
  });

  it('follows NextToken, adds up the sums and takes the largest p95 of every page', async () => {
    // moto never pages: the first answer is made up here (with a NextToken), the second is moto's.
    let calls = 0;
    proxyClients.cloudwatch.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetMetricDataCommand' && calls++ === 0) {
          return {
            output: {
              $metadata: {},
              MetricDataResults: [
                { Id: 'invocations', Values: [100, 20], Timestamps: [at(-3), at(-2)], StatusCode: 'PartialData' },
                { Id: 'throttles', Values: [3], Timestamps: [at(-3)], StatusCode: 'PartialData' },
                { Id: 'duration_p95', Values: [120.5, 340.25], Timestamps: [at(-3), at(-2)], StatusCode: 'PartialData' },
              ],
              NextToken: 'page-2',
            },
            response: {},
          } as unknown as Awaited<ReturnType<typeof next>>;
        }
        return next(args);
      },
      { step: 'initialize', name: 'firstPageWithToken' },
    );
    try {
      expect(await viaProxy.functionReport('notes-api', 'prod', '4', at(-5), at(5))).toEqual({
        invocations: 125,
        errors: 1,
        throttles: 3,
        durationP95Ms: 340.25,
      });
    } finally {
      proxyClients.cloudwatch.middlewareStack.remove('firstPageWithToken');
    }
    expect(proxy.calls.map((call) => call.operation)).toEqual(['GetMetricData']);
    expect(proxy.calls[0]?.requestBody).toMatchObject({ NextToken: 'page-2' });
  });

  it('fails with the SDK error when CloudWatch denies the call', async () => {
    proxy.failOperation('GetMetricData', { status: 400, type: 'AccessDeniedException', message: 'not allowed', times: 2 });
    await expect(viaProxy.functionReport('notes-api', 'prod', '4', at(-5), at(5))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(viaProxy.apiReport('abc123', 'beta', at(-5), at(5))).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});

describe('the endpoint with writeLogs: what a request leaves in CloudWatch Logs and CloudWatch', () => {
  const fn = 'report-api';
  const BROKEN = `gibberish;\nexport const handler = async () => ({ statusCode: 200, body: '"ok"' });\n`;
  const GOOD = `export const handler = async (event) => {\n  console.log('serving', event.path);\n  return { statusCode: 404, body: '"nope"' };\n};\n`;
  let workspace: string;
  let lambda: LambdaClient;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;
  let logReader: SdkLogReader;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'report-metrics-'));
    lambda = lambdaClient(moto.endpoint);
    await createFunction(moto.endpoint, { name: fn, zipPath: makeZip(workspace, { 'index.mjs': BROKEN }) });
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: fn }));
    await lambda.send(new CreateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: published.Version }));
    endpoint = await startEndpoint({
      awsEndpoint: moto.endpoint,
      functionName: fn,
      alias: 'live',
      codeRoots: [workspace],
      writeLogs: true,
      api: { id: 'e2eapi', stage: 'live' },
    });
    logReader = new SdkLogReader(clients.logs);
  });

  afterAll(async () => {
    await endpoint?.stop();
    lambda?.destroy();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  const today = () => new Date().toISOString().slice(0, 10).replaceAll('-', '/');

  it('a broken version: 502, then its stream holds START, the runtime error line, END and REPORT with Status: error', async () => {
    const since = new Date(Date.now() - MINUTE);
    const response = await fetch(`${endpoint.url}/notes`);
    expect(response.status).toBe(502);
    await endpoint.flush();

    const request = endpoint.requests.at(-1);
    expect(request).toMatchObject({ version: '1', status: 502 });
    expect(request?.logStream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[1\][0-9a-f]{32}$/);
    const events = await logReader.recentEvents(`/aws/lambda/${fn}`, [`${today()}/[1]`], since, 100);
    expect(new Set(events.map((event) => event.logStream))).toEqual(new Set([request?.logStream]));
    const lines = events.map((event) => event.message);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(`START RequestId: ${request?.requestId} Version: 1`);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z\tundefined\tERROR\tUncaught Exception \t\{/);
    const details = JSON.parse(lines[1]?.split('\t').at(-1) ?? '');
    expect(details).toMatchObject({ errorType: 'ReferenceError', errorMessage: 'gibberish is not defined' });
    expect(details.stack.slice(0, 2)).toEqual(['ReferenceError: gibberish is not defined', '    at file:///var/task/index.mjs:1:1']);
    expect(lines[2]).toBe(`END RequestId: ${request?.requestId}`);
    expect(lines[3]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${request?.requestId}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: \\d+ MB\\tMax Memory Used: \\d+ MB\\tStatus: error\\tError Type: Runtime.Unknown$`,
      ),
    );

    const until = new Date(Date.now() + MINUTE);
    const report = await maxGateway.functionReport(fn, 'live', '1', since, until);
    expect(report).toMatchObject({ invocations: 1, errors: 1, throttles: 0 });
    expect(report.durationP95Ms).toBeGreaterThan(0);
    const api = await maxGateway.apiReport('e2eapi', 'live', since, until);
    expect(api).toMatchObject({ errors4xx: 0, errors5xx: 1 });
    expect(api.latencyP95Ms).toBeGreaterThan(0);
  });

  it('a working version: its printed lines, a REPORT without Status, no error counted', async () => {
    const zipPath = makeZip(workspace, { 'index.mjs': GOOD });
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: fn, ZipFile: readFileSync(zipPath) }));
    const published = await lambda.send(new PublishVersionCommand({ FunctionName: fn }));
    expect(published.Version).toBe('2');
    await lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'live', FunctionVersion: '2' }));

    const since = new Date(Date.now() - MINUTE);
    const response = await fetch(`${endpoint.url}/notes/7`);
    expect(response.status).toBe(404);
    await endpoint.flush();

    const request = endpoint.requests.at(-1);
    const events = await logReader.recentEvents(`/aws/lambda/${fn}`, [`${today()}/[2]`], since, 100);
    expect(events.map((event) => event.message)).toEqual([
      `START RequestId: ${request?.requestId} Version: 2`,
      'serving /notes/7',
      `END RequestId: ${request?.requestId}`,
      expect.stringMatching(new RegExp(`^REPORT RequestId: ${request?.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: \\d+ MB\\tMax Memory Used: \\d+ MB$`)),
    ]);
    // Version 1's stream is not among them, and is still there.
    expect(await logReader.recentEvents(`/aws/lambda/${fn}`, [`${today()}/[1]`], since, 100)).toHaveLength(4);

    const until = new Date(Date.now() + MINUTE);
    expect(await maxGateway.functionReport(fn, 'live', '2', since, until)).toMatchObject({ invocations: 1, errors: 0 });
    expect(await maxGateway.apiReport('e2eapi', 'live', since, until)).toMatchObject({ errors4xx: 1, errors5xx: 1 });
  });
});
