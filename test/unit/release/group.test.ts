/** release/group.ts: the sync points of a release of several units, its failure, and its saved state. */
import { describe, expect, it } from 'vitest';

import type { RolloutState } from '../../../src/model/ports.js';
import { GroupStopped, groupStateStore, rankOf, ReleaseGroup } from '../../../src/release/group.js';

/** Whether a promise has settled after the microtasks queued so far. */
async function settled(promise: Promise<unknown>): Promise<'resolved' | 'rejected' | 'pending'> {
  let state: 'resolved' | 'rejected' | 'pending' = 'pending';
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
}

describe('ReleaseGroup', () => {
  it('holds every unit at a sync point until the last one reaches it', async () => {
    const group = new ReleaseGroup(['a', 'b', 'c']);
    const a = group.member('a').arrive('shift');
    const b = group.member('b').arrive('shift');
    expect(await settled(a)).toBe('pending');
    expect(await settled(b)).toBe('pending');
    const c = group.member('c').arrive('shift');
    expect(await settled(a)).toBe('resolved');
    expect(await settled(b)).toBe('resolved');
    expect(await settled(c)).toBe('resolved');
  });

  it('lets a unit that left (unchanged) hold nobody back', async () => {
    const group = new ReleaseGroup(['a', 'b']);
    const a = group.member('a').arrive('change');
    expect(await settled(a)).toBe('pending');
    group.member('b').leave();
    expect(await settled(a)).toBe('resolved');
  });

  it('moves progressive steps together: no unit writes 50% before every unit has reached it, and a 100% step waits for a canary still at 10%', async () => {
    const group = new ReleaseGroup(['canary', 'first-release']);
    const canary = group.member('canary');
    const first = group.member('first-release');
    await Promise.all([canary.arrive('shift'), first.arrive('shift')]);
    const at10 = canary.arrive({ step: 10 });
    const at100 = first.arrive({ step: 100 });
    expect(await settled(at10)).toBe('resolved');
    expect(await settled(at100)).toBe('pending');
    const canaryAt100 = canary.arrive({ step: 100 });
    expect(await settled(at100)).toBe('resolved');
    expect(await settled(canaryAt100)).toBe('resolved');
  });

  it('orders the points: change < shift < every step < done', () => {
    expect(rankOf('change')).toBeLessThan(rankOf('shift'));
    expect(rankOf('shift')).toBeLessThan(rankOf({ step: 10 }));
    expect(rankOf({ step: 10 })).toBeLessThan(rankOf({ step: 100 }));
    expect(rankOf({ step: 100 })).toBeLessThan(rankOf('shifted'));
    expect(rankOf('shifted')).toBeLessThan(rankOf('done'));
  });

  it('fails as a whole: waiting units are stopped, later arrivals too, and the signal aborts naming the unit and why', async () => {
    const run = new AbortController();
    const group = new ReleaseGroup(['api', 'worker', 'cron'], run.signal);
    const api = group.member('api').arrive('done');
    group.member('worker').fail('GET https://x/health → 502 on 3 of 3 attempts');
    await expect(api).rejects.toBeInstanceOf(GroupStopped);
    await expect(api).rejects.toThrow(/worker failed: GET https:\/\/x\/health → 502/);
    await expect(group.member('cron').arrive('change')).rejects.toBeInstanceOf(GroupStopped);
    expect(group.signal.aborted).toBe(true);
    expect(String(group.signal.reason)).toBe('worker failed: GET https://x/health → 502 on 3 of 3 attempts');
    expect(group.failed).toEqual({ unit: 'worker', reason: 'GET https://x/health → 502 on 3 of 3 attempts' });
    // The first failure is the one that counts.
    group.member('cron').fail('later');
    expect(group.failed?.unit).toBe('worker');
    expect(run.signal.aborted).toBe(false);
  });

  it("aborts with the run's own cancel too", () => {
    const run = new AbortController();
    const group = new ReleaseGroup(['a', 'b'], run.signal);
    run.abort('SIGINT');
    expect(group.member('a').signal.aborted).toBe(true);
  });

  it('refuses a unit listed twice', () => {
    expect(() => new ReleaseGroup(['a', 'a'])).toThrow(/listed twice/);
  });
});

describe('groupStateStore', () => {
  const state = (functionName: string): RolloutState => ({ functionName, alias: 'dev', toVersion: '2', toDescription: 'd', before: { version: '1', weights: {}, description: '' } });

  it('saves every shift in progress as one list, and clears it when the last ends', () => {
    const saved: unknown[] = [];
    const storeFor = groupStateStore({ save: () => saved.push('single'), clear: () => saved.push('clear'), saveUnits: (states) => saved.push(states.map((s) => s.functionName)) });
    const a = storeFor('a');
    const b = storeFor('b');
    a.save(state('a'));
    b.save(state('b'));
    a.clear();
    b.clear();
    b.clear();
    expect(saved).toEqual([['a'], ['a', 'b'], ['b'], []]);
  });
});
