// The aws-proxy's `resolveImageUris()` in front of a real moto server started with
// MOTO_LAMBDA_STUB_ECR=false: GetFunction's Code of a container-image function's versions as
// Lambda gives it (each version keeps the image it was published with, ResolvedImageUri is the
// image by digest), where moto's own answer is wrong; and ECR calls recorded as service `ecr`.
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { GetFunctionCommand, PublishVersionCommand, UpdateFunctionCodeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { createImageFunction, createRepository, ecrClient, pushImage } from '../../harness/ecr-fixtures.mjs';
import { lambdaClient } from '../../harness/lambda-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let lambda: LambdaClient;
let repository: string;
const digests: string[] = [];

beforeAll(async () => {
  moto = await startMoto({ env: { MOTO_LAMBDA_STUB_ECR: 'false' } });
  proxy = await startProxy({ target: moto.endpoint });
  lambda = lambdaClient(proxy.endpoint);
  repository = await createRepository(moto.endpoint, 'proxy-images');
  digests.push(await pushImage(moto.endpoint, 'proxy-images', 'v1'), await pushImage(moto.endpoint, 'proxy-images', 'v2'));
});

afterAll(async () => {
  lambda?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

/** Version 1 on v1 by tag, version 2 on v2 by digest, all through the proxy. */
async function twoVersions(name: string) {
  await createImageFunction(proxy.endpoint, { name, imageUri: `${repository}:v1` });
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ImageUri: `${repository}@${digests[1]}` }));
  await lambda.send(new PublishVersionCommand({ FunctionName: name }));
}
const codeOf = async (name: string, qualifier?: string) =>
  (await lambda.send(new GetFunctionCommand({ FunctionName: name, ...(qualifier !== undefined && { Qualifier: qualifier }) }))).Code;

describe('resolveImageUris', () => {
  it('is needed: without it, moto gives version 1 the image of $LATEST and a malformed ResolvedImageUri', async () => {
    proxy.clearBehaviours();
    await twoVersions('images-off');
    const one = await codeOf('images-off', '1');
    expect(one?.ImageUri).toBe(`${repository}@${digests[1]}`);
    expect(one?.ResolvedImageUri).toBe(`${repository}@sha256@${digests[0]}`);
  });

  it('gives each version the image it was published with, and ResolvedImageUri by digest', async () => {
    proxy.clearBehaviours();
    proxy.resolveImageUris();
    await twoVersions('images-on');
    expect(await codeOf('images-on', '1')).toMatchObject({ RepositoryType: 'ECR', ImageUri: `${repository}:v1`, ResolvedImageUri: `${repository}@${digests[0]}` });
    expect(await codeOf('images-on', '2')).toMatchObject({ ImageUri: `${repository}@${digests[1]}`, ResolvedImageUri: `${repository}@${digests[1]}` });
    expect(await codeOf('images-on')).toMatchObject({ ResolvedImageUri: `${repository}@${digests[1]}` });
    // A PublishVersion with nothing changed answers version 2 again: it keeps its image.
    await lambda.send(new PublishVersionCommand({ FunctionName: 'images-on' }));
    expect((await codeOf('images-on', '2'))?.ResolvedImageUri).toBe(`${repository}@${digests[1]}`);
    proxy.clearBehaviours();
    expect((await codeOf('images-on', '1'))?.ResolvedImageUri).toBe(`${repository}@sha256@${digests[0]}`);
  });

  it('records ECR calls as service ecr', async () => {
    proxy.reset();
    const ecr = ecrClient(proxy.endpoint);
    try {
      await ecr.send(new DescribeImagesCommand({ repositoryName: 'proxy-images', imageIds: [{ imageTag: 'v1' }] }));
    } finally {
      ecr.destroy();
    }
    expect(proxy.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(['ecr:DescribeImages']);
  });
});
