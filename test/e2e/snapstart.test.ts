/**
 * SnapStart end to end (issue 15): `node dist/index.js` against moto behind the proxy, which
 * emulates SnapStart (moto keeps none; proxy.emulateSnapStart): with SnapStart on in the
 * function's own configuration, a published version is Pending while Lambda takes its snapshot.
 * - The alias takes the new version only once it is Active and optimized (OptimizationStatus On),
 *   and the log says what it waits for and how long it waited.
 * - A snapshot that fails: the step fails with Lambda's reason and the alias stays where it was.
 * - A release of several functions, one with SnapStart: each unit waits for its own version.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;

let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
/** The user, turning SnapStart on in the function's configuration (through the proxy, which keeps it). */
let user: LambdaClient;
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-snapstart-');
  ({ proxy, workspace, lambda } = stack);
  user = lambdaClient(proxy.endpoint);
});

afterAll(async () => {
  user?.destroy();
  await stack?.stop();
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: awsEnv(proxy.endpoint) });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}
async function aliasVersion(name: string, alias: string) {
  return (await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }))).FunctionVersion;
}
const errors = (stdout: string) => annotations(stdout).filter((a) => a.kind === 'error').map((a) => a.message);

/**
 * A function (nodejs, which the proxy runs; real SnapStart is for Java, Python and .NET), with
 * SnapStart on when `snapStart`.
 */
async function makeFunction(name: string, snapStart: boolean) {
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  if (snapStart) {
    await user.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, SnapStart: { ApplyOn: 'PublishedVersions' } }));
    await waitUntilFunctionUpdatedV2({ client: user, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 }, { FunctionName: name });
  }
}

async function setUp(name: string) {
  proxy.emulateSnapStart({ pendingMs: 0 });
  await makeFunction(name, true);
  const config = `${name}.yml`;
  writeFileSync(join(workspace, config), `defaults: { function: ${name}, region: us-east-1 }\nstages:\n  dev:\n    environment: { TABLE: notes-dev }\n`);
  return config;
}

describe('a function with SnapStart on', () => {
  it('its new version takes traffic only once Active and optimized; the log says what it waited for and how long', async () => {
    const name = 'snap-held';
    const config = await setUp(name);
    proxy.emulateSnapStart({ pendingMs: 2000 });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('one')) });

    expect(errors(result.stdout)).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(result.stdout).toContain(
      `Version 1 of ${name} is Pending (Creating): SnapStart is taking its snapshot; waiting for it to be Active and optimized before it takes traffic`,
    );
    expect(result.stdout).toMatch(new RegExp(`Version 1 of ${name} is Active and optimized \\(SnapStart snapshot ready\\) \\(waited \\d+\\.\\d s\\)\\.`));
    const readyAt = proxy.snapStartReadyAt(name, '1')!;
    expect(readyAt).toBeDefined();
    const publish = proxy.calls.find((c) => c.operation === 'PublishVersion')!;
    const createAlias = proxy.calls.find((c) => c.operation === 'CreateAlias')!;
    // Without the wait, the alias would be created right after PublishVersion, 2 s before the snapshot is ready.
    expect(readyAt - publish.startedAt).toBeGreaterThanOrEqual(1900);
    expect(createAlias.startedAt).toBeGreaterThanOrEqual(readyAt);
    expect(await aliasVersion(name, 'dev')).toBe('1');
  });

  it('a snapshot that fails: the step fails with Lambda\'s reason, nothing is shifted and the alias stays where it was', async () => {
    const name = 'snap-failed';
    const config = await setUp(name);
    expect((await run({ stage: 'dev', config, artifact: zipOf(handler('one')) })).outputs).toMatchObject({ status: 'deployed', version: '1' });
    proxy.reset();
    proxy.emulateSnapStart({ pendingMs: 500, fail: { reason: 'Snapshot creation failed: the function raised an error during initialization.', code: 'FunctionError' } });
    const result = await run({ stage: 'dev', config, artifact: zipOf(handler('two')) });

    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'failed', version: '1' });
    expect(errors(result.stdout).join('\n')).toContain(
      `dev: publishing failed, nothing was shifted: Lambda could not make version 2 of ${name} Active (SnapStart: the snapshot of the version could not be taken): ` +
        'it is Failed: Snapshot creation failed: the function raised an error during initialization. (FunctionError)',
    );
    expect(proxy.counts().UpdateAlias).toBeUndefined();
    expect(await aliasVersion(name, 'dev')).toBe('1');
  });
});

describe('a release of several functions, one with SnapStart on', () => {
  const SNAP = 'snap-group-java';
  const PLAIN = 'snap-group-node';
  const CONFIG = 'snap-group.yml';

  async function deploy(release: string) {
    for (const fn of [SNAP, PLAIN]) makeZipAt(`build/${fn}.zip`, handler(`${fn} ${release}`));
    return run({ stage: 'dev', config: CONFIG });
  }
  function makeZipAt(path: string, code: string) {
    const made = makeZip(join(workspace, 'build'), { 'index.mjs': code });
    writeFileSync(join(workspace, path), readFileSync(made));
  }

  it('each unit waits for its own version: the SnapStart one until its snapshot is ready; a failed snapshot shifts neither', async () => {
    proxy.emulateSnapStart({ pendingMs: 0 });
    await makeFunction(SNAP, true);
    await makeFunction(PLAIN, false);
    writeFileSync(
      join(workspace, CONFIG),
      `defaults: { region: us-east-1 }\nstages:\n  dev:\n    functions:\n      ${SNAP}: { artifact: build/${SNAP}.zip }\n      ${PLAIN}: { artifact: build/${PLAIN}.zip }\n`,
    );
    proxy.emulateSnapStart({ pendingMs: 1500 });
    const first = await deploy('one');
    expect(errors(first.stdout)).toEqual([]);
    expect(first.outputs).toMatchObject({ status: 'deployed' });
    expect(first.stdout).toContain(`Version 1 of ${SNAP} is Pending (Creating): SnapStart is taking its snapshot`);
    expect(first.stdout).not.toContain(`of ${PLAIN} is Pending`);
    const readyAt = proxy.snapStartReadyAt(SNAP, '1')!;
    expect(proxy.snapStartReadyAt(PLAIN, '1')).toBeUndefined();
    const snapAlias = proxy.calls.find((c) => c.operation === 'CreateAlias' && c.path.includes(SNAP))!;
    expect(snapAlias.startedAt).toBeGreaterThanOrEqual(readyAt);
    expect(await aliasVersion(SNAP, 'dev')).toBe('1');
    expect(await aliasVersion(PLAIN, 'dev')).toBe('1');

    proxy.reset();
    proxy.emulateSnapStart({ pendingMs: 300, fail: { reason: 'Snapshot creation failed.', code: 'FunctionError' } });
    const second = await deploy('two');
    expect(second.code).not.toBe(0);
    expect(second.outputs).toMatchObject({ status: 'failed' });
    expect(errors(second.stdout).join('\n')).toContain(
      `Lambda could not make version 2 of ${SNAP} Active (SnapStart: the snapshot of the version could not be taken): it is Failed: Snapshot creation failed. (FunctionError)`,
    );
    expect(await aliasVersion(SNAP, 'dev')).toBe('1');
    expect(await aliasVersion(PLAIN, 'dev')).toBe('1');
  });
});
