/**
 * Lambda's function states, updates in progress and code storage, end to end through
 * `node dist/index.js` against moto behind the proxy (issue 13), which emulates what moto lacks:
 * - PublishVersion answers a version Pending: the alias takes it only once it is Active; one that
 *   ends Failed is not shifted to, and the step says why;
 * - a version Lambda made Inactive: rollback to it (and a canary that would keep traffic on it)
 *   is refused before anything changes, naming the version and how to re-activate it; once the
 *   user has re-activated it, the same rollback goes;
 * - a deploy that starts while another update of the function is still in progress (Lambda
 *   answers ResourceConflictException) waits for it, then writes;
 * - code storage above 80% of the account's limit: a warning in the log and the summary;
 *   at 50%, none; a failed read never fails the release; an unchanged redeploy does not read it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, InvokeCommand, LambdaClient, UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const GB = 1024 ** 3;
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;
/** Lambda calls that change something. */
const WRITES = /^(Update|Publish|Create|Delete|Put|Tag|Untag|Invoke)/;

let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
/** A client on the proxy: "someone else" acting on the function, as the proxy sees it. */
let other: LambdaClient;
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-states-');
  ({ proxy, workspace, lambda } = stack);
  other = lambdaClient(proxy.endpoint);
});

afterAll(async () => {
  other?.destroy();
  await stack?.stop();
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300' } });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}
async function aliasVersion(name: string, alias: string) {
  return (await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }))).FunctionVersion;
}
/** The warnings about code storage (a stage without smoke.url gets a warning of its own). */
const warnings = (stdout: string) => annotations(stdout).filter((a) => a.kind === 'warning' && /code storage/i.test(a.message)).map((a) => a.message);
const errors = (stdout: string) => annotations(stdout).filter((a) => a.kind === 'error').map((a) => a.message);

/** A function created through the proxy, and a stages file with `dev` (all at once) and `canary`. */
async function setUp(name: string) {
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const config = `${name}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${name}, region: us-east-1 }
stages:
  dev:
    environment: { TABLE: notes-dev }
  canary:
    alias: dev
    environment: { TABLE: notes-dev }
    traffic: canary 50% 1s
`,
  );
  return config;
}

describe('a published version that is Pending', () => {
  it('takes traffic only once Lambda reports it Active, and the log says how long it waited', async () => {
    const name = 'states-pending';
    const config = await setUp(name);
    proxy.publishPending(2000);
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });

    expect(errors(result.stdout)).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(result.stdout).toContain(`Version 1 of ${name} is Pending (Creating): waiting for it to be Active before it takes traffic.`);
    expect(result.stdout).toMatch(new RegExp(`Version 1 of ${name} is Active \\(waited \\d+\\.\\d s\\)\\.`));
    const activeAt = proxy.versionActiveAt(name, '1')!;
    const createAlias = proxy.calls.find((c) => c.operation === 'CreateAlias')!;
    // Without the wait, the alias would be created right after PublishVersion, 2 s before this.
    expect(createAlias.startedAt).toBeGreaterThanOrEqual(activeAt);
    expect(await aliasVersion(name, 'dev')).toBe('1');
  });

  it('one that ends Failed is not shifted to: the step fails with Lambda\'s reason and the alias stays', async () => {
    const name = 'states-failed';
    const config = await setUp(name);
    expect((await run({ stage: 'dev', config, artifact: zipOf(handler('one')) })).outputs).toMatchObject({ status: 'deployed', version: '1' });
    proxy.reset();
    proxy.publishPending(500, { fail: { reason: 'Lambda was unable to configure access to your environment variables because the KMS key is invalid.', code: 'InvalidStateKMSKey' } });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('two')) });

    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'failed', version: '1' });
    expect(errors(result.stdout).join('\n')).toContain(
      `dev: publishing failed, nothing was shifted: Lambda could not make version 2 of ${name} Active: it is Failed: ` +
        'Lambda was unable to configure access to your environment variables because the KMS key is invalid. (InvalidStateKMSKey)',
    );
    expect(proxy.counts().UpdateAlias).toBeUndefined();
    expect(await aliasVersion(name, 'dev')).toBe('1');
  });
});

