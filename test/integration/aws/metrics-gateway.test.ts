// SdkMetricsGateway against a real moto server, on the CloudWatch client that createClients builds
// from the environment (AWS_ENDPOINT_URL → moto; in the proxy block AWS_ENDPOINT_URL_CLOUDWATCH →
// the aws-proxy in front of moto, which records the calls).
//
// What moto 5.2.1 does differently from CloudWatch (see moto/cloudwatch/models.py):
// - GetMetricData with dimensions matches the exact dimension set and the metric name but not the
//   namespace (a metric of another namespace with the same name and dimensions would count);
//   periods start at StartTime (CloudWatch rounds StartTime down to the minute); no NextToken.
// - DescribeAlarms ignores AlarmTypes and MaxRecords, and never pages; PutCompositeAlarm is not
//   implemented. A new alarm starts in OK (CloudWatch: INSUFFICIENT_DATA).
import {
  CloudWatchClient,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type Dimension,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { metricPeriodSeconds, SdkMetricsGateway } from '../../../src/aws/metrics-gateway.js';
import { functionBaseName } from '../../../src/model/lambda.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { destroyClients, startMoto, useAwsEnv, useEnv } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
let gateway: SdkMetricsGateway;
/** A client of its own, straight to moto: for arranging state. */
let direct: CloudWatchClient;
let restoreEnv: (() => void) | undefined;


const MINUTE = 60_000;
/** A whole minute some time ago: the metrics below are put around it. */
const BASE = new Date(Math.floor((Date.now() - 30 * MINUTE) / MINUTE) * MINUTE);
const at = (minutes: number) => new Date(BASE.getTime() + minutes * MINUTE);

function versionDimensions(fn: string, alias: string, version: string): Dimension[] {
  return [
    { Name: 'FunctionName', Value: fn },
    { Name: 'Resource', Value: `${fn}:${alias}` },
    { Name: 'ExecutedVersion', Value: version },
  ];
}

async function putLambdaMetric(name: 'Errors' | 'Invocations', value: number, dimensions: Dimension[], timestamp: Date) {
  await direct.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: [{ MetricName: name, Value: value, Unit: 'Count', Dimensions: dimensions, Timestamp: timestamp }],
    }),
  );
}

async function putAlarm(name: string): Promise<void> {
  await direct.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Dimensions: [{ Name: 'ApiName', Value: 'notes' }],
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  gateway = new SdkMetricsGateway(clients.cloudwatch);
  direct = new CloudWatchClient({ endpoint: moto.endpoint });

  // notes-api:prod version 3: Errors 2 (one minute), Invocations 6 + 4 (two minutes).
  const v3 = versionDimensions('notes-api', 'prod', '3');
  await putLambdaMetric('Errors', 2, v3, at(0));
  await putLambdaMetric('Invocations', 6, v3, at(0));
  await putLambdaMetric('Invocations', 4, v3, at(1));
  // Noise: version 2 of the same alias, version 3 through another alias and of another function,
  // and Lambda's own aggregates (per function, per alias) that include version 3's invocations.
  for (const [dimensions, errors, invocations] of [
    [versionDimensions('notes-api', 'prod', '2'), 5, 50],
    [versionDimensions('notes-api', 'dev', '3'), 7, 70],
    [versionDimensions('other-api', 'prod', '3'), 11, 110],
    [[{ Name: 'FunctionName', Value: 'notes-api' }], 9, 90],
    [
      [
        { Name: 'FunctionName', Value: 'notes-api' },
        { Name: 'Resource', Value: 'notes-api:prod' },
      ],
      13,
      130,
    ],
  ] as const) {
    await putLambdaMetric('Errors', errors, [...dimensions], at(0));
    await putLambdaMetric('Invocations', invocations, [...dimensions], at(1));
  }
});

afterAll(async () => {
  destroyClients(clients);
  direct?.destroy();
  await moto?.stop();
  restoreEnv?.();
});

