/**
 * `provisioned-concurrency: N`: the sequence a release follows so that what the alias runs is
 * always warm, and Lambda never has to split the alias by itself.
 *
 * Lambda allocates provisioned concurrency to a version or to an alias
 * (PutProvisionedConcurrencyConfig, Qualifier "The version number or alias name"), refuses it on
 * an alias with routing weights, and, when an alias that carries its own configuration moves to
 * another version, allocates the new version in the background while traffic moves (the
 * "AllocatedProvisionedConcurrentExecutions … fluctuates" of ProvisionedConcurrencyConfigListItem).
 * So the action never puts capacity on the alias; it puts it on the version the alias is about
 * to run:
 *
 * 1. before anything changes: refuse when the alias itself has a configuration (set outside the
 *    action): the two would compete; the message says to delete the alias's configuration;
 * 2. after publishing (or, for a promote or rollback, on the version it moves to):
 *    PutProvisionedConcurrencyConfig on that version number, then GetProvisionedConcurrencyConfig
 *    until READY, the progress and time in the log. FAILED (Lambda's StatusReason is in the
 *    message) or the time limit: the configuration this release put is deleted and the alias is
 *    not moved;
 * 3. the shift (all at once: canary and linear are refused with provisioned concurrency, see
 *    stages/resolve.ts), smoke test and bake;
 * 4. released: the version the alias left keeps its capacity until now, then its configuration is
 *    deleted (unless another alias runs that version). Failed and put back: the new version's
 *    configuration, if this release put it, is deleted; the old version kept its own throughout,
 *    so the restored alias is warm.
 *
 * Both versions are billed between 2 and 4. A rollback follows the same sequence: the version it
 * returns to is warmed to READY before the alias moves back (its capacity was released when it
 * was left).
 */
import { InputError, errorMessage } from '../model/errors.js';
import type { CapacityGateway, CapacityState } from '../model/ports.js';
import { formatDuration } from '../report/format.js';
import type { ReleaseDeps } from './deps.js';
import type { ReleaseStart } from './carry-out.js';

/** How long a release waits for READY: Lambda's docs say allocation "can take several minutes". */
export const CAPACITY_WAIT_MS = 20 * 60_000;
const DEFAULT_POLL_MS = 5_000;

/** What warmBeforeShift did, for settleCapacity. */
export interface Warmed {
  version: string;
  /** true when this release created the version's configuration (and removes it if the release fails). */
  created: boolean;
}

function gateway(deps: ReleaseDeps): CapacityGateway {
  if (deps.capacity === undefined) throw new Error('provisioned-concurrency needs the Lambda provisioned concurrency gateway');
  return deps.capacity;
}

/** Step 1: refused before anything changes when the alias carries a configuration of its own. */
export async function checkCapacity(start: ReleaseStart, deps: ReleaseDeps): Promise<void> {
  const { settings, before } = start;
  if (settings.provisionedConcurrency === undefined || before === undefined) return;
  const own = await gateway(deps).read(settings.functionName, settings.alias);
  if (own === undefined) return;
  throw new InputError(
    `provisioned-concurrency: ${settings.provisionedConcurrency}: alias ${settings.alias} of ${settings.functionName} has a provisioned concurrency configuration of its own (${own.requested}, ${own.status}); ` +
      'the action puts provisioned concurrency on the version the alias runs, and Lambda would move the alias\'s own capacity with weights of its own. Nothing was changed. ' +
      `Delete it (aws lambda delete-provisioned-concurrency-config --function-name ${settings.functionName} --qualifier ${settings.alias}) and run this again`,
  );
}

/**
 * Step 2: the version warm (READY) before the alias moves to it. Undefined when the stage has no
 * provisioned-concurrency; throws (after removing what it created) when Lambda cannot allocate it.
 */
export async function warmBeforeShift(start: ReleaseStart, version: string, deps: ReleaseDeps): Promise<Warmed | undefined> {
  const count = start.settings.provisionedConcurrency;
  if (count === undefined) return undefined;
  const capacity = gateway(deps);
  const name = start.settings.functionName;
  const which = `version ${version} of ${name}`;
  const existing = await capacity.read(name, version);
  const created = existing === undefined;
  const begun = deps.clock.now();
  try {
    let state: CapacityState =
      existing !== undefined && existing.requested === count && existing.status !== 'FAILED' ? existing : await capacity.provision(name, version, count);
    deps.log.info(`Provisioned concurrency ${count} on ${which}: ${describe(state)}.`);
    for (let poll = 1; state.status === 'IN_PROGRESS'; poll++) {
      const elapsed = deps.clock.now() - begun;
      if (elapsed >= CAPACITY_WAIT_MS) throw new Error(`still IN_PROGRESS after ${formatDuration(elapsed)} (${state.allocated} of ${count} allocated)`);
      await deps.clock.sleep(Math.min(poll * 1_000, deps.capacityPollMs ?? DEFAULT_POLL_MS), deps.signal);
      const read = await capacity.read(name, version);
      if (read === undefined) throw new Error('its provisioned concurrency configuration was deleted while it was being allocated');
      state = read;
      deps.log.info(`Provisioned concurrency on ${which}: ${describe(state)} after ${formatDuration(deps.clock.now() - begun)}.`);
    }
    if (state.status === 'FAILED') throw new Error(`Lambda could not allocate it (FAILED${state.statusReason ? `: ${state.statusReason}` : ''})`);
    return { version, created };
  } catch (error) {
    if (created) await releaseQuietly(capacity, name, version, deps);
    throw new Error(`provisioned concurrency ${count} on ${which}: ${errorMessage(error)}`, { cause: error });
  }
}

/** Step 4: released, the version left gives its capacity back; put back, the new version's (if created here) goes. */
export async function settleCapacity(warmed: Warmed | undefined, released: boolean, start: ReleaseStart, deps: ReleaseDeps): Promise<void> {
  if (warmed === undefined) return;
  const capacity = gateway(deps);
  const name = start.settings.functionName;
  if (!released) {
    if (warmed.created) await releaseQuietly(capacity, name, warmed.version, deps);
    return;
  }
  const left = start.before?.version;
  if (left === undefined || left === warmed.version || left === '$LATEST') return;
  if ((await capacity.read(name, left)) === undefined) return;
  const others = (await deps.lambda.listAliases(name)).filter((a) => a.name !== start.settings.alias && (a.version === left || a.weights[left] !== undefined));
  if (others.length > 0) {
    deps.log.info(`Version ${left} of ${name} keeps its provisioned concurrency: alias ${others.map((a) => a.name).join(', ')} runs it.`);
    return;
  }
  deps.log.info(`Removing the provisioned concurrency of version ${left} of ${name}, which alias ${start.settings.alias} no longer runs.`);
  await releaseQuietly(capacity, name, left, deps);
}

/** A cleanup that fails is said (with the command to finish it) but does not fail a release that is otherwise settled. */
async function releaseQuietly(capacity: CapacityGateway, name: string, version: string, deps: ReleaseDeps): Promise<void> {
  try {
    await capacity.release(name, version);
  } catch (error) {
    deps.log.warn(
      `Could not remove the provisioned concurrency of version ${version} of ${name} (${errorMessage(error)}); it is still billed: ` +
        `aws lambda delete-provisioned-concurrency-config --function-name ${name} --qualifier ${version}`,
    );
  }
}

function describe(state: CapacityState): string {
  return `${state.status}, ${state.allocated} of ${state.requested} allocated`;
}
