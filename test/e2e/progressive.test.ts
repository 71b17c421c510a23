/**
 * Progressive delivery end to end, through `node dist/index.js` (and its post step), with short
 * real durations: against moto, behind the proxy that answers Invoke by running the version's
 * handler, and a local endpoint that serves whichever version the alias routes a request to.
 * The error-rate gate reads the new version's own series (ExecutedVersion), never the alias-wide
 * one that mixes both versions: one test per direction would fail on an alias-wide reading.
 * No test may leave an alias with routing weights.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand, PutMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let cloudwatch: CloudWatchClient;
const stops: (() => Promise<void>)[] = [];
let fnCount = 0;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  workspace = mkdtempSync(join(tmpdir(), 'e2e-progressive-'));
  mkdirSync(join(workspace, 'build'));
  lambda = new LambdaClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  cloudwatch = new CloudWatchClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: 'notes-5xx',
      MetricName: '5XXError',
      Namespace: 'AWS/ApiGateway',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
});

afterAll(async () => {
  for (const stop of stops) await stop();
  lambda?.destroy();
  cloudwatch?.destroy();
  await proxy?.stop();
  await moto?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

afterEach(async () => {
  await setAlarm('OK');
});

function setAlarm(state: 'OK' | 'ALARM') {
  return cloudwatch.send(new SetAlarmStateCommand({ AlarmName: 'notes-5xx', StateValue: state, StateReason: `set ${state} by the test` }));
}

/** A function with release one live on `prod` (version 1), its endpoint, and a stages file for it. */
async function setUp(stage: string, smokeExtra = '') {
  const name = `progressive-${++fnCount}`;
  const build = join(workspace, 'build');
  // Created through the proxy, so that it knows the code (it answers Invoke with it).
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(build, { 'index.mjs': handler('bootstrap') }) });
  const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: name, alias: 'prod', codeRoots: [workspace] });
  stops.push(endpoint.stop);
  const config = `${name}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${name}, region: us-east-1 }
stages:
  first: { alias: prod }
  prod:
${stage.replace(/^/gm, '    ')}
    smoke: { url: "${endpoint.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 100ms${smokeExtra} }
`,
  );
  const first = await deploy(config, 'first', handler('one'));
  expect(first.outputs).toMatchObject({ status: 'deployed', version: '1' });
  return { name, config, endpoint };
}

function deploy(config: string, stage: string, code: string, extra: Partial<Parameters<typeof runAction>[0]> = {}, inputs: Record<string, string> = {}) {
  const zip = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return runAction({
    inputs: { stage, artifact: zip.slice(workspace.length + 1), config, ...inputs },
    workspace,
    env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300' },
    ...extra,
  });
}

/** Lambda's metric series for a function invoked through alias `prod`: one version's own (ExecutedVersion), the alias-wide one, the per-function one. */
const versionSeries = (name: string, version: string) => [
  { Name: 'FunctionName', Value: name },
  { Name: 'Resource', Value: `${name}:prod` },
  { Name: 'ExecutedVersion', Value: version },
];
const aliasSeries = (name: string) => [
  { Name: 'FunctionName', Value: name },
  { Name: 'Resource', Value: `${name}:prod` },
];
const functionSeries = (name: string) => [{ Name: 'FunctionName', Value: name }];

function putLambdaMetrics(dimensions: { Name: string; Value: string }[], errors: number, invocations: number) {
  return cloudwatch.send(
    new PutMetricDataCommand({
      Namespace: 'AWS/Lambda',
      MetricData: (
        [
          ['Errors', errors],
          ['Invocations', invocations],
        ] as const
      ).map(([metric, value]) => ({ MetricName: metric, Value: value, Unit: 'Count', Timestamp: new Date(), Dimensions: dimensions })),
    }),
  );
}

async function alias(name: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'prod' }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

