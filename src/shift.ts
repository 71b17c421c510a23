/**
 * Shift an alias to a version, smoke-test it, and put the alias back exactly as it was when the
 * check fails. Shared by every command that moves an alias; the alias is always on a verified
 * version or on the one it was on before.
 */
import type { Timeline } from './timeline.js';
import type { AliasState, LambdaGateway, Log, SmokeChecker, SmokeResult, StageSettings } from './types.js';

export interface ShiftRequest {
  settings: StageSettings;
  /** The alias as read before anything changed; undefined when it does not exist yet. */
  before: AliasState | undefined;
  toVersion: string;
  /** The alias description after the shift: the stage's release history (release-history.ts). */
  description: string;
}

export type ShiftOutcome =
  | { ok: true; alias: AliasState; smoke?: SmokeResult }
  | {
      ok: false;
      /** What the check saw: `GET https://x/health → 502 on 3 of 3 attempts`. */
      failure: string;
      smoke?: SmokeResult;
      /** Where the alias was put back: the version it was on, or `removed` (a first deploy). */
      restored?: { to: string } | { removed: true };
      /** Set when putting it back failed: the alias may still be on `toVersion`. */
      repair?: { error: string; command: string };
    };

export interface ShiftDeps {
  lambda: LambdaGateway;
  smoke: SmokeChecker;
  log: Log;
  timeline: Timeline;
}

export async function shiftAndVerify(request: ShiftRequest, deps: ShiftDeps): Promise<ShiftOutcome> {
  const { settings, before, toVersion, description } = request;
  const { lambda, log, timeline } = deps;
  const name = settings.functionName;

  const shifted = await timeline.step('shift', async () =>
    before === undefined
      ? lambda.createAlias(name, settings.alias, toVersion, description)
      : lambda.updateAlias(name, settings.alias, {
          version: toVersion,
          weights: {},
          description,
          ...(before.revisionId !== undefined && { revisionId: before.revisionId }),
        }),
  );
  log.info(
    before === undefined
      ? `Created alias ${settings.alias} on version ${toVersion}.`
      : `Shifted alias ${settings.alias} from version ${before.version} to ${toVersion}.`,
  );

  if (settings.smoke === undefined) {
    log.warn(`Stage ${settings.stage} has no smoke test (smoke.url): version ${toVersion} is live without a check.`);
    return { ok: true, alias: shifted };
  }

  let smoke: SmokeResult | undefined;
  let failure: string;
  try {
    const smokeSettings = settings.smoke;
    smoke = await timeline.step('smoke', () => deps.smoke.check(smokeSettings, log));
    if (smoke.ok) return { ok: true, alias: shifted, smoke };
    timeline.markFailed('smoke');
    failure = smoke.summary;
  } catch (error) {
    failure = `smoke test could not run: ${errorMessage(error)}`;
  }
  return { ok: false, failure, ...(smoke !== undefined && { smoke }), ...(await restore(request, deps)) };
}

/** Put the alias back as it was before the shift (delete it when the shift created it). */
async function restore(
  request: ShiftRequest,
  deps: ShiftDeps,
): Promise<{ restored: { to: string } | { removed: true } } | { repair: { error: string; command: string } }> {
  const { settings, before } = request;
  const { lambda, timeline } = deps;
  const name = settings.functionName;
  try {
    if (before === undefined) {
      await timeline.step('rollback', () => lambda.deleteAlias(name, settings.alias));
      return { restored: { removed: true } };
    }
    await timeline.step('rollback', () =>
      lambda.updateAlias(name, settings.alias, { version: before.version, weights: before.weights, description: before.description }),
    );
    return { restored: { to: before.version } };
  } catch (rollbackError) {
    return { repair: { error: errorMessage(rollbackError), command: repairCommand(settings, before) } };
  }
}

/**
 * The one line a failed shift ends the step with, e.g.
 * `GET https://x/health → 502 on 3 of 3 attempts; dev rolled back from 8 to 7`.
 */
export function describeFailedShift(outcome: Extract<ShiftOutcome, { ok: false }>, request: ShiftRequest): string {
  const { settings, toVersion } = request;
  if (outcome.repair) {
    return (
      `${outcome.failure}; ROLLBACK FAILED: alias ${settings.alias} may still point at version ${toVersion} ` +
      `(${outcome.repair.error}). Repair it by hand: ${outcome.repair.command}`
    );
  }
  if (outcome.restored && 'removed' in outcome.restored) {
    return `${outcome.failure}; ${settings.stage} rolled back: alias ${settings.alias} removed (first deploy of version ${toVersion})`;
  }
  return `${outcome.failure}; ${settings.stage} rolled back from ${toVersion} to ${outcome.restored?.to ?? '?'}`;
}

/** The AWS CLI command that puts the alias back by hand. */
export function repairCommand(settings: StageSettings, before: AliasState | undefined): string {
  const region = settings.region !== undefined ? ` --region ${settings.region}` : '';
  if (before === undefined) {
    return `aws lambda delete-alias --function-name ${settings.functionName} --name ${settings.alias}${region}`;
  }
  const routing = JSON.stringify({ AdditionalVersionWeights: before.weights });
  return (
    `aws lambda update-alias --function-name ${settings.functionName} --name ${settings.alias} ` +
    `--function-version ${before.version} --routing-config '${routing}'${region}`
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
