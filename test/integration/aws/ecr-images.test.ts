// SdkImageRegistry against a real moto ECR: a tag resolves to its digest, a digest is found, and
// an image or repository that is not there is `undefined` (ImageNotFoundException,
// RepositoryNotFoundException), never an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SdkImageRegistry } from '../../../src/aws/ecr-images.js';
import { createRepository, deleteImage, ecrClient, pushImage } from '../../harness/ecr-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';

let moto: Awaited<ReturnType<typeof startMoto>>;
let client: ReturnType<typeof ecrClient>;
let registry: SdkImageRegistry;

beforeAll(async () => {
  moto = await startMoto();
  client = ecrClient(moto.endpoint);
  registry = new SdkImageRegistry(client);
  await createRepository(moto.endpoint, 'notes');
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

describe('SdkImageRegistry', () => {
  it('resolves a tag to its digest, and finds an image by digest', async () => {
    const digest = await pushImage(moto.endpoint, 'notes', 'v1');
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await registry.describeImage({ registryId: '123456789012', repository: 'notes', tag: 'v1' })).toEqual({ digest, tags: ['v1'] });
    expect(await registry.describeImage({ registryId: '123456789012', repository: 'notes', digest })).toMatchObject({ digest });
  });

  it('a tag that moved resolves to the new image', async () => {
    await pushImage(moto.endpoint, 'notes', 'moving', 'first');
    const second = await pushImage(moto.endpoint, 'notes', 'moving', 'second');
    expect((await registry.describeImage({ registryId: '123456789012', repository: 'notes', tag: 'moving' }))?.digest).toBe(second);
  });

  it('answers undefined for an image deleted, a tag never pushed and a repository that does not exist', async () => {
    const digest = await pushImage(moto.endpoint, 'notes', 'doomed');
    await deleteImage(moto.endpoint, 'notes', digest);
    expect(await registry.describeImage({ registryId: '123456789012', repository: 'notes', digest })).toBeUndefined();
    expect(await registry.describeImage({ registryId: '123456789012', repository: 'notes', tag: 'never' })).toBeUndefined();
    expect(await registry.describeImage({ registryId: '123456789012', repository: 'nope', tag: 'v1' })).toBeUndefined();
  });
});
