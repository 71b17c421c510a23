// The proxy's emulation of Lambda SnapStart (test/harness/aws-proxy.mjs emulateSnapStart, issue 15),
// in front of a real moto server (moto keeps no SnapStart setting); and the action's Lambda gateway
// (src/aws/lambda-gateway.ts) against it: publishVersion holds a SnapStart version until it is
// Active with OptimizationStatus On, and fails with Lambda's reason when the snapshot fails.
// The functions run nodejs (the proxy invokes them locally); real Lambda offers SnapStart for Java,
// Python and .NET only, which the proxy does not check.
import {
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';

import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-snapstart-');

let counter = 0;
/** A fresh function; with `snapStart`, SnapStart turned on (ApplyOn PublishedVersions) as a user does. */
async function freshFunction(snapStart = true) {
  counter += 1;
  const name = `snap-fn-${counter}`;
  const zipPath = makeZip(aws.tmp, { 'index.js': `exports.handler = async () => ({ statusCode: 200, body: '${name}' });\n` });
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  if (snapStart) {
    await aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, SnapStart: { ApplyOn: 'PublishedVersions' } }));
    await waitUntilFunctionUpdatedV2({ client: aws.clients.lambda, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 }, { FunctionName: name });
  }
  return name;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const configOf = (name: string, version: string) => aws.clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name, Qualifier: version }));
function gateway(snapStartMaxWaitSeconds = 20) {
  const said: string[] = [];
  const lambdaGateway = new SdkLambdaGateway(aws.clients.lambda, {
    waiter: { minDelaySeconds: 0.1, maxDelaySeconds: 0.2, maxWaitSeconds: 20, snapStartMaxWaitSeconds },
    progress: (message) => said.push(message),
    progressEveryMs: 200,
  });
  return { lambdaGateway, said };
}

describe('emulateSnapStart (the proxy)', () => {
  it('keeps $LATEST SnapStart setting (moto drops it): ApplyOn PublishedVersions, OptimizationStatus Off', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 500 });
    const name = await freshFunction();
    const latest = await configOf(name, '$LATEST');
    expect(latest.SnapStart).toEqual({ ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' });
  });

  it('a published version is Pending (Creating, Off) until pendingMs, then Active and optimized (On), in every read', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 800 });
    const name = await freshFunction();
    const published = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(published).toMatchObject({ State: 'Pending', StateReasonCode: 'Creating', SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'Off' } });
    const version = published.Version ?? '';
    expect((await configOf(name, version)).State).toBe('Pending');
    expect((await aws.clients.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: version }))).Configuration?.State).toBe('Pending');
    // Invoking before the snapshot is ready fails as Lambda says (snapstart-troubleshooting.html).
    await expect(aws.clients.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: version }))).rejects.toMatchObject({ name: 'SnapStartNotReadyException' });
    const readyAt = aws.proxy.snapStartReadyAt(name, version);
    expect(readyAt).toBeGreaterThan(Date.now());
    await sleep((readyAt ?? 0) - Date.now() + 50);
    expect(await configOf(name, version)).toMatchObject({ State: 'Active', SnapStart: { ApplyOn: 'PublishedVersions', OptimizationStatus: 'On' } });
    const listed = await aws.clients.lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    expect(listed.Versions?.find((v) => v.Version === version)?.SnapStart?.OptimizationStatus).toBe('On');
    const invoked = await aws.clients.lambda.send(new InvokeCommand({ FunctionName: name, Qualifier: version }));
    expect(invoked.StatusCode).toBe(200);
  });

  it('a snapshot that fails leaves the version Failed with the reason and code given', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 200, fail: { reason: 'Snapshot creation failed: the init phase raised an error.', code: 'FunctionError' } });
    const name = await freshFunction();
    const { Version } = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    await sleep(300);
    expect(await configOf(name, Version ?? '')).toMatchObject({
      State: 'Failed',
      StateReasonCode: 'FunctionError',
      StateReason: 'Snapshot creation failed: the init phase raised an error.',
      SnapStart: { OptimizationStatus: 'Off' },
    });
    expect(aws.proxy.snapStartReadyAt(name, Version ?? '')).toBeUndefined();
  });

  it('a function without SnapStart, and every function once clearBehaviours ran, is as moto answers (Active at once, ApplyOn None)', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 5000 });
    const plain = await freshFunction(false);
    const published = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: plain }));
    expect(published.State).toBe('Active');
    expect(published.SnapStart?.ApplyOn).not.toBe('PublishedVersions');
    aws.proxy.clearBehaviours();
    const name = await freshFunction();
    const later = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
    expect(later.State).toBe('Active');
    expect(later.SnapStart?.ApplyOn).not.toBe('PublishedVersions');
  });
});

describe('SdkLambdaGateway.publishVersion with SnapStart', () => {
  it('returns only once the version is Active and optimized, saying so with the time waited', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 1000 });
    const name = await freshFunction();
    const latest = await configOf(name, '$LATEST');
    const { lambdaGateway, said } = gateway();
    const version = await lambdaGateway.publishVersion(name, { codeSha256: latest.CodeSha256 ?? '', description: 'snap' });
    const readyAt = aws.proxy.snapStartReadyAt(name, version.version);
    expect(readyAt).toBeDefined();
    expect(Date.now()).toBeGreaterThanOrEqual(readyAt ?? Infinity);
    expect(version).toMatchObject({ state: 'Active', snapStart: { applyOn: 'PublishedVersions', optimizationStatus: 'On' } });
    expect(said[0]).toContain(`Version ${version.version} of ${name} is Pending (Creating): SnapStart is taking its snapshot`);
    expect(said.some((line) => /^Still waiting for version \d+ of .* to be Active with its SnapStart snapshot ready \(\d+\.\d s\)\.$/.test(line))).toBe(true);
    expect(said.at(-1)).toMatch(/is Active and optimized \(SnapStart snapshot ready\) \(waited \d+\.\d s\)\.$/);
  });

  it('throws with Lambda reason when the snapshot fails', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 300, fail: { reason: 'Snapshot creation failed.', code: 'FunctionError' } });
    const name = await freshFunction();
    const latest = await configOf(name, '$LATEST');
    const { lambdaGateway } = gateway();
    await expect(lambdaGateway.publishVersion(name, { codeSha256: latest.CodeSha256 ?? '', description: 'snap' })).rejects.toThrow(
      /^Lambda could not make version \d+ of snap-fn-\d+ Active \(SnapStart: the snapshot of the version could not be taken\): it is Failed: Snapshot creation failed\. \(FunctionError\)$/,
    );
  });

  it('gives up after snapStartMaxWaitSeconds, saying the snapshot is not ready', async () => {
    aws.proxy.emulateSnapStart({ pendingMs: 60_000 });
    const name = await freshFunction();
    const latest = await configOf(name, '$LATEST');
    const { lambdaGateway } = gateway(1);
    await expect(lambdaGateway.publishVersion(name, { codeSha256: latest.CodeSha256 ?? '', description: 'snap' })).rejects.toThrow(
      /did not become Active with its SnapStart snapshot ready within 1s \(state: Pending, SnapStart OptimizationStatus: Off\)\.$/,
    );
  });
});
