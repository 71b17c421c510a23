// The aws-proxy's `enforceImagePullPolicy()` in front of a real moto server started with
// MOTO_LAMBDA_STUB_ECR=false: a function in account B (credentials from STS AssumeRole of a role
// in B) given an image of account A's ECR. moto alone looks for the repository in B's ECR and
// never reads repository policies; with the switch, Lambda's rule holds (the repository policy must
// allow B ecr:BatchGetImage and ecr:GetDownloadUrlForLayer) and an allowed image resolves to its digest.
import { DeleteRepositoryPolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { IAMClient, CreateRoleCommand } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { createImageFunction, createRepository, ecrClient, pushImage } from '../../harness/ecr-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';

const B = '210987654321';
const REPO = 'shared-images';
const BOTH = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let prod: LambdaClient;
let role: string;
let repository: string;
const digests: string[] = [];

beforeAll(async () => {
  moto = await startMoto({ env: { MOTO_LAMBDA_STUB_ECR: 'false' } });
  proxy = await startProxy({ target: moto.endpoint });
  repository = await createRepository(moto.endpoint, REPO);
  digests.push(await pushImage(moto.endpoint, REPO, 'v1'), await pushImage(moto.endpoint, REPO, 'v2'));
  const sts = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/deployer`, RoleSessionName: 'test' }))).Credentials;
  sts.destroy();
  const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  prod = new LambdaClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  role = (await iam.send(new CreateRoleCommand({ RoleName: 'exec', AssumeRolePolicyDocument: assume }))).Role?.Arn ?? '';
  iam.destroy();
});

afterAll(async () => {
  prod?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

async function setPolicy(statements: unknown[] | undefined) {
  const ecr = ecrClient(moto.endpoint);
  try {
    if (statements === undefined) await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: REPO })).catch(() => undefined);
    else await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPO, policyText: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }));
  } finally {
    ecr.destroy();
  }
}
const createInB = (name: string, imageUri: string) =>
  prod.send(new CreateFunctionCommand({ FunctionName: name, Role: role, PackageType: 'Image', Code: { ImageUri: imageUri } }));

describe('enforceImagePullPolicy', () => {
  it("is needed: without it, moto looks for another account's repository in the function's own account", async () => {
    proxy.clearBehaviours();
    await setPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: BOTH }]);
    await expect(createInB('off', `${repository}:v1`)).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: expect.stringContaining(`registry with id '${B}'`) });
  });

  it("refuses, as Lambda does, an image whose repository has no policy, or one that does not allow the function's account", async () => {
    proxy.clearBehaviours();
    proxy.enforceImagePullPolicy();
    await setPolicy(undefined);
    const refused = { name: 'AccessDeniedException', message: 'Lambda does not have permission to access the ECR image. Check the ECR permissions.', $metadata: expect.objectContaining({ httpStatusCode: 403 }) };
    await expect(createInB('none', `${repository}:v1`)).rejects.toMatchObject(refused);
    await setPolicy([{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: BOTH }]);
    await expect(createInB('other', `${repository}:v1`)).rejects.toMatchObject(refused);
    await setPolicy([{ Effect: 'Allow', Principal: { AWS: B }, Action: 'ecr:BatchGetImage' }]);
    await expect(createInB('one', `${repository}:v1`)).rejects.toMatchObject(refused);
  });

  it("pulls an allowed image: CreateFunction and UpdateFunctionCode resolve to its digest; a refused update leaves the code as it was", async () => {
    proxy.clearBehaviours();
    proxy.enforceImagePullPolicy();
    await setPolicy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:role/deployer` }, Action: 'ecr:*' }]);
    const created = await createInB('allowed', `${repository}:v1`);
    expect(created.FunctionArn).toContain(`:${B}:function:allowed`);
    expect(created.CodeSha256).toBe(digests[0]?.slice('sha256:'.length));
    await prod.send(new UpdateFunctionCodeCommand({ FunctionName: 'allowed', ImageUri: `${repository}@${digests[1]}` }));
    expect((await prod.send(new GetFunctionConfigurationCommand({ FunctionName: 'allowed' }))).CodeSha256).toBe(digests[1]?.slice('sha256:'.length));

    await setPolicy(undefined);
    proxy.reset();
    await expect(prod.send(new UpdateFunctionCodeCommand({ FunctionName: 'allowed', ImageUri: `${repository}@${digests[0]}` }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect(proxy.calls.filter((c) => c.operation === 'UpdateFunctionCode').map((c) => c.status)).toEqual([403]);
    expect((await prod.send(new GetFunctionConfigurationCommand({ FunctionName: 'allowed' }))).CodeSha256).toBe(digests[1]?.slice('sha256:'.length));
  });

  it('leaves an image of the caller\'s own account alone', async () => {
    proxy.clearBehaviours();
    proxy.enforceImagePullPolicy();
    await setPolicy(undefined);
    const created = await createImageFunction(proxy.endpoint, { name: 'same-account', imageUri: `${repository}:v2` });
    expect(created.CodeSha256).toBe(digests[1]?.slice('sha256:'.length));
  });
});
