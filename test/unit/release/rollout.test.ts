import { describe, expect, it } from 'vitest';

import { restoreFromState, shiftAndVerify, type ShiftRequest } from '../../../src/release/rollout.js';
import { Timeline } from '../../../src/release/timeline.js';
import type { AlarmState, VersionMetrics } from '../../../src/model/lambda.js';
import { FakeClock, FakeLambda, FakeSmoke, RecordingLog, stageSettings } from '../fakes.js';
import type { SmokeSettings, StageSettings } from '../../../src/model/settings.js';
import type { SmokeResult } from '../../../src/model/results.js';
import type { Log, MetricsGateway, RolloutState } from '../../../src/model/ports.js';
import { releasePlan } from '../../../src/release/plan.js';

/** Alarms and metrics that a test scripts over (fake) time. */
class FakeMetrics implements MetricsGateway {
  alarms: AlarmState[] = [{ name: 'notes-5xx', state: 'OK' }];
  metrics: VersionMetrics = { errors: 0, invocations: 0 };
  /** Called before each reading with the reading's number (1, 2, …). */
  script: (reading: number, self: FakeMetrics) => void = () => {};
  readings = 0;
  async alarmStates(names: string[]) {
    this.readings++;
    this.script(this.readings, this);
    return this.alarms.filter((a) => names.includes(a.name));
  }
  async versionMetrics() {
    return this.metrics;
  }
}

const settings = (over: Partial<StageSettings> = {}): StageSettings =>
  stageSettings('prod', { traffic: { kind: 'canary', percent: 10, waitMs: 60_000 }, alarms: ['notes-5xx'], ...over }, { url: 'https://api.example.com/health' });

function world(over: Partial<StageSettings> = {}, smoke: boolean[] = [true]) {
  const lambda = new FakeLambda();
  lambda.versions.push({ ...lambda.latest, version: '1' }, { ...lambda.latest, version: '2' });
  lambda.aliases.set('prod', { name: 'prod', arn: 'arn:prod', version: '1', description: 'stage-deploy {"r":[["1","c1",1]]}', weights: {}, revisionId: 'a0' });
  const metrics = new FakeMetrics();
  const log = new RecordingLog();
  const clock = new FakeClock();
  const saved: (RolloutState | null)[] = [];
  const controller = new AbortController();
  const deps = {
    lambda,
    smoke: new FakeSmoke(smoke),
    log,
    timeline: new Timeline(clock),
    metrics,
    clock,
    gateIntervalMs: 10_000,
    signal: controller.signal,
    state: { save: (s: RolloutState) => saved.push(s), clear: () => saved.push(null) },
  };
  const stage = settings(over);
  const request: ShiftRequest = {
    settings: stage,
    before: lambda.aliases.get('prod'),
    toVersion: '2',
    traffic: stage.traffic,
    progressive: true,
    description: 'stage-deploy {"r":[["2","c2",2],["1","c1",1]]}',
  };
  return { lambda, metrics, log, clock, deps, request, saved, controller };
}

const aliasCalls = (lambda: FakeLambda) => lambda.calls.filter((c) => c === 'updateAlias' || c === 'createAlias' || c === 'deleteAlias');