describe('alarmStates', () => {
  it('reports each named alarm with its state and reason, and leaves out names with no alarm', async () => {
    await putAlarm('notes-api-5xx');
    await putAlarm('notes-api-latency');
    await direct.send(
      new SetAlarmStateCommand({ AlarmName: 'notes-api-5xx', StateValue: 'ALARM', StateReason: '5XX errors above 1 for 1 minute' }),
    );
    const states = await gateway.alarmStates(['notes-api-5xx', 'no-such-alarm', 'notes-api-latency']);
    expect(states).toHaveLength(2);
    expect(states[0]).toEqual({ name: 'notes-api-5xx', state: 'ALARM', reason: '5XX errors above 1 for 1 minute' });
    expect(states[1]).toMatchObject({ name: 'notes-api-latency' });
    expect(['OK', 'INSUFFICIENT_DATA']).toContain(states[1]?.state);

    await direct.send(new SetAlarmStateCommand({ AlarmName: 'notes-api-5xx', StateValue: 'OK', StateReason: 'recovered' }));
    expect(await gateway.alarmStates(['notes-api-5xx'])).toEqual([{ name: 'notes-api-5xx', state: 'OK', reason: 'recovered' }]);
  });

  it('answers [] for no names, and for names none of which exist', async () => {
    expect(await gateway.alarmStates([])).toEqual([]);
    expect(await gateway.alarmStates(['missing-1', 'missing-2'])).toEqual([]);
  });
});

describe('versionMetrics', () => {
  it('sums the Errors and Invocations of exactly that version through that alias', async () => {
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(-5), at(5))).toEqual({ errors: 2, invocations: 10 });
    expect(await gateway.versionMetrics('notes-api', 'prod', '2', at(-5), at(5))).toEqual({ errors: 5, invocations: 50 });
  });

  it('takes a function ARN (with or without a qualifier) for its name', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:notes-api';
    expect(await gateway.versionMetrics(arn, 'prod', '3', at(-5), at(5))).toEqual({ errors: 2, invocations: 10 });
    expect(await gateway.versionMetrics(`${arn}:prod`, 'prod', '3', at(-5), at(5))).toEqual({ errors: 2, invocations: 10 });
  });

  it('answers zeros for a window without the data, for an unknown version, and for an empty window', async () => {
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(5), at(15))).toEqual({ errors: 0, invocations: 0 });
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(-15), at(-5))).toEqual({ errors: 0, invocations: 0 });
    expect(await gateway.versionMetrics('notes-api', 'prod', '4', at(-5), at(5))).toEqual({ errors: 0, invocations: 0 });
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(0), at(0))).toEqual({ errors: 0, invocations: 0 });
  });

  it('counts only what falls inside the window (StartTime inclusive, EndTime exclusive)', async () => {
    // The second minute only: Invocations 4, no Errors.
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(1), at(2))).toEqual({ errors: 0, invocations: 4 });
    // The first minute only.
    expect(await gateway.versionMetrics('notes-api', 'prod', '3', at(0), at(1))).toEqual({ errors: 2, invocations: 6 });
  });
});

