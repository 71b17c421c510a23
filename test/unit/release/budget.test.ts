import { describe, expect, it } from 'vitest';

import type { SmokeSettings } from '../../../src/model/settings.js';
import { ROLLOUT_GRACE_MS, rolloutBudgetMs } from '../../../src/release/budget.js';
import { trafficPlan } from '../../../src/release/traffic-plan.js';

const smoke = (over: Partial<SmokeSettings> = {}): SmokeSettings => ({
  url: 'https://api.example.com/health',
  method: 'GET',
  headers: {},
  secrets: [],
  expectStatus: { codes: [], classes: [2], text: '2xx' },
  attempts: 3,
  intervalMs: 5_000,
  timeoutMs: 10_000,
  invoke: false,
  ...over,
});
const canary = trafficPlan({ kind: 'canary', percent: 10, waitMs: 300_000 });
const linear = trafficPlan({ kind: 'linear', percent: 25, intervalMs: 60_000 });
const allAtOnce = trafficPlan({ kind: 'all-at-once' });

describe('the rollout budget', () => {
  it('the default grace is ten minutes', () => {
    expect(ROLLOUT_GRACE_MS).toBe(600_000);
  });

  it('all at once, no bake, no smoke test: the grace alone', () => {
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 0 }, true)).toBe(600_000);
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 0 }, true, 1_000)).toBe(1_000);
  });

  it('adds the time the plan holds traffic: canary 5m, linear 25% every 1m (three holds)', () => {
    expect(rolloutBudgetMs(canary, { bakeMs: 0 }, true, 0)).toBe(300_000);
    expect(rolloutBudgetMs(linear, { bakeMs: 0 }, true, 0)).toBe(180_000);
  });

  it('adds the bake only when progressive', () => {
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 120_000 }, true, 0)).toBe(120_000);
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 120_000 }, false, 0)).toBe(0);
  });

  it('adds the longest the smoke test can take: attempts × (timeout + interval)', () => {
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 0, smoke: smoke() }, true, 0)).toBe(45_000);
    expect(rolloutBudgetMs(allAtOnce, { bakeMs: 0, smoke: smoke({ attempts: 1, intervalMs: 0, timeoutMs: 1_000 }) }, false, 0)).toBe(1_000);
  });

  it('sums every part', () => {
    // 5m held + 2m bake + 3 × 15s smoke + 1m grace.
    expect(rolloutBudgetMs(canary, { bakeMs: 120_000, smoke: smoke() }, true, 60_000)).toBe(300_000 + 120_000 + 45_000 + 60_000);
    // Not progressive: the same without the bake, with the default grace.
    expect(rolloutBudgetMs(canary, { bakeMs: 120_000, smoke: smoke() }, false)).toBe(300_000 + 45_000 + 600_000);
  });
});
