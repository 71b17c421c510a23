// The aws-proxy's `denyListBucket()` in front of a real moto server: S3 as a caller without
// s3:ListBucket sees it (HeadObject API reference: a missing key answers 403 Forbidden, not 404),
// seen through the SDK's S3 client as the action builds it, and as raw HTTP.
import { request } from 'node:http';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { createBucket } from '../../harness/lambda-fixtures.mjs';
const BUCKET = 'proxy-no-list';

const aws = useProxiedMoto('aws-proxy-s3iam-');

beforeAll(async () => {
  await createBucket(aws.moto.endpoint, BUCKET);
  await aws.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'there.zip', Body: 'PK-bytes' }));
});

/** What the SDK throws for a call, or undefined when it succeeds. */
async function failureOf(send: () => Promise<unknown>): Promise<S3ServiceException | undefined> {
  try {
    await send();
    return undefined;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
}

/** A raw HEAD through the proxy, signed like an S3 call (the proxy tells services by the credential scope). */
function rawHead(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${aws.proxy.endpoint}${path}`,
      {
        method: 'HEAD',
        headers: { authorization: 'AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('denyListBucket', () => {
  it('without it, HeadObject of a missing key answers 404 (moto, and S3 to a caller with s3:ListBucket)', async () => {
    const error = await failureOf(() => aws.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.zip' })));
    expect(error?.$metadata.httpStatusCode).toBe(404);
    expect(aws.proxy.calls.map((c) => [c.operation, c.status])).toEqual([['HeadObject', 404]]);
  });

  it('HeadObject of a missing key answers 403 with no body; an existing key still answers 200', async () => {
    aws.proxy.denyListBucket();
    const missing = await failureOf(() => aws.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.zip' })));
    expect(missing?.$metadata.httpStatusCode).toBe(403);
    expect(missing?.name).not.toBe('NotFound');

    const raw = await rawHead(`/${BUCKET}/missing.zip`);
    expect(raw).toEqual({ status: 403, body: '' });

    const there = await aws.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'there.zip' }));
    expect(there.ContentLength).toBe('PK-bytes'.length);
    expect(aws.proxy.calls.map((c) => [c.operation, c.status])).toEqual([
      ['HeadObject', 403],
      ['HeadObject', 403],
      ['HeadObject', 200],
    ]);
  });

  it('GetObject of a missing key answers 403 AccessDenied; of an existing key, the bytes', async () => {
    aws.proxy.denyListBucket();
    const missing = await failureOf(() => aws.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'missing.zip' })));
    expect(missing?.$metadata.httpStatusCode).toBe(403);
    expect(missing?.name).toBe('AccessDenied');
    const there = await aws.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'there.zip' }));
    expect(await there.Body?.transformToString()).toBe('PK-bytes');
  });

  it('is switched off by clearBehaviours and by denyListBucket(false)', async () => {
    aws.proxy.denyListBucket();
    aws.proxy.clearBehaviours();
    const cleared = await failureOf(() => aws.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.zip' })));
    expect(cleared?.$metadata.httpStatusCode).toBe(404);
    aws.proxy.denyListBucket();
    aws.proxy.denyListBucket(false);
    const off = await failureOf(() => aws.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'missing.zip' })));
    expect(off?.$metadata.httpStatusCode).toBe(404);
  });
});
