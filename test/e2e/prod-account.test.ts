/**
 * Prod in its own account (issue 15), end to end through `node dist/index.js` against moto behind
 * the proxy: moto keeps accounts apart, and credentials from STS AssumeRole of a role in account
 * 210987654321 act in that account.
 * - deploy to dev (the job's own account), promote to prod (stage key `role`): prod's function in
 *   the other account gets a version whose CodeSha256 is dev's, copied byte for byte (downloaded
 *   from dev with dev's credentials, never dev's version reused); status reads both stages, each
 *   with its own credentials (the job's for dev, the role's for prod);
 * - a role STS refuses is refused naming `stages.prod.role` and the ARN, before anything changes;
 * - prod's alias with an AWS_IAM function URL (emulateFunctionUrls) is smoke-tested with requests
 *   signed by the role's credentials (its access key and session token), which are never printed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { createFunction, makeZip, otherAccount, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv } from '../harness/moto.mjs';

const PROD_ROLE = 'arn:aws:iam::210987654321:role/deployer';
const REGION = 'us-east-1';
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;
let prod: LambdaClient;

beforeAll(async () => {
  stack = await startAwsStack('e2e-prod-account-');
  ({ proxy, workspace, lambda } = stack);
  const { credentials, executionRole: role } = await otherAccount(proxy.endpoint, PROD_ROLE, { region: REGION });
  prod = new LambdaClient({ endpoint: proxy.endpoint, region: REGION, credentials });
  // The same function name in both accounts: dev's in the job's own account, prod's in 210987654321.
  const bootstrap = makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => "bootstrap";\n' });
  await createFunction(proxy.endpoint, { name: 'notes', zipPath: bootstrap });
  await prod.send(new CreateFunctionCommand({ FunctionName: 'notes', Role: role, Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: readFileSync(bootstrap) } }));
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:\n  function: notes\n  region: ${REGION}\nstages:\n  dev: {}\n  prod:\n    extends: dev\n    role: ${PROD_ROLE}\n    memory-size: 256\n`,
  );
});

afterAll(() => {
  prod?.destroy();
  return stack?.stop();
});

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', GITHUB_REPOSITORY: 'org/notes', GITHUB_RUN_ID: '77' } });
}

describe('prod in its own account', () => {
  it('promotes dev to prod in the other account with the exact bytes, and status reads both', async () => {
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => "release 1";\n' }).slice(workspace.length + 1);
    const deployed = await run({ stage: 'dev', artifact: zip });
    expect(deployed.code, deployed.stdout).toBe(0);
    const devAlias = await lambda.send(new GetAliasCommand({ FunctionName: 'notes', Name: 'dev' }));
    const devVersion = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'notes', Qualifier: devAlias.FunctionVersion }));

    proxy.reset();
    const promoted = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(promoted.code, promoted.stdout).toBe(0);
    const prodAlias = await prod.send(new GetAliasCommand({ FunctionName: 'notes', Name: 'prod' }));
    expect(prodAlias.AliasArn).toContain(':210987654321:function:notes:prod');
    const prodVersion = await prod.send(new GetFunctionConfigurationCommand({ FunctionName: 'notes', Qualifier: prodAlias.FunctionVersion }));
    expect(prodVersion.CodeSha256).toBe(devVersion.CodeSha256);
    expect(prodVersion.MemorySize).toBe(256);
    // One AssumeRole, named for the repository and the run; dev's code fetched from dev's account.
    const assumed = proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole');
    expect(assumed.map((c) => c.requestBody)).toEqual([expect.objectContaining({ RoleArn: PROD_ROLE, RoleSessionName: 'stage-deploy-org-notes-77' })]);
    expect(proxy.calls.some((c) => c.operation === 'UpdateFunctionCode')).toBe(true);
    // The job's own account has no prod alias: nothing of prod's was written there.
    await expect(lambda.send(new GetAliasCommand({ FunctionName: 'notes', Name: 'prod' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });

    proxy.reset();
    const status = await run({ stage: 'prod', command: 'status' });
    expect(status.code, status.stdout).toBe(0);
    // Each stage read with its own credentials: dev's alias with the job's, prod's with the role's.
    const readers = (alias: string) => new Set(proxy.calls.filter((c) => c.operation === 'GetAlias' && c.path.endsWith(`/aliases/${alias}`)).map((c) => c.accessKeyId));
    expect([...readers('dev')]).toEqual(['testing']);
    expect(readers('prod').size).toBe(1);
    expect([...readers('prod')][0]).not.toBe('testing');
    const summary = status.summary;
    expect(summary).toContain(prodVersion.CodeSha256?.slice(0, 8) ?? 'x');
    expect(summary).not.toContain('does not exist');
  });

  it('refuses a role STS will not let the job assume, naming stages.prod.role, before anything changes', async () => {
    proxy.denyAssumeRole(PROD_ROLE);
    try {
      const before = await snapshotFunction(proxy.endpoint, 'notes');
      proxy.reset();
      const refused = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toContain(`stages.prod.role: "${PROD_ROLE}" cannot be assumed with the job's own credentials (AccessDenied`);
      expect(proxy.calls.filter((c) => c.service === 'lambda')).toEqual([]);
      expect(await snapshotFunction(proxy.endpoint, 'notes')).toEqual(before);
    } finally {
      proxy.clearBehaviours();
    }
  });

  it('signs the smoke test of prod\'s AWS_IAM function URL with the role\'s credentials, and prints neither signature nor token', async () => {
    proxy.emulateFunctionUrls();
    try {
      const { FunctionUrl } = await prod.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'notes', Qualifier: 'prod', AuthType: 'AWS_IAM' }));
      const echoing = `export const handler = async (event) => ({ statusCode: 200, body: 'auth=' + event.headers.authorization + ' token=' + event.headers['x-amz-security-token'] });\n`;
      const zip = makeZip(join(workspace, 'build'), { 'index.mjs': echoing }).slice(workspace.length + 1);
      const deployed = await run({ stage: 'prod', artifact: zip });
      expect(deployed.code, deployed.stdout).toBe(0);
      expect(deployed.outputs.url).toBe(FunctionUrl);
      expect(proxy.functionUrlRequests).toHaveLength(1);
      const [request] = proxy.functionUrlRequests;
      expect(request?.status).toBe(200);
      // Signed with the assumed role's key (moto's STS: not the job's own `testing`) and its session token.
      expect(request?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=(?!testing\/)[^/]+\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=[^,]*x-amz-security-token/);
      expect(request?.securityToken).toBeTruthy();
      const everything = [deployed.stdout, deployed.stderr, deployed.summary, JSON.stringify(deployed.outputs)].join('\n');
      expect(everything).not.toContain(request!.authorization!);
      expect(everything).not.toContain(request!.securityToken!);
    } finally {
      proxy.clearBehaviours();
    }
  });
});
