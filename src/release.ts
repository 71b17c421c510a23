/**
 * The parts every release command shares: what they depend on, publishing a version of $LATEST
 * with a stage's settings and a given code, and turning a shift's outcome into a result.
 */
import { configurationChange, settingsDifferences, type DesiredSettings } from './change-check.js';
import type { ReleaseResult, ReleaseStatus } from './result.js';
import { describeFailedShift, type ShiftOutcome, type ShiftRequest } from './shift.js';
import type { Timeline } from './timeline.js';
import { functionBaseName } from './function-name.js';
import type { RolloutStateStore } from './shift.js';
import { InputError, type ArtifactStore, type CodeSource, type FunctionVersionState, type LambdaGateway, type Log, type MetricsGateway, type SmokeChecker, type StageSettings } from './types.js';

export interface ReleaseDeps {
  lambda: LambdaGateway;
  /** Needed when the stage has an `s3-bucket`. */
  store?: ArtifactStore;
  smoke: SmokeChecker;
  log: Log;
  /** A directory for temporary files (code downloaded for a promote). */
  workDir?: string;
  /** Milliseconds, for step timings. */
  clock?: () => number;
  /** Wall time, for the release history. */
  now?: () => Date;
  /** Called once, after every check has passed and just before the first change to AWS. */
  beforeChange?: () => Promise<void>;
  /** dry-run: stop where the first change would be made and return the plan. */
  dryRun?: boolean;
  /** CloudWatch, for the gates of a progressive shift (`alarms`, `max-error-rate`). */
  metrics?: MetricsGateway;
  /** force: skip the alarm gates. */
  force?: boolean;
  /** Aborted on SIGINT/SIGTERM: a shift in progress is put back. */
  signal?: AbortSignal;
  /** Where a shift in progress is remembered, so that the post step can undo it. */
  state?: RolloutStateStore;
  /** Waits between gate readings (tests pass short real ones). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  gateIntervalMs?: number;
}

export interface RunContext {
  /** GITHUB_SHA */
  commit: string;
  /** GITHUB_RUN_ID */
  runId: string;
}

export type UploadRecord = NonNullable<ReleaseResult['upload']>;

export interface CodeSupply {
  codeSha256: string;
  sizeBytes: number;
  /** Where UpdateFunctionCode takes the code from; called only when $LATEST does not hold it already. */
  provide(): Promise<{ source: CodeSource; upload: UploadRecord }>;
}

export interface Publication {
  published: FunctionVersionState;
  upload: UploadRecord;
  settingsChanged: string[];
}

/**
 * Give $LATEST the stage's settings (only those that differ, merged), then the code, each
 * waited for; then publish it with the code's CodeSha256 as precondition.
 */
export async function publishRelease(
  request: { settings: StageSettings; desired: DesiredSettings; latest: FunctionVersionState; code: CodeSupply; description: string },
  deps: Pick<ReleaseDeps, 'lambda' | 'log'>,
  timeline: Timeline,
  progress: { settingsChanged: string[]; upload?: UploadRecord },
): Promise<Publication> {
  const { settings, desired, code } = request;
  const { lambda, log } = deps;
  const name = settings.functionName;
  let current = request.latest;

  const change = configurationChange(desired, current);
  if (change !== undefined) {
    progress.settingsChanged = settingsDifferences(desired, current);
    log.info(`Updating settings of ${name}: ${progress.settingsChanged.join(', ')}.`);
    current = await timeline.step('settings', () => lambda.updateConfiguration(name, change));
  }
  let upload: UploadRecord = { kind: 'none', sizeBytes: code.sizeBytes };
  if (current.codeSha256 !== code.codeSha256) {
    const provided = await timeline.step('upload', () => code.provide());
    upload = provided.upload;
    progress.upload = upload;
    log.info(`Updating code of ${name} to ${code.codeSha256} (${formatSize(code.sizeBytes)}).`);
    current = await timeline.step('code', () => lambda.updateCode(name, provided.source));
    if (current.codeSha256 !== code.codeSha256) {
      throw new Error(`Lambda reports code ${current.codeSha256} after the update, not ${code.codeSha256}`);
    }
  }
  const revisionId = current.revisionId;
  const published = await timeline.step('publish', () =>
    lambda.publishVersion(name, {
      codeSha256: code.codeSha256,
      description: request.description,
      ...(revisionId !== undefined && { revisionId }),
    }),
  );
  log.info(`Published version ${published.version} of ${name}.`);
  return { published, upload, settingsChanged: progress.settingsChanged };
}

/**
 * A command's result, starting from where the alias was (`before`, the version it ran) and
 * filled in with what happened; the timings are read when the result is made.
 */
