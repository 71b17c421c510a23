// SdkLambdaGateway on a container-image function, against moto (MOTO_LAMBDA_STUB_ECR=false)
// behind the proxy (resolveImageUris): UpdateFunctionCode by ImageUri, CodeSha256 the digest's
// hex, and each version's package type and image by digest (GetFunction's ResolvedImageUri).
import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { createImageFunction, createRepository, pushImage } from '../../harness/ecr-fixtures.mjs';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let client: LambdaClient;
let gateway: SdkLambdaGateway;
let repository: string;
let dir: string;

beforeAll(async () => {
  moto = await startMoto({ env: { MOTO_LAMBDA_STUB_ECR: 'false' } });
  proxy = await startProxy({ target: moto.endpoint });
  proxy.resolveImageUris();
  client = new LambdaClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  gateway = new SdkLambdaGateway(client, { waiter: { minDelaySeconds: 0.05, maxDelaySeconds: 0.1, maxWaitSeconds: 10 } });
  repository = await createRepository(moto.endpoint, 'gateway-images');
  dir = mkdtempSync(join(tmpdir(), 'gateway-images-'));
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SdkLambdaGateway with a container-image function', () => {
  it('updates the code by ImageUri and reports each version with its package type and image by digest', async () => {
    const one = await pushImage(moto.endpoint, 'gateway-images', 'one');
    const two = await pushImage(moto.endpoint, 'gateway-images', 'two');
    await createImageFunction(proxy.endpoint, { name: 'gw-image', imageUri: `${repository}:one` });
    const first = await gateway.publishVersion('gw-image', { codeSha256: one.slice(7), description: 'one' });
    const updated = await gateway.updateCode('gw-image', { kind: 'image', imageUri: `${repository}@${two}` });
    expect(updated.codeSha256).toBe(two.slice(7));
    await gateway.publishVersion('gw-image', { codeSha256: two.slice(7), description: 'two' });

    expect(await gateway.getVersion('gw-image', first.version)).toMatchObject({ packageType: 'Image', codeSha256: one.slice(7), imageUri: `${repository}@${one}` });
    expect(await gateway.getVersion('gw-image')).toMatchObject({ packageType: 'Image', imageUri: `${repository}@${two}` });
  });

  it('reports a zip function as Zip, with no image', async () => {
    await createFunction(moto.endpoint, { name: 'gw-zip', zipPath: makeZip(dir, { 'index.mjs': 'export const handler = async () => 1;\n' }) });
    const latest = await gateway.getVersion('gw-zip');
    expect(latest?.packageType).toBe('Zip');
    expect(latest?.imageUri).toBeUndefined();
    // One read (GetFunction gives the configuration), and no second one for an image.
    expect(proxy.calls.filter((c) => c.service === 'lambda' && c.path.includes('gw-zip')).map((c) => c.operation)).toEqual(['GetFunction']);
  });
});
