/**
 * promote: the target stage ends on a version whose CodeSha256 equals that of the version the
 * source stage runs, carrying the target stage's settings: that very version when its settings
 * already match, else the same code published again with the target's settings. Smoke-tested,
 * and put back like a deploy. Read → check → plan → dry-run or carry out.
 */
import { checkCrossAccountPull, functionAccount } from '../artifact/image-pull.js';
import { packageTypeOf, parseImageUri, versionImage } from '../artifact/image.js';
import { artifactKey, sha256HexOf } from '../artifact/s3-key.js';
import { InputError } from '../model/errors.js';
import type { FunctionVersionState, ImageRecord } from '../model/lambda.js';
import type { CodeStep, PlanTarget } from '../model/plan.js';
import type { ReleaseResult } from '../model/results.js';
import type { RunContext, StageSettings } from '../model/settings.js';
import { finish, unchanged, type ReleaseStart } from '../release/carry-out.js';
import { desiredSettings, isUnchanged, settingsDifferences } from '../release/change-check.js';
import type { ReleaseDeps } from '../release/deps.js';
import { parseHistory, recordedCommit } from '../release/history.js';
import { checkDirectUpload } from '../release/limits.js';
import { publishTarget, releaseDescription, releasePlan } from '../release/plan.js';
import { readyToReturnTo, readyVersion } from '../release/readiness.js';
import { missingFunction, refuseSplit } from '../release/refusals.js';
import { Timeline } from '../release/timeline.js';
import { refuseUnsplittable } from '../release/weighted-alias.js';

export async function promote(source: StageSettings, target: StageSettings, deps: ReleaseDeps, context: RunContext): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { lambda, log } = deps;
  // The source stage may be in another account, read with its own role (app.ts withSourceLambda).
  const sourceLambda = deps.sourceLambda ?? lambda;
  const name = target.functionName;

  // Read both stages.
  const [sourceAlias, latest, before] = await timeline.step('read', () =>
    Promise.all([sourceLambda.getAlias(source.functionName, source.alias), lambda.getVersion(name), lambda.getAlias(name, target.alias)]),
  );

  // Check.
  if (sourceAlias === undefined) {
    throw new InputError(
      `promote-from: stage ${JSON.stringify(source.stage)} has no release to promote (alias ${source.alias} of ${source.functionName} does not exist)`,
    );
  }
  refuseSplit(`promote-from: stage ${JSON.stringify(source.stage)}`, sourceAlias.weights, 'promote once it has finished');
  if (latest === undefined) throw missingFunction(target);
  if (before !== undefined) {
    refuseSplit(`alias: ${JSON.stringify(target.alias)}`, before.weights, 'wait for it to finish or roll it back before promoting');
  }
  const [sourceVersion, live] = await timeline.step('read', () =>
    Promise.all([
      sourceLambda.getVersion(source.functionName, sourceAlias.version),
      before === undefined ? Promise.resolve(undefined) : lambda.getVersion(name, before.version),
    ]),
  );
  if (sourceVersion === undefined) {
    throw new InputError(`promote-from: version ${sourceAlias.version} that ${source.stage} runs no longer exists`);
  }
  // The commit comes from the source's history, checked on the way in: one that is no SHA is
  // dropped (recorded as unknown) with a warning, and never takes the target's history with it.
  let badCommit = false;
  const sourceRelease = parseHistory(sourceAlias.description, (message, version) => {
    if (version === sourceVersion.version) badCommit = true;
    log.warn(`${source.stage}'s release history: ${message}`);
  }).find((r) => r.version === sourceVersion.version);
  const commit = badCommit ? '' : sourceRelease?.commit || recordedCommit(context.commit, (message) => log.warn(message), "the run's commit (GITHUB_SHA)");
  log.info(
    `${deps.dryRun === true ? 'Would promote' : 'Promoting'} ${source.stage} (version ${sourceVersion.version}, code ${sourceVersion.codeSha256}` +
      `${sourceRelease?.commit ? `, commit ${sourceRelease.commit}` : ''}) to ${target.stage}.`,
  );
  // A container image is promoted by its exact digest (no download): the package types must match.
  const image = promotedImage(source, target, sourceVersion, latest.packageType === 'Image' ? 'Image' : 'Zip');
  const start: ReleaseStart = { command: 'promote', settings: target, commit, before, live, timeline, ...(image !== undefined && { image }) };

  const desired = desiredSettings(target);
  if (isUnchanged(sourceVersion.codeSha256, desired, live)) {
    log.info(`${target.stage} already runs this code with its settings: nothing to promote.`);
    return unchanged(start);
  }

  // An image from another account's registry: its repository's policy must let the target pull it.
  if (image !== undefined && latest.codeSha256 !== sourceVersion.codeSha256) await checkImagePull(source, target, image, latest.functionArn, deps);

  // A canary keeps traffic on, and returns to, what the target runs: it must be able to take it.
  await readyToReturnTo(target, live, deps);

  // Plan: reuse the very version when it carries the target's settings, else publish its code again.
  // The full ARNs (account and region included): a function of the same name in another account
  // is another function, whose version is never reused; its code is copied and published there.
  const sameFunction = stripQualifier(sourceVersion.functionArn) === stripQualifier(latest.functionArn);
  const reuse = sameFunction && settingsDifferences(desired, sourceVersion).length === 0;
  // A version reused takes traffic as it is: Inactive is refused, Pending waited for (readiness.ts).
  if (reuse) await readyVersion(`promote-from: ${JSON.stringify(source.stage)} (its version ${sourceVersion.version}, reused as it is)`, sourceVersion, target, deps);
  const planned: PlanTarget =
    reuse
      ? { kind: 'existing', version: sourceVersion.version, codeSha256: sourceVersion.codeSha256, reason: 'carries the settings' }
      : publishTarget(
          desired,
          latest,
          {
            codeSha256: sourceVersion.codeSha256,
            step:
              latest.codeSha256 === sourceVersion.codeSha256
                ? { kind: 'in-latest' }
                : image !== undefined
                  ? { kind: 'image', imageUri: image.uri, digest: image.digest }
                  : await codeStep(source, target, sourceVersion, deps),
          },
          releaseDescription(target.stage, context, ` promoted from ${source.stage} v${sourceVersion.version}`),
        );
  const plan = releasePlan('promote', target, before, planned, { kind: 'record', commit });
  // A canary or linear split between the live version and the promoted one must be one Lambda allows.
  refuseUnsplittable(plan, live, planned.kind === 'existing' ? sourceVersion : latest);
  return finish(plan, start, deps);
}

