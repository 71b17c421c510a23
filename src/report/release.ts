/**
 * A release of several units (one function in one region each) as data for the action's edges:
 * the `release` output (JSON, one object per unit), the stage's status over every unit, and the
 * log's closing line and failure annotation. Pure: src/action sets and prints them.
 *
 * A one-unit release is reported as before (summary.ts, the first unit's outputs); the `release`
 * output is then an array of one.
 */
import { isSuccess, statusOf, type ReleaseResult, type ReleaseStatus, type StageStatus } from '../model/results.js';
import type { StageSettings } from '../model/settings.js';
import { viewOf } from './summary.js';

/** One unit of a release and what happened to it (app.ts's UnitRelease). */
export interface UnitOutcome {
  settings: Pick<StageSettings, 'functionName' | 'region'> & Partial<Pick<StageSettings, 'image'>>;
  result: ReleaseResult;
}

/** One object of the `release` output, with the contract's names. */
export interface ReleaseEntry {
  function: string;
  region: string;
  version: string;
  'previous-version': string;
  'code-sha256': string;
}

/** Items of a log line that lists the units, at most (then `and 12 more`). */
export const CLOSING_LINE_UNITS = 20;

/**
 * The region a unit was released in: its own (`region`, `regions`), else the region of its alias
 * ARN (what Lambda answered from), else the default the SDK used (AWS_REGION, passed in by
 * src/action), else empty.
 */
export function unitRegion(unit: UnitOutcome, defaultRegion?: string): string {
  if (unit.settings.region) return unit.settings.region;
  const arn = 'aliasArn' in unit.result ? unit.result.aliasArn : undefined;
  const fromArn = arn?.split(':')[3];
  return fromArn || defaultRegion || '';
}

/** The `release` output: every unit, in the stage's order. Versions as the outputs have them: where each alias ends. */
export function releaseEntries(units: readonly UnitOutcome[], defaultRegion?: string): ReleaseEntry[] {
  return units.map((unit) => {
    const view = viewOf(unit.result);
    return {
      function: unit.settings.functionName,
      region: unitRegion(unit, defaultRegion),
      version: view.version ?? '',
      'previous-version': view.previousVersion ?? '',
      'code-sha256': view.codeSha256 ?? '',
    };
  });
}

/** The `release` output's value: one line of JSON. */
export function releaseOutput(units: readonly UnitOutcome[], defaultRegion?: string): string {
  return JSON.stringify(releaseEntries(units, defaultRegion));
}

/** Whether every unit did what it was asked (all-or-nothing: one failure fails the release). */
export function releaseSucceeded(units: readonly UnitOutcome[]): boolean {
  return units.every((unit) => isSuccess(unit.result));
}

/**
 * The `status` of a release of several units. A failure: `failed` when an alias may be left on
 * the new version (stranded) or none was shifted, else `rolled-back` (shifted, then all put back).
 * A success: `unchanged` only when every unit is; otherwise what the command did.
 */
export function releaseStatus(units: readonly UnitOutcome[]): ReleaseStatus {
  const statuses = units.map((unit) => statusOf(unit.result));
  if (!releaseSucceeded(units)) {
    if (units.some((unit) => unit.result.kind === 'stranded')) return 'failed';
    return statuses.includes('rolled-back') ? 'rolled-back' : 'failed';
  }
  return statuses.find((status) => status !== 'unchanged') ?? 'unchanged';
}

/**
 * The unit whose failure failed the release: the first whose own check failed (smoke, invoke,
 * a gate's verdict in its error), else the first stranded, else the first that failed at all. A
 * smoke test cut short by the release's cancel (another unit failed first) is not its own failure.
 */
export function failedUnit(units: readonly UnitOutcome[]): UnitOutcome | undefined {
  const failed = units.filter((unit) => !isSuccess(unit.result));
  const ownCheck = failed.find((unit) => {
    const checks = 'checks' in unit.result ? unit.result.checks : undefined;
    return (
      (checks?.smoke?.ok === false && checks.smoke.cancelled !== true) ||
      checks?.invoke?.ok === false ||
      ('diagnosis' in unit.result && unit.result.diagnosis !== undefined)
    );
  });
  return ownCheck ?? failed.find((unit) => unit.result.kind === 'stranded') ?? failed[0];
}

/** `notes-api`, or `notes-api (eu-west-1)` when the release spans regions. */
export function unitName(unit: UnitOutcome, withRegion: boolean, defaultRegion?: string): string {
  const region = unitRegion(unit, defaultRegion);
  return withRegion && region ? `${unit.settings.functionName} (${region})` : unit.settings.functionName;
}

/** Whether the units are in more than one region. */
export function spansRegions(units: readonly UnitOutcome[], defaultRegion?: string): boolean {
  return new Set(units.map((unit) => unitRegion(unit, defaultRegion))).size > 1;
}

