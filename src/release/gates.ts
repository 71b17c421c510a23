/**
 * The gate verdict, pure: one reading of the alarms and of the new version's own metrics,
 * judged against the stage's settings.
 */
import type { GateReading } from '../model/results.js';
import { formatPercent } from '../report/format.js';

export type GateVerdict = { ok: true } | { ok: false; reason: string };

/** An alarm in ALARM fails; so does an error rate above `maxErrorRate` (a fraction) once anything was invoked. */
export function judgeGates(reading: GateReading, rules: { version: string; maxErrorRate?: number }): GateVerdict {
  const firing = reading.alarms.filter((a) => a.state === 'ALARM');
  if (firing.length > 0) {
    return { ok: false, reason: `alarm ${firing.map((a) => `${a.name} is in ALARM${a.reason ? ` (${a.reason})` : ''}`).join(', ')}` };
  }
  const invocations = reading.invocations ?? 0;
  const errors = reading.errors ?? 0;
  if (rules.maxErrorRate !== undefined && invocations > 0 && errors / invocations > rules.maxErrorRate) {
    return {
      ok: false,
      reason:
        `version ${rules.version}: ${errors} errors in ${invocations} invocations (${formatPercent(errors / invocations)}), ` +
        `above max-error-rate ${formatPercent(rules.maxErrorRate)}`,
    };
  }
  return { ok: true };
}
