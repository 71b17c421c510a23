import type { AlarmState, FunctionReport, ApiReport } from "./lambda.js";

export type ReleaseStatus = 'deployed' | 'unchanged' | 'promoted' | 'rolled-back' | 'failed';

export interface StepTiming {
  /** What the step did, in the user's words: `package`, `upload`, `publish`, `shift`, `smoke`, `rollback`. */
  name: string;
  /** Milliseconds since the command started. */
  startMs: number;
  durationMs: number;
  ok: boolean;
}

export interface ReleaseResult {
  command: 'deploy' | 'promote' | 'rollback';
  status: ReleaseStatus;
  stage: string;
  functionName: string;
  alias: string;
  aliasArn?: string;
  /** The version the alias points at when the command ends. */
  version?: string;
  /** The version it pointed at before (undefined on a first deploy). */
  previousVersion?: string;
  /** The version this release published or chose (the one smoke-tested). */
  candidateVersion?: string;
  /** CodeSha256 of the code now on the alias. */
  codeSha256?: string;
  commit?: string;
  /** How the code reached Lambda. */
  upload?: { kind: 'direct' | 's3' | 'none'; bucket?: string; key?: string; alreadyThere?: boolean; sizeBytes: number };
  /** Settings changed on $LATEST before publishing, e.g. `environment.TABLE`. */
  settingsChanged: string[];
  smoke?: SmokeResult;
  /** The invoke check before any traffic (`smoke.invoke`). */
  invoke?: SmokeResult;
  /** A progressive shift: percent on the new version over time (0 at a rollback), and the gate readings. */
  traffic?: TrafficPoint[];
  gates?: GateReading[];
  /** force: true skipped the alarm gates. */
  forced?: boolean;
  /** A failed release, explained: the new version's error lines and metrics. */
  diagnosis?: Diagnosis;
  /** Why the command failed: the one line the step fails with. */
  error?: string;
  /** Set when putting the alias back failed too: what to run by hand. */
  repair?: { error: string; command: string };
  steps: StepTiming[];
  durationMs: number;
  /** dry-run: what the command would do; nothing was changed. */
  plan?: string[];
  /** After a successful release: versions deleted by keep-versions, log group retention. */
  housekeeping?: { deleted: string[]; retention?: { logGroup: string; days: number; outcome: string } };
}

/**
 * Whether the command did what it was asked: a deploy or promote that had to be rolled back
 * failed (the workflow must turn red); a rollback command that ends `rolled-back` succeeded.
 */
export function isSuccess(result: ReleaseResult): boolean {
  if (result.status === 'failed') return false;
  if (result.status === 'rolled-back') return result.command === 'rollback';
  return true;
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

export interface HousekeepingReport {
  /** Versions deleted by keep-versions. */
  deleted: string[];
  /** What happened to the log group's retention, when log-retention-days is set. */
  retention?: { logGroup: string; days: number; outcome: 'created' | 'updated' | 'unchanged' };
}

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
}

/**
 * The release history of a stage travels with its alias: compact JSON in the alias's
 * description, written by the same UpdateAlias call that makes the shift. Any fresh runner can
 * read it back, so rollback and status need no other storage.
 *
 * Form: `stage-deploy {"r":[["8","abc1234",1763780000],["7","",0]]}`, newest first: version,
 * short commit (empty when unknown), release time in epoch seconds (0 when unknown).
 */

export interface Release {
  version: string;
  /** Short commit SHA, empty when unknown. */
  commit: string;
  /** Epoch seconds, 0 when unknown. */
  releasedAt: number;
}








