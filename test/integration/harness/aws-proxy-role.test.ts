// The aws-proxy's denyAssumeRole (STS AccessDenied, which moto never answers: its STS lets anyone
// assume any role), and the action's own STS adapter (src/aws/assume-role.ts) against moto: the
// credentials of a role in another account act in that account.
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { assumeRoleCredentials, AssumeRoleError, roleSessionName } from '../../../src/aws/assume-role.js';
import { signingKeyId } from '../../harness/aws-proxy.mjs';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
import { useProxiedMoto } from '../../harness/proxied-moto.js';

const aws = useProxiedMoto('aws-proxy-role-');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const PROD_ROLE = 'arn:aws:iam::210987654321:role/deployer';

describe('denyAssumeRole', () => {
  it('answers AssumeRole of that role with STS AccessDenied (403), other roles as moto does, until clearBehaviours', async () => {
    const sts = new STSClient({ endpoint: aws.proxy.endpoint, region: 'us-east-1', credentials });
    try {
      aws.proxy.denyAssumeRole(PROD_ROLE);
      const refused = await sts.send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 's' })).catch((e: unknown) => e);
      expect(refused).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      expect((refused as Error).message).toContain(`not authorized to perform: sts:AssumeRole on resource: ${PROD_ROLE}`);
      const other = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::210987654321:role/other', RoleSessionName: 's' }));
      expect(other.Credentials?.AccessKeyId).toBeTruthy();
      expect(aws.proxy.calls.map((c) => [c.service, c.operation, c.status, c.injected === true])).toEqual([
        ['sts', 'AssumeRole', 403, true],
        ['sts', 'AssumeRole', 200, false],
      ]);

      aws.proxy.clearBehaviours();
      expect((await sts.send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 's' }))).Credentials?.AccessKeyId).toBeTruthy();
    } finally {
      sts.destroy();
    }
  });
});

describe('assumeRoleCredentials (src/aws/assume-role.ts)', () => {
  it("gives credentials that act in the role's account, assumed once and kept", async () => {
    const zip = makeZip(aws.tmp, { 'index.mjs': 'export const handler = async () => "dev";\n' });
    await createFunction(aws.proxy.endpoint, { name: 'only-in-dev', zipPath: zip });
    aws.proxy.reset();
    const provider = assumeRoleCredentials(PROD_ROLE, roleSessionName('org/notes', '42'), { region: 'us-east-1' });
    const sts = new STSClient({ region: 'us-east-1', credentials: provider });
    const lambda = new LambdaClient({ region: 'us-east-1', credentials: provider });
    try {
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::210987654321:assumed-role/deployer/stage-deploy-org-notes-42');
      const names = ((await lambda.send(new ListFunctionsCommand({}))).Functions ?? []).map((f) => f.FunctionName);
      expect(names).not.toContain('only-in-dev');
      expect(aws.proxy.calls.filter((c) => c.operation === 'AssumeRole')).toHaveLength(1);
      expect(aws.proxy.calls.find((c) => c.operation === 'AssumeRole')?.requestBody).toMatchObject({ RoleArn: PROD_ROLE, RoleSessionName: 'stage-deploy-org-notes-42' });
    } finally {
      sts.destroy();
      lambda.destroy();
    }
  });

  it('fails with an AssumeRoleError carrying STS AccessDenied when the role is refused', async () => {
    aws.proxy.denyAssumeRole(PROD_ROLE);
    const failed = await assumeRoleCredentials(PROD_ROLE, 'stage-deploy', { region: 'us-east-1' })().catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(AssumeRoleError);
    expect(failed).toMatchObject({ code: 'AccessDenied', roleArn: PROD_ROLE });
    expect((failed as AssumeRoleError).reason).toMatch(/^cannot be assumed with the job's own credentials \(AccessDenied: User: .* is not authorized/);
  });
});

describe('the access key id each call is signed with', () => {
  it("records whose credentials sent a call: the job's own for AssumeRole, the role's for what follows", async () => {
    aws.proxy.reset();
    const provider = assumeRoleCredentials(PROD_ROLE, 'stage-deploy', { region: 'us-east-1' });
    const lambda = new LambdaClient({ region: 'us-east-1', credentials: provider });
    try {
      await lambda.send(new ListFunctionsCommand({}));
      const assumed = (await provider()).accessKeyId;
      expect(assumed).not.toBe('testing');
      expect(aws.proxy.calls.map((c) => [c.service, c.operation, c.accessKeyId])).toEqual([
        ['sts', 'AssumeRole', 'testing'],
        ['lambda', 'ListFunctions', assumed],
      ]);
    } finally {
      lambda.destroy();
    }
  });

  it("reads a presigned URL's X-Amz-Credential, and gives none for an unsigned request", () => {
    expect(signingKeyId({}, new URLSearchParams({ 'X-Amz-Credential': 'ASIAEXAMPLE/20240101/us-east-1/s3/aws4_request' }))).toBe('ASIAEXAMPLE');
    expect(signingKeyId({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/lambda/aws4_request, SignedHeaders=host, Signature=0' })).toBe('AKID');
    expect(signingKeyId({}, new URLSearchParams())).toBeUndefined();
    expect(signingKeyId({ authorization: 'Bearer x' })).toBeUndefined();
  });
});

describe('roleSessionName', () => {
  it("keeps STS's characters and 64 characters at most", () => {
    expect(roleSessionName('org/notes-api', '123')).toBe('stage-deploy-org-notes-api-123');
    expect(roleSessionName('o r g/ä', undefined)).toBe('stage-deploy-o-r-g--');
    expect(roleSessionName(`org/${'x'.repeat(100)}`, '9')).toHaveLength(64);
    expect(roleSessionName(undefined, undefined)).toBe('stage-deploy');
  });
});
