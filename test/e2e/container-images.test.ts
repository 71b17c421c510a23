/**
 * Container-image functions, end to end through `node dist/index.js`, against moto (with
 * MOTO_LAMBDA_STUB_ECR=false: Lambda resolves image URIs in moto's ECR, and an image function's
 * CodeSha256 is its image's digest) behind the proxy (resolveImageUris: each version keeps the
 * image it was published with, as Lambda does):
 * - deploy by tag: the tag is resolved once (ECR DescribeImages) and the digest is published
 *   (UpdateFunctionCode ImageUri `<repository>@sha256:…`); the same tag again is `unchanged`;
 * - a new tag is deployed; promote copies the source version's exact digest, even after its tag
 *   moved to another image; rollback moves the alias back to the earlier digest;
 * - a rollback onto a version whose image is gone from ECR is refused before the alias moves;
 *   a redeploy after the running image was deleted works (nothing reads the old image);
 * - an `image` for a zip function, an `artifact` for an image function, an image that ECR does not
 *   have: refused before anything changes, naming the field and the value.
 * Image functions cannot be invoked locally, so these stages have no smoke test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction, type ActionRun } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createImageFunction, createRepository, deleteImage, pushImage } from '../harness/ecr-fixtures.mjs';
import { createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const IMG = 'img-fn';
const ZIP = 'zip-fn';
const REPO = 'notes-img';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;
let repository: string;

beforeAll(async () => {
  stack = await startAwsStack('e2e-images-', { images: true });
  ({ moto, proxy, workspace, lambda } = stack);
  repository = await createRepository(moto.endpoint, REPO);
  await pushImage(moto.endpoint, REPO, 'v1');
  // Created through the proxy, so that it knows the image each version is published with.
  await createImageFunction(proxy.endpoint, { name: IMG, imageUri: `${repository}:v1`, environment: { KEEP: 'me' } });
  await createFunction(moto.endpoint, { name: ZIP, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => 1;\n' }) });
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults: { function: ${IMG}, region: us-east-1 }
stages:
  dev: { environment: { TABLE: dev } }
  qa: { environment: { TABLE: qa } }
  zip: { function: ${ZIP} }
`,
  );
});

afterAll(() => stack?.stop());

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } });
}
const errorsOf = (result: ActionRun) => annotations(result.stdout).filter((a) => a.kind === 'error');
const hexOf = (digest: string) => digest.slice('sha256:'.length);
async function aliasVersion(alias: string) {
  return (await lambda.send(new GetAliasCommand({ FunctionName: IMG, Name: alias }))).FunctionVersion;
}
/** What the action sent as UpdateFunctionCode's ImageUri since `from` (the proxy's record). */
function imageUrisSent(from: number): unknown[] {
  return proxy.calls.slice(from).filter((c) => c.operation === 'UpdateFunctionCode').map((c) => (c.requestBody as { ImageUri?: unknown } | undefined)?.ImageUri);
}