describe('a version Lambda made Inactive', () => {
  it('rollback to it is refused before any change, naming the version and how to re-activate it; once re-activated, it goes', async () => {
    const name = 'states-inactive';
    const config = await setUp(name);
    await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    await run({ stage: 'dev', config, artifact: zipOf(handler('two')) });
    expect(await aliasVersion(name, 'dev')).toBe('2');
    proxy.markInactive(name, '1', { reactivateMs: 800 });
    proxy.reset();

    const refused = await run({ stage: 'dev', config, command: 'rollback' });
    expect(refused.code).not.toBe(0);
    const message = errors(refused.stdout).join('\n');
    expect(message).toContain(`to-version: not given, and dev's release before 2: version 1 of ${name} is Inactive (Idle)`);
    expect(message).toContain('Nothing was changed.');
    expect(message).toContain(`aws lambda wait published-version-active --function-name ${name} --qualifier 1`);
    expect(proxy.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(proxy.invocations).toEqual([]);
    expect(await aliasVersion(name, 'dev')).toBe('2');

    // What the message tells the user to do: invoke it once (it fails, and Lambda re-creates its resources).
    await expect(
      other.send(new InvokeCommand({ FunctionName: name, Qualifier: '1', Payload: new TextEncoder().encode('{}') })),
    ).rejects.toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const rolled = await run({ stage: 'dev', config, command: 'rollback' });
    expect(errors(rolled.stdout)).toEqual([]);
    expect(rolled.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'previous-version': '2' });
  });

  it('a canary that would keep traffic on it and return to it is refused before any change', async () => {
    const name = 'states-canary';
    const config = await setUp(name);
    await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    proxy.markInactive(name, '1');
    proxy.reset();
    const result = await run({ stage: 'canary', config, artifact: zipOf(handler('two')) });
    expect(result.code).not.toBe(0);
    expect(errors(result.stdout).join('\n')).toContain(
      `traffic: canary (it keeps traffic on version 1, what alias dev runs, and returns to it if a check fails): version 1 of ${name} is Inactive (Idle)`,
    );
    expect(proxy.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect(await aliasVersion(name, 'dev')).toBe('1');
  });
});

describe('a deploy that starts while another update is in progress', () => {
  it('waits for that update to end (Lambda refused the write with ResourceConflictException), then writes and releases', async () => {
    const name = 'states-conflict';
    const config = await setUp(name);
    proxy.holdInProgress(2000);
    proxy.conflictWhileInProgress();
    // Someone else's update, still in progress when the deploy starts.
    await other.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9 }));
    const othersEnd = proxy.lastUpdateCompletedAt(name)!;
    proxy.reset();
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });

    expect(errors(result.stdout)).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    const updates = proxy.calls.filter((c) => c.operation === 'UpdateFunctionConfiguration');
    expect(updates.map((c) => c.status)).toEqual([409, 200]);
    expect(updates[1]!.startedAt).toBeGreaterThanOrEqual(othersEnd);
    expect(result.stdout).toContain(
      `${name} has an update in progress that this run did not start (Lambda refused UpdateFunctionConfiguration): waiting for it to finish before writing.`,
    );
    expect(result.stdout).toMatch(new RegExp(`The update in progress on ${name} ended \\(waited \\d+\\.\\d s\\): sending UpdateFunctionConfiguration again\\.`));
  });
});

describe('code storage', () => {
  const WARNING = /Lambda code storage in this region is 85% full \(63\.8 GB of 75\.0 GB\); .*set keep-versions on stage dev/;

  it('at 85% of the limit: a warning in the log and the summary; the release goes on', async () => {
    const name = 'states-storage-full';
    const config = await setUp(name);
    proxy.accountSettings({ usedBytes: Math.round(0.85 * 75 * GB) });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(warnings(result.stdout).filter((w) => WARNING.test(w))).toHaveLength(1);
    expect(result.summary).toMatch(WARNING);
    // Read before the first write to $LATEST.
    const operations = proxy.calls.map((c) => c.operation);
    expect(operations.indexOf('GetAccountSettings')).toBeLessThan(operations.indexOf('UpdateFunctionConfiguration'));

    // An unchanged redeploy publishes nothing and does not read it.
    proxy.reset();
    const again = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    expect(again.outputs).toMatchObject({ status: 'unchanged' });
    expect(proxy.counts().GetAccountSettings).toBeUndefined();
  });

  it('at 50%: no warning', async () => {
    const name = 'states-storage-half';
    const config = await setUp(name);
    proxy.accountSettings({ usedBytes: Math.round(0.5 * 75 * GB) });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    expect(result.outputs).toMatchObject({ status: 'deployed' });
    expect(proxy.counts().GetAccountSettings).toBe(1);
    expect(warnings(result.stdout)).toEqual([]);
    expect(result.summary).not.toContain('code storage');
  });

  it('a read that fails (AccessDenied) does not fail the release: one line, no warning', async () => {
    const name = 'states-storage-denied';
    const config = await setUp(name);
    proxy.accountSettings({ usedBytes: Math.round(0.85 * 75 * GB) });
    proxy.failOperation('GetAccountSettings', { status: 403, type: 'AccessDeniedException', message: 'not authorized to perform: lambda:GetAccountSettings', times: 5 });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });
    expect(result.outputs).toMatchObject({ status: 'deployed' });
    expect(result.stdout).toContain('Code storage not checked: GetAccountSettings failed (AccessDeniedException)');
    expect(warnings(result.stdout)).toEqual([]);
  });
});
