/**
 * Prod in its own account, container images (issue 15), end to end through `node dist/index.js`
 * against moto (MOTO_LAMBDA_STUB_ECR=false) behind the proxy, with enforceImagePullPolicy: a
 * function in account 210987654321 (prod, stage key `role`) may run an image of dev's ECR (the
 * job's own account, 123456789012) only when the repository's policy allows prod's account
 * ecr:BatchGetImage and ecr:GetDownloadUrlForLayer, as Lambda requires.
 * - the policy allows it: promote dev → prod publishes dev's exact digest in prod;
 * - no policy: refused before any change in prod, naming the repository, the account, the actions;
 * - the policy cannot be read (GetRepositoryPolicy denied): a warning, and Lambda's own refusal
 *   of the pull is named with the permissions it needs; nothing published, the alias untouched.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteRepositoryPolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import {
  CreateFunctionCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction, type ActionRun } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createImageFunction, createRepository, ecrClient, pushImage } from '../harness/ecr-fixtures.mjs';
import { otherAccount } from '../harness/lambda-fixtures.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const B = '210987654321';
const PROD_ROLE = `arn:aws:iam::${B}:role/deployer`;
const REGION = 'us-east-1';
const REPO = 'notes-shared';
const CHANGES = ['UpdateFunctionCode', 'UpdateFunctionConfiguration', 'PublishVersion', 'CreateAlias', 'UpdateAlias'];
let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;
let prod: LambdaClient;
let repository: string;

beforeAll(async () => {
  stack = await startAwsStack('e2e-prod-images-', { images: true });
  ({ moto, proxy, workspace, lambda } = stack);
  proxy.enforceImagePullPolicy();
  repository = await createRepository(moto.endpoint, REPO);
  await pushImage(moto.endpoint, REPO, 'v1');
  await setPolicy(true);
  const { credentials, executionRole: role } = await otherAccount(proxy.endpoint, PROD_ROLE, { region: REGION });
  prod = new LambdaClient({ endpoint: proxy.endpoint, region: REGION, credentials });
  // dev's function in the job's own account, prod's in 210987654321: both from dev's repository.
  await createImageFunction(proxy.endpoint, { name: 'notes-dev', imageUri: `${repository}:v1` });
  await prod.send(new CreateFunctionCommand({ FunctionName: 'notes-prod', Role: role, PackageType: 'Image', Code: { ImageUri: `${repository}:v1` } }));
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:\n  region: ${REGION}\nstages:\n  dev:\n    function: notes-dev\n  prod:\n    function: notes-prod\n    role: ${PROD_ROLE}\n`,
  );
});

afterAll(() => {
  prod?.destroy();
  return stack?.stop();
});

/** dev's repository policy: allowing prod's account the pull (as the README shows), or none. */
async function setPolicy(allow: boolean) {
  const ecr = ecrClient(moto.endpoint);
  try {
    if (!allow) {
      await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: REPO })).catch(() => undefined);
      return;
    }
    const policyText = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'CrossAccountPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
        {
          Sid: 'LambdaPull',
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          Condition: { StringLike: { 'aws:sourceARN': `arn:aws:lambda:${REGION}:${B}:function:*` } },
        },
      ],
    });
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPO, policyText }));
  } finally {
    ecr.destroy();
  }
}

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', GITHUB_REPOSITORY: 'org/notes', GITHUB_RUN_ID: '78' } });
}
const errorsOf = (result: ActionRun) => annotations(result.stdout).filter((a) => a.kind === 'error').map((a) => a.message);
const warningsOf = (result: ActionRun) => annotations(result.stdout).filter((a) => a.kind === 'warning').map((a) => a.message);
const changesMade = () => proxy.calls.filter((c) => c.service === 'lambda' && CHANGES.includes(c.operation)).map((c) => c.operation);

/** prod's function as it stands: $LATEST's code and settings, its versions and aliases. */
async function prodState() {
  const latest = await prod.send(new GetFunctionConfigurationCommand({ FunctionName: 'notes-prod' }));
  const versions = (await prod.send(new ListVersionsByFunctionCommand({ FunctionName: 'notes-prod' }))).Versions ?? [];
  const aliases = (await prod.send(new ListAliasesCommand({ FunctionName: 'notes-prod' }))).Aliases ?? [];
  return {
    codeSha256: latest.CodeSha256,
    memorySize: latest.MemorySize,
    revisionId: latest.RevisionId,
    versions: versions.map((v) => `${v.Version}:${v.CodeSha256}`),
    aliases: aliases.map((a) => `${a.Name}:${a.FunctionVersion}`),
  };
}

