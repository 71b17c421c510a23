/**
 * rollback: the alias returns to `to-version`, or to the release before its current one (from
 * the history recorded in the alias), and is smoke-tested; when the check fails the alias goes
 * back to where it was. The step says what it moved from and to.
 */
import { formatHistory, parseHistory } from '../release/history.js';
import type { ReleaseResult } from '../model/results.js';
import { shiftAndVerify, type ShiftRequest } from '../release/rollout.js';
import { Timeline } from '../release/timeline.js';
import type { StageSettings } from "../model/settings.js";
import { InputError } from "../model/errors.js";
import type { Release } from "../model/results.js";
import { resultMaker } from "../release/result.js";
import { afterShift } from "../release/result.js";
import { planShift } from "../release/plan.js";
import { missingFunction } from "../release/refusals.js";
import type { ReleaseDeps } from "../release/deps.js";

export async function rollback(settings: StageSettings, toVersion: string | undefined, deps: ReleaseDeps): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { lambda, log } = deps;
  const name = settings.functionName;

  const before = await timeline.step('read', () => lambda.getAlias(name, settings.alias));
  if (before === undefined) {
    if ((await lambda.getVersion(name)) === undefined) throw missingFunction(settings);
    throw new InputError(`stage: ${JSON.stringify(settings.stage)} has no release to roll back (alias ${settings.alias} of ${name} does not exist)`);
  }
  const history = parseHistory(before.description);
  const target = toVersion ?? history.find((r) => r.version !== before.version)?.version;
  if (target === undefined) {
    throw new InputError(`to-version: not given, and ${settings.stage} has no earlier release recorded; give the version to return to`);
  }
  if (target === before.version && Object.keys(before.weights).length === 0) {
    throw new InputError(`to-version: ${JSON.stringify(target)} is what ${settings.stage} runs already`);
  }
  const [version, live] = await timeline.step('read', () => Promise.all([lambda.getVersion(name, target), lambda.getVersion(name, before.version)]));
  if (version === undefined) {
    throw new InputError(`to-version: ${JSON.stringify(target)} is not a published version of ${name}`);
  }
  log.info(`Rolling ${settings.stage} back from version ${before.version} to ${target}.`);

  const commit = history.find((r) => r.version === target)?.commit ?? '';
  const result = resultMaker({ command: 'rollback', settings, commit, before, live }, timeline);
  if (deps.dryRun) return result({ status: 'unchanged', candidateVersion: target, plan: planShift(settings, before, `version ${target}`) });
  await deps.beforeChange?.();
  const request: ShiftRequest = {
    settings,
    before,
    toVersion: target,
    description: formatHistory(historyAfterRollback(history, before.version, target)),
    progressive: false,
  };
  const outcome = await shiftAndVerify(request, { ...deps, timeline });
  return result({
    candidateVersion: target,
    ...afterShift(outcome, request, version, 'rolled-back', live),
    // A rollback whose check failed went back to where it was: nothing was rolled back.
    status: outcome.ok ? 'rolled-back' : 'failed',
  });
}

/**
 * The history after returning from `current` to `target`: the release rolled back from leaves
 * the list (so the next rollback goes further back, not forth), and `target` is first again.
 */
export function historyAfterRollback(history: Release[], current: string, target: string): Release[] {
  const rest = history.filter((r) => r.version !== current && r.version !== target);
  const known = history.find((r) => r.version === target) ?? { version: target, commit: '', releasedAt: 0 };
  return [known, ...rest];
}
