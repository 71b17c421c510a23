import { describe, expect, it } from 'vitest';

import { ALIAS_DESCRIPTION_LIMIT, formatHistory, parseHistory, recordRelease } from '../../../src/release/history.js';

describe('release history in the alias description', () => {
  it('round-trips releases, newest first', () => {
    const releases = [
      { version: '8', commit: 'abc1234', releasedAt: 1763780000 },
      { version: '7', commit: '', releasedAt: 0 },
    ];
    const text = formatHistory(releases);
    expect(text).toBe('stage-deploy {"r":[["8","abc1234",1763780000],["7","",0]]}');
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

  it('reads any other description as no history', () => {
    expect(parseHistory(undefined)).toEqual([]);
    expect(parseHistory('made by terraform')).toEqual([]);
    expect(parseHistory('stage-deploy {not json')).toEqual([]);
    expect(parseHistory('stage-deploy {"r":5}')).toEqual([]);
  });

  it('records the replaced version when the alias predates stage-deploy, and never lists a version twice', () => {
    expect(recordRelease([], '3', { version: '4', commit: 'c4', releasedAt: 4 })).toEqual([
      { version: '4', commit: 'c4', releasedAt: 4 },
      { version: '3', commit: '', releasedAt: 0 },
    ]);
    const history = [
      { version: '5', commit: 'c5', releasedAt: 5 },
      { version: '4', commit: 'c4', releasedAt: 4 },
    ];
    expect(recordRelease(history, '5', { version: '4', commit: 'c4b', releasedAt: 6 })).toEqual([
      { version: '4', commit: 'c4b', releasedAt: 6 },
      { version: '5', commit: 'c5', releasedAt: 5 },
    ]);
    expect(recordRelease([], undefined, { version: '1', commit: 'c1', releasedAt: 1 })).toEqual([{ version: '1', commit: 'c1', releasedAt: 1 }]);
  });
});
