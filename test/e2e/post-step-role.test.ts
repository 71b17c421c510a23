/**
 * The post step of a stage in another account (issue 15, stage key `role`), end to end through
 * `node dist/index.js` against moto behind the proxy (moto keeps accounts apart; credentials from
 * STS AssumeRole of a role in 210987654321 act in that account). The same function name, with an
 * alias prod, lives in both accounts, so an alias put back in the wrong account would show.
 * - A canary to prod killed (SIGKILL) after the shift: the saved state names the role and holds
 *   no credentials; the post step assumes the role again and puts prod's alias back in THAT
 *   account, the job's own account untouched.
 * - The same, with the role no longer assumable when the post step runs: one error naming the
 *   role, and the alias left as the kill left it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateAliasCommand, CreateFunctionCommand, GetAliasCommand, LambdaClient, PublishVersionCommand } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const PROD_ROLE = 'arn:aws:iam::210987654321:role/deployer';
const REGION = 'us-east-1';
const FN = 'notes';
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;

let stack: AwsStack | undefined;
let proxy: AwsProxy;
let workspace: string;
/** The job's own account. */
let own: LambdaClient;
/** The prod account (210987654321), through the assumed role. */
let prod: LambdaClient;
/** RUNNER_TEMP, shared by a main step and its post step as on a runner. */
let runnerTemp: string;

