// The aws-proxy's record of the region each call is signed for (SigV4 credential scope), in front
// of a real moto server that serves every region on one port: a call of a client for eu-west-1 is
// recorded with eu-west-1 and reaches moto's eu-west-1 backend; a presigned URL's region is read
// from its X-Amz-Credential; an unsigned request has none.
import { GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { signingRegion } from '../../harness/aws-proxy.mjs';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';

const aws = useProxiedMoto('aws-proxy-regions-');
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('the region of each recorded call', () => {
  it('is the region the client signed for, and moto answers from that region', async () => {
    const zip = makeZip(aws.tmp, { 'index.mjs': 'export const handler = async () => "eu";\n' });
    await createFunction(aws.proxy.endpoint, { name: 'regional-fn', zipPath: zip, region: 'eu-west-1' });
    const eu = new LambdaClient({ endpoint: aws.proxy.endpoint, region: 'eu-west-1', credentials });
    const us = new LambdaClient({ endpoint: aws.proxy.endpoint, region: 'us-east-1', credentials });
    try {
      aws.proxy.reset();
      expect((await eu.send(new GetFunctionConfigurationCommand({ FunctionName: 'regional-fn' }))).FunctionArn).toContain(':eu-west-1:');
      const inUs = (await us.send(new ListFunctionsCommand({}))).Functions ?? [];
      expect(inUs.map((f) => f.FunctionName)).not.toContain('regional-fn');
      expect(aws.proxy.calls.map((c) => [c.operation, c.region])).toEqual([
        ['GetFunctionConfiguration', 'eu-west-1'],
        ['ListFunctions', 'us-east-1'],
      ]);
    } finally {
      eu.destroy();
      us.destroy();
    }
  });

  it('names the region of an S3 upload, with the bucket in the path', async () => {
    const s3 = new S3Client({ endpoint: aws.proxy.endpoint, region: 'eu-west-1', credentials, forcePathStyle: true });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'regional-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      aws.proxy.reset();
      await s3.send(new PutObjectCommand({ Bucket: 'regional-bucket', Key: 'code.zip', Body: 'PK' }));
      const put = aws.proxy.calls.find((c) => c.operation === 'PutObject');
      expect(put).toMatchObject({ service: 's3', region: 'eu-west-1', path: '/regional-bucket/code.zip' });
    } finally {
      s3.destroy();
    }
  });

  it('reads a presigned URL\'s X-Amz-Credential, and gives none for an unsigned request', () => {
    const query = new URLSearchParams({ 'X-Amz-Credential': 'AKID/20240101/ap-southeast-2/s3/aws4_request' });
    expect(signingRegion({}, query)).toBe('ap-southeast-2');
    expect(signingRegion({ authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-central-1/lambda/aws4_request, SignedHeaders=host, Signature=0' })).toBe(
      'eu-central-1',
    );
    expect(signingRegion({}, new URLSearchParams())).toBeUndefined();
    expect(signingRegion({ authorization: 'Bearer x' })).toBeUndefined();
  });
});
