// S3ArtifactStore through the test proxy in front of moto, as S3 answers a role without
// s3:ListBucket (proxy.denyListBucket(): a missing key's HeadObject is 403, not 404), and as S3
// answers a role that may not write (an injected 403 AccessDenied on the upload's first call).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { createBucket } from '../../harness/lambda-fixtures.mjs';
import { DEFAULT_PART_SIZE_BYTES, S3ArtifactStore } from '../../../src/aws/s3-store.js';

const BUCKET = 'store-no-list';
const MIB = 1024 * 1024;

const aws = useProxiedMoto('s3-store-no-list-');

beforeAll(async () => {
  await createBucket(aws.moto.endpoint, BUCKET);
});

function file(name: string, bytes: Buffer): string {
  const path = join(aws.tmp, name);
  writeFileSync(path, bytes);
  return path;
}

describe('S3ArtifactStore without s3:ListBucket', () => {
  it('reads a 403 on HEAD of a missing key as absent, uploads, and then finds the key (200)', async () => {
    aws.proxy.denyListBucket();
    const store = new S3ArtifactStore(aws.clients.s3);
    const key = 'stage-deploy/first.zip';
    const bytes = randomBytes(1024);

    expect(await store.exists(BUCKET, key)).toBe(false);
    await store.upload(BUCKET, key, file('first.zip', bytes));
    expect(await store.exists(BUCKET, key)).toBe(true);

    expect(aws.proxy.calls.map((c) => [c.operation, c.status])).toEqual([
      ['HeadObject', 403],
      ['PutObject', 200],
      ['HeadObject', 200],
    ]);
    const object = await aws.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(Buffer.from(await object.Body!.transformToByteArray()).equals(bytes)).toBe(true);
  });

  it('a role that may not write gets one message naming the bucket, the key and s3:PutObject', async () => {
    aws.proxy.denyListBucket();
    aws.proxy.failOperation('PutObject', { status: 403, type: 'AccessDenied', message: 'Access Denied' });
    const store = new S3ArtifactStore(aws.clients.s3);
    const key = 'stage-deploy/denied.zip';

    expect(await store.exists(BUCKET, key)).toBe(false);
    await expect(store.upload(BUCKET, key, file('denied.zip', randomBytes(1024)))).rejects.toThrow(
      `S3 refused the upload to s3://${BUCKET}/${key} (403 AccessDenied): the role needs s3:PutObject on arn:aws:s3:::${BUCKET}/${key} (see the README's IAM permissions).`,
    );
    expect(await store.exists(BUCKET, key)).toBe(false);
  });

  it('the same for a multipart upload refused at its start', async () => {
    aws.proxy.failOperation('CreateMultipartUpload', { status: 403, type: 'AccessDenied', message: 'Access Denied' });
    const store = new S3ArtifactStore(aws.clients.s3);
    const key = 'stage-deploy/denied-parts.zip';
    await expect(store.upload(BUCKET, key, file('denied-parts.zip', randomBytes(DEFAULT_PART_SIZE_BYTES + 3 * MIB)))).rejects.toThrow(
      `S3 refused the upload to s3://${BUCKET}/${key} (403 AccessDenied): the role needs s3:PutObject`,
    );
    expect(aws.proxy.calls.map((c) => c.operation)).toContain('CreateMultipartUpload');
    expect(aws.proxy.calls.map((c) => c.operation)).not.toContain('UploadPart');
  });

  it('other failures keep their own message', async () => {
    aws.proxy.failOperation('PutObject', { status: 400, type: 'EntityTooLarge', message: 'Your proposed upload exceeds the maximum allowed object size.', times: 5 });
    const store = new S3ArtifactStore(aws.clients.s3);
    await expect(store.upload(BUCKET, 'stage-deploy/other.zip', file('other.zip', randomBytes(64)))).rejects.toThrow(
      'Your proposed upload exceeds the maximum allowed object size.',
    );
  });
});
