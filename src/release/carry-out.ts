/**
 * Carrying out a ReleasePlan, the one step deploy, promote and rollback share: fetch the code
 * (download or upload it) before any write, give $LATEST the settings and the code and publish it
 * (when the target is new), then shift the alias with the
 * release history and verify it (rollout.ts). Every outcome comes back as its own result shape.
 */
import { join } from 'node:path';

import { errorMessage } from '../model/errors.js';
import type { AliasState, CodeSource, FunctionVersionState, ImageRecord } from '../model/lambda.js';
import type { CodeStep, ReleasePlan } from '../model/plan.js';
import type { CheckRecord, DryRun, ReleaseResult, Unchanged, UploadRecord } from '../model/results.js';
import { inGroup } from '../model/ports.js';
import type { ReleaseCommand, StageSettings } from '../model/settings.js';
import { imagePullRefusal } from '../artifact/image-pull.js';
import { sha256HexOf } from '../artifact/s3-key.js';
import { formatSize } from '../report/format.js';
import { describeDifferences, desiredSettings } from './change-check.js';
import { checkCapacity, settleCapacity, warmBeforeShift, type Warmed } from './capacity.js';
import { checkCodeStorage } from './code-storage.js';
import type { ReleaseDeps } from './deps.js';
import { formatHistory, parseHistory, recordRelease, returnTo } from './history.js';
import { checkPlanLimits } from './limits.js';
import { describeFailedShift, shiftAndVerify, type ShiftOutcome, type ShiftRequest } from './rollout.js';
import type { Timeline } from './timeline.js';
import { weightedAliasConflict } from './weighted-alias.js';

/** What a command read before deciding: the stage, the alias as it was and the version it ran. */
export interface ReleaseStart {
  command: ReleaseCommand;
  settings: StageSettings;
  /** The commit the result names (the one that built the code, when known). */
  commit: string;
  before: AliasState | undefined;
  /** The version the alias ran, as read. */
  live: FunctionVersionState | undefined;
  timeline: Timeline;
  /** A container-image function: the image (tag, digest) the command releases; every result of this start carries it. */
  image?: ImageRecord;
}

/** The fields every result of this start carries; the timings are read when it is called. */
function common(start: ReleaseStart) {
  const { settings, before, timeline } = start;
  return {
    command: start.command,
    stage: settings.stage,
    functionName: settings.functionName,
    alias: settings.alias,
    ...(start.commit !== '' && { commit: start.commit }),
    ...(before !== undefined && { previousVersion: before.version }),
    steps: timeline.steps,
    durationMs: timeline.elapsedMs(),
    ...(start.image !== undefined && { image: start.image }),
  };
}

/** Where the alias is, as read: what an outcome that changed nothing reports. */
function asRead(start: ReleaseStart) {
  return {
    ...(start.before !== undefined && { version: start.before.version, aliasArn: start.before.arn }),
    ...(start.live !== undefined && { codeSha256: start.live.codeSha256 }),
  };
}

/** Nothing to do: the alias already runs what the command would release. */
export function unchanged(start: ReleaseStart, fields: Partial<Pick<Unchanged, 'settingsChanged' | 'upload' | 'codeStorageWarning'>> = {}): Unchanged {
  return { kind: 'unchanged', ...common(start), ...asRead(start), settingsChanged: [], ...fields };
}

/** A dry run renders the plan; a real run carries it out. */
export async function finish(plan: ReleasePlan, start: ReleaseStart, deps: ReleaseDeps): Promise<ReleaseResult> {
  // Lambda's limits on what the plan would write (limits.ts): refused here, dry run or not, before any change.
  checkPlanLimits(plan, start.settings);
  // provisioned-concurrency (capacity.ts): an alias with a configuration of its own is refused here.
  await checkCapacity(start, deps);
  if (deps.dryRun) {
    const result: DryRun = { kind: 'dry-run', ...common(start), ...asRead(start), plan };
    return result;
  }
  return carryOut(plan, start, deps);
}

