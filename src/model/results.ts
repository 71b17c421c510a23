/**
 * What a command did, as plain data: one shape per outcome. The outputs, the log's closing lines,
 * the job summary and the deployment status are all rendered from it.
 */
import type { AlarmState, ApiReport, FunctionReport, ImageRecord } from './lambda.js';
import type { ReleasePlan } from './plan.js';
import type { ReleaseCommand } from './settings.js';

/** The `status` output. */
export type ReleaseStatus = 'deployed' | 'unchanged' | 'promoted' | 'rolled-back' | 'failed';

export interface StepTiming {
  /** What the step did, in the user's words: `package`, `upload`, `publish`, `shift`, `smoke`, `rollback`. */
  name: string;
  /** Milliseconds since the command started. */
  startMs: number;
  durationMs: number;
  ok: boolean;
}

/** How the code reached Lambda. */
export type UploadRecord =
  | { kind: 'none'; sizeBytes: number }
  | { kind: 'direct'; sizeBytes: number }
  | { kind: 's3'; bucket: string; key: string; alreadyThere: boolean; sizeBytes: number };

/** What the checks of a shift saw. */
export interface CheckRecord {
  smoke?: SmokeResult;
  /** The invoke check before any traffic (`smoke.invoke`). */
  invoke?: SmokeResult;
  /** A progressive shift: percent on the new version over time (0 at a rollback). */
  traffic: TrafficPoint[];
  gates: GateReading[];
  /** force: true skipped the alarm gates. */
  forced: boolean;
}

/** What every outcome of deploy, promote and rollback says. */
interface Common {
  command: ReleaseCommand;
  stage: string;
  functionName: string;
  alias: string;
  /** The commit released (short), when known. */
  commit?: string;
  /** The version the alias pointed at before the command (undefined on a first deploy). */
  previousVersion?: string;
  steps: StepTiming[];
  durationMs: number;
  /** A container-image function: the image (tag and digest) this release published, promoted or returned to. */
  image?: ImageRecord;
}

/** What the publishing part of a release did, when it ran. */
interface Publishing {
  /** Settings changed on $LATEST before publishing, e.g. `environment.TABLE`. */
  settingsChanged: string[];
  upload?: UploadRecord;
  /** The account's Lambda code storage was nearly full when this release published (release/code-storage.ts). */
  codeStorageWarning?: string;
}

/** The alias is on the new version, every check passed. */
export interface Released extends Common, Publishing {
  kind: 'released';
  version: string;
  codeSha256: string;
  aliasArn: string;
  checks: CheckRecord;
  /** After the release: versions deleted by keep-versions, log group retention. */
  housekeeping?: HousekeepingReport;
}

/** Nothing to do: the alias already runs this code with these settings. */
export interface Unchanged extends Common, Publishing {
  kind: 'unchanged';
  version?: string;
  codeSha256?: string;
  aliasArn?: string;
}

/** dry-run: what the command would do; nothing was changed. */
export interface DryRun extends Common {
  kind: 'dry-run';
  plan: ReleasePlan;
  version?: string;
  codeSha256?: string;
  aliasArn?: string;
}

/** What every failure says. */
interface Failure extends Common, Publishing {
  /** Why: the one line the step fails with. */
  error: string;
  /** The version this release published or chose (the one checked); undefined when none got that far. */
  candidateVersion?: string;
  checks?: CheckRecord;
  /** The candidate's error lines and metrics, when one was checked. */
  diagnosis?: Diagnosis;
}

/** Failed before any traffic moved (publishing, the invoke check, an alarm): the alias is as it was. */
export interface NotShifted extends Failure {
  kind: 'not-shifted';
  version?: string;
  codeSha256?: string;
  aliasArn?: string;
}

/** Shifted, a check failed, and the alias is back where it was (or removed after a first deploy: `version` undefined). */
export interface Reverted extends Failure {
  kind: 'reverted';
  candidateVersion: string;
  version?: string;
  codeSha256?: string;
  aliasArn?: string;
}

/** Shifted, a check failed, and putting the alias back failed too: it may still be on the candidate. */
export interface Stranded extends Failure {
  kind: 'stranded';
  candidateVersion: string;
  /** What to run by hand. */
  repair: { error: string; command: string };
}

export type ReleaseResult = Released | Unchanged | DryRun | NotShifted | Reverted | Stranded;