describe('a progressive rollout', () => {
  it('canary: 10% held with the gates watched, then all, then the smoke test', async () => {
    const w = world();
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(true);
    expect(outcome.traffic.map((p) => p.percent)).toEqual([10, 100]);
    expect(outcome.traffic[1]!.atMs - outcome.traffic[0]!.atMs).toBe(60_000);
    // One reading before the shift, six during the minute held at 10%.
    expect(w.metrics.readings).toBe(7);
    expect(w.lambda.aliases.get('prod')).toMatchObject({ version: '2', weights: {}, description: w.request.description });
    expect(aliasCalls(w.lambda)).toEqual(['updateAlias', 'updateAlias']);
    expect(w.log.lines).toContain('info: Step 1/2: 10% of prod on version 2, held 1m.');
    expect(w.saved.at(-1)).toBeNull();
  });

  it('linear: every step goes through the alias\'s routing weights', async () => {
    const w = world({ traffic: { kind: 'linear', percent: 25, intervalMs: 20_000 } });
    const weights: Record<string, number>[] = [];
    const update = w.lambda.updateAlias.bind(w.lambda);
    w.lambda.updateAlias = async (fn, alias, target) => {
      weights.push(target.weights ?? {});
      return update(fn, alias, target);
    };
    expect((await shiftAndVerify(w.request, w.deps)).ok).toBe(true);
    expect(weights).toEqual([{ '2': 0.25 }, { '2': 0.5 }, { '2': 0.75 }, {}]);
  });

  it('an alarm that fires mid-shift puts the alias back on the old version, no weights, in one call', async () => {
    const w = world();
    w.metrics.script = (n, m) => {
      if (n === 3) m.alarms = [{ name: 'notes-5xx', state: 'ALARM', reason: 'Threshold Crossed: 5 datapoints' }];
    };
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toBe('alarm notes-5xx is in ALARM (Threshold Crossed: 5 datapoints)');
    expect(outcome.restored).toEqual({ to: '1' });
    expect(w.lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {}, description: 'stage-deploy {"r":[["1","c1",1]]}' });
    expect(aliasCalls(w.lambda)).toEqual(['updateAlias', 'updateAlias']);
    expect(outcome.traffic.map((p) => p.percent)).toEqual([10, 0]);
    expect(w.saved.at(-1)).toBeNull();
  });

  it('errors of the new version above max-error-rate roll back', async () => {
    const w = world({ alarms: [], maxErrorRate: 0.01 });
    w.metrics.metrics = { errors: 3, invocations: 40 };
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.failure).toBe('version 2: 3 errors in 40 invocations (7.5%), above max-error-rate 1%');
    expect(w.lambda.aliases.get('prod')?.version).toBe('1');
  });

  it('no invocations is no evidence of errors: the rollout goes on', async () => {
    const w = world({ alarms: [], maxErrorRate: 0.01 });
    expect((await shiftAndVerify(w.request, w.deps)).ok).toBe(true);
  });

  it('an alarm already in ALARM refuses the shift before any traffic; force: true goes ahead, loudly', async () => {
    const w = world();
    w.metrics.alarms = [{ name: 'notes-5xx', state: 'ALARM' }];
    const refused = await shiftAndVerify(w.request, w.deps);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.failure).toBe('alarm notes-5xx is in ALARM before the shift; nothing was shifted (force: true overrides)');
      expect(refused.restored).toEqual({ untouched: true });
    }
    expect(aliasCalls(w.lambda)).toEqual([]);

    const forced = await shiftAndVerify(w.request, { ...w.deps, force: true });
    expect(forced.ok).toBe(true);
    expect(w.log.lines).toContain('warn: force: true: the alarm gates (notes-5xx) are SKIPPED for this release.');
  });

  it('the invoke check runs the new version directly first; a broken one never receives traffic', async () => {
    const w = world({ smoke: { ...settings().smoke!, invoke: true } });
    w.lambda.invokeAnswers.set('2', { functionError: 'Unhandled', payload: JSON.stringify({ errorType: 'ReferenceError', errorMessage: 'gibberish is not defined' }) });
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failure).toContain('gibberish is not defined');
      expect(outcome.failure).toContain('version 2 never received traffic');
      expect(outcome.restored).toEqual({ untouched: true });
    }
    expect(w.lambda.invocations.map((i) => i.version)).toEqual(['2']);
    expect(aliasCalls(w.lambda)).toEqual([]);
  });

  it('a failed smoke test after the last step rolls back', async () => {
    const w = world({}, [false]);
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    expect(w.lambda.aliases.get('prod')?.version).toBe('1');
    expect(outcome.traffic.map((p) => p.percent)).toEqual([10, 100, 0]);
  });

  it('bake keeps watching after 100%: an alarm then still rolls back', async () => {
    const w = world({ traffic: { kind: 'all-at-once' }, bakeMs: 30_000 });
    w.metrics.script = (n, m) => {
      if (n === 3) m.alarms = [{ name: 'notes-5xx', state: 'ALARM' }];
    };
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    expect(w.lambda.aliases.get('prod')?.version).toBe('1');
  });

  it('a cancel (SIGTERM) mid-shift puts the alias back and says so', async () => {
    const w = world();
    w.metrics.script = (n) => {
      if (n === 2) w.controller.abort('SIGTERM');
    };
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure).toBe('cancelled (SIGTERM)');
    expect(w.lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
    expect(w.saved[0]).toMatchObject({ functionName: 'notes-api', alias: 'prod', toVersion: '2', before: { version: '1', weights: {} } });
    expect(w.saved.at(-1)).toBeNull();
  });

  it('a cancel during the smoke test rolls back even when the answer was good, and the check gets the signal', async () => {
    const w = world({ alarms: [] });
    const seen: (AbortSignal | undefined)[] = [];
    w.deps.smoke = {
      check: async (smoke: SmokeSettings, _log: Log, signal?: AbortSignal): Promise<SmokeResult> => {
        seen.push(signal);
        w.controller.abort('SIGTERM');
        return { ok: true, attempts: [], summary: `GET ${smoke.url} → 200 on attempt 1 of 1 (5 ms)` };
      },
    } as FakeSmoke;
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(seen).toEqual([w.controller.signal]);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failure).toBe('cancelled (SIGTERM)');
      expect(outcome.restored).toEqual({ to: '1' });
    }
    expect(w.lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
  });

  it('a cancel after the smoke test and the bake still rolls back', async () => {
    const w = world({ alarms: [], bakeMs: 0 });
    w.deps.smoke = {
      check: async (smoke: SmokeSettings): Promise<SmokeResult> => {
        queueMicrotask(() => w.controller.abort('SIGINT'));
        await Promise.resolve();
        return { ok: true, attempts: [], summary: `GET ${smoke.url} → 200` };
      },
    } as FakeSmoke;
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    expect(w.lambda.aliases.get('prod')?.version).toBe('1');
  });

  it('a rollout that overruns its time limit rolls back', async () => {
    const w = world({ alarms: [] });
    // Each reading of the (absent) gates takes no time, but each sleep is slow: simulate a stall.
    w.clock.sleep = async (ms: number) => {
      w.clock.advance(ms + 5 * 60_000);
    };
    const outcome = await shiftAndVerify(w.request, { ...w.deps, rolloutGraceMs: 60_000 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure).toMatch(/^the rollout took longer than its limit of /);
    expect(w.lambda.aliases.get('prod')?.version).toBe('1');
  });

  it('a rollback (not progressive) moves all at once, with no gates and no invoke', async () => {
    const w = world({ smoke: { ...settings().smoke!, invoke: true } });
    // The plan decides the traffic: a rollback's is all at once whatever the stage's strategy.
    const plan = releasePlan('rollback', w.request.settings, w.request.before, { kind: 'existing', version: '2', codeSha256: 'x', reason: 'rollback' }, { kind: 'return' });
    expect(plan).toMatchObject({ traffic: { kind: 'all-at-once' }, progressive: false });
    const outcome = await shiftAndVerify({ ...w.request, traffic: plan.traffic, progressive: plan.progressive }, w.deps);
    expect(outcome.ok).toBe(true);
    expect(w.metrics.readings).toBe(0);
    expect(w.lambda.invocations).toEqual([]);
    expect(outcome.traffic.map((p) => p.percent)).toEqual([100]);
  });
});