export function resultMaker(
  start: {
    command: ReleaseResult['command'];
    settings: StageSettings;
    commit: string;
    before: { arn: string; version: string } | undefined;
    live: { codeSha256: string } | undefined;
  },
  timeline: Timeline,
): (fields: Partial<ReleaseResult>) => ReleaseResult {
  const { settings, before, live } = start;
  return (fields) => ({
    command: start.command,
    status: 'unchanged',
    stage: settings.stage,
    functionName: settings.functionName,
    alias: settings.alias,
    commit: start.commit,
    settingsChanged: [],
    ...(before !== undefined && { aliasArn: before.arn, version: before.version, previousVersion: before.version }),
    ...(live !== undefined && { codeSha256: live.codeSha256 }),
    ...fields,
    steps: timeline.steps,
    durationMs: timeline.elapsedMs(),
  });
}

/** The fields of a result after a shift: where the alias ended, and why when it went back. */
export function afterShift(
  outcome: ShiftOutcome,
  request: ShiftRequest,
  target: { codeSha256: string },
  success: ReleaseStatus,
  live: { codeSha256?: string } | undefined,
): Partial<ReleaseResult> {
  const smoke = {
    ...(outcome.smoke !== undefined && { smoke: outcome.smoke }),
    ...(outcome.invoke !== undefined && { invoke: outcome.invoke }),
    ...(outcome.traffic.length > 1 || outcome.gates.length > 0 ? { traffic: outcome.traffic, gates: outcome.gates } : {}),
  };
  if (outcome.ok) {
    return { status: success, version: request.toVersion, codeSha256: target.codeSha256, aliasArn: outcome.alias.arn, ...smoke };
  }
  const error = describeFailedShift(outcome, request);
  if (outcome.repair !== undefined) {
    // The alias could not be put back: say where it may really be.
    return { status: 'failed', version: request.toVersion, codeSha256: target.codeSha256, error, repair: outcome.repair, ...smoke };
  }
  if (outcome.restored !== undefined && 'untouched' in outcome.restored) {
    // A check before any traffic failed: nothing was shifted.
    return { status: 'failed', version: request.before?.version, codeSha256: live?.codeSha256, error, ...smoke };
  }
  // Back where it was: the version and code it ran before (none after a first deploy).
  return { status: 'rolled-back', version: request.before?.version, codeSha256: live?.codeSha256, error, ...smoke };
}

/** The plan lines for the settings a release would change on $LATEST. */
export function planSettings(desired: DesiredSettings, latest: FunctionVersionState): string[] {
  const differences = settingsDifferences(desired, latest);
  return differences.length > 0 ? [`update the settings of $LATEST: ${differences.join(', ')}`] : [];
}

/** The plan lines for moving an alias and checking it. */
export function planShift(settings: StageSettings, before: { version: string } | undefined, to: string): string[] {
  return [
    before === undefined ? `create alias ${settings.alias} on ${to}` : `shift alias ${settings.alias} from version ${before.version} to ${to}`,
    settings.smoke !== undefined
      ? `smoke-test ${settings.smoke.method} ${settings.smoke.url}; on failure, put the alias back`
      : 'no smoke test (smoke.url is not set)',
  ];
}

/** `12 KB`, `61.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The version's description: what released it, so the console and `status` can tell. */
export function releaseDescription(stage: string, context: RunContext, extra = ''): string {
  const commit = context.commit ? ` commit ${context.commit.slice(0, 12)}` : '';
  const run = context.runId ? ` run ${context.runId}` : '';
  return `stage-deploy ${stage}:${commit}${run}${extra}`.slice(0, 256);
}

/** `<s3-prefix><function>/<sha256 hex>.zip`: the same code always lands on the same key. */
export function artifactKey(settings: StageSettings, sha256Hex: string): string {
  return `${settings.s3Prefix}${functionBaseName(settings.functionName)}/${sha256Hex}.zip`;
}

/** Hex of a base64 CodeSha256. */
export function sha256HexOf(codeSha256: string): string {
  return Buffer.from(codeSha256, 'base64').toString('hex');
}

/** Bad input: the stage's function does not exist. */
export function missingFunction(settings: StageSettings): InputError {
  return new InputError(`function: ${JSON.stringify(settings.functionName)} does not exist${settings.region ? ` in ${settings.region}` : ''}`);
}

/** Throw when an alias has a traffic split in flight: `<subject> has a traffic split in flight (…); <advice>`. */
export function refuseSplit(subject: string, weights: Record<string, number>, advice: string): void {
  if (Object.keys(weights).length > 0) throw new InputError(`${subject} has a traffic split in flight (${describeWeights(weights)}); ${advice}`);
}

export function describeWeights(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([version, weight]) => `version ${version} at ${Math.round(weight * 1000) / 10}%`)
    .join(', ');
}
