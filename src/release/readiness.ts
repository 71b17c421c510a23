/**
 * Whether a published version can take traffic, by Lambda's function states
 * (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html): a version is invoked only
 * while it is Active. Pending: Lambda is creating (or re-creating) its resources. Failed: that
 * went wrong. Inactive: it sat idle long enough for Lambda to reclaim its resources; invoking it
 * fails and sets it Pending until they are re-created.
 *
 * For a version that already exists and is about to take traffic (the version a rollback returns
 * to, the one a promote reuses, the one a canary keeps most traffic on and returns to):
 * - Pending: wait until it is Active (the SDK's waiter, through the gateway);
 * - Failed: refuse;
 * - Inactive: refuse, before anything changes, naming the version and how to re-activate it.
 *   The action does not re-activate it itself: Lambda's only way is an invocation, and an
 *   invocation with a made-up event would run the user's code as soon as it is Active again.
 *   The user re-activates it (or deploys its code again as a new version), then runs the command
 *   again.
 */
import { InputError } from '../model/errors.js';
import type { FunctionVersionState } from '../model/lambda.js';
import type { StageSettings } from '../model/settings.js';
import type { ReleaseDeps } from './deps.js';

/**
 * The version, Active (after waiting when it was Pending), or an InputError that starts with
 * `subject` (the field and value the version comes from, e.g. `to-version: "7"`).
 */
export async function readyVersion(
  subject: string,
  version: FunctionVersionState,
  settings: StageSettings,
  deps: Pick<ReleaseDeps, 'lambda' | 'log' | 'dryRun'>,
): Promise<FunctionVersionState> {
  const name = settings.functionName;
  const which = `version ${version.version} of ${name}`;
  const code = version.stateReasonCode ? ` (${version.stateReasonCode})` : '';
  switch (version.state) {
    case undefined:
    case 'Active':
      return version;
    case 'Pending':
      if (deps.dryRun) {
        deps.log.info(`${which} is Pending${code}: a real run waits for it to be Active before it takes traffic.`);
        return version;
      }
      deps.log.info(`${which} is Pending${code}: waiting for it to be Active before it takes traffic.`);
      return deps.lambda.waitForVersionActive(name, version.version, { snapStart: version.snapStart !== undefined });
    case 'Inactive':
      throw new InputError(
        `${subject}: ${which} is Inactive${code}: Lambda reclaimed its resources after it sat idle, and it cannot take traffic until they are re-created. ` +
          `Nothing was changed. Re-activate it and run this again: invoke it once (the call fails while it is Inactive and Lambda starts re-creating its resources), ` +
          `then wait with \`aws lambda wait published-version-active --function-name ${name} --qualifier ${version.version}\`; or deploy its code again as a new version`,
      );
    default:
      throw new InputError(
        `${subject}: ${which} is ${version.state}${code}${version.stateReason ? `: ${version.stateReason}` : ''}; it cannot take traffic. Nothing was changed`,
      );
  }
}

/**
 * A canary or linear shift keeps most traffic on the version the alias runs, and returns to it
 * when a check fails: that version must be able to take traffic (see readyVersion). An
 * all-at-once release, a first release, or one whose alias runs no readable version: as it is.
 */
export async function readyToReturnTo(
  settings: StageSettings,
  live: FunctionVersionState | undefined,
  deps: Pick<ReleaseDeps, 'lambda' | 'log' | 'dryRun'>,
): Promise<FunctionVersionState | undefined> {
  if (live === undefined || settings.traffic.kind === 'all-at-once') return live;
  const subject = `traffic: ${settings.traffic.kind} (it keeps traffic on version ${live.version}, what alias ${settings.alias} runs, and returns to it if a check fails)`;
  return readyVersion(subject, live, settings, deps);
}
