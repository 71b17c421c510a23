/** release/capacity.ts with plain fakes: the time limit, FAILED, the alias's own configuration, and a version another alias runs. */
import { describe, expect, it } from 'vitest';
import type { CapacityGateway, CapacityState } from '../../../src/model/ports.js';
import type { AliasState } from '../../../src/model/lambda.js';
import { CAPACITY_WAIT_MS, checkCapacity, settleCapacity, warmBeforeShift } from '../../../src/release/capacity.js';
import type { ReleaseStart } from '../../../src/release/carry-out.js';
import type { ReleaseDeps } from '../../../src/release/deps.js';
import { Timeline } from '../../../src/release/timeline.js';
import { FakeClock, FakeLambda, FakeSmoke, RecordingLog, stageSettings } from '../fakes.js';

/** Configurations by qualifier; `next` decides what a read answers while one is IN_PROGRESS. */
class FakeCapacity implements CapacityGateway {
  configs = new Map<string, CapacityState>();
  calls: string[] = [];
  constructor(private readonly settle: (state: CapacityState) => CapacityState = (s) => ({ ...s, status: 'READY', allocated: s.requested })) {}
  async provision(_name: string, qualifier: string, count: number) {
    this.calls.push(`put ${qualifier}`);
    const state: CapacityState = { status: 'IN_PROGRESS', requested: count, allocated: 0 };
    this.configs.set(qualifier, state);
    return state;
  }
  async read(_name: string, qualifier: string) {
    this.calls.push(`get ${qualifier}`);
    const found = this.configs.get(qualifier);
    if (found === undefined) return undefined;
    const next = this.settle(found);
    this.configs.set(qualifier, next);
    return next;
  }
  async release(_name: string, qualifier: string) {
    this.calls.push(`delete ${qualifier}`);
    this.configs.delete(qualifier);
  }
}

const alias = (name: string, version: string): AliasState => ({ name, arn: `arn:aws:lambda:us-east-1:123456789012:function:notes-api:${name}`, version, description: '', weights: {} });

function setUp(capacity: FakeCapacity, before: AliasState | undefined = alias('prod', '1')) {
  const clock = new FakeClock();
  const lambda = new FakeLambda();
  const log = new RecordingLog();
  const deps: ReleaseDeps = { lambda, smoke: new FakeSmoke([true]), log, clock, capacity };
  const start: ReleaseStart = {
    command: 'deploy',
    settings: stageSettings('prod', { provisionedConcurrency: 4 }),
    commit: '',
    before,
    live: undefined,
    timeline: new Timeline(clock),
  };
  return { clock, lambda, log, deps, start };
}

describe('warmBeforeShift', () => {
  it('puts the configuration on the version and reads it until READY', async () => {
    const capacity = new FakeCapacity();
    const { deps, start, log } = setUp(capacity);
    await expect(warmBeforeShift(start, '2', deps)).resolves.toEqual({ version: '2', created: true });
    expect(capacity.calls).toEqual(['get 2', 'put 2', 'get 2']);
    expect(log.lines.at(-1)).toMatch(/READY, 4 of 4 allocated after 1s/);
  });

  it('FAILED: removes what it created and says why', async () => {
    const capacity = new FakeCapacity((s) => ({ ...s, status: 'FAILED', statusReason: 'no unreserved concurrency' }));
    const { deps, start } = setUp(capacity);
    await expect(warmBeforeShift(start, '2', deps)).rejects.toThrow(
      'provisioned concurrency 4 on version 2 of notes-api: Lambda could not allocate it (FAILED: no unreserved concurrency)',
    );
    expect(capacity.calls.at(-1)).toBe('delete 2');
    expect(capacity.configs.size).toBe(0);
  });

  it('gives up after the time limit, and removes what it created', async () => {
    const capacity = new FakeCapacity((s) => s);
    const { deps, start, clock } = setUp(capacity);
    await expect(warmBeforeShift(start, '2', deps)).rejects.toThrow(/still IN_PROGRESS after 20m/);
    expect(clock.now() - Date.parse('2026-11-22T10:00:00Z')).toBeGreaterThanOrEqual(CAPACITY_WAIT_MS);
    expect(capacity.configs.size).toBe(0);
  });

  it('keeps a configuration it did not create when it cannot be made READY', async () => {
    const capacity = new FakeCapacity((s) => ({ ...s, status: 'FAILED' }));
    capacity.configs.set('2', { status: 'IN_PROGRESS', requested: 4, allocated: 1 });
    const { deps, start } = setUp(capacity);
    await expect(warmBeforeShift(start, '2', deps)).rejects.toThrow(/FAILED/);
    expect(capacity.calls).not.toContain('delete 2');
  });
});

describe('checkCapacity', () => {
  it('refuses an alias with a configuration of its own, before anything changes', async () => {
    const capacity = new FakeCapacity();
    capacity.configs.set('prod', { status: 'READY', requested: 2, allocated: 2 });
    const { deps, start } = setUp(capacity);
    await expect(checkCapacity(start, deps)).rejects.toThrow(/^provisioned-concurrency: 4: alias prod of notes-api has a provisioned concurrency configuration of its own \(2, READY\)/);
    expect(capacity.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
  });
});

describe('settleCapacity', () => {
  it('released: the version left gives its capacity back, unless another alias runs it', async () => {
    const capacity = new FakeCapacity();
    capacity.configs.set('1', { status: 'READY', requested: 4, allocated: 4 });
    const { deps, start, lambda } = setUp(capacity);
    lambda.aliases.set('staging', alias('staging', '1'));
    await settleCapacity({ version: '2', created: true }, true, start, deps);
    expect(capacity.configs.has('1')).toBe(true);
    lambda.aliases.delete('staging');
    await settleCapacity({ version: '2', created: true }, true, start, deps);
    expect(capacity.configs.has('1')).toBe(false);
  });

  it('put back: the new version gives back only what this release created', async () => {
    const capacity = new FakeCapacity();
    capacity.configs.set('2', { status: 'READY', requested: 4, allocated: 4 });
    const { deps, start } = setUp(capacity);
    await settleCapacity({ version: '2', created: false }, false, start, deps);
    expect(capacity.configs.has('2')).toBe(true);
    await settleCapacity({ version: '2', created: true }, false, start, deps);
    expect(capacity.configs.has('2')).toBe(false);
  });
});
