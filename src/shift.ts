/**
 * Shift an alias to a version, smoke-test it, and put the alias back exactly as it was when the
 * check fails. Shared by every command that moves an alias; the alias is always on a verified
 * version or on the one it was on before.
 */
import { formatHistory, parseHistory, recordRelease } from './release-history.js';
import type { Timeline } from './timeline.js';
import type { AliasState, LambdaGateway, Log, SmokeChecker, SmokeResult, StageSettings } from './types.js';

export interface ShiftRequest {
  settings: StageSettings;
  /** The alias as read before anything changed; undefined when it does not exist yet. */
  before: AliasState | undefined;
  toVersion: string;
  commit: string;
  /** Epoch seconds of the release. */
  releasedAt: number;
}

export interface ShiftOutcome {
  ok: boolean;
  /** The alias after the command: on `toVersion` when ok, else restored (or, if that failed, where it was left). */
  alias?: AliasState;
  smoke?: SmokeResult;
  /** One line for the step's failure, e.g. `GET … → 502 on 3 of 3 attempts; dev rolled back from 8 to 7`. */
  error?: string;
  repair?: { error: string; command: string };
}

export interface ShiftDeps {
  lambda: LambdaGateway;
  smoke: SmokeChecker;
  log: Log;
  timeline: Timeline;
}

export async function shiftAndVerify(request: ShiftRequest, deps: ShiftDeps): Promise<ShiftOutcome> {
  const { settings, before, toVersion } = request;
  const { lambda, log, timeline } = deps;
  const name = settings.functionName;
  const history = recordRelease(parseHistory(before?.description), before?.version, {
    version: toVersion,
    commit: request.commit.slice(0, 7),
    releasedAt: request.releasedAt,
  });
  const description = formatHistory(history);

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

  return { ...(await restore(request, deps, failure)), ...(smoke !== undefined && { smoke }) };
}

/** Put the alias back as it was before the shift (delete it when the shift created it). */
async function restore(request: ShiftRequest, deps: ShiftDeps, failure: string): Promise<ShiftOutcome> {
  const { settings, before, toVersion } = request;
  const { lambda, timeline } = deps;
  const name = settings.functionName;
  try {
    if (before === undefined) {
      await timeline.step('rollback', () => lambda.deleteAlias(name, settings.alias));
      const error = `${failure}; ${settings.stage} rolled back: alias ${settings.alias} removed (first deploy of version ${toVersion})`;
      return { ok: false, error };
    }
    const restored = await timeline.step('rollback', () =>
      lambda.updateAlias(name, settings.alias, {
        version: before.version,
        weights: before.weights,
        description: before.description,
      }),
    );
    const error = `${failure}; ${settings.stage} rolled back from ${toVersion} to ${before.version}`;
    return { ok: false, alias: restored, error };
  } catch (rollbackError) {
    const command = repairCommand(settings, before);
    const error =
      `${failure}; ROLLBACK FAILED: alias ${settings.alias} may still point at version ${toVersion} ` +
      `(${errorMessage(rollbackError)}). Repair it by hand: ${command}`;
    return { ok: false, error, repair: { error: errorMessage(rollbackError), command } };
  }
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
