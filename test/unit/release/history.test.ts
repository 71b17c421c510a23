import { describe, expect, it } from 'vitest';

import {
  ALIAS_DESCRIPTION_LIMIT,
  formatHistory,
  parseHistory,
  recordRelease,
  recordedCommit,
  returnTo,
  rollbackChain,
  rollbackTarget,
  type HistoryEntry,
} from '../../../src/release/history.js';

const at = (version: string, from?: string): HistoryEntry => ({
  version,
  commit: `c${version}`,
  releasedAt: 1763780000 + Number(version),
  ...(from !== undefined && { rolledBackFrom: from }),
});

const deployAfter = (history: HistoryEntry[], version: string) => recordRelease(history, history[0]?.version, at(version));
const rollBack = (history: HistoryEntry[]) => {
  const current = history[0]?.version ?? '';
  const target = rollbackTarget(history, current);
  if (target === undefined) throw new Error('no target');
  return returnTo(history, { version: current, weights: {} }, target);
};

describe('release history in the alias description', () => {
  it('round-trips releases, newest first, with the rollback marker', () => {
    const releases = [
      { version: '8', commit: 'abc1234', releasedAt: 1763780000, rolledBackFrom: '9' },
      { version: '9', commit: 'abc1235', releasedAt: 1763770000 },
      { version: '7', commit: '', releasedAt: 0 },
    ];
    const text = formatHistory(releases);
    expect(text).toBe('stage-deploy {"r":[["8","abc1234",1763780000,"9"],["9","abc1235",1763770000],["7","",0]]}');
    expect(parseHistory(text)).toEqual(releases);
  });

  it('drops the oldest releases to stay within Lambda\'s 256 characters', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ version: String(100 + i), commit: 'abcdef1', releasedAt: 1763780000 + i }));
    const text = formatHistory(many);
    expect(text.length).toBeLessThanOrEqual(ALIAS_DESCRIPTION_LIMIT);
    const kept = parseHistory(text);
    expect(kept.length).toBeGreaterThan(5);
    expect(kept).toEqual(many.slice(0, kept.length));
  });

  it('never drops the current release nor the one a rollback would go to, however far down it is', () => {
    // deploy 1..8, then six rollbacks: 2 runs, and every later version is marked; the way back is 1, at the bottom.
    let h: HistoryEntry[] = [];
    for (let v = 1; v <= 8; v++) h = deployAfter(h, String(v));
    for (let i = 0; i < 6; i++) h = rollBack(h);
    expect(h[0]?.version).toBe('2');
    expect(h).toHaveLength(14);
    expect(rollbackTarget(h, '2')?.version).toBe('1');
    const text = formatHistory(h);
    expect(text.length).toBeLessThanOrEqual(ALIAS_DESCRIPTION_LIMIT);
    const kept = parseHistory(text);
    expect(kept[0]).toEqual(h[0]);
    expect(rollbackTarget(kept, '2')?.version).toBe('1');
    expect(kept).toEqual([h[0], h[13]]);
  });

  it('reads any other description as no history', () => {
    expect(parseHistory(undefined)).toEqual([]);
    expect(parseHistory('made by terraform')).toEqual([]);
    expect(parseHistory('stage-deploy {not json')).toEqual([]);
    expect(parseHistory('stage-deploy {"r":5}')).toEqual([]);
  });

  it('drops malformed entries (non-numeric or absurd versions, wrong types, extra fields), with a warning', () => {
    const warnings: string[] = [];
    const text = `stage-deploy ${JSON.stringify({
      r: [['5', 'abc1234', 5], ['$LATEST', '', 0], ['12345678901', '', 0], [7, '', 0], ['4', 42, 0], ['3', '', 0, 'x'], ['2', '', 0, '1', 'more'], 'junk', ['1', 'abc', -5]],
    })}`;
    expect(parseHistory(text, (m) => warnings.push(m))).toEqual([
      { version: '5', commit: 'abc1234', releasedAt: 5 },
      { version: '1', commit: 'abc', releasedAt: 0 },
    ]);
    expect(warnings).toEqual(['7 malformed entries of the release history dropped.']);
  });

  it('reads a commit that is no SHA as unknown, with a warning that does not echo it', () => {
    const warnings: { message: string; version: string | undefined }[] = [];
    const bad = 'x'.repeat(220);
    const text = `stage-deploy {"r":[["3","${bad}",3],["2","ABCDEF0123456789",2]]}`;
    expect(parseHistory(text, (message, version) => warnings.push({ message, version }))).toEqual([
      { version: '3', commit: '', releasedAt: 3 },
      { version: '2', commit: 'abcdef0', releasedAt: 2 },
    ]);
    expect(warnings).toEqual([
      { message: 'the commit recorded for version 3 is not a commit SHA (220 characters, expected at most 40 hex digits): recorded as unknown.', version: '3' },
    ]);
  });

  it('records a commit as the first 7 of a hex SHA of at most 40; anything else as empty, with a warning', () => {
    const warnings: string[] = [];
    const warn = (m: string) => warnings.push(m);
    expect(recordedCommit('0123456789abcdef0123456789abcdef01234567', warn)).toBe('0123456');
    expect(recordedCommit('c0ffee1234', warn)).toBe('c0ffee1');
    expect(recordedCommit('', warn)).toBe('');
    expect(warnings).toEqual([]);
    expect(recordedCommit('0123456789abcdef0123456789abcdef012345678', warn)).toBe(''); // 41
    expect(recordedCommit('main', warn)).toBe('');
    expect(recordedCommit('abc"}]],"r":[', warn)).toBe('');
    expect(warnings).toHaveLength(3);
    // The same check on the way out: a 220-character commit never makes the history overflow.
    const text = formatHistory(
      [
        { version: '4', commit: 'f'.repeat(220), releasedAt: 4 },
        { version: '3', commit: 'abc1234', releasedAt: 3 },
      ],
      warn,
    );
    expect(parseHistory(text)).toEqual([
      { version: '4', commit: '', releasedAt: 4 },
      { version: '3', commit: 'abc1234', releasedAt: 3 },
    ]);
    expect(warnings).toHaveLength(4);
  });

  it('records the replaced version when the alias predates stage-deploy, and removes nothing', () => {
    expect(recordRelease([], '3', { version: '4', commit: 'c4', releasedAt: 4 })).toEqual([
      { version: '4', commit: 'c4', releasedAt: 4 },
      { version: '3', commit: '', releasedAt: 0 },
    ]);
    const history = [
      { version: '5', commit: 'c5', releasedAt: 5 },
      { version: '4', commit: 'c4', releasedAt: 4 },
    ];
    expect(recordRelease(history, '5', { version: '4', commit: 'c4b', releasedAt: 6 })).toEqual([{ version: '4', commit: 'c4b', releasedAt: 6 }, ...history]);
    expect(recordRelease([], undefined, { version: '1', commit: 'c1', releasedAt: 1 })).toEqual([{ version: '1', commit: 'c1', releasedAt: 1 }]);
  });
});

