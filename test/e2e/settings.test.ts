/**
 * Zappa-style per-stage settings reaching Lambda, end to end through `node dist/index.js`.
 * moto drops LoggingConfig, so the action talks to a recording proxy in front of moto that keeps
 * it (as Lambda does) and shows exactly what the action sent.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetFunctionConfigurationCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let viaProxy: LambdaClient;
let logs: CloudWatchLogsClient;
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.keepLoggingConfig();
  workspace = mkdtempSync(join(tmpdir(), 'e2e-settings-'));
  mkdirSync(join(workspace, 'build'));
  viaProxy = new LambdaClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials });
  logs = new CloudWatchLogsClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:
  region: us-east-1
stages:
  prod:
    function: settings-api
    log-level: ERROR
    memory-size: 512
    timeout: 15s
    log-retention-days: 7
    keep-versions: 1
    environment: { TABLE: notes-prod }
  text:
    function: text-api
    log-level: WARNING
    log-format: text
`,
  );
  for (const name of ['settings-api', 'text-api']) {
    await createFunction(moto.endpoint, { name, zipPath: zip('bootstrap'), environment: { KEEP: 'me' } });
  }
});

afterAll(async () => {
  viaProxy?.destroy();
  logs?.destroy();
  await proxy?.stop();
  await moto?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.reset();
});

function zip(release: string): string {
  return makeZip(join(workspace, 'build'), { 'index.mjs': `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n` });
}

function run(stage: string, release: string, extra: Record<string, string> = {}) {
  const artifact = zip(release).slice(workspace.length + 1);
  return runAction({ inputs: { stage, artifact, ...extra }, workspace, env: awsEnv(proxy.endpoint) });
}

const sent = (operation: string) => proxy.calls.filter((c) => c.operation === operation).map((c) => c.requestBody);

describe('per-stage settings that reach Lambda', () => {
  it('prod with log-level ERROR sends ApplicationLogLevel ERROR and publishes a version whose LOG_LEVEL is ERROR', async () => {
    const result = await run('prod', 'one');
    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });

    expect(sent('UpdateFunctionConfiguration')).toEqual([
      {
        Environment: { Variables: { KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'ERROR' } },
        MemorySize: 512,
        Timeout: 15,
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' },
      },
    ]);
    const version = await viaProxy.send(new GetFunctionConfigurationCommand({ FunctionName: 'settings-api', Qualifier: '1' }));
    expect(version.Environment?.Variables).toEqual({ KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'ERROR' });
    expect(version.LoggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'ERROR', SystemLogLevel: 'WARN' });
    expect(version).toMatchObject({ MemorySize: 512, Timeout: 15 });
  });

  it('the log group gets the retention, created when missing, and is left alone when already so', async () => {
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/lambda/settings-api' }));
    expect(groups.logGroups?.map((g) => [g.logGroupName, g.retentionInDays])).toEqual([['/aws/lambda/settings-api', 7]]);

    const second = await run('prod', 'two');
    expect(second.outputs).toMatchObject({ status: 'deployed', version: '2' });
    expect(proxy.counts().DescribeLogGroups).toBe(1);
    expect(proxy.counts().PutRetentionPolicy).toBeUndefined();
    expect(proxy.counts().CreateLogGroup).toBeUndefined();
  });

  it('an unchanged redeploy only reads, and writes nothing', async () => {
    const result = await run('prod', 'two');
    expect(result.outputs.status).toBe('unchanged');
    // The alias and the version it runs (read through the alias; $LATEST is not read when nothing
    // will change); and, as the stage has no smoke.url, the alias's function URL (the smoke
    // target, read before anything could change).
    expect(proxy.calls.map((c) => c.operation).sort()).toEqual(['GetAlias', 'GetFunction', 'GetFunctionUrlConfig']);
  });

  it('keep-versions 1 deletes older versions, keeping what the alias runs and its previous release', async () => {
    await run('prod', 'three');
    const fourth = await run('prod', 'four');
    expect(fourth.outputs).toMatchObject({ status: 'deployed', version: '4', 'previous-version': '3' });
    // Listed through the proxy: it keeps Lambda's numbering, which moto reuses after a deletion.
    const listed = await viaProxy.send(new ListVersionsByFunctionCommand({ FunctionName: 'settings-api' }));
    expect(listed.Versions?.map((v) => v.Version)).toEqual(['$LATEST', '3', '4']);
    expect(fourth.stdout).toContain('keep-versions 1: deleted version 2 of settings-api.');
    expect(fourth.summary).toContain('| Versions deleted (keep-versions) | 2 |');
  });

  it('log-format text keeps only the variable: no JSON LoggingConfig is sent', async () => {
    const result = await run('text', 'one');
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    const [update] = sent('UpdateFunctionConfiguration');
    expect(update.Environment.Variables.LOG_LEVEL).toBe('WARNING');
    expect(update.LoggingConfig).toBeUndefined();
  });

  it('dry-run prints the plan and changes nothing', async () => {
    const before = await snapshotFunction(moto.endpoint, 'settings-api');
    const result = await run('prod', 'five', { 'dry-run': 'true' });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'unchanged', version: '4' });
    expect(result.stdout).toContain('dry-run: nothing was changed. deploy prod would:');
    expect(result.stdout).toMatch(/ {2}1\. upload \d+ KB directly to settings-api\n/);
    expect(result.stdout).toContain('publish a version of settings-api with CodeSha256');
    expect(result.stdout).toContain('shift alias prod from version 4 to the new version');
    expect(result.summary).toContain('🧪 dry run, nothing changed');
    expect(await snapshotFunction(moto.endpoint, 'settings-api')).toEqual(before);
    expect(proxy.calls.every((c) => /^(Get|List|Describe|Head)/.test(c.operation))).toBe(true);
  });
});
