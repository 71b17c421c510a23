/**
 * The ArtifactStore on S3: a HEAD to see whether a release's zip is there already, and a
 * streamed upload through @aws-sdk/lib-storage's `Upload`, which sends one PutObject for a
 * file smaller than a part and a multipart upload otherwise. At most `queueSize` parts of
 * `partSizeBytes` are in memory at once (3 × 5 MiB, S3's smallest part, by default: the benchmark
 * keeps a 250 MB upload under 150 MB of memory), whatever the size of the file.
 */
import { createReadStream } from 'node:fs';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ArtifactStore } from '../model/ports.js';

export interface S3ArtifactStoreOptions {
  /** Size of one multipart part; default DEFAULT_PART_SIZE_BYTES, 5 MiB (S3's minimum). */
  partSizeBytes?: number;
  /** Parts uploaded at once; default DEFAULT_QUEUE_SIZE, 3. */
  queueSize?: number;
}

const DEFAULT_PART_SIZE_BYTES = 5 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 3;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NotFound' || error.name === 'NoSuchKey') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}

export class S3ArtifactStore implements ArtifactStore {
  private readonly partSizeBytes: number;
  private readonly queueSize: number;

  constructor(
    private readonly client: S3Client,
    options: S3ArtifactStoreOptions = {},
  ) {
    this.partSizeBytes = options.partSizeBytes ?? DEFAULT_PART_SIZE_BYTES;
    this.queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
  }

  async exists(bucket: string, key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async upload(bucket: string, key: string, filePath: string): Promise<void> {
    const body = createReadStream(filePath);
    try {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: bucket, Key: key, Body: body, ContentType: 'application/zip' },
        partSize: this.partSizeBytes,
        queueSize: this.queueSize,
        // A failed multipart upload is aborted, so no orphaned parts are left to pay for.
        leavePartsOnError: false,
      });
      await upload.done();
    } finally {
      body.destroy();
    }
  }
}
