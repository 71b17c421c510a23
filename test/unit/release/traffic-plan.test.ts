import { describe, expect, it } from 'vitest';
import { describePlan, plannedDurationMs, trafficPlan } from '../../../src/release/traffic-plan.js';
import { formatDuration } from '../../../src/report/format.js';

describe('the traffic plan', () => {
  it('all-at-once is one step', () => {
    expect(trafficPlan({ kind: 'all-at-once' })).toEqual([{ percent: 100, holdMs: 0 }]);
  });

  it('canary 10% 5m holds 10% for five minutes, then all', () => {
    const steps = trafficPlan({ kind: 'canary', percent: 10, waitMs: 300_000 });
    expect(steps).toEqual([
      { percent: 10, holdMs: 300_000 },
      { percent: 100, holdMs: 0 },
    ]);
    expect(plannedDurationMs(steps)).toBe(300_000);
    expect(describePlan(steps, formatDuration)).toBe('10% for 5m, then 100%');
  });

  it('linear 10% every 1m goes 10, 20, … 90, then 100', () => {
    const steps = trafficPlan({ kind: 'linear', percent: 10, intervalMs: 60_000 });
    expect(steps.map((s) => s.percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(steps.slice(0, -1).every((s) => s.holdMs === 60_000)).toBe(true);
    expect(plannedDurationMs(steps)).toBe(540_000);
  });

  it('linear steps that do not divide 100 end on 100 without passing it', () => {
    expect(trafficPlan({ kind: 'linear', percent: 30, intervalMs: 1000 }).map((s) => s.percent)).toEqual([30, 60, 90, 100]);
    expect(trafficPlan({ kind: 'linear', percent: 100, intervalMs: 1000 }).map((s) => s.percent)).toEqual([100]);
    expect(trafficPlan({ kind: 'linear', percent: 33.3, intervalMs: 1000 }).map((s) => s.percent)).toEqual([33.3, 66.6, 99.9, 100]);
  });
});
