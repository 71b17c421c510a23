/**
 * The post step's judgement (pure): may it undo what a saved rollout state describes? Only when
 * the alias is in a state that shiftAndVerify (rollout.ts) itself leaves behind:
 * - a canary step in flight: primary on `before.version`, weights exactly `{ toVersion: w }` with
 *   0 < w < 1, and `before.description` (a step keeps the description);
 * - the last step done (smoke or bake not finished): primary on `toVersion`, no weights, and the
 *   description the shift wrote (`toDescription`);
 * - a first release (`before: null`): the alias as its creation left it, on `toVersion` with
 *   `toDescription` and no weights; only then is it deleted.
 * Anything else (someone moved the alias since, the version was never shifted, the alias is not
 * one this shift created) is left alone.
 */
import type { AliasState } from '../model/lambda.js';
import type { RolloutState } from '../model/ports.js';

export type LeftoverVerdict =
  /** Put the alias back on `before`. */
  | { action: 'restore'; found: string }
  /** Delete the alias: this shift created it and its first release did not finish. */
  | { action: 'delete' }
  /** Already as it was (or already gone): nothing to undo. */
  | { action: 'none' }
  /** Not in a state this shift leaves: touch nothing, say why. */
  | { action: 'refuse'; reason: string };

export function judgeLeftover(state: RolloutState, alias: AliasState | undefined): LeftoverVerdict {
  const { before, toVersion } = state;
  if (before === null) {
    if (alias === undefined) return { action: 'none' };
    if (leftByLastStep(state, alias)) return { action: 'delete' };
    return { action: 'refuse', reason: `${describeAlias(alias)}, not as the first release of version ${toVersion} created it` };
  }
  if (alias === undefined) return { action: 'refuse', reason: 'it does not exist' };
  if (alias.version === before.version && sameWeights(alias.weights, before.weights)) return { action: 'none' };
  if (toVersion === before.version) return { action: 'refuse', reason: `${describeAlias(alias)}, and the saved shift goes nowhere` };
  const weighted = Object.entries(alias.weights);
  const [only] = weighted;
  const canaryInFlight =
    alias.version === before.version &&
    weighted.length === 1 &&
    only !== undefined &&
    only[0] === toVersion &&
    only[1] > 0 &&
    only[1] < 1 &&
    alias.description === before.description;
  if (canaryInFlight) return { action: 'restore', found: `${Math.round((only?.[1] ?? 0) * 100)}% on version ${toVersion}` };
  if (leftByLastStep(state, alias)) return { action: 'restore', found: `on version ${toVersion}` };
  return { action: 'refuse', reason: `${describeAlias(alias)}, not as the shift from version ${before.version} to ${toVersion} left it` };
}

/** A parsed saved state has the shape a rollout saves (anything else is not acted on). */
export function isRolloutState(value: unknown): value is RolloutState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const text = (x: unknown) => typeof x === 'string' && x.length > 0;
  if (!text(v.functionName) || !text(v.alias) || !text(v.toVersion) || typeof v.toDescription !== 'string') return false;
  if (v.region !== undefined && !text(v.region)) return false;
  if (v.role !== undefined && !text(v.role)) return false;
  if (v.before === null) return true;
  if (typeof v.before !== 'object' || v.before === undefined) return false;
  const b = v.before as Record<string, unknown>;
  return text(b.version) && typeof b.description === 'string' && isWeights(b.weights);
}

function leftByLastStep(state: RolloutState, alias: AliasState): boolean {
  return alias.version === state.toVersion && Object.keys(alias.weights).length === 0 && alias.description === state.toDescription;
}

function isWeights(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((w) => typeof w === 'number');
}

function describeAlias(alias: AliasState): string {
  const weights = Object.entries(alias.weights).map(([version, w]) => `${Math.round(w * 100)}% on ${version}`);
  return `it is on version ${alias.version}${weights.length > 0 ? ` (${weights.join(', ')})` : ''}`;
}

function sameWeights(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
