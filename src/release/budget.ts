/**
 * The rollout's time limit, pure: the time its plan holds traffic, the bake, the longest the
 * smoke test can take, and a grace period. Past it, the rollout rolls back.
 */
import type { StageSettings } from '../model/settings.js';
import { plannedDurationMs, type TrafficStep } from './traffic-plan.js';

/** Slack on top of the planned time, for Lambda's own calls and slow answers. */
export const ROLLOUT_GRACE_MS = 10 * 60_000;

export function rolloutBudgetMs(
  steps: TrafficStep[],
  settings: Pick<StageSettings, 'bakeMs' | 'smoke'>,
  progressive: boolean,
  graceMs = ROLLOUT_GRACE_MS,
): number {
  const smoke = settings.smoke;
  const smokeMs = smoke === undefined ? 0 : smoke.attempts * (smoke.timeoutMs + smoke.intervalMs);
  return plannedDurationMs(steps) + (progressive ? settings.bakeMs : 0) + smokeMs + graceMs;
}
