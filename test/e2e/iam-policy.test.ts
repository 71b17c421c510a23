/**
 * The README's IAM policy is exactly what the action calls. Every command runs through
 * `node dist/index.js` behind the recording proxy (deploy without and with s3-bucket, a multipart
 * upload that fails and is aborted, promote by reuse and by re-publish with the code downloaded
 * from Lambda, a canary with alarms and an error-rate gate, a failed first deploy with its
 * diagnosis, keep-versions and log retention, rollback, status; a container-image function deployed
 * by tag and rolled back, and promoted to a stage in another account (`role`), which reads the
 * repository's policy; two releases with provisioned-concurrency; a stage with `role`; a release
 * smoke-tested through an AWS_IAM function URL, whose signed request the proxy records; a preview
 * of a pull request with a public function URL, and its removal); each recorded call is mapped to
 * its IAM action by an explicit table (an operation the table does not know fails the test), and
 * the set is compared with the policy JSON parsed out of README.md: nothing called is missing from
 * it, nothing in it is never called.
 *
 * A stage with `role` (prod in its own account, issue 15) is deployed too, and read by status:
 * STS AssumeRole goes through the same proxy. The proxy records the access key id each call is
 * signed with, so the calls are held to the README's two policies by whose credentials made them:
 * AssumeRole, made with the job's own credentials, to the job role's policy under "## Prod in its
 * own account" (which names the role assumed); everything else, the job's own or the assumed
 * role's, to the deployer policy (the role in the other account carries it too).
 *
 * S3 runs as for a role without s3:ListBucket (proxy.denyListBucket(): HeadObject of a missing
 * key answers 403), the README's decision: ListBucket is not needed, so it is not in the policy.
 *
 * Only the action's own calls count: the test sets up (function, bucket, alarm) on moto
 * directly, the smoke endpoints read moto directly, and calls are collected only while a run of
 * the action is in progress.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteRepositoryPolicyCommand, SetRepositoryPolicyCommand } from '@aws-sdk/client-ecr';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, CreateFunctionUrlConfigCommand, LambdaClient, UpdateFunctionConfigurationCommand, waitUntilFunctionUpdatedV2 } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction, type ActionRun } from '../harness/action.mjs';
import { type AwsProxy, type RecordedCall } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createImageFunction, createRepository, ecrClient, pushImage } from '../harness/ecr-fixtures.mjs';
import { createBucket, createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

/**
 * Each operation the action may send, by service, and the IAM action that authorises it (the
 * Service Authorization Reference: Lambda's Invoke is lambda:InvokeFunction; S3's HeadObject needs
 * s3:GetObject and the multipart calls s3:PutObject, per their API reference pages). `null`: no
 * IAM action of its own.
 */