async function deployDev(tag: string): Promise<string> {
  const digest = await pushImage(moto.endpoint, REPO, tag);
  const deployed = await run({ stage: 'dev', image: `${repository}:${tag}` });
  expect(errorsOf(deployed)).toEqual([]);
  expect(deployed.code, deployed.stdout).toBe(0);
  return digest;
}

describe("prod in its own account, running dev's container images", () => {
  it("promotes dev's exact digest to prod when the repository's policy allows prod's account", async () => {
    await setPolicy(true);
    const digest = await deployDev('v2');
    const devAlias = await lambda.send(new GetAliasCommand({ FunctionName: 'notes-dev', Name: 'dev' }));
    const devVersion = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'notes-dev', Qualifier: devAlias.FunctionVersion }));
    expect(devVersion.CodeSha256).toBe(digest.slice('sha256:'.length));

    proxy.reset();
    const promoted = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(errorsOf(promoted)).toEqual([]);
    expect(promoted.code, promoted.stdout).toBe(0);
    const prodAlias = await prod.send(new GetAliasCommand({ FunctionName: 'notes-prod', Name: 'prod' }));
    expect(prodAlias.AliasArn).toContain(`:${B}:function:notes-prod:prod`);
    const prodVersion = await prod.send(new GetFunctionConfigurationCommand({ FunctionName: 'notes-prod', Qualifier: prodAlias.FunctionVersion }));
    expect(prodVersion.CodeSha256).toBe(devVersion.CodeSha256);
    // The image by its digest, from dev's registry; the policy read once, as dev's account.
    const sent = proxy.calls.filter((c) => c.operation === 'UpdateFunctionCode').map((c) => (c.requestBody as { ImageUri?: string } | undefined)?.ImageUri);
    expect(sent).toEqual([`${repository}@${digest}`]);
    expect(proxy.calls.filter((c) => c.service === 'ecr' && c.operation === 'GetRepositoryPolicy').map((c) => c.requestBody)).toEqual([
      { registryId: '123456789012', repositoryName: REPO },
    ]);
  });

  it("refuses, before any change in prod, an image whose repository does not allow prod's account", async () => {
    await setPolicy(false);
    await deployDev('v3');
    const before = await prodState();
    proxy.reset();
    const refused = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(refused.code).not.toBe(0);
    const [message] = errorsOf(refused);
    expect(message).toContain(`ECR repository ${REPO} of account 123456789012 has no repository policy`);
    expect(message).toContain(`function notes-prod in account ${B} cannot pull its image without ecr:BatchGetImage and ecr:GetDownloadUrlForLayer`);
    expect(message).toContain(`"AWS":"arn:aws:iam::${B}:root"`);
    expect(changesMade()).toEqual([]);
    expect(await prodState()).toEqual(before);
  });

  it("warns when the policy cannot be read, and names the permissions when Lambda then refuses the pull; nothing published", async () => {
    await setPolicy(false);
    const before = await prodState();
    proxy.failOperation('GetRepositoryPolicy', { status: 400, type: 'AccessDeniedException', message: 'not authorized to perform: ecr:GetRepositoryPolicy' });
    proxy.reset();
    const refused = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(refused.code).not.toBe(0);
    expect(warningsOf(refused)).toContainEqual(expect.stringContaining(`could not read the policy of ECR repository ${REPO} of account 123456789012`));
    const errors = errorsOf(refused).join('\n');
    expect(errors).toContain('Lambda cannot pull image');
    expect(errors).toContain('Lambda does not have permission to access the ECR image');
    expect(errors).toContain("must allow the function's account ecr:BatchGetImage and ecr:GetDownloadUrlForLayer");
    expect(changesMade().filter((op) => op !== 'UpdateFunctionCode')).toEqual([]);
    expect(await prodState()).toEqual(before);
  });
});
