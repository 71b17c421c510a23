/**
 * End to end through a proxy in front of moto that adds what moto lacks: an update that stays
 * InProgress for a while, an update that fails, the CodeSha256 and RevisionId preconditions,
 * and an AWS error on the call that would put the alias back.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const GOOD = 'export const handler = async () => ({ statusCode: 200, body: \'"ok"\' });\n';
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  workspace = mkdtempSync(join(tmpdir(), 'e2e-proxy-'));
  mkdirSync(join(workspace, 'build'));
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await proxy?.stop();
  await moto?.stop();
  rmSync(workspace, { recursive: true, force: true });
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

async function setUp(functionName: string) {
  await createFunction(moto.endpoint, {
    name: functionName,
    zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => ({ statusCode: 503 });\n' }),
  });
  const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName, alias: 'dev', codeRoots: [workspace] });
  stops.push(endpoint.stop);
  writeFileSync(
    join(workspace, `${functionName}.yml`),
    `stages:\n  dev:\n    function: ${functionName}\n    environment: { MODE: dev }\n    smoke: { url: "${endpoint.url}/", attempts: 2, interval: 50ms }\n`,
  );
  return `${functionName}.yml`;
}

function deploy(config: string, files: Record<string, string>) {
  const zip = makeZip(join(workspace, 'build'), files);
  return {
    zip,
    run: runAction({
      inputs: { stage: 'dev', artifact: zip.slice(workspace.length + 1), config },
      workspace,
      env: awsEnv(proxy.endpoint),
    }),
  };
}

describe('deploy against Lambda behaviours moto lacks', () => {
  it('waits for an update in progress, publishes with the CodeSha256 precondition and shifts with the RevisionId', async () => {
    const config = await setUp('held');
    proxy.holdInProgress(1500);
    proxy.enforceCodeSha256();
    proxy.enforceRevisionId();
    const { zip, run } = deploy(config, { 'index.mjs': GOOD });
    const result = await run;

    expect(annotations(result.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '1', 'code-sha256': codeSha256(zip) });
    const operations = proxy.calls.filter((c) => c.service === 'lambda').map((c) => c.operation);
    const publishAt = operations.indexOf('PublishVersion');
    expect(operations.indexOf('UpdateFunctionConfiguration')).toBeLessThan(operations.indexOf('UpdateFunctionCode'));
    expect(operations.indexOf('UpdateFunctionCode')).toBeLessThan(publishAt);
    // The code update was held InProgress; nothing was published before it completed.
    const publish = proxy.calls.find((c) => c.operation === 'PublishVersion');
    expect(publish?.startedAt).toBeGreaterThanOrEqual(proxy.lastUpdateCompletedAt('held') ?? Infinity);
    expect(publish?.requestBody).toMatchObject({ CodeSha256: codeSha256(zip), Description: 'stage-deploy dev: commit a1b2c3d4e5f6 run 4242' });
    expect(publish?.requestBody.RevisionId).toEqual(expect.any(String));
    expect(proxy.calls.find((c) => c.operation === 'CreateAlias')?.status).toBeLessThan(300);

    // A second release: the shift carries the alias's RevisionId, which the proxy checks.
    proxy.reset();
    const second = await deploy(config, { 'index.mjs': GOOD.replace('"ok"', '"ok, two"') }).run;
    expect(second.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });
    const update = proxy.calls.find((c) => c.operation === 'UpdateAlias');
    expect(update?.requestBody).toMatchObject({ FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } });
    expect(update?.requestBody.RevisionId).toEqual(expect.any(String));
    expect(update?.status).toBeLessThan(300);
  });

  it('an update that Lambda reports Failed publishes nothing and shifts nothing', async () => {
    const config = await setUp('failing-update');
    const before = await snapshotFunction(moto.endpoint, 'failing-update');
    proxy.failNextUpdate('Lambda was unable to configure access to your environment variables', 'KMSAccessDeniedException');
    const result = await deploy(config, { 'index.mjs': GOOD }).run;

    expect(result.code).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(annotations(result.stdout).find((a) => a.kind === 'error')?.message).toMatch(/^dev: publishing failed, nothing was shifted: /);
    expect(result.stdout).toContain('Lambda was unable to configure access to your environment variables');
    expect(proxy.counts().PublishVersion).toBeUndefined();
    const after = await snapshotFunction(moto.endpoint, 'failing-update');
    expect(after.aliases).toEqual(before.aliases);
    // $LATEST took the update (Lambda applies it, then reports it failed); no version was published.
    const published = (snapshot: typeof after) => snapshot.versions.filter((v) => v.Version !== '$LATEST');
    expect(published(after)).toEqual(published(before));
  });

  it('when the alias cannot be put back, the step says so loudly with the command that repairs it', async () => {
    const config = await setUp('stuck');
    proxy.failOperation('DeleteAlias', { status: 403, type: 'AccessDeniedException', message: 'not allowed to lambda:DeleteAlias' });
    const result = await deploy(config, { 'index.mjs': BROKEN }).run;

    expect(result.code).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.version).toBe('1');
    expect(annotations(result.stdout).find((a) => a.kind === 'error')?.message).toMatch(
      /^GET http:\/\/127\.0\.0\.1:\d+\/ → 502 on 2 of 2 attempts; ROLLBACK FAILED: alias dev may still point at version 1 \(not allowed to lambda:DeleteAlias\)\. Repair it by hand: aws lambda delete-alias --function-name stuck --name dev/,
    );
    expect(result.summary).toContain('```sh\naws lambda delete-alias --function-name stuck --name dev\n```');
  });
});
