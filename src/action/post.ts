/**
 * The post step (`post-if: always()`): when the main step did not finish a shift (the job was
 * cancelled, the runner lost the process, the step timed out), the saved rollout state says so,
 * and the alias is put back where it was. It never fails the job: it reports.
 */
import { RegionServices } from '../aws/services.js';
import { repairCommand, restoreFromState } from '../release/rollout.js';
import type { LambdaGateway } from "../model/ports.js";
import type { Log } from "../model/ports.js";
import { errorMessage } from "../model/errors.js";
import type { RolloutState } from "../model/ports.js";

export type CleanUpOutcome = 'no shift in progress' | 'restored' | 'nothing to do' | 'failed';

export async function cleanUp(
  savedState: string,
  log: Log,
  lambdaFor: (region: string | undefined) => LambdaGateway = (region) => new RegionServices({ ...(region !== undefined && { region }) }).lambda,
): Promise<CleanUpOutcome> {
  if (!savedState) return 'no shift in progress';
  let state: RolloutState;
  try {
    state = JSON.parse(savedState) as RolloutState;
  } catch {
    log.warn('stage-deploy post: the saved rollout state cannot be read; check the alias by hand.');
    return 'failed';
  }
  log.warn(`stage-deploy post: the main step did not finish shifting alias ${state.alias} of ${state.functionName} to version ${state.toVersion}.`);
  try {
    return await restoreFromState(state, lambdaFor(state.region), log);
  } catch (error) {
    log.error(
      `stage-deploy post: could not put alias ${state.alias} back (${errorMessage(error)}). ` +
        `Repair it by hand: ${repairCommand(state, state.before)}`,
    );
    return 'failed';
  }
}
