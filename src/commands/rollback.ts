/**
 * rollback: the alias returns to `to-version`, or to the release before its current one (from
 * the history recorded in the alias, history.ts's rules), and is smoke-tested; when the check
 * fails the alias goes back to where it was. The step says what it moved from and to.
 * - With a traffic split in flight (a canary stopped mid-shift), a plain rollback clears the
 *   split and stays on the alias's primary version: the stable release.
 * - A `to-version` published with other settings than the stage's (another stage's version) is
 *   refused before anything changes, naming the settings; `force: true` goes anyway, with a warning.
 * - The rollback is recorded as a new history entry; nothing is dropped from the history.
 * Read → check → plan → dry-run or carry out.
 */
import { versionImage } from '../artifact/image.js';
import { InputError } from '../model/errors.js';
import type { FunctionVersionState, ImageRecord } from '../model/lambda.js';
import type { ReleaseResult } from '../model/results.js';
import type { StageSettings } from '../model/settings.js';
import { finish, type ReleaseStart } from '../release/carry-out.js';
import type { ReleaseDeps } from '../release/deps.js';
import { desiredSettings, settingsDifferences } from '../release/change-check.js';
import { parseHistory, rollbackTarget } from '../release/history.js';
import { releasePlan } from '../release/plan.js';
import { readyVersion } from '../release/readiness.js';
import { missingFunction } from '../release/refusals.js';
import { Timeline } from '../release/timeline.js';

/**
 * `planned`: the version a plain rollback of a stage of several functions chose for this one from
 * the stage's history (release/group-history.ts): used as the history's own choice, not as a
 * `to-version` given by the user.
 */
export async function rollback(settings: StageSettings, toVersion: string | undefined, deps: ReleaseDeps, planned?: string): Promise<ReleaseResult> {
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
  const history = parseHistory(before.description, (message) => log.warn(`${settings.stage}'s release history: ${message}`));
  const split = Object.keys(before.weights).length > 0;
  // A split in flight: the primary is the stable release, and the plain rollback stays on it.
  const target = toVersion ?? planned ?? (split ? before.version : rollbackTarget(history, before.version)?.version);
  if (target === undefined) {
    throw new InputError(`to-version: not given, and ${settings.stage} has no earlier release recorded; give the version to return to`);
  }
  if (target === before.version && !split) {
    throw new InputError(`to-version: ${JSON.stringify(target)} is what ${settings.stage} runs already`);
  }
  const [found, live] = await timeline.step('read', () => Promise.all([lambda.getVersion(name, target), lambda.getVersion(name, before.version)]));
  if (found === undefined) {
    throw new InputError(`to-version: ${JSON.stringify(target)} is not a published version of ${name}`);
  }
  // A version Lambda made Inactive (idle for weeks) is refused; a Pending one is waited for (readiness.ts).
  const subject = toVersion !== undefined ? `to-version: ${JSON.stringify(target)}` : `to-version: not given, and ${settings.stage}'s release before ${before.version}`;
  const version = await readyVersion(subject, found, settings, deps);
  if (toVersion !== undefined) {
    const differences = settingsDifferences(desiredSettings(settings), version);
    if (differences.length > 0) {
      const what = `to-version: ${JSON.stringify(target)} was published with other settings than ${settings.stage}'s: ${differences.join(', ')}`;
      if (deps.force !== true) throw new InputError(`${what}; force: true rolls back anyway`);
      log.warn(`${what}. Rolling back anyway (force: true): ${settings.stage} will run version ${target} with its settings, not ${settings.stage}'s.`);
    }
  }
  // A container-image version runs only while its image is in ECR: one that is gone is refused
  // before the alias moves (Lambda would fail every invocation of it).
  const image = await imageStillThere(subject, name, version, deps);
  log.info(
    split && target === before.version
      ? `${deps.dryRun === true ? 'Would roll' : 'Rolling'} ${settings.stage} back to version ${target}: clearing the traffic split (${Object.keys(before.weights).join(', ')}).`
      : `${deps.dryRun === true ? 'Would roll' : 'Rolling'} ${settings.stage} back from version ${before.version} to ${target}.`,
  );

  // Plan: the version as it is, all at once, no gates.
  const commit = history.find((r) => r.version === target)?.commit ?? '';
  const start: ReleaseStart = { command: 'rollback', settings, commit, before, live, timeline, ...(image !== undefined && { image }) };
  const plan = releasePlan(
    'rollback',
    settings,
    before,
    { kind: 'existing', version: target, codeSha256: version.codeSha256, reason: 'rollback' },
    { kind: 'return' },
  );
  return finish(plan, start, deps);
}

/**
 * For a container-image version: its image (by digest), checked to be still in ECR. Lambda pulls
 * a version's image again when it re-optimizes it, and "If the corresponding container image no
 * longer exists on Amazon ECR or permissions are revoked, the function enters the Failed state"
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-images.html): a rollback onto such a
 * version would move the alias onto code that cannot run. Undefined for a zip version.
 */
async function imageStillThere(subject: string, functionName: string, version: FunctionVersionState, deps: ReleaseDeps): Promise<ImageRecord | undefined> {
  if (version.packageType !== 'Image') return undefined;
  const image = versionImage(version);
  if (image === undefined) throw new Error(`Lambda gave no image URI for version ${version.version} of ${functionName}`);
  if (deps.images === undefined) throw new Error('an ECR client is needed to roll back a container-image function');
  const { registryId, repository } = image.reference;
  const found = await deps.images.describeImage({ registryId, repository, digest: image.digest });
  if (found === undefined) {
    throw new InputError(
      `${subject} (version ${version.version}) runs image ${image.uri}, which is no longer in ECR (repository ${repository}); ` +
        'the alias was not moved. Push that image again under its digest, or roll back to another version',
    );
  }
  return { uri: image.uri, digest: image.digest };
}
