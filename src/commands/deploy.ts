/**
 * deploy: publish the artifact with the stage's settings as a new version, shift the stage's
 * alias to it, smoke-test it, and put the alias back when the check fails.
 */
import { desiredSettings, isUnchanged } from '../release/change-check.js';
import { formatHistory, parseHistory, recordRelease } from '../release/history.js';
import {
  publishRelease,
  releaseDescription,
  type Publication,
  type UploadRecord,
} from '../release/publish.js';
import type { ReleaseResult } from '../model/results.js';
import { shiftAndVerify, type ShiftRequest } from '../release/rollout.js';
import { Timeline } from '../release/timeline.js';
import { type Artifact, type CodeSource } from '../model/lambda.js';
import type { StageSettings } from "../model/settings.js";
import { InputError } from "../model/errors.js";
import { errorMessage } from "../model/errors.js";
import { resultMaker } from "../release/result.js";
import { afterShift } from "../release/result.js";
import { planSettings } from "../release/plan.js";
import { planShift } from "../release/plan.js";
import { missingFunction } from "../release/refusals.js";
import { refuseSplit } from "../release/refusals.js";
import { formatSize } from "../report/format.js";
import { artifactKey } from "../artifact/s3-key.js";
import type { ReleaseDeps } from "../release/deps.js";
import type { RunContext } from "../model/settings.js";
/** Lambda refuses a zip above this size in the request itself; larger code goes through S3. */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

export async function deploy(
  settings: StageSettings,
  artifact: Artifact,
  deps: ReleaseDeps,
  context: RunContext,
): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { lambda, log } = deps;
  const name = settings.functionName;

  // Read what is live; nothing below changes AWS until every check has passed.
  const [latest, before] = await timeline.step('read', () =>
    Promise.all([lambda.getVersion(name), lambda.getAlias(name, settings.alias)]),
  );
  if (latest === undefined) throw missingFunction(settings);
  if (before !== undefined) {
    refuseSplit(`alias: ${JSON.stringify(settings.alias)}`, before.weights, 'wait for it to finish or roll it back before deploying');
  }
  if (settings.s3Bucket === undefined && artifact.sizeBytes > DIRECT_UPLOAD_LIMIT_BYTES) {
    throw new InputError(
      `artifact: ${JSON.stringify(artifact.source.path)} is ${formatSize(artifact.sizeBytes)}, above Lambda's 50 MB ` +
        'direct-upload limit; set s3-bucket to upload it through S3',
    );
  }
  const live = before === undefined ? undefined : await timeline.step('read', () => lambda.getVersion(name, before.version));

  const result = resultMaker({ command: 'deploy', settings, commit: context.commit, before, live }, timeline);

  const desired = desiredSettings(settings);
  if (isUnchanged(artifact.codeSha256, desired, live)) {
    log.info(`Alias ${settings.alias} already runs this code (${artifact.codeSha256}) with these settings: nothing to publish.`);
    return result({ status: 'unchanged', upload: { kind: 'none', sizeBytes: artifact.sizeBytes } });
  }

  if (deps.dryRun) {
    const plan = [
      ...planSettings(desired, latest),
      ...(await planCode(settings, artifact, latest.codeSha256, deps)),
      `publish a version of ${name} with CodeSha256 ${artifact.codeSha256}`,
      ...planShift(settings, before, 'the new version'),
    ];
    return result({ status: 'unchanged', plan });
  }
  await deps.beforeChange?.();
  const progress: { settingsChanged: string[]; upload?: UploadRecord } = { settingsChanged: [] };
  let publication: Publication;
  try {
    publication = await publishRelease(
      {
        settings,
        desired,
        latest,
        description: releaseDescription(settings.stage, context),
        code: { codeSha256: artifact.codeSha256, sizeBytes: artifact.sizeBytes, provide: () => stageCode(settings, artifact, deps) },
      },
      deps,
      timeline,
      progress,
    );
  } catch (error) {
    return result({ status: 'failed', error: `${settings.stage}: publishing failed, nothing was shifted: ${errorMessage(error)}`, ...progress });
  }
  const { published, upload, settingsChanged } = publication;
  if (before !== undefined && published.version === before.version) {
    // Lambda returned the version the alias already runs (nothing changed since it was published).
    return result({ status: 'unchanged', settingsChanged, upload });
  }

  const request: ShiftRequest = {
    settings,
    before,
    toVersion: published.version,
    description: formatHistory(
      recordRelease(parseHistory(before?.description), before?.version, {
        version: published.version,
        commit: context.commit.slice(0, 7),
        releasedAt: Math.floor((deps.now?.() ?? new Date()).getTime() / 1000),
      }),
    ),
  };
  const outcome = await shiftAndVerify(request, { ...deps, timeline });
  return result({
    candidateVersion: published.version,
    settingsChanged,
    upload,
    ...afterShift(outcome, request, published, 'deployed', live),
  });
}

/** What a deploy would do with the code. */
async function planCode(settings: StageSettings, artifact: Artifact, latestSha: string, deps: ReleaseDeps): Promise<string[]> {
  if (latestSha === artifact.codeSha256) return ['code: $LATEST holds it already, nothing to upload'];
  if (settings.s3Bucket === undefined) return [`upload ${formatSize(artifact.sizeBytes)} directly to ${settings.functionName}`];
  const key = artifactKey(settings, artifact.sha256Hex);
  const there = deps.store !== undefined && (await deps.store.exists(settings.s3Bucket, key));
  return [`${there ? 'take' : `upload ${formatSize(artifact.sizeBytes)} to`} s3://${settings.s3Bucket}/${key}${there ? ' (already there)' : ''}, then update the code`];
}

/** Where the code comes from for UpdateFunctionCode: the zip itself, or its content-addressed S3 object. */
async function stageCode(settings: StageSettings, artifact: Artifact, deps: ReleaseDeps): Promise<{ source: CodeSource; upload: UploadRecord }> {
  if (settings.s3Bucket === undefined) {
    return { source: { kind: 'zip-file', zipPath: artifact.zipPath }, upload: { kind: 'direct', sizeBytes: artifact.sizeBytes } };
  }
  if (deps.store === undefined) throw new Error('an S3 store is needed for s3-bucket');
  const bucket = settings.s3Bucket;
  const key = artifactKey(settings, artifact.sha256Hex);
  const alreadyThere = await deps.store.exists(bucket, key);
  if (alreadyThere) {
    deps.log.info(`s3://${bucket}/${key} is already there: not uploading it again.`);
  } else {
    deps.log.info(`Uploading ${formatSize(artifact.sizeBytes)} to s3://${bucket}/${key}.`);
    await deps.store.upload(bucket, key, artifact.zipPath);
  }
  return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere, sizeBytes: artifact.sizeBytes } };
}

export type { ReleaseDeps } from "../release/deps.js";
export type { RunContext } from "../model/settings.js";