describe('progressive delivery', () => {
  it('a healthy canary completes: 50% held with the gates watched, then all', async () => {
    const { name, config } = await setUp('traffic: canary 50% 2s\nalarms: [notes-5xx]\nmax-error-rate: 5%');
    const lines: string[] = [];
    let during: Awaited<ReturnType<typeof alias>> | undefined;
    const result = await deploy(config, 'prod', handler('two'), {
      onLine: (line) => {
        lines.push(line);
        if (line.startsWith('Step 1/2') && during === undefined) void alias(name).then((a) => (during = a));
      },
    });
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });
    expect(during).toEqual({ version: '1', weights: { '2': 0.5 } });
    expect(lines).toContain('Traffic plan for version 2: 50% for 2s, then 100%.');
    expect(lines.some((l) => /^50%: \d+(\.\d+)?s elapsed; alarms notes-5xx OK; version 2: 0 errors \/ 0 invocations$/.test(l))).toBe(true);
    expect(result.summary).toContain('xychart-beta');
    expect(result.summary).toContain('line [50, 50, 100]');
    expect(await alias(name)).toEqual({ version: '2', weights: {} });
  });

  it('an alarm that goes to ALARM mid-shift rolls back to the old version, no weights', async () => {
    const { name, config } = await setUp('traffic: canary 50% 5s\nalarms: [notes-5xx]');
    const result = await deploy(config, 'prod', handler('two'), {
      onLine: (line) => {
        if (line.startsWith('Step 1/2')) void setAlarm('ALARM');
      },
    });
    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(annotations(result.stdout)).toContainEqual({ kind: 'error', title: 'stage-deploy: prod rolled back from 2 to 1', message: 'alarm notes-5xx is in ALARM (set ALARM by the test); prod rolled back from 2 to 1' });
    expect(result.summary).toContain('rolled back');
    expect(result.summary).toMatch(/line \[50, 50, 0\]/);
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('errors of the new version above max-error-rate roll back', async () => {
    const { name, config } = await setUp('traffic: canary 50% 5s\nmax-error-rate: 10%');
    // The version's own series (ExecutedVersion 2) has 40% errors; the alias-wide and per-function
    // series, which mix both versions, are clean: a gate that read those would let version 2 through.
    const putErrors = async () => {
      await putLambdaMetrics(versionSeries(name, '2'), 4, 10);
      await putLambdaMetrics(aliasSeries(name), 4, 1000);
      await putLambdaMetrics(functionSeries(name), 4, 1000);
    };
    const result = await deploy(config, 'prod', handler('two'), {
      onLine: (line) => {
        if (line.startsWith('Step 1/2')) void putErrors();
      },
    });
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(annotations(result.stdout).find((a) => a.kind === 'error')?.message).toBe(
      'version 2: 4 errors in 10 invocations (40%), above max-error-rate 10%; prod rolled back from 2 to 1',
    );
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('errors alias-wide that are not the new version\'s own do not stop it: the gate reads ExecutedVersion', async () => {
    const { name, config } = await setUp('traffic: canary 50% 2s\nmax-error-rate: 10%');
    // Version 1 (the 50% still on the old version) fails: the alias-wide and per-function series
    // show 75% errors. The new version's own series is clean: 0 errors in 20 invocations.
    const putMetrics = async () => {
      await putLambdaMetrics(versionSeries(name, '2'), 0, 20);
      await putLambdaMetrics(versionSeries(name, '1'), 30, 20);
      await putLambdaMetrics(aliasSeries(name), 30, 40);
      await putLambdaMetrics(functionSeries(name), 30, 40);
    };
    const lines: string[] = [];
    const result = await deploy(config, 'prod', handler('two'), {
      onLine: (line) => {
        lines.push(line);
        if (line.startsWith('Step 1/2')) void putMetrics();
      },
    });
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });
    // What the gate read: version 2's own invocations, none of the alias-wide errors.
    expect(lines.some((l) => /^50%: .*; version 2: 0 errors \/ 20 invocations$/.test(l))).toBe(true);
    expect(lines.some((l) => / 30 errors /.test(l))).toBe(false);
    expect(await alias(name)).toEqual({ version: '2', weights: {} });
  });

  it('a broken version fails the direct invoke and never receives traffic', async () => {
    const { name, config, endpoint } = await setUp('traffic: canary 50% 2s', ', invoke: true');
    const served = endpoint.requests.length;
    proxy.reset();
    const result = await deploy(config, 'prod', BROKEN);
    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'failed', version: '1' });
    expect(result.stdout).toContain('gibberish is not defined');
    expect(result.stdout).toContain('version 2 never received traffic');
    expect(proxy.calls.filter((c) => c.operation === 'Invoke').map((c) => c.query)).toEqual(['Qualifier=2']);
    expect(proxy.counts().UpdateAlias).toBeUndefined();
    expect(endpoint.requests.slice(served).filter((r) => r.version === '2')).toEqual([]);
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('SIGTERM mid-shift: the main step puts the alias back before it exits', async () => {
    const { name, config } = await setUp('traffic: canary 50% 20s');
    const result = await deploy(config, 'prod', handler('two'), { killWhen: { pattern: /^Step 1\/2/, signal: 'SIGTERM' } });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('SIGTERM received');
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(result.stdout).toContain('cancelled (SIGTERM); prod rolled back from 2 to 1');
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.state.rollout).toBe('');
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
    // The post step then finds nothing left to do.
    const post = await runAction({ inputs: {}, workspace, env: awsEnv(proxy.endpoint), state: result.state });
    expect(post.stdout).toContain('stage-deploy post: no shift was left in progress.');
  });

  it('a main step killed mid-shift leaves a split that the post step removes', async () => {
    const { name, config } = await setUp('traffic: canary 50% 20s');
    // The post step finds the state's key where its main step left it: RUNNER_TEMP, shared as on a runner.
    const runnerTemp = mkdtempSync(join(tmpdir(), 'e2e-progressive-runner-'));
    stops.push(async () => rmSync(runnerTemp, { recursive: true, force: true }));
    const result = await deploy(config, 'prod', handler('two'), {
      killWhen: { pattern: /^Step 1\/2/, signal: 'SIGKILL' },
      env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', RUNNER_TEMP: runnerTemp },
    });
    expect(result.code).not.toBe(0);
    expect(await alias(name)).toEqual({ version: '1', weights: { '2': 0.5 } });
    expect(JSON.parse(result.state.rollout ?? '{}')).toMatchObject({ functionName: name, alias: 'prod', toVersion: '2', before: { version: '1' } });

    // The post step gets the step's inputs again (it reads the stage, not the artifact).
    const post = await runAction({
      inputs: { stage: 'prod', config, artifact: 'build/unused.zip' },
      workspace,
      env: { ...awsEnv(proxy.endpoint), RUNNER_TEMP: runnerTemp },
      state: result.state,
    });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`::warning::Put alias prod of ${name} back on version 1: the release of version 2 did not finish.`);
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('an alarm already in ALARM blocks the release; force: true ships it, said loudly', async () => {
    const { name, config } = await setUp('alarms: [notes-5xx]');
    await setAlarm('ALARM');
    const blocked = await deploy(config, 'prod', handler('two'));
    expect(blocked.outputs).toMatchObject({ status: 'failed', version: '1' });
    expect(annotations(blocked.stdout)).toContainEqual({
      kind: 'error',
      title: 'stage-deploy: deploy of prod failed, alias stays on 1',
      message: 'alarm notes-5xx is in ALARM (set ALARM by the test) before the shift; nothing was shifted (force: true overrides); prod stays on 1',
    });

    const forced = await deploy(config, 'prod', handler('two'), {}, { force: 'true' });
    expect(forced.outputs).toMatchObject({ status: 'deployed' });
    expect(forced.stdout).toContain('::warning::force: true: the alarm gates (notes-5xx) are SKIPPED for this release.');
    expect(forced.summary).toContain('`force: true`: the alarm gates were **skipped** for this release.');
    expect((await alias(name)).weights).toEqual({});
  });

  it('an alarm that does not exist is refused before anything changes', async () => {
    const { name, config } = await setUp('alarms: [notes-5xxx]');
    const result = await deploy(config, 'prod', handler('two'));
    expect(result.stdout).toContain('::error::stages.prod.alarms: "notes-5xxx" is not a CloudWatch alarm in us-east-1');
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });
});
