import type { ReleaseResult, ReleaseStatus } from "../model/results.js";
import type { StageSettings } from "../model/settings.js";
import { Timeline } from "./timeline.js";
import { type ShiftOutcome, type ShiftRequest, describeFailedShift } from "./rollout.js";

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

