/**
 * What a command did, as plain data. The outputs, the log's closing lines and the job summary
 * are all rendered from this object.
 */
import type { Diagnosis } from './diagnosis.js';
import type { GateReading, TrafficPoint } from './shift.js';
import type { SmokeResult } from './types.js';

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
