import { describe, expect, it } from 'vitest';
import { describeValue, parseDuration } from '../../../src/stages/durations.js';
import { formatDuration } from '../../../src/report/format.js';
import { expectInputError } from './fixtures.js';

/** The call throws an InputError whose message is exactly `message`. */
describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['2s', 2000],
    ['1.5s', 1500],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['0s', 0],
    [' 2s ', 2000],
    ['10', 10_000],
    ['0.25', 250],
    [10, 10_000],
    [0.5, 500],
    [0, 0],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseDuration(value, 'field')).toBe(ms);
  });

  it('names the field and quotes a string value', () => {
    expectInputError(
      () => parseDuration('5 minutes', 'stages.prod.smoke.interval'),
      'stages.prod.smoke.interval: "5 minutes" is not a duration (use 500ms, 2s or 5m)',
    );
  });

  it.each([
    [-1, 'bake: -1 is not a duration (use 500ms, 2s or 5m)'],
    [true, 'bake: true is not a duration (use 500ms, 2s or 5m)'],
    [null, 'bake: null is not a duration (use 500ms, 2s or 5m)'],
    [Number.NaN, 'bake: NaN is not a duration (use 500ms, 2s or 5m)'],
    [[2], 'bake: [2] is not a duration (use 500ms, 2s or 5m)'],
    ['', 'bake: "" is not a duration (use 500ms, 2s or 5m)'],
    ['2d', 'bake: "2d" is not a duration (use 500ms, 2s or 5m)'],
    ['-5s', 'bake: "-5s" is not a duration (use 500ms, 2s or 5m)'],
    ['5M', 'bake: "5M" is not a duration (use 500ms, 2s or 5m)'],
    ['s', 'bake: "s" is not a duration (use 500ms, 2s or 5m)'],
  ])('rejects %j', (value, message) => {
    expectInputError(() => parseDuration(value, 'bake'), message);
  });
});

describe('formatDuration', () => {
  it.each([
    [2000, '2s'],
    [500, '500ms'],
    [300_000, '5m'],
    [1500, '1.5s'],
    [3_600_000, '1h'],
    [5_400_000, '90m'],
    [90_000, '90s'],
    [1001, '1.001s'],
    [0, '0s'],
  ])('formats %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [0, 1, 999, 1000, 1234, 59_999, 60_000, 61_000, 3_600_000, 86_400_000]) {
      expect(parseDuration(formatDuration(ms), 'x')).toBe(ms);
    }
  });
});

describe('describeValue', () => {
  it('quotes strings and writes numbers, booleans and lists as written', () => {
    expect(describeValue('5 minutes')).toBe('"5 minutes"');
    expect(describeValue(8)).toBe('8');
    expect(describeValue(0.01)).toBe('0.01');
    expect(describeValue(false)).toBe('false');
    expect(describeValue(null)).toBe('null');
    expect(describeValue([200, 'x'])).toBe('[200,"x"]');
  });

  it('cuts long values short', () => {
    const text = describeValue('x'.repeat(200));
    expect(text.length).toBe(80);
    expect(text.endsWith('...')).toBe(true);
  });
});
