/**
 * The ArtifactStore on S3: a HEAD to see whether a release's zip is there already, and a
 * streamed upload through @aws-sdk/lib-storage's `Upload`, which sends one PutObject for a
 * file smaller than a part and a multipart upload otherwise. At most `queueSize` parts of
 * `partSizeBytes` are in flight at once, whatever the size of the file: 3 × 6 MiB by default. The
 * benchmark (bench/s3-upload.mjs) chose it among 5–8 MiB parts and 2–4 at once, uploading 250 MB
 * into moto: under 150 MB of memory, and within 1.20 × the time of `aws s3 cp`; 5 MiB parts
 * (S3's smallest) were slower at the same memory, 7–8 MiB ones went over 150 MB.
 *
 * Permissions: s3:GetObject (HeadObject needs it) and s3:PutObject (PutObject and the multipart
 * calls), s3:AbortMultipartUpload (a failed multipart upload is aborted). s3:ListBucket is not
 * needed: without it S3 answers HeadObject of a missing key with 403, not 404 (HeadObject API
 * reference: "the error that Amazon S3 returns depends on whether you also have the
 * s3:ListBucket permission"). A 403 cannot tell a missing key from a forbidden one, so `exists`
 * reads it as absent and the zip is uploaded: the key is content-addressed, so writing it again
 * writes the same bytes, and a role that truly may not write gets one clear refusal from the
 * upload, naming the bucket, the key and the permission.
 */
import { createReadStream } from 'node:fs';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ArtifactStore } from '../model/ports.js';

export interface S3ArtifactStoreOptions {
  /** Size of one multipart part; default DEFAULT_PART_SIZE_BYTES, 6 MiB (S3's minimum is 5 MiB). */
  partSizeBytes?: number;
  /** Parts uploaded at once; default DEFAULT_QUEUE_SIZE, 3. */
  queueSize?: number;
}

export const DEFAULT_PART_SIZE_BYTES = 6 * 1024 * 1024;
const DEFAULT_QUEUE_SIZE = 3;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'NotFound' || error.name === 'NoSuchKey') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 404;
}

/** 403: S3 refused the call (a HEAD's 403 has no body, so the SDK cannot name it AccessDenied). */
function isForbidden(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'AccessDenied' || error.name === 'Forbidden') return true;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 403;
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
      // Without s3:ListBucket a missing key answers 403: cannot tell, so upload (see the top).
      if (isForbidden(error)) return false;
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
    } catch (error) {
      if (isForbidden(error)) {
        throw new Error(
          `S3 refused the upload to s3://${bucket}/${key} (403 AccessDenied): the role needs s3:PutObject on arn:aws:s3:::${bucket}/${key} (see the README's IAM permissions).`,
          { cause: error },
        );
      }
      throw error;
    } finally {
      body.destroy();
    }
  }
}