/**
 * Where the source version's exact bytes come from: the target's content-addressed S3 object
 * when its bucket holds it, else downloaded from the source version itself (and put in the
 * bucket when the target has one, since code above 50 MB must go through S3).
 */
async function codeStep(source: StageSettings, target: StageSettings, version: FunctionVersionState, deps: ReleaseDeps): Promise<CodeStep> {
  const sizeBytes = version.codeSize;
  const bucket = target.s3Bucket;
  const key = artifactKey(target, sha256HexOf(version.codeSha256));
  if (bucket !== undefined && deps.store !== undefined && (await deps.store.exists(bucket, key))) {
    return { kind: 's3', bucket, key, alreadyThere: true, sizeBytes };
  }
  if (bucket === undefined || deps.store === undefined) {
    // Without a bucket the downloaded bytes go in the UpdateFunctionCode request itself.
    checkDirectUpload(
      's3-bucket',
      `not set for stage ${JSON.stringify(target.stage)}, and the code of version ${version.version} that ${source.stage} runs`,
      sizeBytes,
      `set s3-bucket for ${target.stage} to promote it through S3`,
    );
  }
  return {
    kind: 'download',
    fromStage: source.stage,
    functionName: source.functionName,
    version: version.version,
    codeSha256: version.codeSha256,
    sizeBytes,
    via: bucket !== undefined && deps.store !== undefined ? { kind: 's3', bucket, key } : { kind: 'direct' },
  };
}

/**
 * The image of the source's version, when it is a container-image function: promoted by digest
 * (`<repository>@sha256:…`, what Lambda resolved when it was published), never by a tag that
 * may have moved. A source and target of different package types are refused before any change.
 */
function promotedImage(source: StageSettings, target: StageSettings, version: FunctionVersionState, targetType: 'Image' | 'Zip'): ImageRecord | undefined {
  const sourceType = packageTypeOf(version);
  if (sourceType !== targetType) {
    throw new InputError(
      `promote-from: ${JSON.stringify(source.stage)} runs a ${sourceType === 'Image' ? 'container-image' : '.zip'} function (${source.functionName}), ` +
        `and ${target.stage}'s function ${target.functionName} is a ${targetType === 'Image' ? 'container-image' : '.zip'} function; a function's package type cannot change`,
    );
  }
  if (sourceType === 'Zip') return undefined;
  const image = versionImage(version);
  if (image === undefined) throw new Error(`Lambda gave no image URI for version ${version.version} of ${source.functionName}`);
  return { uri: image.uri, digest: image.digest };
}

/**
 * A target in another account than the image's registry (a prod account promoted to from dev's):
 * Lambda pulls the image there only if the repository's policy allows the target account
 * ecr:BatchGetImage and ecr:GetDownloadUrlForLayer (image-pull.ts). The policy is read with the
 * source stage's credentials (its account owns the repository); refused before any change when it
 * does not allow it, a warning when it could not be read.
 */
async function checkImagePull(source: StageSettings, target: StageSettings, image: ImageRecord, functionArn: string, deps: ReleaseDeps): Promise<void> {
  const reference = parseImageUri(image.uri);
  const targetAccount = functionAccount(functionArn);
  if (reference === undefined || targetAccount === undefined || reference.registryId === targetAccount) return;
  const registry = deps.sourceImages ?? deps.images;
  if (registry === undefined) return;
  const policy = await registry.repositoryPolicy({ registryId: reference.registryId, repository: reference.repository });
  checkCrossAccountPull(
    {
      field: `promote-from: ${JSON.stringify(source.stage)} (image ${image.uri})`,
      repository: reference.repository,
      registryId: reference.registryId,
      region: reference.region,
      targetAccount,
      functionName: target.functionName,
    },
    policy,
    (message) => deps.log.warn(message),
  );
}

/** `arn:…:function:name` for `arn:…:function:name:7` or `…:$LATEST`. */
function stripQualifier(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}