async function carryOut(plan: ReleasePlan, start: ReleaseStart, deps: ReleaseDeps): Promise<ReleaseResult> {
  const { settings, before, timeline } = start;
  const { lambda, log } = deps;
  const name = settings.functionName;
  await deps.beforeChange?.();

  let to: { version: string; codeSha256: string };
  let settingsChanged: string[] = [];
  let upload: UploadRecord | undefined;
  /** Set when the account's code storage is nearly full (read only when this release publishes). */
  let storage: { codeStorageWarning?: string } = {};
  const target = plan.target;
  if (target.kind === 'existing') {
    if (target.reason === 'carries the settings') {
      log.info(`Version ${target.version} already carries ${settings.stage}'s settings: promoting it as it is.`);
    }
    to = target;
  } else {
    /** Set when the published version cannot share the alias with the live one (weighted-alias.ts). */
    let unsplittable: string | undefined;
    const codeStorageWarning = await checkCodeStorage(settings, deps);
    if (codeStorageWarning !== undefined) storage = { codeStorageWarning };
    try {
      // One group of the log: upload, settings, code, publish.
      const published = await inGroup(log, `Publish a version of ${name}`, async () => {
        // Each write to $LATEST is conditional on the revision read or last written: a change another
        // run makes in between fails this release instead of being overwritten or published.
        let revisionId = target.revisionId;
        // Fetch first: the code is in hand (downloaded, uploaded to S3) before anything is written to
        // $LATEST, so a download that fails leaves $LATEST as it was.
        let provided: { source: CodeSource; upload: UploadRecord } | undefined;
        if (target.code.kind !== 'in-latest') {
          const code = target.code;
          provided = await timeline.step('upload', () => provideCode(code, deps));
          upload = provided.upload;
        }
        if (target.change !== undefined) {
          const change = target.change;
          const read = revisionId;
          settingsChanged = target.settingsChanged;
          log.info(`Updating settings of ${name}: ${settingsChanged.join(', ')}.`);
          revisionId = (await timeline.step('settings', () => lambda.updateConfiguration(name, change, read))).revisionId;
        }
        if (provided !== undefined) {
          const source = provided.source;
          if (source.kind === 'image') log.info(`Updating code of ${name} to image ${source.imageUri}.`);
          else log.info(`Updating code of ${name} to ${target.codeSha256} (${formatSize(provided.upload.sizeBytes)}).`);
          const read = revisionId;
          const updated = await timeline.step('code', () =>
            lambda.updateCode(name, source, read).catch((error: unknown) => {
              // An image Lambda may not pull (another account's repository): the permissions it needs.
              throw (source.kind === 'image' ? imagePullRefusal(error, source.imageUri, name) : undefined) ?? error;
            }),
          );
          if (updated.codeSha256 !== target.codeSha256) {
            throw new Error(`Lambda reports code ${updated.codeSha256} after the update, not ${target.codeSha256}`);
          }
          revisionId = updated.revisionId;
        }
        const published = await timeline.step('publish', () =>
          lambda.publishVersion(name, { codeSha256: target.codeSha256, description: target.description, ...(revisionId !== undefined && { revisionId }) }),
        );
        log.info(`Published version ${published.version} of ${name}.`);
        // What takes traffic is what was meant: another release of the same function (another
        // stage) may have changed $LATEST between this run's update and its PublishVersion.
        const drift = publishedDrift(settings, target.codeSha256, published);
        if (drift !== undefined) throw new Error(drift);
        unsplittable = weightedAliasConflict(plan.traffic, start.live, published);
        return published;
      });
      to = { version: published.version, codeSha256: published.codeSha256 };
    } catch (error) {
      return {
        kind: 'not-shifted',
        ...common(start),
        ...asRead(start),
        error: `${settings.stage}: publishing failed, nothing was shifted: ${errorMessage(error)}`,
        settingsChanged,
        ...(upload !== undefined && { upload }),
        ...storage,
      };
    }
    if (before !== undefined && to.version === before.version) {
      // Lambda returned the version the alias already runs (nothing changed since it was published).
      return unchanged(start, { settingsChanged, ...(upload !== undefined && { upload }), ...storage });
    }
    if (unsplittable !== undefined) {
      // The role or dead-letter queue of $LATEST changed since it was read (the commands check
      // what they read): Lambda would refuse the first weighted step, so the alias is not touched.
      return {
        kind: 'not-shifted',
        ...common(start),
        ...asRead(start),
        error: `${settings.stage}: version ${to.version} was published but not shifted: ${unsplittable}`,
        settingsChanged,
        ...(upload !== undefined && { upload }),
        ...storage,
      };
    }
  }

  // provisioned-concurrency (capacity.ts): the version is READY before the alias moves to it.
  let warmed: Warmed | undefined;
  try {
    if (settings.provisionedConcurrency !== undefined) warmed = await timeline.step('capacity', () => warmBeforeShift(start, to.version, deps));
  } catch (error) {
    return {
      kind: 'not-shifted',
      ...common(start),
      ...asRead(start),
      error: `${settings.stage}: ${errorMessage(error)}; nothing was shifted`,
      settingsChanged,
      ...(upload !== undefined && { upload }),
      ...storage,
    };
  }

  const warnHistory = (message: string) => log.warn(`${settings.stage}'s release history: ${message}`);
  const history = parseHistory(before?.description, warnHistory);
  const releasedAt = deps.releasedAt ?? Math.floor(deps.clock.now() / 1000);
  const request: ShiftRequest = {
    settings,
    before,
    toVersion: to.version,
    traffic: plan.traffic,
    progressive: plan.progressive,
    description: formatHistory(
      plan.history.kind === 'return'
        ? returnTo(history, before, { version: to.version, commit: start.commit, releasedAt })
        : recordRelease(history, before?.version, { version: to.version, commit: plan.history.commit, releasedAt }),
      warnHistory,
    ),
  };
  const outcome = await shiftAndVerify(request, { ...deps, timeline });
  await settleCapacity(warmed, outcome.ok, start, deps);
  const publishing = { settingsChanged, ...(upload !== undefined && { upload }), ...storage };
  if (outcome.ok) {
    return { kind: 'released', ...common(start), version: to.version, codeSha256: to.codeSha256, aliasArn: outcome.alias.arn, checks: checksOf(outcome), ...publishing };
  }
  const { restored, repair } = outcome;
  const failure = { ...common(start), ...publishing, error: describeFailedShift(outcome, request), candidateVersion: to.version, checks: checksOf(outcome) };
  if (repair !== undefined) return { kind: 'stranded', ...failure, repair };
  if (restored !== undefined && 'untouched' in restored) return { kind: 'not-shifted', ...failure, ...asRead(start) };
  if (restored !== undefined && 'superseded' in restored) {
    // Another release moved the alias: this one is not live, and the alias is where that one left it.
    const found = restored.found;
    return { kind: 'not-shifted', ...failure, ...(found !== undefined && { version: found.version, aliasArn: found.arn }) };
  }
  // Back where it was: the version and code it ran before (none after a first deploy).
  return { kind: 'reverted', ...failure, ...asRead(start) };
}