describe('helpers', () => {
  it('functionBaseName strips the ARN and the qualifier', () => {
    expect(functionBaseName('notes-api')).toBe('notes-api');
    expect(functionBaseName('arn:aws:lambda:us-east-1:123456789012:function:notes-api')).toBe('notes-api');
    expect(functionBaseName('arn:aws:lambda:us-east-1:123456789012:function:notes-api:7')).toBe('notes-api');
    expect(functionBaseName('123456789012:function:notes-api')).toBe('notes-api');
  });

  it('metricPeriodSeconds follows CloudWatch retention of fine datapoints', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    expect(metricPeriodSeconds(daysAgo(0.01), now)).toBe(60);
    expect(metricPeriodSeconds(daysAgo(20), now)).toBe(300);
    expect(metricPeriodSeconds(daysAgo(100), now)).toBe(3600);
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

  const operations = () => proxy.calls.map((call) => call.operation);

  it('sends nothing for no alarm names', async () => {
    expect(await viaProxy.alarmStates([])).toEqual([]);
    expect(proxy.calls).toEqual([]);
  });

  it('asks DescribeAlarms for metric and composite alarms by name, 100 names a call', async () => {
    await putAlarm('notes-api-5xx');
    const names = ['notes-api-5xx', ...Array.from({ length: 149 }, (_, i) => `missing-${i}`)];
    const states = await viaProxy.alarmStates(names);
    expect(states.map((state) => state.name)).toEqual(['notes-api-5xx']);
    expect(operations()).toEqual(['DescribeAlarms', 'DescribeAlarms']);
    expect(proxy.calls.every((call) => call.service === 'cloudwatch' && call.status === 200)).toBe(true);
    const [first, second] = proxy.calls.map((call) => call.requestBody);
    expect(first).toEqual({ AlarmNames: names.slice(0, 100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(second).toEqual({ AlarmNames: names.slice(100), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
  });

  it('asks GetMetricData for the Sum of Errors and Invocations of the version, per minute, over the window', async () => {
    const since = at(-5);
    const until = at(5);
    expect(await viaProxy.versionMetrics('arn:aws:lambda:us-east-1:123456789012:function:notes-api', 'prod', '3', since, until)).toEqual({
      errors: 2,
      invocations: 10,
    });
    expect(operations()).toEqual(['GetMetricData']);
    const body = proxy.calls[0]?.requestBody;
    const dimensions = [
      { Name: 'FunctionName', Value: 'notes-api' },
      { Name: 'Resource', Value: 'notes-api:prod' },
      { Name: 'ExecutedVersion', Value: '3' },
    ];
    expect(body).toEqual({
      MetricDataQueries: [
        {
          Id: 'errors',
          MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: dimensions }, Period: 60, Stat: 'Sum' },
          ReturnData: true,
        },
        {
          Id: 'invocations',
          MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations', Dimensions: dimensions }, Period: 60, Stat: 'Sum' },
          ReturnData: true,
        },
      ],
      // awsJson1.0 sends timestamps as epoch seconds.
      StartTime: since.getTime() / 1000,
      EndTime: until.getTime() / 1000,
    });
  });

  it('follows NextToken and adds up every page', async () => {
    // moto never pages: the first answer is made up here (a page with a NextToken), the second is moto's.
    let calls = 0;
    proxyClients.cloudwatch.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetMetricDataCommand' && calls++ === 0) {
          return {
            output: {
              $metadata: {},
              MetricDataResults: [
                { Id: 'errors', Values: [1, 1], Timestamps: [at(-3), at(-2)], StatusCode: 'PartialData' },
                { Id: 'invocations', Values: [100], Timestamps: [at(-3)], StatusCode: 'PartialData' },
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
      expect(await viaProxy.versionMetrics('notes-api', 'prod', '3', at(-5), at(5))).toEqual({ errors: 4, invocations: 110 });
    } finally {
      proxyClients.cloudwatch.middlewareStack.remove('firstPageWithToken');
    }
    expect(operations()).toEqual(['GetMetricData']);
    expect(proxy.calls[0]?.requestBody).toMatchObject({ NextToken: 'page-2' });
  });

  it('fails with the SDK error when CloudWatch denies the call', async () => {
    proxy.failOperation('GetMetricData', { status: 400, type: 'AccessDeniedException', message: 'not allowed' });
    await expect(viaProxy.versionMetrics('notes-api', 'prod', '3', at(-5), at(5))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    proxy.failOperation('DescribeAlarms', { status: 400, type: 'AccessDeniedException', message: 'not allowed' });
    await expect(viaProxy.alarmStates(['notes-api-5xx'])).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });
});
