/**
 * rollback: the alias returns to `to-version`, or to the release before its current one (from
 * the history recorded in the alias), and is smoke-tested; when the check fails the alias goes
 * back to where it was. The step says what it moved from and to.
 * Read → check → plan → dry-run or carry out.
 */
import { InputError } from '../model/errors.js';
import type { ReleaseResult } from '../model/results.js';
import type { StageSettings } from '../model/settings.js';
import { finish, type ReleaseStart } from '../release/carry-out.js';
import type { ReleaseDeps } from '../release/deps.js';
import { parseHistory } from '../release/history.js';
import { releasePlan } from '../release/plan.js';
import { missingFunction } from '../release/refusals.js';
import { Timeline } from '../release/timeline.js';

export async function rollback(settings: StageSettings, toVersion: string | undefined, deps: ReleaseDeps): Promise<ReleaseResult> {
  const timeline = new Timeline(deps.clock);
  const { lambda, log } = deps;
  const name = settings.functionName;

  // Read.
  const before = await timeline.step('read', () => lambda.getAlias(name, settings.alias));

  // Check.
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

  // Plan: the version as it is, all at once, no gates.
  const commit = history.find((r) => r.version === target)?.commit ?? '';
  const start: ReleaseStart = { command: 'rollback', settings, commit, before, live, timeline };
  const plan = releasePlan(
    'rollback',
    settings,
    before,
    { kind: 'existing', version: target, codeSha256: version.codeSha256, reason: 'rollback' },
    { kind: 'return' },
  );
  return finish(plan, start, deps);
}
