import { InputError } from '../model/errors.js';

export const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/;

/**
 * A value for an error message: strings JSON-quoted (`"5 minutes"`), numbers and booleans as
 * written, lists and mappings as compact JSON (cut short when long).
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/**
 * Milliseconds from `500ms`, `2s`, `1.5s`, `5m`, `1h`, or a number (or numeric string) of
 * seconds. Anything else is an InputError naming `field` and the value.
 */
export function parseDuration(value: unknown, field: string): number {
  let ms: number | undefined;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) ms = value * 1000;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) {
      const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
      ms = Number(match[1]) * UNIT_MS[unit];
    }
  }
  if (ms === undefined || !Number.isFinite(ms) || ms > Number.MAX_SAFE_INTEGER) {
    throw new InputError(`${field}: ${describeValue(value)} is not a duration (use 500ms, 2s or 5m)`);
  }
  return Math.round(ms);
}
