/**
 * deploy: publish the artifact with the stage's settings as a new version, shift the stage's
 * alias to it, smoke-test it, and put the alias back when the check fails.
 */
import { configurationChange, desiredSettings, isUnchanged, settingsDifferences } from './change-check.js';
import type { ReleaseResult } from './result.js';
import { errorMessage, shiftAndVerify } from './shift.js';
import { Timeline } from './timeline.js';
import {
  InputError,
  type Artifact,
  type ArtifactStore,
  type CodeSource,
  type FunctionVersionState,
  type LambdaGateway,
  type Log,
  type SmokeChecker,
  type StageSettings,
} from './types.js';

/** Lambda refuses a zip above this size in the request itself; larger code goes through S3. */
export const DIRECT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

export interface ReleaseDeps {
  lambda: LambdaGateway;
  /** Needed when the stage has an `s3-bucket`. */
  store?: ArtifactStore;
  smoke: SmokeChecker;
  log: Log;
  /** Milliseconds, for step timings. */
  clock?: () => number;
  /** Wall time, for the release history. */
  now?: () => Date;
}

export interface RunContext {
  /** GITHUB_SHA */
  commit: string;
  /** GITHUB_RUN_ID */
  runId: string;
}

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
  if (latest === undefined) {
    throw new InputError(`function: ${JSON.stringify(name)} does not exist${settings.region ? ` in ${settings.region}` : ''}`);
  }
  if (before !== undefined && Object.keys(before.weights).length > 0) {
    throw new InputError(
      `alias: ${JSON.stringify(settings.alias)} has a traffic split in flight (${describeWeights(before.weights)}); ` +
        'wait for it to finish or roll it back before deploying',
    );
  }
  if (settings.s3Bucket === undefined && artifact.sizeBytes > DIRECT_UPLOAD_LIMIT_BYTES) {
    throw new InputError(
      `artifact: ${JSON.stringify(artifact.source.path)} is ${formatMegabytes(artifact.sizeBytes)}, above Lambda's 50 MB ` +
        'direct-upload limit; set s3-bucket to upload it through S3',
    );
  }
  const live = before === undefined ? undefined : await timeline.step('read', () => lambda.getVersion(name, before.version));

  const base: ReleaseResult = {
    command: 'deploy',
    status: 'unchanged',
    stage: settings.stage,
    functionName: name,
    alias: settings.alias,
    commit: context.commit,
    settingsChanged: [],
    steps: timeline.steps,
    durationMs: 0,
    ...(before !== undefined && {
      aliasArn: before.arn,
      version: before.version,
      previousVersion: before.version,
      codeSha256: live?.codeSha256,
    }),
  };
  const finish = (result: Partial<ReleaseResult>): ReleaseResult => ({
    ...base,
    ...result,
    steps: timeline.steps,
    durationMs: timeline.elapsedMs(),
  });

  const desired = desiredSettings(settings);
  if (isUnchanged(artifact.codeSha256, desired, live)) {
    log.info(`Alias ${settings.alias} already runs this code (${artifact.codeSha256}) with these settings: nothing to publish.`);
    return finish({ status: 'unchanged', upload: { kind: 'none', sizeBytes: artifact.sizeBytes } });
  }

  // Publish: settings, then code, then a version that must hold exactly this code.
  let published: FunctionVersionState;
  let upload: ReleaseResult['upload'];
  let settingsChanged: string[] = [];
  try {
    let current = latest;
    const change = configurationChange(desired, current);
    if (change !== undefined) {
      settingsChanged = settingsDifferences(desired, current);
      log.info(`Updating settings of ${name}: ${settingsChanged.join(', ')}.`);
      current = await timeline.step('settings', () => lambda.updateConfiguration(name, change));
    }
    if (current.codeSha256 !== artifact.codeSha256) {
      const { source, record } = await timeline.step('upload', () => stageCode(settings, artifact, deps));
      upload = record;
      log.info(`Updating code of ${name} to ${artifact.codeSha256} (${formatMegabytes(artifact.sizeBytes)}).`);
      current = await timeline.step('code', () => lambda.updateCode(name, source));
      if (current.codeSha256 !== artifact.codeSha256) {
        throw new Error(`Lambda reports code ${current.codeSha256} after the update, not ${artifact.codeSha256}`);
      }
    } else {
      upload = { kind: 'none', sizeBytes: artifact.sizeBytes };
    }
    const description = releaseDescription(settings, context);
    const revisionId = current.revisionId;
    published = await timeline.step('publish', () =>
      lambda.publishVersion(name, {
        codeSha256: artifact.codeSha256,
        description,
        ...(revisionId !== undefined && { revisionId }),
      }),
    );
    log.info(`Published version ${published.version} of ${name}.`);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const message = `${settings.stage}: publishing failed, nothing was shifted: ${errorMessage(error)}`;
    return finish({ status: 'failed', error: message, settingsChanged, ...(upload !== undefined && { upload }) });
  }

  if (before !== undefined && published.version === before.version) {
    // Lambda returned the version the alias already runs (nothing changed since it was published).
    return finish({ status: 'unchanged', settingsChanged, ...(upload !== undefined && { upload }) });
  }

  const outcome = await shiftAndVerify(
    {
      settings,
      before,
      toVersion: published.version,
      commit: context.commit,
      releasedAt: Math.floor((deps.now?.() ?? new Date()).getTime() / 1000),
    },
    { lambda, smoke: deps.smoke, log, timeline },
  );
  const common = {
    candidateVersion: published.version,
    settingsChanged,
    ...(upload !== undefined && { upload }),
    ...(outcome.smoke !== undefined && { smoke: outcome.smoke }),
  };
  if (outcome.ok) {
    return finish({
      ...common,
      status: 'deployed',
      version: published.version,
      codeSha256: published.codeSha256,
      ...(outcome.alias !== undefined && { aliasArn: outcome.alias.arn }),
    });
  }
  if (outcome.repair !== undefined) {
    // The alias could not be put back: say where it really is.
    return finish({ ...common, status: 'failed', version: published.version, codeSha256: published.codeSha256, error: outcome.error, repair: outcome.repair });
  }
  return finish({
    ...common,
    status: 'rolled-back',
    ...(outcome.error !== undefined && { error: outcome.error }),
  });
}

