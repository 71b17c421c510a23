/** release/group-history.ts: one history for a release of several functions. */
import { describe, expect, it } from 'vitest';

import { groupRollbackTargets, recordUnchanged } from '../../../src/release/group-history.js';
import { recordRelease, returnTo, type HistoryEntry } from '../../../src/release/history.js';

/** A stage of two functions released as one, each release at time `at`, with `versions` per function. */
function releaseAll(histories: HistoryEntry[][], versions: (string | undefined)[], at: number, current: string[]): { histories: HistoryEntry[][]; current: string[] } {
  const next = histories.map((history, i) => {
    const to = versions[i];
    const now = current[i] as string;
    if (to === undefined) return recordUnchanged(history, now, { version: now, commit: 'abc1234', releasedAt: at }, 'record');
    return recordRelease(history, now, { version: to, commit: 'abc1234', releasedAt: at });
  });
  return { histories: next, current: versions.map((v, i) => v ?? (current[i] as string)) };
}

function rollbackAll(histories: HistoryEntry[][], current: string[], at: number): { histories: HistoryEntry[][]; current: string[] } {
  const units = histories.map((history, i) => ({ current: current[i] as string, history }));
  const targets = groupRollbackTargets(units);
  if (targets === undefined) throw new Error('no target');
  const next = histories.map((history, i) => {
    const to = (targets[i] as HistoryEntry).version;
    const now = current[i] as string;
    if (to === now) return recordUnchanged(history, now, { version: now, commit: '', releasedAt: at }, 'return');
    return returnTo(history, { version: now, weights: {} }, { version: to, commit: '', releasedAt: at });
  });
  return { histories: next, current: targets.map((t) => t.version) };
}

describe('groupRollbackTargets', () => {
  it('release 1 (A1, B1), release 2 changes only A (A2, B1): rollback returns to A1, B1, not to B\'s older version', () => {
    let stage = releaseAll([[], []], ['1', '1'], 100, ['0', '0']);
    stage = releaseAll(stage.histories, ['2', undefined], 200, stage.current);
    const targets = groupRollbackTargets(stage.histories.map((history, i) => ({ current: stage.current[i] as string, history })));
    expect(targets?.map((t) => t.version)).toEqual(['1', '1']);
  });

  it('a second rollback goes further back, not forth (the rollback marks the release it left)', () => {
    let stage = releaseAll([[], []], ['1', '1'], 100, ['0', '0']);
    stage = releaseAll(stage.histories, ['2', '2'], 200, stage.current);
    stage = releaseAll(stage.histories, ['3', undefined], 300, stage.current);
    stage = rollbackAll(stage.histories, stage.current, 400);
    expect(stage.current).toEqual(['2', '2']);
    stage = rollbackAll(stage.histories, stage.current, 500);
    expect(stage.current).toEqual(['1', '1']);
    stage = rollbackAll(stage.histories, stage.current, 600);
    expect(stage.current).toEqual(['0', '0']);
  });

  it('offers nothing where the rows do not line up (a release recorded in one alias only)', () => {
    const a = recordRelease(recordRelease([], '0', { version: '1', commit: '', releasedAt: 100 }), '1', { version: '2', commit: '', releasedAt: 200 });
    const b = recordRelease([], '0', { version: '1', commit: '', releasedAt: 100 });
    expect(groupRollbackTargets([{ current: '2', history: a }, { current: '1', history: b }])).toBeUndefined();
  });

  it('offers nothing without an earlier release', () => {
    const a = recordRelease([], undefined, { version: '1', commit: '', releasedAt: 100 });
    expect(groupRollbackTargets([{ current: '1', history: a }, { current: '1', history: a }])).toBeUndefined();
  });
});
