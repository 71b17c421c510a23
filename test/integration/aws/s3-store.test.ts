// S3ArtifactStore against a real moto server, through the S3 client createClients builds from
// the environment (AWS_ENDPOINT_URL → moto, path-style).
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClients, type AwsClients } from '../../harness/aws-clients.js';
import { s3Config } from '../../../src/aws/client-config.js';
import { DEFAULT_PART_SIZE_BYTES, S3ArtifactStore } from '../../../src/aws/s3-store.js';
import { createBucket } from '../../harness/lambda-fixtures.mjs';
import { startMoto, useAwsEnv } from '../../harness/moto.mjs';

const BUCKET = 'stage-deploy-artifacts';
const MIB = 1024 * 1024;

let moto: Awaited<ReturnType<typeof startMoto>>;
let clients: AwsClients;
let tmp: string;
let restoreEnv: (() => void) | undefined;

beforeAll(async () => {
  moto = await startMoto();
  restoreEnv = useAwsEnv(moto.endpoint);
  clients = createClients({});
  await createBucket(moto.endpoint, BUCKET);
  tmp = mkdtempSync(join(tmpdir(), 's3-store-'));
});

afterAll(async () => {
  clients?.lambda.destroy();
  clients?.s3.destroy();
  await moto?.stop();
  restoreEnv?.();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Write `sizeBytes` of random data, 1 MiB at a time. */
async function randomFile(name: string, sizeBytes: number): Promise<string> {
  const path = join(tmp, name);
  const out = createWriteStream(path);
  for (let left = sizeBytes; left > 0; left -= MIB) {
    if (!out.write(randomBytes(Math.min(MIB, left)))) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
  return path;
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function objectSha256(bucket: string, key: string): Promise<{ sha256: string; size: number }> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of object.Body as Readable) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

describe('S3ArtifactStore', () => {
  it('streams a 20 MB file up in parts; exists turns true and the bytes are the file', async () => {
    const store = new S3ArtifactStore(clients.s3);
    const key = 'stage-deploy/abc123.zip';
    const path = await randomFile('big.zip', 20 * MIB);

    expect(await store.exists(BUCKET, key)).toBe(false);
    await store.upload(BUCKET, key, path);
    expect(await store.exists(BUCKET, key)).toBe(true);

    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ContentLength).toBe(20 * MIB);
    expect(head.ContentType).toBe('application/zip');
    // A multipart object's ETag ends in -<parts>: 20 MiB in the store's parts (6 MiB: 6, 6, 6, 2).
    expect(head.ETag).toMatch(new RegExp(`-${Math.ceil((20 * MIB) / DEFAULT_PART_SIZE_BYTES)}"$`));

    expect(await objectSha256(BUCKET, key)).toEqual({ sha256: await fileSha256(path), size: statSync(path).size });
  });

  it('honours a custom part size', async () => {
    const store = new S3ArtifactStore(clients.s3, { partSizeBytes: 5 * MIB, queueSize: 2 });
    const key = 'stage-deploy/parts.zip';
    const path = await randomFile('parts.zip', 11 * MIB);
    await store.upload(BUCKET, key, path);
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ETag).toMatch(/-3"$/);
    expect((await objectSha256(BUCKET, key)).sha256).toBe(await fileSha256(path));
  });

  it('uploads a small file in one request', async () => {
    const store = new S3ArtifactStore(clients.s3);
    const key = 'stage-deploy/small.zip';
    const path = join(tmp, 'small.zip');
    writeFileSync(path, 'PK\u0005\u0006'.padEnd(22, '\u0000'));

    expect(await store.exists(BUCKET, key)).toBe(false);
    await store.upload(BUCKET, key, path);
    expect(await store.exists(BUCKET, key)).toBe(true);
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(head.ETag).not.toMatch(/-\d+"$/);
    expect(await objectSha256(BUCKET, key)).toEqual({ sha256: await fileSha256(path), size: 22 });
  });

  it('rethrows errors other than not-found and forbidden', async () => {
    const failed = Object.assign(new Error('We encountered an internal error.'), { name: 'InternalError', $metadata: { httpStatusCode: 500 } });
    const stub = { send: async () => Promise.reject(failed) } as unknown as S3Client;
    await expect(new S3ArtifactStore(stub).exists(BUCKET, 'k')).rejects.toBe(failed);
  });

  it('fails the upload when the file is missing', async () => {
    const store = new S3ArtifactStore(clients.s3);
    await expect(store.upload(BUCKET, 'stage-deploy/missing.zip', join(tmp, 'missing.zip'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await store.exists(BUCKET, 'stage-deploy/missing.zip')).toBe(false);
  });
});

describe('createClients', () => {
  it('configures retries, the user agent, path-style S3 under AWS_ENDPOINT_URL, and the region when given', async () => {
    expect(clients.s3.config.forcePathStyle).toBe(true);
    expect(await clients.s3.config.maxAttempts()).toBe(5);
    expect(((await clients.lambda.config.retryStrategy()) as { mode?: string }).mode).toBe('standard');
    expect(clients.lambda.config.customUserAgent).toEqual([['stage-deploy']]);
    expect(await clients.lambda.config.region()).toBe('us-east-1'); // from AWS_REGION

    const other = createClients({ region: 'ap-northeast-2', userAgent: 'stage-deploy/9.9.9' });
    try {
      expect(await other.lambda.config.region()).toBe('ap-northeast-2');
      expect(await other.s3.config.region()).toBe('ap-northeast-2');
      expect(other.s3.config.customUserAgent).toEqual([['stage-deploy/9.9.9']]);
    } finally {
      other.lambda.destroy();
      other.s3.destroy();
    }
  });

  it('leaves S3 on virtual-hosted addressing without an endpoint override', () => {
    expect(s3Config({ region: 'us-east-1' })).not.toHaveProperty('forcePathStyle');
    expect(s3Config({ region: 'us-east-1', pathStyleS3: false })).not.toHaveProperty('forcePathStyle');
    expect(s3Config({ region: 'us-east-1', pathStyleS3: true }).forcePathStyle).toBe(true);
  });
});