const IAM_ACTION: Record<string, Record<string, string | null>> = {
  lambda: {
    GetFunction: 'lambda:GetFunction',
    GetFunctionConfiguration: 'lambda:GetFunctionConfiguration',
    UpdateFunctionCode: 'lambda:UpdateFunctionCode',
    UpdateFunctionConfiguration: 'lambda:UpdateFunctionConfiguration',
    PublishVersion: 'lambda:PublishVersion',
    ListVersionsByFunction: 'lambda:ListVersionsByFunction',
    GetAlias: 'lambda:GetAlias',
    CreateAlias: 'lambda:CreateAlias',
    UpdateAlias: 'lambda:UpdateAlias',
    DeleteAlias: 'lambda:DeleteAlias',
    ListAliases: 'lambda:ListAliases',
    DeleteFunction: 'lambda:DeleteFunction',
    Invoke: 'lambda:InvokeFunction',
    GetAccountSettings: 'lambda:GetAccountSettings',
    // provisioned-concurrency (release/capacity.ts); the proxy emulates them (moto has none).
    PutProvisionedConcurrencyConfig: 'lambda:PutProvisionedConcurrencyConfig',
    GetProvisionedConcurrencyConfig: 'lambda:GetProvisionedConcurrencyConfig',
    DeleteProvisionedConcurrencyConfig: 'lambda:DeleteProvisionedConcurrencyConfig',
    // Function URLs (issue 15): the alias's URL as the smoke target, and status's check for a URL on $LATEST.
    GetFunctionUrlConfig: 'lambda:GetFunctionUrlConfig',
    ListFunctionUrlConfigs: 'lambda:ListFunctionUrlConfigs',
    // The smoke test's SigV4-signed request to an AWS_IAM function URL: no Lambda API call, so
    // the SDK never sends it; the proxy (emulateFunctionUrls) records each request whose signature
    // it accepts under this name, as the action it needs ("Control access to Lambda function URLs").
    InvokeFunctionUrl: 'lambda:InvokeFunctionUrl',
    // Previews (issue 18): each pull request's alias gets its own URL, deleted with it; AuthType
    // NONE needs the alias's resource-based policy to grant public access (urls-auth.html).
    CreateFunctionUrlConfig: 'lambda:CreateFunctionUrlConfig',
    DeleteFunctionUrlConfig: 'lambda:DeleteFunctionUrlConfig',
    AddPermission: 'lambda:AddPermission',
    // The GET of GetFunction's presigned Code.Location (served by the proxy): authorised by the
    // signature lambda:GetFunction produced, no action of its own.
    DownloadCode: null,
  },
  s3: {
    HeadObject: 's3:GetObject',
    GetObject: 's3:GetObject',
    PutObject: 's3:PutObject',
    CreateMultipartUpload: 's3:PutObject',
    UploadPart: 's3:PutObject',
    CompleteMultipartUpload: 's3:PutObject',
    AbortMultipartUpload: 's3:AbortMultipartUpload',
  },
  cloudwatch: {
    DescribeAlarms: 'cloudwatch:DescribeAlarms',
    GetMetricData: 'cloudwatch:GetMetricData',
  },
  // Resolving an image's tag to its digest, and checking a rollback's image is still there.
  // (Lambda's own pull, ecr:BatchGetImage and ecr:GetDownloadUrlForLayer, is granted to Lambda by
  // the repository's policy: not a call of the action.)
  ecr: {
    DescribeImages: 'ecr:DescribeImages',
    // A promote of an image into another account reads the repository's policy (as the source stage).
    GetRepositoryPolicy: 'ecr:GetRepositoryPolicy',
  },
  logs: {
    DescribeLogGroups: 'logs:DescribeLogGroups',
    CreateLogGroup: 'logs:CreateLogGroup',
    PutRetentionPolicy: 'logs:PutRetentionPolicy',
    FilterLogEvents: 'logs:FilterLogEvents',
  },
  // A stage's `role` (issue 15), assumed with the job's own credentials.
  sts: {
    AssumeRole: 'sts:AssumeRole',
  },
};

type Policy = { Statement: { Sid?: string; Effect: string; Principal?: unknown; Action: string | string[]; Resource: string | string[] }[] };

/** Every ```json block of the README section under `heading` (up to the next `## `). */
function readmeJsonBlocks(heading: string): Policy[] {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README.md has a section "${heading}"`).toBeGreaterThanOrEqual(0);
  const section = readme.slice(start + 1);
  const end = section.indexOf('\n## ', 1);
  const blocks = [...(end > 0 ? section.slice(0, end) : section).matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1] ?? '') as Policy);
  expect(blocks.length, `the section "${heading}" holds a \`\`\`json block`).toBeGreaterThan(0);
  return blocks;
}

/**
 * The job role's policy under "## Prod in its own account": of that section's JSON, the one
 * permission policy (the others are trust policies, whose statements name a Principal).
 */
function readmeJobRolePolicy(): Policy {
  const policies = readmeJsonBlocks('## Prod in its own account').filter((p) => p.Statement.every((s) => s.Principal === undefined));
  expect(policies, 'one permission policy (no Principal) for the job role under "## Prod in its own account"').toHaveLength(1);
  return policies[0] as Policy;
}

/** The policy JSON under "## IAM permissions for the deployer role" in README.md (its first block). */
function readmePolicy(): Policy {
  return readmeJsonBlocks('## IAM permissions for the deployer role')[0] as Policy;
}

function policyActions(policy: Policy): Set<string> {
  const actions = new Set<string>();
  for (const statement of policy.Statement) {
    expect(statement.Effect).toBe('Allow');
    for (const action of [statement.Action].flat()) {
      // A wildcard would grant what nobody checked.
      expect(action, 'no wildcard actions').not.toContain('*');
      actions.add(action);
    }
  }
  return actions;
}

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';
const FN = 'iam-fn';
const BUCKET = 'iam-artifacts';
const IMAGE_FN = 'iam-image-fn';
/** The role the README's job-role policy names: a stage's `role`, in the other account. */
const PROD_ROLE = 'arn:aws:iam::210987654321:role/deployer';
/** The job's own access key id (awsEnv): calls signed with any other are the assumed role's. */
const JOB_KEY = 'testing';
const XPROD_FN = 'iam-xprod-fn';
const XPROD_ROLE = PROD_ROLE;
const REPO = 'iam-images';
let repository = '';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let stack: AwsStack | undefined;
/** What the action sent, run by run: only calls made while a run was in progress. */
const actionCalls: RecordedCall[] = [];