beforeAll(async () => {
  stack = await startAwsStack('e2e-post-step-role-');
  ({ proxy, workspace, lambda: own } = stack);
  runnerTemp = mkdtempSync(join(tmpdir(), 'e2e-post-step-role-runner-'));
  const sts = new STSClient({ endpoint: stack.moto.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const c = (await sts.send(new AssumeRoleCommand({ RoleArn: PROD_ROLE, RoleSessionName: 'test-setup' }))).Credentials;
  sts.destroy();
  const credentials = { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' };
  prod = new LambdaClient({ endpoint: stack.moto.endpoint, region: REGION, credentials });
  const iam = new IAMClient({ endpoint: stack.moto.endpoint, region: REGION, credentials });
  const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
  const execRole = (await iam.send(new CreateRoleCommand({ RoleName: 'notes-exec', AssumeRolePolicyDocument: trust }))).Role?.Arn;
  iam.destroy();

  const bootstrap = makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') });
  // The job's own account: notes with an alias prod of its own, which nothing here may touch.
  await createFunction(stack.moto.endpoint, { name: FN, zipPath: bootstrap });
  const published = await own.send(new PublishVersionCommand({ FunctionName: FN }));
  await own.send(new CreateAliasCommand({ FunctionName: FN, Name: 'prod', FunctionVersion: published.Version, Description: 'the job account, not ours' }));
  // The prod account: the function the stage deploys.
  await prod.send(new CreateFunctionCommand({ FunctionName: FN, Role: execRole, Handler: 'index.handler', Runtime: 'nodejs20.x', Code: { ZipFile: readFileSync(bootstrap) } }));
  writeFileSync(join(workspace, 'stage-deploy.yml'), `defaults: { function: ${FN}, region: ${REGION} }\nstages:\n  prod:\n    role: ${PROD_ROLE}\n    traffic: canary 50% 30s\n`);
});

afterAll(() => {
  prod?.destroy();
  if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
  return stack?.stop();
});

function env() {
  return { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', RUNNER_TEMP: runnerTemp, GITHUB_REPOSITORY: 'org/notes', GITHUB_RUN_ID: '91' };
}

function deploy(release: string, extra: Partial<Parameters<typeof runAction>[0]> = {}) {
  const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler(release) }).slice(workspace.length + 1);
  return runAction({ inputs: { stage: 'prod', artifact: zip }, workspace, env: env(), ...extra });
}

/** The post step of that deploy: the same inputs (the artifact is not read), the state it left. */
function postStep(state: Record<string, string>) {
  return runAction({ inputs: { stage: 'prod', artifact: 'build/unused.zip' }, workspace, env: env(), state: { isPost: 'true', ...state } });
}

async function aliasIn(client: LambdaClient) {
  const a = await client.send(new GetAliasCommand({ FunctionName: FN, Name: 'prod' }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, description: a.Description ?? '' };
}

/** A deploy to prod killed once the canary's first step has shifted traffic: the state it saved. */
async function killedAfterShift(release: string): Promise<Record<string, string>> {
  const killed = await deploy(release, { killWhen: { pattern: /^Step 1\/2/, signal: 'SIGKILL' } });
  expect(killed.code, killed.stdout).not.toBe(0);
  return killed.state;
}

describe('the post step of a stage in another account', () => {
  let ownBefore: Awaited<ReturnType<typeof aliasIn>>;

  beforeAll(async () => {
    ownBefore = await aliasIn(own);
    const first = await deploy('one');
    expect(first.outputs, first.stdout).toMatchObject({ status: 'deployed', version: '1' });
  });

  it('puts the alias back in that account with the role assumed again; the state names the role and holds no credentials', async () => {
    const state = await killedAfterShift('two');
    expect(await aliasIn(prod)).toMatchObject({ version: '1', weights: { '2': 0.5 } });

    // Nothing secret in what the runner keeps: the rollout, its key id and its MAC, no credentials.
    expect(Object.keys(state).sort()).toEqual(['isPost', 'rollout', 'rolloutKey', 'rolloutMac']);
    const rollout = JSON.parse(state.rollout ?? '{}') as Record<string, unknown>;
    expect(rollout).toMatchObject({ functionName: FN, alias: 'prod', region: REGION, role: PROD_ROLE, toVersion: '2', before: { version: '1' } });
    expect(Object.keys(rollout).sort()).toEqual(['alias', 'before', 'functionName', 'region', 'role', 'toDescription', 'toVersion']);
    const saved = JSON.stringify(state);
    expect(saved).not.toMatch(/(AKIA|ASIA)[A-Z0-9]{12,}/);
    expect(saved).not.toMatch(/secret|session|token|credential/i);

    proxy.reset();
    const post = await postStep(state);
    expect(post.code, post.stdout).toBe(0);
    expect(post.stdout).toContain(`::warning::Put alias prod of ${FN} back on version 1: the release of version 2 did not finish.`);
    expect(await aliasIn(prod)).toMatchObject({ version: '1', weights: {} });
    expect(await aliasIn(own)).toEqual(ownBefore);
    // The role assumed again by the post step, and every Lambda call made with it.
    const assumed = proxy.calls.filter((c) => c.service === 'sts' && c.operation === 'AssumeRole');
    expect(assumed.map((c) => c.requestBody)).toEqual([expect.objectContaining({ RoleArn: PROD_ROLE })]);
    expect(proxy.calls.filter((c) => c.service === 'lambda').map((c) => c.operation)).toEqual(['GetAlias', 'UpdateAlias']);
  });

  it('fails naming the role when it can no longer be assumed, and leaves the alias as the kill left it', async () => {
    const state = await killedAfterShift('three');
    const left = await aliasIn(prod);
    expect(left).toMatchObject({ version: '1', weights: { '3': 0.5 } });

    proxy.denyAssumeRole(PROD_ROLE);
    try {
      proxy.reset();
      const post = await postStep(state);
      const errors = annotations(post.stdout).filter((a) => a.kind === 'error');
      expect(errors, post.stdout).toHaveLength(1);
      expect(errors[0]?.message).toContain(`could not put alias prod of ${FN} back`);
      expect(errors[0]?.message).toContain(`stages.prod.role: "${PROD_ROLE}" cannot be assumed with the job's own credentials (AccessDenied`);
      expect(errors[0]?.message).toContain(`; nothing was changed). Repair it by hand with role ${PROD_ROLE}'s credentials: aws lambda update-alias --function-name ${FN} --name prod --function-version 1`);
      // The post step reports; it does not fail the job (the main step already has).
      expect(post.code).toBe(0);
      expect(proxy.calls.filter((c) => c.service === 'lambda')).toEqual([]);
    } finally {
      proxy.clearBehaviours();
    }
    expect(await aliasIn(prod)).toEqual(left);
    expect(await aliasIn(own)).toEqual(ownBefore);
  });
});
