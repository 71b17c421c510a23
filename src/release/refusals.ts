import type { StageSettings } from '../model/settings.js';
import { InputError } from '../model/errors.js';
import { formatWeights } from '../report/format.js';

/** Bad input: the stage's function does not exist. */
export function missingFunction(settings: StageSettings): InputError {
  return new InputError(`${settings.functionField ?? 'function'}: ${JSON.stringify(settings.functionName)} does not exist${settings.region ? ` in ${settings.region}` : ''}`);
}

/** Throw when an alias has a traffic split in flight: `<subject> has a traffic split in flight (…); <advice>`. */
export function refuseSplit(subject: string, weights: Record<string, number>, advice: string): void {
  if (Object.keys(weights).length > 0) throw new InputError(`${subject} has a traffic split in flight (${formatWeights(weights)}); ${advice}`);
}