beforeAll(async () => {
  stack = await startAwsStack('e2e-iam-', { images: true });
  ({ moto, proxy, workspace } = stack);
  // Set-up on moto directly, never through the proxy: none of it is the action's.
  await createFunction(moto.endpoint, { name: FN, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }), environment: { KEEP: 'me' } });
  await createBucket(moto.endpoint, BUCKET);
  repository = await createRepository(moto.endpoint, REPO);
  await pushImage(moto.endpoint, REPO, 'v1');
  await createImageFunction(moto.endpoint, { name: IMAGE_FN, imageUri: `${repository}:v1` });
  const cloudwatch = new CloudWatchClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: 'iam-5xx',
        MetricName: '5XXError',
        Namespace: 'AWS/ApiGateway',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      }),
    );
  } finally {
    cloudwatch.destroy();
  }
  // The same function in the other account (set up with the role's credentials, on moto directly).
  const sts = new STSClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: { accessKeyId: JOB_KEY, secretAccessKey: 'testing' } });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 'test-setup' }))).Credentials;
  sts.destroy();
  const prodCredentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: prodCredentials });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const execRole = (await iam.send(new CreateRoleCommand({ RoleName: 'iam-exec', AssumeRolePolicyDocument: trust }))).Role?.Arn;
  iam.destroy();
  const prodLambda = new LambdaClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: prodCredentials });
  try {
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler('other account') });
    await prodLambda.send(new CreateFunctionCommand({ FunctionName: FN, Role: execRole, Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: readFileSync(zip) } }));
  } finally {
    prodLambda.destroy();
  }
  const urls: Record<string, string> = {};
  for (const alias of ['dev', 'qa', 'prod', 'big', 'fresh']) {
    const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias, codeRoots: [workspace] });
    stack.stops.push(endpoint.stop);
    urls[alias] = `${endpoint.url}/health`;
  }
  const smoke = (alias: string, extra = '') => `{ url: "${urls[alias]}", expect-body: '"status":"ok"', attempts: 2, interval: 50ms${extra} }`;
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults: { function: ${FN}, region: us-east-1 }
stages:
  dev:
    environment: { TABLE: dev }
    log-retention-days: 7
    smoke: ${smoke('dev', ', invoke: true')}
  qa:
    extends: dev
    smoke: ${smoke('qa', ', invoke: true')}
  big:
    s3-bucket: ${BUCKET}
    s3-prefix: stage-deploy/
    smoke: ${smoke('big')}
  fresh:
    smoke: ${smoke('fresh')}
  image: { function: ${IMAGE_FN} }
  xprod: { function: ${XPROD_FN}, role: '${XPROD_ROLE}' }
  warm: { provisioned-concurrency: 2 }
  elsewhere: { role: ${PROD_ROLE} }
  edge: { alias: edge }
  preview: { preview: { url: { auth: NONE } } }
  prod:
    environment: { TABLE: prod }
    traffic: canary 50% 1s
    alarms: [iam-5xx]
    max-error-rate: 50%
    keep-versions: 2
    smoke: ${smoke('prod')}