describe('where a plain rollback goes', () => {

  it('deploy 1, 2, 3; rollback → 2; rollback → 1; deploy 4; rollback → 1', () => {
    let h: HistoryEntry[] = [];
    for (const v of ['1', '2', '3']) h = deployAfter(h, v);
    h = rollBack(h);
    expect(h[0]).toMatchObject({ version: '2', rolledBackFrom: '3' });
    h = rollBack(h);
    expect(h[0]).toMatchObject({ version: '1', rolledBackFrom: '2' });
    expect(rollbackTarget(h, '1')).toBeUndefined();
    h = deployAfter(h, '4');
    h = rollBack(h);
    expect(h[0]).toMatchObject({ version: '1', rolledBackFrom: '4' });
    // Nothing was dropped: every release and rollback is on record.
    expect(h.map((r) => r.version)).toEqual(['1', '4', '1', '2', '3', '2', '1']);
    // And it survives the description.
    expect(parseHistory(formatHistory(h))).toEqual(h);
  });

  it('a version released again after a rollback from it counts again', () => {
    let h: HistoryEntry[] = [];
    for (const v of ['1', '2']) h = deployAfter(h, v);
    h = rollBack(h); // → 1, from 2
    h = deployAfter(h, '2'); // 2 fixed and released again
    h = deployAfter(h, '3');
    expect(rollbackTarget(h, '3')?.version).toBe('2');
  });

  it('status lists the successive rollbacks, without repeats', () => {
    let h: HistoryEntry[] = [];
    for (const v of ['1', '2', '3']) h = deployAfter(h, v);
    h = rollBack(h);
    expect(rollbackChain(h, '2').map((r) => r.version)).toEqual(['1']);
    h = deployAfter(h, '4');
    expect(rollbackChain(h, '4').map((r) => r.version)).toEqual(['2', '1']);
  });
});
