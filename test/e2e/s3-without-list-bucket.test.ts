/**
 * A deploy through S3 for a role without s3:ListBucket, end to end through `node dist/index.js`:
 * the proxy in front of moto answers HeadObject of a missing key with 403 as S3 does for such a
 * role (HeadObject API reference), not moto's 404. The first deploy of a new artifact uploads it
 * and ships; the same artifact again (once $LATEST has moved on) finds its object (HEAD 200) and
 * uploads nothing. A role that may not write to the bucket fails the step before anything is
 * published, with one message naming the bucket, the key and s3:PutObject.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createBucket, createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BUCKET = 'no-list-artifacts';

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-s3-no-list-');
  ({ moto, proxy, workspace } = stack);
  await createBucket(moto.endpoint, BUCKET);
});

afterAll(() => stack?.stop());

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

/** A function (made on moto directly), an endpoint on its `dev` alias and a stages file with s3-bucket. */
async function setUp(name: string) {
  await createFunction(moto.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: name, alias: 'dev', codeRoots: [workspace] });
  stack!.stops.push(endpoint.stop);
  const config = `${name}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${name}, region: us-east-1, s3-bucket: ${BUCKET}, s3-prefix: stage-deploy/ }
stages:
  dev: { smoke: { url: "${endpoint.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 50ms } }
`,
  );
  return config;
}

function deploy(config: string, zip: string) {
  return runAction({ inputs: { stage: 'dev', config, artifact: zip.slice(workspace.length + 1) }, workspace, env: awsEnv(proxy.endpoint) });
}

const s3Calls = () => proxy.calls.filter((c) => c.service === 's3').map((c) => [c.operation, c.status]);

describe('deploy through S3 without s3:ListBucket', () => {
  it('uploads a new artifact after a 403 on HEAD and ships it; the same artifact later is found (200) and not uploaded again', async () => {
    const config = await setUp('no-list');
    const one = makeZip(join(workspace, 'build'), { 'index.mjs': handler('one') });
    const two = makeZip(join(workspace, 'build'), { 'index.mjs': handler('two') });
    proxy.denyListBucket();

    const first = await deploy(config, one);
    expect(annotations(first.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(first.outputs).toMatchObject({ status: 'deployed', version: '1', 'code-sha256': codeSha256(one) });
    expect(s3Calls()).toEqual([
      ['HeadObject', 403],
      ['PutObject', 200],
    ]);
    expect(first.stdout).toContain(`Uploading`);
    const update = proxy.calls.find((c) => c.operation === 'UpdateFunctionCode');
    expect(update?.requestBody).toMatchObject({ S3Bucket: BUCKET, S3Key: expect.stringMatching(/^stage-deploy\/no-list\/[0-9a-f]{64}\.zip$/) });

    // The same artifact again: $LATEST holds it, nothing to publish.
    proxy.reset();
    const again = await deploy(config, one);
    expect(again.outputs).toMatchObject({ status: 'unchanged', version: '1' });
    expect(s3Calls()).toEqual([]);

    // Release two (another new object), then one again: its object is there, HEAD answers 200.
    expect((await deploy(config, two)).outputs).toMatchObject({ status: 'deployed', version: '2' });
    proxy.reset();
    const back = await deploy(config, one);
    expect(annotations(back.stdout).filter((a) => a.kind === 'error')).toEqual([]);
    expect(back.outputs).toMatchObject({ status: 'deployed', version: '3', 'previous-version': '2', 'code-sha256': codeSha256(one) });
    expect(s3Calls()).toEqual([['HeadObject', 200]]);
    expect(back.stdout).toMatch(/s3:\/\/no-list-artifacts\/stage-deploy\/no-list\/[0-9a-f]{64}\.zip is already there: not uploading it again\./);
  });

  it('a role that may not write to the bucket: one message naming bucket, key and s3:PutObject; nothing published or shifted', async () => {
    const config = await setUp('no-write');
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler('denied') });
    const before = await snapshotFunction(moto.endpoint, 'no-write');
    proxy.denyListBucket();
    proxy.failOperation('PutObject', { status: 403, type: 'AccessDenied', message: 'Access Denied' });

    const result = await deploy(config, zip);
    expect(result.code).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    const errors = annotations(result.stdout).filter((a) => a.kind === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(
      /^dev: publishing failed, nothing was shifted: S3 refused the upload to s3:\/\/no-list-artifacts\/stage-deploy\/no-write\/[0-9a-f]{64}\.zip \(403 AccessDenied\): the role needs s3:PutObject on arn:aws:s3:::no-list-artifacts\/stage-deploy\/no-write\/[0-9a-f]{64}\.zip/,
    );
    expect(proxy.counts().UpdateFunctionCode).toBeUndefined();
    expect(proxy.counts().PublishVersion).toBeUndefined();
    const after = await snapshotFunction(moto.endpoint, 'no-write');
    expect(after.aliases).toEqual(before.aliases);
    expect(after.versions.filter((v) => v.Version !== '$LATEST')).toEqual(before.versions.filter((v) => v.Version !== '$LATEST'));
  });
});