/** The `status` output of a result. */
export function statusOf(result: ReleaseResult): ReleaseStatus {
  switch (result.kind) {
    case 'released':
      return result.command === 'deploy' ? 'deployed' : result.command === 'promote' ? 'promoted' : 'rolled-back';
    case 'unchanged':
    case 'dry-run':
      return 'unchanged';
    case 'reverted':
      // A rollback whose check failed went back to where it was: nothing was rolled back.
      return result.command === 'rollback' ? 'failed' : 'rolled-back';
    case 'not-shifted':
    case 'stranded':
      return 'failed';
  }
}

/** Whether the command did what it was asked: a release that had to be put back failed (the workflow turns red). */
export function isSuccess(result: ReleaseResult): boolean {
  return result.kind === 'released' || result.kind === 'unchanged' || result.kind === 'dry-run';
}

export interface SmokeAttempt {
  attempt: number;
  method: string;
  /** The URL with secrets masked. */
  url: string;
  /** HTTP status, or undefined when the request did not get an answer. */
  status?: number;
  latencyMs: number;
  /** The first few hundred bytes of the body, secrets masked. */
  bodyExcerpt: string;
  ok: boolean;
  /** Why it failed: `expected 2xx`, `body did not contain "ok"`, `timed out after 10s`, ... */
  problem?: string;
}

export interface SmokeResult {
  ok: boolean;
  attempts: SmokeAttempt[];
  /** One line: `GET https://x/health → 502 on 3 of 3 attempts` or `GET https://x/health → 200 in 41 ms`. */
  summary: string;
  /**
   * Set when the run's cancel stopped the check (in a release of several units, another unit's
   * failure): it says nothing about this function.
   */
  cancelled?: true;
}

/** Where the release stood, for the summary's chart: percent of traffic on the new version over time. */
export interface TrafficPoint {
  atMs: number;
  percent: number;
}

/** One reading of the gates. */
export interface GateReading {
  atMs: number;
  alarms: AlarmState[];
  errors?: number;
  invocations?: number;
}

/** A failed release, explained: what the function said and what the metrics said. */
export interface Diagnosis {
  version: string;
  logGroup: string;
  /** The few most telling lines, most telling first, e.g. `ReferenceError: gibberish is not defined (×3)`. */
  lines: string[];
  /** Said when there is nothing to show: the logs were empty, or could not be read. */
  logsNote?: string;
  metrics?: FunctionReport;
  api?: ApiReport & { id: string; stage: string };
  metricsNote?: string;
  window: { since: Date; until: Date };
}

/** After a successful release: old versions pruned, the log group's retention. */
export interface HousekeepingReport {
  /** Versions deleted by keep-versions. */
  deleted: string[];
  /** What happened to the log group's retention, when log-retention-days is set. */
  retention?: { logGroup: string; days: number; outcome: 'created' | 'updated' | 'unchanged' };
}

/** What `status` reports of one stage. */
export interface StageStatus {
  stage: string;
  functionName: string;
  alias: string;
  region?: string;
  /** undefined when the alias does not exist (never released) or the function is missing. */
  version?: string;
  aliasArn?: string;
  codeSha256?: string;
  /** The current release as recorded in the alias (commit, time); undefined when not recorded. */
  release?: Release;
  /** Earlier releases, newest first: where a rollback goes. */
  earlier: Release[];
  /** version → weight of a split in flight; empty when none. */
  weights: Record<string, number>;
  /** Why the stage could not be read (missing function, access denied, ...). */
  problem?: string;
  /** The current version's metrics over the last hour, like Zappa's status: which stage is unwell. */
  lastHour?: FunctionReport;
  lastHourNote?: string;
  /** Misconfigurations found while reading: a function URL that bypasses the alias (issue 15). */
  warnings?: string[];
}

/** A live preview (issue 18): one alias of a preview stage's pattern, listed by `status` apart from the stages. */
export interface PreviewStatus {
  stage: string;
  functionName: string;
  alias: string;
  /** The pull request's number, from the alias's name. */
  pullRequest: number;
  version: string;
  /** The last release's time (epoch seconds), from the alias's history; undefined when not recorded. */
  releasedAt?: number;
  /** Whole days since the last release. */
  ageDays?: number;
}

/**
 * The release history of a stage travels with its alias: compact JSON in the alias's
 * description, written by the same UpdateAlias call that makes the shift. Any fresh runner can
 * read it back, so rollback and status need no other storage.
 *
 * Form: `stage-deploy {"r":[["8","abc1234",1763780000],["7","",0]]}`, newest first: version,
 * short commit (empty when unknown), release time in epoch seconds (0 when unknown), and for a
 * rollback's own entry the version it rolled back from (release/history.ts has the rules).
 */

export interface Release {
  version: string;
  /** Short commit SHA, empty when unknown. */
  commit: string;
  /** Epoch seconds, 0 when unknown. */
  releasedAt: number;
}
