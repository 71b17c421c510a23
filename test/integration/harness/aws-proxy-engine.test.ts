// The aws-proxy's switch for a stage of several functions (issue 14, the engine): failOperationFor
// fails one function's calls of an operation and leaves the others' alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { createFunction, lambdaClient, makeZip } from '../../harness/lambda-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let lambda: LambdaClient;
let tmp: string;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  tmp = mkdtempSync(join(tmpdir(), 'aws-proxy-engine-'));
  // Straight to the proxy, no retries: what the proxy answers is what the test sees.
  lambda = lambdaClient(proxy.endpoint);
  for (const name of ['engine-a', 'engine-b']) {
    await createFunction(proxy.endpoint, { name, zipPath: makeZip(tmp, { 'index.mjs': 'export const handler = async () => 1;\n' }) });
  }
});

afterAll(async () => {
  lambda?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('failOperationFor', () => {
  it("fails only the named function's PublishVersion, with Lambda's CodeStorageExceededException (400), `times` times, and is cleared by clearBehaviours", async () => {
    proxy.failOperationFor('PublishVersion', 'arn:aws:lambda:us-east-1:123456789012:function:engine-a');
    proxy.reset();
    const refused = await lambda.send(new PublishVersionCommand({ FunctionName: 'engine-a' })).catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'CodeStorageExceededException', $metadata: { httpStatusCode: 400 } });
    // The other function publishes.
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'engine-b' }))).Version).toBe('1');
    // Once only (times: 1): the next call goes through.
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'engine-a' }))).Version).toBe('1');
    expect(proxy.calls.filter((c) => c.operation === 'PublishVersion').map((c) => [c.path.split('/')[3], c.status, c.injected ?? false])).toEqual([
      ['engine-a', 400, true],
      ['engine-b', 201, false],
      ['engine-a', 201, false],
    ]);

    proxy.failOperationFor('PublishVersion', 'engine-b', { times: 2 });
    proxy.clearBehaviours();
    // Nothing changed since version 1: Lambda answers that version again, and the proxy forwarded the call.
    expect((await lambda.send(new PublishVersionCommand({ FunctionName: 'engine-b' }))).Version).toBe('1');
    expect(proxy.calls.at(-1)).toMatchObject({ operation: 'PublishVersion', status: 201 });
    expect(proxy.calls.at(-1)?.injected).toBeUndefined();
  });
});