describe('restoring from a saved state (the post step)', () => {
  const state = (over: Partial<RolloutState> = {}): RolloutState => ({
    functionName: 'notes-api',
    alias: 'prod',
    toVersion: '2',
    toDescription: 'new',
    before: { version: '1', weights: {}, description: 'old' },
    ...over,
  });

  it('puts a split alias back', async () => {
    const lambda = new FakeLambda();
    lambda.aliases.set('prod', { name: 'prod', arn: 'a', version: '1', description: 'old', weights: { '2': 0.1 } });
    const log = new RecordingLog();
    expect(await restoreFromState(state(), lambda, log)).toBe('restored');
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {}, description: 'old' });
    expect(log.lines[0]).toContain('back on version 1');
  });

  it('leaves an alias that is already back alone', async () => {
    const lambda = new FakeLambda();
    lambda.aliases.set('prod', { name: 'prod', arn: 'a', version: '1', description: 'old', weights: {} });
    expect(await restoreFromState(state(), lambda, new RecordingLog())).toBe('nothing to do');
    expect(lambda.calls).toEqual(['getAlias']);
  });

  it('removes an alias whose first release did not finish', async () => {
    const lambda = new FakeLambda();
    lambda.aliases.set('prod', { name: 'prod', arn: 'a', version: '2', description: 'new', weights: {} });
    expect(await restoreFromState(state({ before: null }), lambda, new RecordingLog())).toBe('restored');
    expect(lambda.aliases.has('prod')).toBe(false);
  });

  it('leaves an alias it did not create, or one moved since, alone with a warning', async () => {
    const lambda = new FakeLambda();
    lambda.aliases.set('prod', { name: 'prod', arn: 'a', version: '2', description: 'someone else', weights: {} });
    const log = new RecordingLog();
    expect(await restoreFromState(state({ before: null }), lambda, log)).toBe('refused');
    expect(await restoreFromState(state(), lambda, log)).toBe('refused');
    expect(lambda.calls).toEqual(['getAlias', 'getAlias']);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '2', description: 'someone else' });
    expect(log.lines[0]).toContain('left alone: it is on version 2, not as the first release of version 2 created it');
  });
});