/** Where the code comes from for UpdateFunctionCode: the zip itself, or its content-addressed S3 object. */
async function stageCode(
  settings: StageSettings,
  artifact: Artifact,
  deps: ReleaseDeps,
): Promise<{ source: CodeSource; record: NonNullable<ReleaseResult['upload']> }> {
  if (settings.s3Bucket === undefined) {
    return { source: { kind: 'zip-file', zipPath: artifact.zipPath }, record: { kind: 'direct', sizeBytes: artifact.sizeBytes } };
  }
  if (deps.store === undefined) throw new Error('an S3 store is needed for s3-bucket');
  const bucket = settings.s3Bucket;
  const key = artifactKey(settings, artifact);
  const alreadyThere = await deps.store.exists(bucket, key);
  if (alreadyThere) {
    deps.log.info(`s3://${bucket}/${key} is already there: not uploading it again.`);
  } else {
    deps.log.info(`Uploading ${formatMegabytes(artifact.sizeBytes)} to s3://${bucket}/${key}.`);
    await deps.store.upload(bucket, key, artifact.zipPath);
  }
  return { source: { kind: 's3', bucket, key }, record: { kind: 's3', bucket, key, alreadyThere, sizeBytes: artifact.sizeBytes } };
}

/** `<s3-prefix><function>/<sha256>.zip`: the same code always lands on the same key. */
export function artifactKey(settings: StageSettings, artifact: Artifact): string {
  return `${settings.s3Prefix}${functionBaseName(settings.functionName)}/${artifact.sha256Hex}.zip`;
}

/** `notes-api` for `notes-api`, `arn:aws:lambda:r:1:function:notes-api` or `1:function:notes-api`. */
export function functionBaseName(functionName: string): string {
  const parts = functionName.split(':');
  const at = parts.indexOf('function');
  return (at >= 0 ? parts[at + 1] : parts[0]) || functionName;
}

/** The version's description: what released it, so the console and `status` can tell. */
export function releaseDescription(settings: StageSettings, context: RunContext): string {
  const commit = context.commit ? ` commit ${context.commit.slice(0, 12)}` : '';
  const run = context.runId ? ` run ${context.runId}` : '';
  return `stage-deploy ${settings.stage}:${commit}${run}`.slice(0, 256);
}

function describeWeights(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([version, weight]) => `version ${version} at ${Math.round(weight * 1000) / 10}%`)
    .join(', ');
}

export function formatMegabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