`,
  );
});

afterAll(() => stack?.stop());

async function run(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const from = proxy.calls.length;
  const result = await runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', ...env } });
  actionCalls.push(...proxy.calls.slice(from));
  return result;
}
const artifact = (files: Record<string, string>) => makeZip(join(workspace, 'build'), files).slice(workspace.length + 1);
const errorsOf = (result: ActionRun) => annotations(result.stdout).filter((a) => a.kind === 'error');

/**
 * XPROD_FN in account 210987654321 (the role's), an image function on dev's repository: created
 * through the proxy (enforceImagePullPolicy) while the repository's policy allows that account,
 * which is then removed. Set-up, not the action's: made outside run().
 */
async function createCrossAccountImageFunction(): Promise<void> {
  const sts = new STSClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: XPROD_ROLE, RoleSessionName: 'test-setup' }))).Credentials;
  sts.destroy();
  const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials });
  const assume = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const role = (await iam.send(new CreateRoleCommand({ RoleName: 'xprod-exec', AssumeRolePolicyDocument: assume }))).Role?.Arn;
  iam.destroy();
  const ecr = ecrClient(moto.endpoint);
  const prod = new LambdaClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials });
  try {
    const policyText = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] }] });
    await ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPO, policyText }));
    await prod.send(new CreateFunctionCommand({ FunctionName: XPROD_FN, Role: role, PackageType: 'Image', Code: { ImageUri: `${repository}:v1` } }));
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: REPO }));
  } finally {
    ecr.destroy();
    prod.destroy();
  }
}

describe('the README IAM policy is exactly what the action calls', () => {
  it('runs every command behind the recording proxy', async () => {
    proxy.denyListBucket();

    // Deploy without S3; the invoke check; log retention on a group that does not exist yet.
    const dev = await run({ stage: 'dev', artifact: artifact({ 'index.mjs': handler('one') }) });
    expect(errorsOf(dev)).toEqual([]);
    expect(dev.outputs).toMatchObject({ status: 'deployed', version: '1' });

    // Promote by reuse: qa's settings are dev's, so dev's version is promoted as it is.
    const qa = await run({ stage: 'qa', command: 'promote', 'promote-from': 'dev' });
    expect(errorsOf(qa)).toEqual([]);
    expect(qa.outputs).toMatchObject({ status: 'promoted', version: '1' });

    // Deploy through S3 (a HEAD that answers 403, then PutObject), its version published Pending
    // as Lambda may answer: the action waits for Active (GetFunctionConfiguration, the SDK's waiter).
    proxy.publishPending(300);
    const big = await run({ stage: 'big', artifact: artifact({ 'index.mjs': handler('two') }) });
    proxy.publishPending(0);
    expect(errorsOf(big)).toEqual([]);
    expect(big.outputs).toMatchObject({ status: 'deployed', version: '2' });

    // A multipart upload (above the store's 6 MiB part) whose part S3 refuses: the upload is aborted.
    // Every attempt is refused, as a missing permission is: an answer that comes before the part's
    // body is sent can reach the SDK as a broken connection, which it retries (two parts, five
    // attempts each).
    proxy.failOperation('UploadPart', { status: 403, type: 'AccessDenied', message: 'Access Denied', times: 10 });
    const large = await run({ stage: 'big', artifact: artifact({ 'index.mjs': handler('large'), 'padding.txt': randomBytes(9 * 1024 * 1024).toString('base64') }) });
    // On a failure, which S3 calls the upload made and how they were answered.
    const s3Calls = JSON.stringify(proxy.calls.filter((c) => c.service === 's3').slice(-8).map((c) => [c.operation, c.status, c.injected ?? false]));
    expect(large.code, s3Calls).not.toBe(0);
    expect(large.outputs.status).toBe('failed');
    proxy.clearBehaviours();
    proxy.denyListBucket();

    // A first deploy whose smoke test fails: the new alias is deleted, and the failure diagnosed (logs, metrics).
    const fresh = await run({ stage: 'fresh', artifact: artifact({ 'index.mjs': BROKEN }) });
    expect(fresh.code).not.toBe(0);
    expect(fresh.outputs.status).toBe('rolled-back');

    // Promote by re-publish: $LATEST no longer holds dev's code, which is downloaded from Lambda.
    const prodOne = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(errorsOf(prodOne)).toEqual([]);
    expect(prodOne.outputs).toMatchObject({ status: 'promoted', version: '4' });

    // Another release to dev, promoted to prod as a canary with its gates; keep-versions prunes.
    expect((await run({ stage: 'dev', artifact: artifact({ 'index.mjs': handler('three') }) })).outputs).toMatchObject({ status: 'deployed', version: '5' });
    const prodTwo = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(errorsOf(prodTwo)).toEqual([]);
    expect(prodTwo.outputs).toMatchObject({ status: 'promoted', version: '6', 'previous-version': '4' });

    const rollback = await run({ stage: 'prod', command: 'rollback' });
    expect(errorsOf(rollback)).toEqual([]);
    expect(rollback.outputs).toMatchObject({ status: 'rolled-back', version: '4' });

    // A container-image function: each tag resolved to its digest (DescribeImages), then a
    // rollback that checks that the earlier version's image is still in ECR.
    proxy.resolveImageUris();
    await pushImage(moto.endpoint, REPO, 'v2');
    await pushImage(moto.endpoint, REPO, 'v3');
    expect((await run({ stage: 'image', image: `${repository}:v2` })).outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect((await run({ stage: 'image', image: `${repository}:v3` })).outputs).toMatchObject({ status: 'deployed', version: '2' });
    const imageBack = await run({ stage: 'image', command: 'rollback' });
    expect(errorsOf(imageBack)).toEqual([]);
    expect(imageBack.outputs).toMatchObject({ status: 'rolled-back', version: '1' });

    // A promote of that image into a stage in another account (`role`) whose function was created
    // from dev's repository while its policy allowed it: the policy is read (as dev's account), and
    // the promote refused now that the policy is gone, before any change.
    proxy.enforceImagePullPolicy();
    await createCrossAccountImageFunction();
    const crossAccount = await run({ stage: 'xprod', command: 'promote', 'promote-from': 'image' });
    expect(crossAccount.code).not.toBe(0);
    expect(errorsOf(crossAccount).map((a) => a.message).join('\n')).toContain('has no repository policy');
    proxy.enforceImagePullPolicy(false);

    // SnapStart on (the user's own setting, sent through the proxy, which emulates it; not the
    // action's call): the new version is held until Active and optimized (GetFunctionConfiguration).
    proxy.emulateSnapStart({ pendingMs: 500 });
    const user = lambdaClient(proxy.endpoint);
    try {
      await user.send(new UpdateFunctionConfigurationCommand({ FunctionName: FN, SnapStart: { ApplyOn: 'PublishedVersions' } }));
      await waitUntilFunctionUpdatedV2({ client: user, maxWaitTime: 10, minDelay: 0.1, maxDelay: 0.2 }, { FunctionName: FN });
    } finally {
      user.destroy();
    }
    const snap = await run({ stage: 'dev', artifact: artifact({ 'index.mjs': handler('snap') }) });
    expect(errorsOf(snap)).toEqual([]);
    expect(snap.outputs.status).toBe('deployed');

    // provisioned-concurrency: the new version warmed (Put, Get until READY) before the alias
    // moves; the second release gives the first version's capacity back (Delete).
    proxy.emulateProvisionedConcurrency({ readyAfterMs: 200 });
    const warmOne = await run({ stage: 'warm', artifact: artifact({ 'index.mjs': handler('warm-one') }) });
    expect(errorsOf(warmOne)).toEqual([]);
    expect(warmOne.outputs.status).toBe('deployed');
    const warmTwo = await run({ stage: 'warm', artifact: artifact({ 'index.mjs': handler('warm-two') }) });
    expect(errorsOf(warmTwo)).toEqual([]);
    expect(warmTwo.outputs.status).toBe('deployed');

    // A stage in another account: its role assumed (STS, through the proxy), then deployed there.
    const elsewhere = await run({ stage: 'elsewhere', artifact: artifact({ 'index.mjs': handler('elsewhere') }) });
    expect(errorsOf(elsewhere)).toEqual([]);
    expect(elsewhere.outputs).toMatchObject({ status: 'deployed', version: '1' });
    expect(elsewhere.outputs['alias-arn']).toContain(':210987654321:function:');

    // An alias whose function URL has AuthType AWS_IAM, and no smoke.url: the smoke test signs its
    // request to the URL. The first release creates the alias; the URL is put on it (the user's
    // call, not the action's); the second release is smoke-tested through it.
    proxy.emulateFunctionUrls();
    expect((await run({ stage: 'edge', artifact: artifact({ 'index.mjs': handler('edge-one') }) })).outputs.status).toBe('deployed');
    const owner = lambdaClient(proxy.endpoint);
    try {
      await owner.send(new CreateFunctionUrlConfigCommand({ FunctionName: FN, Qualifier: 'edge', AuthType: 'AWS_IAM' }));
    } finally {
      owner.destroy();
    }
    const edge = await run({ stage: 'edge', artifact: artifact({ 'index.mjs': handler('edge-two') }) });
    expect(errorsOf(edge)).toEqual([]);
    expect(edge.outputs.status).toBe('deployed');
    expect(proxy.functionUrlRequests.map((r) => r.status)).toEqual([200]);

    // A preview for pull request 9 with a public (NONE) function URL, then its removal on close.
    const event = join(workspace, 'pull-request-event.json');
    writeFileSync(event, JSON.stringify({ action: 'opened', number: 9, pull_request: { number: 9 } }));
    const pr = { GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'pull_request' };
    const preview = await run({ stage: 'preview', command: 'preview', artifact: artifact({ 'index.mjs': handler('preview') }) }, pr);
    expect(errorsOf(preview)).toEqual([]);
    expect(preview.outputs.status).toBe('deployed');
    const removed = await run({ stage: 'preview', command: 'remove' }, pr);
    expect(errorsOf(removed)).toEqual([]);
    expect(removed.outputs.status).toBe('removed');
    proxy.clearBehaviours();
    proxy.denyListBucket();

    const status = await run({ stage: 'prod', command: 'status' });
    expect(errorsOf(status)).toEqual([]);

    // The scenario did what it is there for.
    const ops = new Set(actionCalls.map((c) => `${c.service}:${c.operation}`));
    for (const op of ['lambda:DownloadCode', 'lambda:Invoke', 'lambda:DeleteAlias', 'lambda:DeleteFunction', 's3:AbortMultipartUpload', 'logs:CreateLogGroup', 'logs:FilterLogEvents', 'cloudwatch:GetMetricData', 'ecr:DescribeImages', 'ecr:GetRepositoryPolicy', 'lambda:GetFunctionConfiguration', 'lambda:PutProvisionedConcurrencyConfig', 'lambda:GetProvisionedConcurrencyConfig', 'lambda:DeleteProvisionedConcurrencyConfig', 'lambda:GetFunctionUrlConfig', 'lambda:ListFunctionUrlConfigs', 'lambda:InvokeFunctionUrl', 'lambda:CreateFunctionUrlConfig', 'lambda:DeleteFunctionUrlConfig', 'lambda:AddPermission', 'sts:AssumeRole']) {
      expect(ops, op).toContain(op);
    }
    // The role's credentials did the work in the other account.
    expect(actionCalls.filter((c) => c.accessKeyId !== undefined && c.accessKeyId !== JOB_KEY).map((c) => c.operation)).toEqual(
      expect.arrayContaining(['PublishVersion', 'CreateAlias']),
    );
    expect(actionCalls.find((c) => c.operation === 'HeadObject')?.status).toBe(403);
    // Some twenty runs of the action: more than the e2e default of 60 s on a busy machine.
  }, 180_000);

  it('every call maps to an IAM action, and the policy holds exactly those', () => {
    expect(actionCalls.length).toBeGreaterThan(0);
    const unknown = new Set<string>();
    const called = new Set<string>();
    for (const call of actionCalls) {
      const table = IAM_ACTION[call.service];
      if (table === undefined || !(call.operation in table)) {
        unknown.add(`${call.service} ${call.operation} (${call.method} ${call.path})`);
        continue;
      }
      const action = table[call.operation];
      if (action) called.add(action);
    }
    expect.soft([...unknown], 'operations with no IAM action in the table: add them, then to the README policy').toEqual([]);

    // AssumeRole: made with the job's own credentials (never with a role's), held to the job
    // role's policy, whose Resource names each role assumed; nothing else is in that policy.
    const assumeCalls = actionCalls.filter((c) => c.service === 'sts');
    expect(assumeCalls.length).toBeGreaterThan(0);
    expect(assumeCalls.map((c) => c.accessKeyId ?? JOB_KEY).filter((key) => key !== JOB_KEY), 'STS calls made with an assumed role').toEqual([]);
    const jobPolicy = readmeJobRolePolicy();
    expect([...policyActions(jobPolicy)].sort()).toEqual([...new Set(assumeCalls.map((c) => IAM_ACTION.sts?.[c.operation]))].sort());
    const resources = new Set(jobPolicy.Statement.flatMap((st) => [st.Resource].flat()));
    for (const call of assumeCalls) expect(resources, 'the job role may assume the role the stage names').toContain(call.requestBody?.RoleArn);

    // Everything else, the job's own calls and the assumed role's: the deployer policy.
    for (const action of [...called]) if (action.startsWith('sts:')) called.delete(action);
    const policy = readmePolicy();
    const granted = policyActions(policy);
    expect.soft([...called].filter((a) => !granted.has(a)).sort(), 'called, but missing from the README policy').toEqual([]);
    expect.soft([...granted].filter((a) => !called.has(a)).sort(), 'in the README policy, but never called').toEqual([]);
    // s3:ListBucket is not needed (a 403 on HEAD reads as absent): the runs above had none.
    expect(granted.has('s3:ListBucket')).toBe(false);
    // An account-level action is granted on "*" (it has no resource to scope it to).
    const account = policy.Statement.find((s) => [s.Action].flat().includes('lambda:GetAccountSettings'));
    expect(account?.Resource).toBe('*');
  });
});
