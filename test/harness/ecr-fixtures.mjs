// ECR and container-image Lambda fixtures on a moto server (started with MOTO_LAMBDA_STUB_ECR=false,
// startAwsStack's `images` option), for integration and end-to-end tests. Plain JavaScript; types
// in ecr-fixtures.d.mts. moto keeps image manifests only: an "image" is a manifest pushed with
// PutImage, its digest the sha256 of the manifest text, and nothing is ever pulled.
import { createHash } from 'node:crypto';
import { BatchDeleteImageCommand, CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateFunctionCommand } from '@aws-sdk/client-lambda';

import { createRole, lambdaClient, TEST_REGION } from './lambda-fixtures.mjs';

const TEST_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

export function ecrClient(endpoint, region = TEST_REGION) {
  return new ECRClient({ endpoint, region, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
}

/** Create an ECR repository; returns its URI, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/notes`. */
export async function createRepository(endpoint, name, region = TEST_REGION) {
  const ecr = ecrClient(endpoint, region);
  try {
    const answer = await ecr.send(new CreateRepositoryCommand({ repositoryName: name }));
    return answer.repository.repositoryUri;
  } finally {
    ecr.destroy();
  }
}

/**
 * Push an image manifest (Docker schema 2) under `tag`; `seed` makes it distinct. Returns its
 * digest (`sha256:<hex>`); a tag already on another image moves to this one, as `docker push` does.
 */
export async function pushImage(endpoint, repository, tag, seed = tag, region = TEST_REGION) {
  const layer = createHash('sha256').update(`layer ${seed}`).digest('hex');
  const config = createHash('sha256').update(`config ${seed}`).digest('hex');
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1469, digest: `sha256:${config}` },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 3000000 + seed.length, digest: `sha256:${layer}` }],
  });
  const ecr = ecrClient(endpoint, region);
  try {
    const answer = await ecr.send(new PutImageCommand({ repositoryName: repository, imageManifest: manifest, imageTag: tag }));
    return answer.image.imageId.imageDigest;
  } finally {
    ecr.destroy();
  }
}

/** Delete an image (by digest) from a repository: what a lifecycle policy or a person does. */
export async function deleteImage(endpoint, repository, digest, region = TEST_REGION) {
  const ecr = ecrClient(endpoint, region);
  try {
    const answer = await ecr.send(new BatchDeleteImageCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }));
    if ((answer.failures ?? []).length > 0) throw new Error(`could not delete ${digest}: ${JSON.stringify(answer.failures)}`);
  } finally {
    ecr.destroy();
  }
}

/** Create a container-image function (PackageType Image) from an image URI. Returns its configuration. */
export async function createImageFunction(endpoint, { name, imageUri, environment, region = TEST_REGION }) {
  const role = await createRole(endpoint);
  const lambda = lambdaClient(endpoint, region);
  try {
    return await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: role,
        PackageType: 'Image',
        Code: { ImageUri: imageUri },
        ...(environment && { Environment: { Variables: environment } }),
      }),
    );
  } finally {
    lambda.destroy();
  }
}
