/**
 * deploy: publish the artifact (or, for a container-image function, the image by digest) with the
 * stage's settings as a new version, shift the stage's alias to it, smoke-test it, and put the
 * alias back when the check fails.
 * Read → check → plan → dry-run or carry out.
 */
import { checkPackageType, imageRecord } from '../artifact/image.js';
import { artifactKey } from '../artifact/s3-key.js';
import type { AliasState, Artifact, FunctionVersionState, ImageCode } from '../model/lambda.js';
import type { CodeStep } from '../model/plan.js';
import type { ReleaseResult } from '../model/results.js';
import type { RunContext, StageSettings } from '../model/settings.js';
import { finish, unchanged, type ReleaseStart } from '../release/carry-out.js';
import { desiredSettings, isUnchanged } from '../release/change-check.js';
import type { ReleaseDeps } from '../release/deps.js';
import { checkDirectUpload, checkUnzipped } from '../release/limits.js';
import { publishTarget, releaseDescription, releasePlan, shortCommit } from '../release/plan.js';
import { readyToReturnTo } from '../release/readiness.js';
import { missingFunction, refuseSplit } from '../release/refusals.js';
import { Timeline } from '../release/timeline.js';
import { refuseUnsplittable } from '../release/weighted-alias.js';

/** Lambda refuses a zip above this size in the request itself; larger code goes through S3 (see release/limits.ts). */
export { DIRECT_UPLOAD_LIMIT_BYTES } from '../release/limits.js';

/** `source`: the zip (artifact/package.ts), or a container image resolved to its digest (artifact/image.ts). */
export async function deploy(settings: StageSettings, source: Artifact | ImageCode, deps: ReleaseDeps, context: RunContext): Promise<ReleaseResult> {
  if ('kind' in source) return deployImage(settings, source, deps, context);
  const artifact = source;
  const timeline = new Timeline(deps.clock);
  const { log } = deps;
  const name = settings.functionName;

  // Read what is live; $LATEST only when it is needed (readLive).
  const { before, live, latest: readFirst, known } = await readLive(settings, deps, timeline);

  // Check: nothing below changes AWS until every check has passed.
  checkPackageType(name, known, { field: 'artifact', value: artifact.source.path });
  if (before !== undefined) {
    refuseSplit(`alias: ${JSON.stringify(settings.alias)}`, before.weights, 'wait for it to finish or roll it back before deploying');
  }
  // Lambda's limits on the code (release/limits.ts): the direct upload's request, the unzipped size.
  if (settings.s3Bucket === undefined) {
    checkDirectUpload('artifact', JSON.stringify(artifact.source.path), artifact.sizeBytes, 'set s3-bucket to upload it through S3');
  }
  if (artifact.unzippedBytes !== undefined) checkUnzipped('artifact', JSON.stringify(artifact.source.path), artifact.unzippedBytes);
  const start: ReleaseStart = { command: 'deploy', settings, commit: context.commit, before, live, timeline };

  const desired = desiredSettings(settings);
  if (isUnchanged(artifact.codeSha256, desired, live)) {
    log.info(`Alias ${settings.alias} already runs this code (${artifact.codeSha256}) with these settings: nothing to publish.`);
    return unchanged(start);
  }
  const latest = readFirst ?? (await readLatest(settings, deps, timeline));

  // A canary keeps traffic on, and returns to, what the alias runs: it must be able to take it.
  await readyToReturnTo(settings, live, deps);

  // Plan.
  const code = { codeSha256: artifact.codeSha256, step: await codeStep(settings, artifact, latest.codeSha256, deps) };
  const plan = releasePlan('deploy', settings, before, publishTarget(desired, latest, code, releaseDescription(settings.stage, context)), {
    kind: 'record',
    commit: shortCommit(context.commit),
  });
  // A canary or linear split between the live version and the new one must be one Lambda allows.
  refuseUnsplittable(plan, live, latest);
  return finish(plan, start, deps);
}

/**
 * What is live: the alias, and the version it runs read through the alias (GetFunction with the
 * alias as Qualifier gives the configuration of the version the alias points at), both at once.
 * An unchanged redeploy decides on these two reads alone. $LATEST is read here only when there is
 * no live version to go by (no alias yet, or no function: refused); otherwise after the unchanged
 * decision (readLatest), before anything is planned or written, so each write is still
 * conditional on the RevisionId just read.
 */