describe('a container-image function', () => {
  const digests: Record<string, string> = {};

  it('is deployed by tag: the digest is published, and the same tag again is unchanged', async () => {
    digests.v2 = await pushImage(moto.endpoint, REPO, 'v2');
    const from = proxy.calls.length;
    const first = await run({ stage: 'dev', image: `${repository}:v2` });
    expect(errorsOf(first)).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ status: 'deployed', version: '1', 'code-sha256': hexOf(digests.v2) });
    expect(first.stdout).toContain(`Image ${repository}:v2: tag v2 → ${digests.v2}`);
    // The tag was resolved once, and the digest (never the tag) went to Lambda.
    expect(proxy.calls.slice(from).filter((c) => c.operation === 'DescribeImages')).toHaveLength(1);
    expect(imageUrisSent(from)).toEqual([`${repository}@${digests.v2}`]);
    const version = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: IMG, Qualifier: '1' }));
    expect(version).toMatchObject({ CodeSha256: hexOf(digests.v2), PackageType: 'Image', Environment: { Variables: { KEEP: 'me', TABLE: 'dev' } } });

    const again = proxy.calls.length;
    const same = await run({ stage: 'dev', image: `${repository}:v2` });
    expect(same.code).toBe(0);
    expect(same.outputs).toMatchObject({ status: 'unchanged', version: '1', 'code-sha256': hexOf(digests.v2) });
    expect(proxy.calls.slice(again).map((c) => c.operation)).not.toContain('PublishVersion');
    expect(proxy.calls.slice(again).map((c) => c.operation)).not.toContain('UpdateFunctionCode');
  });

  it('deploys a new tag, promotes the exact digest after the tag moved, and rolls back by digest', async () => {
    digests.v3 = await pushImage(moto.endpoint, REPO, 'v3');
    const three = await run({ stage: 'dev', image: `${repository}:v3` });
    expect(errorsOf(three)).toEqual([]);
    expect(three.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1', 'code-sha256': hexOf(digests.v3) });

    digests.v4 = await pushImage(moto.endpoint, REPO, 'v4');
    const four = await run({ stage: 'dev', image: `${repository}@${digests.v4}` });
    expect(four.outputs).toMatchObject({ status: 'deployed', version: '3', 'code-sha256': hexOf(digests.v4) });
    expect(four.stdout).toContain(`by digest ${digests.v4}`);

    // Rollback: a pointer move back to version 2 (v3's digest), checked to be still in ECR.
    const back = proxy.calls.length;
    const rolledBack = await run({ stage: 'dev', command: 'rollback' });
    expect(errorsOf(rolledBack)).toEqual([]);
    expect(rolledBack.outputs).toMatchObject({ status: 'rolled-back', version: '2', 'previous-version': '3', 'code-sha256': hexOf(digests.v3) });
    expect(proxy.calls.slice(back).filter((c) => c.operation === 'DescribeImages').map((c) => (c.requestBody as { imageIds?: unknown }).imageIds)).toEqual([
      [{ imageDigest: digests.v3 }],
    ]);
    expect(imageUrisSent(back)).toEqual([]);

    // Tag v3 moves to another image: promote copies what dev runs (its digest), never the tag.
    // (ECR keeps an image whose tag moved away, untagged; moto deletes it unless it has another
    // tag, so v3's image gets a second tag first: the same manifest pushed again under it.)
    expect(await pushImage(moto.endpoint, REPO, 'build-3', 'v3')).toBe(digests.v3);
    const moved = await pushImage(moto.endpoint, REPO, 'v3', 'rebuilt');
    expect(moved).not.toBe(digests.v3);
    const from = proxy.calls.length;
    const promoted = await run({ stage: 'qa', command: 'promote', 'promote-from': 'dev' });
    expect(errorsOf(promoted)).toEqual([]);
    expect(promoted.outputs).toMatchObject({ status: 'promoted', version: '4', 'code-sha256': hexOf(digests.v3) });
    expect(imageUrisSent(from)).toEqual([`${repository}@${digests.v3}`]);
    expect(proxy.calls.slice(from).map((c) => c.operation)).not.toContain('DownloadCode');
    expect(await aliasVersion('qa')).toBe('4');
  });

  it('refuses a rollback onto a version whose image is gone from ECR, before the alias moves', async () => {
    await deleteImage(moto.endpoint, REPO, digests.v2!);
    const before = await snapshotFunction(moto.endpoint, IMG);
    const refused = await run({ stage: 'dev', command: 'rollback', 'to-version': '1' });
    expect(refused.code).not.toBe(0);
    expect(refused.outputs.status).toBe('failed');
    const errors = errorsOf(refused).map((a) => a.message).join('\n');
    expect(errors).toContain(`to-version: "1" (version 1) runs image ${repository}@${digests.v2}, which is no longer in ECR`);
    expect(errors).toContain('the alias was not moved');
    expect(await snapshotFunction(moto.endpoint, IMG)).toEqual(before);
  });

  it('redeploys after the image the alias runs was deleted from ECR', async () => {
    await deleteImage(moto.endpoint, REPO, digests.v3!);
    digests.v5 = await pushImage(moto.endpoint, REPO, 'v5');
    const result = await run({ stage: 'dev', image: `${repository}:v5` });
    expect(errorsOf(result)).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', 'previous-version': '2', 'code-sha256': hexOf(digests.v5) });
  });

  it.each([
    ['an image for a zip function', { stage: 'zip', image: 'IMAGE:v1' }, ZIP, 'image: "IMAGE:v1" is a container image, and function zip-fn is a .zip function'],
    ['an artifact for an image function', { stage: 'dev', artifact: 'ZIPFILE' }, IMG, 'artifact: "ZIPFILE" is a .zip, and function img-fn is a container-image function'],
    ['a tag ECR does not have', { stage: 'dev', image: 'IMAGE:nope' }, IMG, 'image: "IMAGE:nope" is not in ECR'],
    ['a URI that is no ECR image', { stage: 'dev', image: 'docker.io/library/node:20' }, IMG, 'image: "docker.io/library/node:20" is not an ECR image URI (use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<64 hex digits>)'],
    ['an image in another region', { stage: 'dev', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notes-img:v1' }, IMG, 'is in eu-west-1\'s registry, and the function is in us-east-1 (Lambda takes images only from the function\'s region)'],
  ])('refuses %s before anything changes', async (_what, given, fn, message) => {
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => 2;\n' }).slice(workspace.length + 1);
    const inputs = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, v.replace('IMAGE', repository).replace('ZIPFILE', zip)]));
    const expected = message.replace('IMAGE', repository).replace('ZIPFILE', zip);
    const before = await snapshotFunction(moto.endpoint, fn);
    const result = await run(inputs);
    expect(result.code).not.toBe(0);
    expect(errorsOf(result).map((a) => a.message).join('\n')).toContain(expected);
    expect(await snapshotFunction(moto.endpoint, fn)).toEqual(before);
  });
});