/**
 * Why the version PublishVersion answered with is not the one this run meant (another code, or
 * other settings than the stage's), e.g. `another release of notes-api changed $LATEST at the
 * same time: version 5 has environment.TABLE=notes-prod, not notes-dev`; undefined when it is.
 */
export function publishedDrift(settings: StageSettings, codeSha256: string, published: FunctionVersionState): string | undefined {
  const differences = describeDifferences(desiredSettings(settings), published);
  if (published.codeSha256 !== codeSha256) differences.unshift(`code ${published.codeSha256}, not ${codeSha256}`);
  if (differences.length === 0) return undefined;
  return `another release of ${settings.functionName} changed $LATEST at the same time: version ${published.version} has ${differences.join('; ')}`;
}

/** What the rollout's checks saw, as the result records it. */
function checksOf(outcome: ShiftOutcome): CheckRecord {
  const { smoke, invoke, traffic, gates, forced } = outcome;
  return { ...(smoke !== undefined && { smoke }), ...(invoke !== undefined && { invoke }), traffic, gates, forced };
}

/**
 * Where UpdateFunctionCode takes the code from: the zip itself, its content-addressed S3 object
 * (uploaded first unless already there), or the source version's bytes downloaded from Lambda.
 */
async function provideCode(step: Exclude<CodeStep, { kind: 'in-latest' }>, deps: ReleaseDeps): Promise<{ source: CodeSource; upload: UploadRecord }> {
  const { log } = deps;
  switch (step.kind) {
    case 'direct':
      return { source: { kind: 'zip-file', zipPath: step.zipPath }, upload: { kind: 'direct', sizeBytes: step.sizeBytes } };
    case 's3': {
      const { bucket, key, alreadyThere, sizeBytes } = step;
      if (alreadyThere || step.zipPath === undefined) {
        log.info(`s3://${bucket}/${key} is already there: not uploading it again.`);
      } else {
        log.info(`Uploading ${formatSize(sizeBytes)} to s3://${bucket}/${key}.`);
        await storeOf(deps).upload(bucket, key, step.zipPath);
      }
      return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere, sizeBytes } };
    }
    case 'image':
      // Lambda pulls the image from ECR by digest: nothing to upload.
      return { source: { kind: 'image', imageUri: step.imageUri }, upload: { kind: 'none', sizeBytes: 0 } };
    case 'download': {
      if (deps.workDir === undefined) throw new Error('a work directory is needed to download code');
      const zipPath = join(deps.workDir, `${sha256HexOf(step.codeSha256)}.zip`);
      log.info(`Downloading the code of ${step.fromStage}'s version ${step.version} (${formatSize(step.sizeBytes)}).`);
      // From the source stage's function, with its own role when it is in another account.
      const downloaded = await (deps.sourceLambda ?? deps.lambda).downloadCode(step.functionName, step.version, zipPath);
      if (downloaded !== step.codeSha256) throw new Error(`the downloaded code hashes to ${downloaded}, not ${step.codeSha256}`);
      if (step.via.kind === 's3') {
        const { bucket, key } = step.via;
        await storeOf(deps).upload(bucket, key, zipPath);
        return { source: { kind: 's3', bucket, key }, upload: { kind: 's3', bucket, key, alreadyThere: false, sizeBytes: step.sizeBytes } };
      }
      return { source: { kind: 'zip-file', zipPath }, upload: { kind: 'direct', sizeBytes: step.sizeBytes } };
    }
  }
}

function storeOf(deps: ReleaseDeps) {
  if (deps.store === undefined) throw new Error('an S3 store is needed for s3-bucket');
  return deps.store;
}