async function readLive(
  settings: StageSettings,
  deps: ReleaseDeps,
  timeline: Timeline,
): Promise<{
  before: AliasState | undefined;
  live: FunctionVersionState | undefined;
  latest: FunctionVersionState | undefined;
  /** live, or else $LATEST: what the package-type check reads (a function's package type cannot change). */
  known: FunctionVersionState;
}> {
  const { lambda } = deps;
  const name = settings.functionName;
  const [before, aliased] = await timeline.step('read', () => Promise.all([lambda.getAlias(name, settings.alias), lambda.getVersion(name, settings.alias)]));
  // The alias moved between the two reads (or the read through it failed): the version it names, by number.
  const live =
    before === undefined ? undefined : aliased !== undefined && aliased.version === before.version ? aliased : await timeline.step('read', () => lambda.getVersion(name, before.version));
  if (live !== undefined) return { before, live, latest: undefined, known: live };
  const latest = await readLatest(settings, deps, timeline);
  return { before, live, latest, known: latest };
}

/** $LATEST, whose RevisionId the writes are conditional on; a function that is not there is refused. */
async function readLatest(settings: StageSettings, deps: ReleaseDeps, timeline: Timeline): Promise<FunctionVersionState> {
  const latest = await timeline.step('read', () => deps.lambda.getVersion(settings.functionName));
  if (latest === undefined) throw missingFunction(settings);
  return latest;
}

/** How the artifact reaches $LATEST: directly, or through its content-addressed S3 object. */
async function codeStep(settings: StageSettings, artifact: Artifact, latestSha: string, deps: ReleaseDeps): Promise<CodeStep> {
  if (latestSha === artifact.codeSha256) return { kind: 'in-latest' };
  if (settings.s3Bucket === undefined) return { kind: 'direct', zipPath: artifact.zipPath, sizeBytes: artifact.sizeBytes };
  if (deps.store === undefined) throw new Error('an S3 store is needed for s3-bucket');
  const key = artifactKey(settings, artifact.sha256Hex);
  const alreadyThere = await deps.store.exists(settings.s3Bucket, key);
  return { kind: 's3', bucket: settings.s3Bucket, key, alreadyThere, zipPath: artifact.zipPath, sizeBytes: artifact.sizeBytes };
}

/**
 * deploy of a container-image function: the image, resolved to its digest before this is called,
 * is published by digest (UpdateFunctionCode ImageUri `<repository>@sha256:…`) and compared by
 * digest (an image function's CodeSha256 is the digest's hex). Nothing reads the image the alias
 * ran before, so a redeploy works after that image was deleted from ECR.
 */
async function deployImage(settings: StageSettings, image: ImageCode, deps: ReleaseDeps, context: RunContext): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { log } = deps;
  const name = settings.functionName;

  const { before, live, latest: readFirst, known } = await readLive(settings, deps, timeline);
  checkPackageType(name, known, { field: 'image', value: image.uri });
  if (before !== undefined) {
    refuseSplit(`alias: ${JSON.stringify(settings.alias)}`, before.weights, 'wait for it to finish or roll it back before deploying');
  }
  const start: ReleaseStart = { command: 'deploy', settings, commit: context.commit, before, live, timeline, image: imageRecord(image) };

  const desired = desiredSettings(settings);
  if (isUnchanged(image.codeSha256, desired, live)) {
    log.info(`Alias ${settings.alias} already runs this image (${image.digest}) with these settings: nothing to publish.`);
    return unchanged(start);
  }
  await readyToReturnTo(settings, live, deps);
  const latest = readFirst ?? (await readLatest(settings, deps, timeline));

  const step: CodeStep = latest.codeSha256 === image.codeSha256
    ? { kind: 'in-latest' }
    : { kind: 'image', imageUri: image.imageUri, ...(image.tag !== undefined && { tag: image.tag }), digest: image.digest };
  const plan = releasePlan('deploy', settings, before, publishTarget(desired, latest, { codeSha256: image.codeSha256, step }, releaseDescription(settings.stage, context)), {
    kind: 'record',
    commit: shortCommit(context.commit),
  });
  refuseUnsplittable(plan, live, latest);
  return finish(plan, start, deps);
}
