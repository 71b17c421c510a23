/**
 * promote: the target stage ends on a version whose CodeSha256 equals that of the version the
 * source stage runs, carrying the target stage's settings: that very version when its settings
 * already match, else the same code published again with the target's settings. Smoke-tested,
 * and put back like a deploy.
 */
import { join } from 'node:path';

import { desiredSettings, isUnchanged, settingsDifferences } from '../release/change-check.js';
import { formatHistory, parseHistory, recordRelease } from '../release/history.js';
import {
  publishRelease,
  releaseDescription,
  type UploadRecord,
} from '../release/publish.js';
import type { ReleaseResult } from '../model/results.js';
import { shiftAndVerify, type ShiftRequest } from '../release/rollout.js';
import { Timeline } from '../release/timeline.js';
import { type CodeSource, type FunctionVersionState } from '../model/lambda.js';
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
import { sha256HexOf } from "../artifact/s3-key.js";
import type { ReleaseDeps } from "../release/deps.js";
import type { RunContext } from "../model/settings.js";

export async function promote(
  source: StageSettings,
  target: StageSettings,
  deps: ReleaseDeps,
  context: RunContext,
): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { lambda, log } = deps;
  const name = target.functionName;

  const [sourceAlias, latest, before] = await timeline.step('read', () =>
    Promise.all([lambda.getAlias(source.functionName, source.alias), lambda.getVersion(name), lambda.getAlias(name, target.alias)]),
  );
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
      lambda.getVersion(source.functionName, sourceAlias.version),
      before === undefined ? Promise.resolve(undefined) : lambda.getVersion(name, before.version),
    ]),
  );
  if (sourceVersion === undefined) {
    throw new InputError(`promote-from: version ${sourceAlias.version} that ${source.stage} runs no longer exists`);
  }
  const sourceRelease = parseHistory(sourceAlias.description).find((r) => r.version === sourceVersion.version);
  const commit = sourceRelease?.commit || context.commit.slice(0, 7);
  log.info(
    `Promoting ${source.stage} (version ${sourceVersion.version}, code ${sourceVersion.codeSha256}` +
      `${sourceRelease?.commit ? `, commit ${sourceRelease.commit}` : ''}) to ${target.stage}.`,
  );

  const result = resultMaker({ command: 'promote', settings: target, commit, before, live }, timeline);

  const desired = desiredSettings(target);
  if (isUnchanged(sourceVersion.codeSha256, desired, live)) {
    log.info(`${target.stage} already runs this code with its settings: nothing to promote.`);
    return result({ status: 'unchanged' });
  }

  const sameFunction = stripQualifier(sourceVersion.functionArn) === stripQualifier(latest.functionArn);
  const reuse = sameFunction && settingsDifferences(desired, sourceVersion).length === 0;
  if (deps.dryRun) {
    const plan = reuse
      ? [`reuse version ${sourceVersion.version}: it carries ${target.stage}'s settings already`]
      : [
          ...planSettings(desired, latest),
          latest.codeSha256 === sourceVersion.codeSha256
            ? 'code: $LATEST holds it already, nothing to upload'
            : `take the code of ${source.stage}'s version ${sourceVersion.version} (from S3 when the bucket holds it, else downloaded from Lambda)`,
          `publish a version of ${name} with CodeSha256 ${sourceVersion.codeSha256}`,
        ];
    return result({ status: 'unchanged', plan: [...plan, ...planShift(target, before, reuse ? `version ${sourceVersion.version}` : 'the new version')] });
  }
  await deps.beforeChange?.();
  let toVersion: FunctionVersionState;
  let upload: UploadRecord = { kind: 'none', sizeBytes: sourceVersion.codeSize };
  let settingsChanged: string[] = [];
  if (reuse) {
    log.info(`Version ${sourceVersion.version} already carries ${target.stage}'s settings: promoting it as it is.`);
    toVersion = sourceVersion;
  } else {
    const progress: { settingsChanged: string[]; upload?: UploadRecord } = { settingsChanged: [] };
    try {
      const publication = await publishRelease(
        {
          settings: target,
          desired,
          latest,
          description: releaseDescription(target.stage, context, ` promoted from ${source.stage} v${sourceVersion.version}`),
          code: {
            codeSha256: sourceVersion.codeSha256,
            sizeBytes: sourceVersion.codeSize,
            provide: () => sourceCode(source, target, sourceVersion, deps),
          },
        },
        deps,
        timeline,
        progress,
      );
      toVersion = publication.published;
      upload = publication.upload;
      settingsChanged = publication.settingsChanged;
    } catch (error) {
      return result({ status: 'failed', error: `${target.stage}: publishing failed, nothing was shifted: ${errorMessage(error)}`, ...progress });
    }
  }
  if (before !== undefined && toVersion.version === before.version) {
    return result({ status: 'unchanged', settingsChanged, upload });
  }

  const request: ShiftRequest = {
    settings: target,
    before,
    toVersion: toVersion.version,
    description: formatHistory(
      recordRelease(parseHistory(before?.description), before?.version, {
        version: toVersion.version,
        commit,
        releasedAt: Math.floor((deps.now?.() ?? new Date()).getTime() / 1000),
      }),
    ),
  };
  const outcome = await shiftAndVerify(request, { ...deps, timeline });
  return result({
    candidateVersion: toVersion.version,
    settingsChanged,
    upload,
    ...afterShift(outcome, request, toVersion, 'promoted', live),
  });
}

/**
 * The source version's exact bytes, for UpdateFunctionCode: its content-addressed S3 object when
 * the target stage has a bucket holding it, else downloaded from the source version itself (and
 * put in the bucket when the target has one, since code above 50 MB must go through S3).
 */
async function sourceCode(
  source: StageSettings,
  target: StageSettings,
  version: FunctionVersionState,
  deps: ReleaseDeps,
): Promise<{ source: CodeSource; upload: UploadRecord }> {
  const sizeBytes = version.codeSize;
  const bucket = target.s3Bucket;
  const key = artifactKey(target, sha256HexOf(version.codeSha256));
  if (bucket !== undefined && deps.store !== undefined && (await deps.store.exists(bucket, key))) {
    deps.log.info(`Taking the code from s3://${bucket}/${key}.`);
    return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere: true, sizeBytes } };
  }
  if (deps.workDir === undefined) throw new Error('a work directory is needed to download code');
  const zipPath = join(deps.workDir, `${sha256HexOf(version.codeSha256)}.zip`);
  deps.log.info(`Downloading the code of ${source.stage}'s version ${version.version} (${formatSize(sizeBytes)}).`);
  const downloaded = await deps.lambda.downloadCode(source.functionName, version.version, zipPath);
  if (downloaded !== version.codeSha256) {
    throw new Error(`the downloaded code hashes to ${downloaded}, not ${version.codeSha256}`);
  }
  if (bucket !== undefined && deps.store !== undefined) {
    await deps.store.upload(bucket, key, zipPath);
    return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere: false, sizeBytes } };
  }
  return { source: { kind: 'zip-file', zipPath }, upload: { kind: 'direct', sizeBytes } };
}

/** `arn:…:function:name` for `arn:…:function:name:7` or `…:$LATEST`. */
function stripQualifier(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 7 ? parts.slice(0, 7).join(':') : arn;
}
