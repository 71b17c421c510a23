import { describe, expect, it } from 'vitest';

import { checkImageUri, checkPackageType, deployImage, parseImageUri, resolveImage, versionImage } from '../../../src/artifact/image.js';
import { InputError } from '../../../src/model/errors.js';
import type { FunctionVersionState } from '../../../src/model/lambda.js';
import type { ImageRegistry } from '../../../src/model/ports.js';

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/notes';
const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

function registry(answer: { digest: string; tags: string[] } | undefined) {
  const asked: unknown[] = [];
  const images: ImageRegistry = {
    describeImage: async (ref) => {
      asked.push(ref);
      return answer;
    },
    repositoryPolicy: async () => ({ kind: 'none' }),
  };
  return { images, asked };
}

function version(fields: Partial<FunctionVersionState>): FunctionVersionState {
  return { functionArn: 'arn', functionName: 'notes', version: '3', codeSha256: HEX, codeSize: 0, environment: {}, description: '', ...fields };
}

describe('parseImageUri', () => {
  it('takes an ECR URI by tag or by digest apart', () => {
    expect(parseImageUri(`${REPO}:v1.2`)).toEqual({
      registryId: '123456789012',
      region: 'us-east-1',
      repository: 'team/notes',
      repositoryUri: REPO,
      tag: 'v1.2',
    });
    expect(parseImageUri(`${REPO}@${DIGEST}`)).toMatchObject({ repository: 'team/notes', digest: DIGEST });
  });

  it.each([
    REPO, // neither tag nor digest
    'docker.io/library/node:20',
    `${REPO}@sha256:abc`,
    '12345.dkr.ecr.us-east-1.amazonaws.com/notes:v1',
    `${REPO}:v1; echo hi`,
  ])('refuses %s', (text) => {
    expect(parseImageUri(text)).toBeUndefined();
  });
});

describe('checkImageUri', () => {
  it('names the field, the value and the expected form', () => {
    expect(() => checkImageUri('image', 'node:20', 'us-east-1')).toThrow(
      new InputError('image: "node:20" is not an ECR image URI by tag or digest. Expected <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or …/<repository>@sha256:<64 hex digits>'),
    );
  });

  it("refuses an image outside the function's region", () => {
    expect(() => checkImageUri('image', `${REPO}:v1`, 'eu-west-1')).toThrow(/is in us-east-1, and the function in eu-west-1/);
  });
});

describe('resolveImage', () => {
  it('resolves a tag to its digest once, and publishes by digest', async () => {
    const { images, asked } = registry({ digest: DIGEST, tags: ['v1'] });
    const code = await resolveImage('image', `${REPO}:v1`, 'us-east-1', images);
    expect(asked).toEqual([{ registryId: '123456789012', repository: 'team/notes', tag: 'v1' }]);
    expect(code).toMatchObject({ kind: 'image', tag: 'v1', digest: DIGEST, imageUri: `${REPO}@${DIGEST}`, codeSha256: HEX });
  });

  it('checks a digest the same way', async () => {
    const { images, asked } = registry({ digest: DIGEST, tags: [] });
    const code = await resolveImage('image', `${REPO}@${DIGEST}`, undefined, images);
    expect(asked).toEqual([{ registryId: '123456789012', repository: 'team/notes', digest: DIGEST }]);
    expect(code.tag).toBeUndefined();
  });

  it('refuses an image ECR does not have', async () => {
    await expect(resolveImage('image', `${REPO}:gone`, 'us-east-1', registry(undefined).images)).rejects.toThrow(
      new InputError(`image: "${REPO}:gone" is not in ECR (no such image in repository team/notes of 123456789012)`),
    );
  });
});

describe('versionImage', () => {
  it("gives an image version's image by digest: its CodeSha256 in its repository", () => {
    expect(versionImage(version({ packageType: 'Image', imageUri: `${REPO}@${DIGEST}` }))).toMatchObject({ uri: `${REPO}@${DIGEST}`, digest: DIGEST });
    expect(versionImage(version({ packageType: 'Image', imageUri: `${REPO}:v1` }))?.uri).toBe(`${REPO}@${DIGEST}`);
  });

  it('is undefined for a zip version', () => {
    expect(versionImage(version({ packageType: 'Zip', codeSha256: 'base64=' }))).toBeUndefined();
  });
});

describe('checkPackageType', () => {
  it('refuses an image for a zip function and an artifact for an image function, naming field and value', () => {
    expect(() => checkPackageType('notes', version({ packageType: 'Zip' }), { field: 'image', value: `${REPO}:v1` })).toThrow(
      /^image: ".*:v1" is a container image, and function notes is a \.zip function/,
    );
    expect(() => checkPackageType('notes', version({ packageType: 'Image' }), { field: 'artifact', value: 'build/a.zip' })).toThrow(
      /^artifact: "build\/a\.zip" is a \.zip, and function notes is a container-image function/,
    );
    expect(() => checkPackageType('notes', version({ packageType: 'Image' }), { field: 'image', value: `${REPO}:v1` })).not.toThrow();
    expect(() => checkPackageType('notes', version({}), { field: 'artifact', value: 'a.zip' })).not.toThrow();
  });
});

describe('deployImage', () => {
  it('takes input image over the stage, and refuses an image with an artifact', () => {
    expect(deployImage({ image: 'a' }, { image: 'b' })).toBe('a');
    expect(deployImage({}, { image: 'b' })).toBe('b');
    expect(deployImage({ artifact: 'x.zip' }, {})).toBeUndefined();
    expect(() => deployImage({ image: 'a', artifact: 'x.zip' }, {})).toThrow(/^image: "a" and artifact "x\.zip" are both given/);
  });
});
