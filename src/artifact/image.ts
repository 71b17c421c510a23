/**
 * Container-image code: an ECR image URI as the user wrote it, checked and resolved to its digest
 * once, before anything changes. The digest is what is published (UpdateFunctionCode ImageUri
 * `<repository>@sha256:…`), compared for `unchanged` (an image function's CodeSha256 is the
 * digest's hex), promoted and rolled back to; a tag is only ever read here.
 *
 * Lambda's rules (https://docs.aws.amazon.com/lambda/latest/dg/images-create.html): "The Amazon
 * ECR repository must be in the same AWS Region as the Lambda function" (another account is
 * fine), and "You cannot change the deployment package type (.zip or container image) for an
 * existing function". UpdateFunctionCode: "For a function defined as a container image, Lambda
 * resolves the image tag to an image digest" (API_UpdateFunctionCode.html); this action resolves
 * it first, so that what is compared and recorded is the digest, not a tag that moves.
 */
import { parseImageUri as parseStageImage } from '../stages/schema.js';
import { InputError } from '../model/errors.js';
import type { FunctionVersionState, ImageCode, ImageRecord } from '../model/lambda.js';
import type { ImageRegistry } from '../model/ports.js';

/** An ECR image URI, taken apart: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>(:tag | @sha256:<hex>)`. */
export interface ImageReference {
  registryId: string;
  region: string;
  repository: string;
  repositoryUri: string;
  tag?: string;
  digest?: string;
}

const EXPECTED = '<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or …/<repository>@sha256:<64 hex digits>';

/** `text` taken apart (the stages file's parser, stages/schema.ts), with the registry as ECR's API names it. */
export function parseImageUri(text: string): ImageReference | undefined {
  const parsed = parseStageImage(text.trim());
  if (parsed === undefined) return undefined;
  const host = parsed.uri.slice(0, parsed.uri.indexOf('/'));
  return {
    registryId: parsed.account,
    region: parsed.region,
    repository: parsed.repository,
    repositoryUri: `${host}/${parsed.repository}`,
    ...(parsed.tag !== undefined && { tag: parsed.tag }),
    ...(parsed.digest !== undefined && { digest: parsed.digest }),
  };
}

/** The image's reference, or an InputError naming `field` and the value, with the expected form. */
export function checkImageUri(field: string, text: string, functionRegion: string | undefined): ImageReference {
  const reference = parseImageUri(text);
  if (reference === undefined) {
    throw new InputError(`${field}: ${JSON.stringify(text)} is not an ECR image URI by tag or digest. Expected ${EXPECTED}`);
  }
  if (functionRegion !== undefined && reference.region !== functionRegion) {
    throw new InputError(
      `${field}: ${JSON.stringify(text)} is in ${reference.region}, and the function in ${functionRegion}; ` +
        'Lambda takes an image only from an ECR repository in its own region',
    );
  }
  return reference;
}

/**
 * Resolve the image the user named to its digest (one DescribeImages): refused, naming the field
 * and the value, when ECR has no such image. A URI by digest is checked the same way.
 */
export async function resolveImage(field: string, text: string, functionRegion: string | undefined, registry: ImageRegistry): Promise<ImageCode> {
  const reference = checkImageUri(field, text, functionRegion);
  const found = await registry.describeImage({
    registryId: reference.registryId,
    repository: reference.repository,
    ...(reference.digest !== undefined ? { digest: reference.digest } : { tag: reference.tag ?? 'latest' }),
  });
  if (found === undefined) {
    throw new InputError(`${field}: ${JSON.stringify(text)} is not in ECR (no such image in repository ${reference.repository} of ${reference.registryId})`);
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(found.digest)) throw new Error(`ECR answered digest ${JSON.stringify(found.digest)} for ${text}, not a sha256 digest`);
  return {
    kind: 'image',
    uri: text.trim(),
    repositoryUri: reference.repositoryUri,
    registryId: reference.registryId,
    repository: reference.repository,
    region: reference.region,
    ...(reference.tag !== undefined && { tag: reference.tag }),
    digest: found.digest,
    imageUri: `${reference.repositoryUri}@${found.digest}`,
    codeSha256: found.digest.slice('sha256:'.length),
  };
}

/**
 * The image a deploy names: input `image` over the stage's `image`; undefined for a zip deploy.
 * An image and an artifact both given are refused: a function has one package type.
 */
export function deployImage(inputs: { image?: string; artifact?: string }, settings: { image?: string; artifact?: string }): string | undefined {
  const image = inputs.image || settings.image || undefined;
  const artifact = inputs.artifact || settings.artifact || undefined;
  if (image !== undefined && artifact !== undefined) {
    throw new InputError(
      `image: ${JSON.stringify(image)} and artifact ${JSON.stringify(artifact)} are both given; a function is either a container image or a .zip: give one`,
    );
  }
  return image;
}

/** One line for the log: `Image <uri>: tag v2 → sha256:…` (or `by digest sha256:…`). */
export function describeImage(code: ImageCode): string {
  return `Image ${code.uri}: ${code.tag !== undefined ? `tag ${code.tag} → ${code.digest}` : `by digest ${code.digest}`}, published as ${code.imageUri}.`;
}

/** What the result records of an image resolved for this release. */
export function imageRecord(code: ImageCode): ImageRecord {
  return { uri: code.imageUri, ...(code.tag !== undefined && { tag: code.tag }), digest: code.digest };
}

/**
 * The image a published version of an image function runs, pinned by digest: its digest is its
 * CodeSha256 (hex), its repository that of the version's resolved image URI. Undefined for a zip
 * function, or when Lambda gave no image URI.
 */
export function versionImage(version: FunctionVersionState): (ImageRecord & { reference: ImageReference }) | undefined {
  if (version.packageType !== 'Image' || version.imageUri === undefined) return undefined;
  const hex = version.codeSha256.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(hex)) return undefined;
  const digest = `sha256:${hex}`;
  // The repository part: everything before the digest (`@`) or the tag (the last `:` after the last `/`).
  const at = version.imageUri.indexOf('@');
  let repositoryUri = at >= 0 ? version.imageUri.slice(0, at) : version.imageUri;
  const colon = repositoryUri.lastIndexOf(':');
  if (colon > repositoryUri.lastIndexOf('/')) repositoryUri = repositoryUri.slice(0, colon);
  const reference = parseImageUri(`${repositoryUri}@${digest}`);
  if (reference === undefined) return undefined;
  return { uri: `${repositoryUri}@${digest}`, digest, reference };
}

/** `Image` or `Zip`: how a function's package type is named in messages. */
export function packageTypeOf(version: FunctionVersionState): 'Image' | 'Zip' {
  return version.packageType === 'Image' ? 'Image' : 'Zip';
}

/**
 * A function's package type cannot change (images-create.html): an `image` for a zip function or
 * an `artifact` for an image function is refused before anything changes, naming field and value.
 */
export function checkPackageType(functionName: string, latest: FunctionVersionState, code: { field: 'image' | 'artifact'; value: string }): void {
  const type = packageTypeOf(latest);
  if (code.field === 'image' && type === 'Zip') {
    throw new InputError(
      `image: ${JSON.stringify(code.value)} is a container image, and function ${functionName} is a .zip function ` +
        "(a function's package type cannot change); give artifact for it, or create an Image function",
    );
  }
  if (code.field === 'artifact' && type === 'Image') {
    throw new InputError(
      `artifact: ${JSON.stringify(code.value)} is a .zip, and function ${functionName} is a container-image function ` +
        "(a function's package type cannot change); give image (an ECR image URI) for it",
    );
  }
}
