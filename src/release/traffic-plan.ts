import type { TrafficStrategy } from '../model/settings.js';

export interface TrafficStep {
  /** Percent of the alias's traffic on the new version during this step (100: all of it). */
  percent: number;
  /** How long to hold it, watching the gates, before the next step (0 for the last). */
  holdMs: number;
}

export function trafficPlan(strategy: TrafficStrategy): TrafficStep[] {
  switch (strategy.kind) {
    case 'all-at-once':
      return [{ percent: 100, holdMs: 0 }];
    case 'canary':
      return [
        { percent: strategy.percent, holdMs: strategy.waitMs },
        { percent: 100, holdMs: 0 },
      ];
    case 'linear': {
      const steps: TrafficStep[] = [];
      for (let percent = strategy.percent; percent < 100; percent += strategy.percent) {
        steps.push({ percent: Math.round(percent * 1000) / 1000, holdMs: strategy.intervalMs });
      }
      steps.push({ percent: 100, holdMs: 0 });
      return steps;
    }
  }
}

/** How long the plan holds traffic before the last step, in ms. */
export function plannedDurationMs(steps: TrafficStep[]): number {
  return steps.reduce((sum, step) => sum + step.holdMs, 0);
}

/** `canary 10% for 5m, then 100%`, for the log. */
export function describePlan(steps: TrafficStep[], format: (ms: number) => string): string {
  if (steps.length === 1) return 'all at once';
  return steps.map((s) => (s.percent === 100 ? '100%' : `${s.percent}% for ${format(s.holdMs)}`)).join(', then ');
}