/** `3 functions in 2 regions`, `2 functions`. */
export function unitCount(units: readonly UnitOutcome[], defaultRegion?: string): string {
  const functions = new Set(units.map((unit) => unit.settings.functionName)).size;
  const regions = new Set(units.map((unit) => unitRegion(unit, defaultRegion))).size;
  const fn = `${functions} function${functions === 1 ? '' : 's'}`;
  return regions > 1 ? `${fn} in ${regions} regions` : fn;
}

/** One unit's move in a log line: `7 → 8`, `unchanged on 5`, `8 → 9 → 8` (shifted and put back), `stays on 7`. */
export function unitMove(result: ReleaseResult): string {
  const view = viewOf(result);
  const from = view.previousVersion ?? '(new)';
  switch (result.kind) {
    case 'unchanged':
    case 'dry-run':
      return `unchanged on ${view.version ?? '—'}`;
    case 'released':
      return `${from} → ${result.version}`;
    case 'not-shifted':
      return `stays on ${view.version ?? from}`;
    case 'reverted':
      return `${from} → ${result.candidateVersion} → ${result.version ?? '(alias removed)'}`;
    case 'stranded':
      return `${from} → ${result.candidateVersion}, MAY STILL BE ON ${result.candidateVersion}`;
  }
}

/** `notes-api 7 → 8, notes-worker unchanged on 3, … and 12 more`. */
function unitList(units: readonly UnitOutcome[], defaultRegion?: string): string {
  const withRegion = spansRegions(units, defaultRegion);
  const shown = units.slice(0, CLOSING_LINE_UNITS).map((unit) => `${unitName(unit, withRegion, defaultRegion)} ${unitMove(unit.result)}`);
  const more = units.length - shown.length;
  return shown.join(', ') + (more > 0 ? `, and ${more} more` : '');
}

const VERB: Record<ReleaseStatus, string> = {
  deployed: 'deployed',
  unchanged: 'unchanged',
  promoted: 'promoted',
  'rolled-back': 'rolled back',
  failed: 'failed',
};

/**
 * The log's closing line of a successful release of several units:
 * `dev: deployed 3 functions in 2 regions: notes-api (us-east-1) 7 → 8, …`.
 */
export function releaseClosingLine(stage: string, units: readonly UnitOutcome[], defaultRegion?: string): string {
  const status = releaseStatus(units);
  if (status === 'unchanged') return `${stage}: unchanged, ${unitCount(units, defaultRegion)}, every alias stays: ${unitList(units, defaultRegion)}.`;
  return `${stage}: ${VERB[status]} ${unitCount(units, defaultRegion)}: ${unitList(units, defaultRegion)}.`;
}

/**
 * A failed release of several units, for the step's one error annotation: the message names the
 * unit that failed and why, then where every alias ended; the title says it in a few words.
 */
export function releaseFailure(stage: string, units: readonly UnitOutcome[], defaultRegion?: string): { message: string; title: string } {
  const status = releaseStatus(units);
  const cause = failedUnit(units);
  const withRegion = spansRegions(units, defaultRegion);
  const name = cause === undefined ? '' : unitName(cause, withRegion, defaultRegion);
  const view = cause === undefined ? undefined : viewOf(cause.result);
  const why = view?.error ?? `${stage}: ${status}`;
  const stranded = units.filter((unit) => unit.result.kind === 'stranded');
  const command = units[0]?.result.command ?? 'deploy';
  const count = unitCount(units, defaultRegion);
  let outcome: string;
  let title: string;
  if (stranded.length > 0) {
    outcome = `ROLLBACK FAILED for ${stranded.map((u) => unitName(u, withRegion, defaultRegion)).join(', ')}; the summary says how to repair it`;
    title = `stage-deploy: ${stage} ROLLBACK FAILED for ${stranded.length} of ${units.length} aliases`;
  } else if (status === 'rolled-back') {
    outcome = `every alias went back`;
    title = `stage-deploy: ${stage} rolled back, all ${count} (${name} failed)`;
  } else {
    outcome = `no alias stays shifted`;
    title = `stage-deploy: ${command} of ${stage} failed (${name}), no alias stays shifted`;
  }
  return { message: `${name}: ${why}; ${outcome}: ${unitList(units, defaultRegion)}.`, title };
}

/**
 * The `release` output of `status`: every function and region of the stage acted on, as its
 * aliases stand (`previous-version`: the release a rollback would go to).
 */
export function statusReleaseOutput(rows: readonly StageStatus[], stage: string, defaultRegion?: string): string {
  const entries: ReleaseEntry[] = rows
    .filter((row) => row.stage === stage)
    .map((row) => ({
      function: row.functionName,
      region: row.region || row.aliasArn?.split(':')[3] || defaultRegion || '',
      version: row.version ?? '',
      'previous-version': row.earlier[0]?.version ?? '',
      'code-sha256': row.codeSha256 ?? '',
    }));
  return JSON.stringify(entries);
}
