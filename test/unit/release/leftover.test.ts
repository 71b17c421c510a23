import { describe, expect, it } from 'vitest';

import type { AliasState } from '../../../src/model/lambda.js';
import type { RolloutState } from '../../../src/model/ports.js';
import { isRolloutState, judgeLeftover } from '../../../src/release/leftover.js';

const state = (over: Partial<RolloutState> = {}): RolloutState => ({
  functionName: 'notes-api',
  alias: 'prod',
  toVersion: '3',
  toDescription: 'history: 3',
  before: { version: '2', weights: {}, description: 'history: 2' },
  ...over,
});
const alias = (version: string, weights: Record<string, number> = {}, description = 'history: 2'): AliasState => ({
  name: 'prod',
  arn: 'arn:aws:lambda:us-east-1:123456789012:function:notes-api:prod',
  version,
  weights,
  description,
});

describe('judging the alias a dead main step left (the post step)', () => {
  it('restores a canary step in flight: the old primary, weights only on the new version, in (0, 1)', () => {
    expect(judgeLeftover(state(), alias('2', { '3': 0.1 }))).toEqual({ action: 'restore', found: '10% on version 3' });
    expect(judgeLeftover(state(), alias('2', { '3': 0.99 }))).toMatchObject({ action: 'restore' });
  });

  it('restores the last step done: the new version, no weights, the description the shift wrote', () => {
    expect(judgeLeftover(state(), alias('3', {}, 'history: 3'))).toEqual({ action: 'restore', found: 'on version 3' });
  });

  it('does nothing when the alias is already as it was', () => {
    expect(judgeLeftover(state(), alias('2'))).toEqual({ action: 'none' });
    expect(judgeLeftover(state(), alias('2', { '3': 0 }))).toEqual({ action: 'none' });
    expect(judgeLeftover(state({ before: { version: '2', weights: { '1': 0.2 }, description: 'd' } }), alias('2', { '1': 0.2 }, 'd'))).toEqual({ action: 'none' });
  });

  it.each([
    ['moved on by someone else', alias('4', {}, 'history: 4')],
    ['on the new version with another description', alias('3', {}, 'history: 2')],
    ['on the new version with weights', alias('3', { '2': 0.5 }, 'history: 3')],
    ['a split with another description', alias('2', { '3': 0.1 }, 'changed')],
    ['a split on another version', alias('2', { '4': 0.1 })],
    ['a split with two versions', alias('2', { '3': 0.1, '4': 0.1 })],
    ['a split of weight 1', alias('2', { '3': 1 })],
    ['another primary with the new version weighted', alias('1', { '3': 0.1 })],
  ])('leaves an alias %s alone', (_, found) => {
    expect(judgeLeftover(state(), found)).toMatchObject({ action: 'refuse' });
  });

  it('refuses a version that was never shifted (the alias is on another)', () => {
    expect(judgeLeftover(state({ toVersion: '7', toDescription: 'history: 7' }), alias('3', {}, 'history: 3'))).toEqual({
      action: 'refuse',
      reason: 'it is on version 3, not as the shift from version 2 to 7 left it',
    });
    expect(judgeLeftover(state({ toVersion: '2' }), alias('2', { '1': 0.5 }))).toMatchObject({ action: 'refuse' });
  });

  it('refuses an alias that no longer exists (there is nothing to put back)', () => {
    expect(judgeLeftover(state(), undefined)).toEqual({ action: 'refuse', reason: 'it does not exist' });
  });

  it('deletes only an alias exactly as its first release created it', () => {
    const first = state({ before: null });
    expect(judgeLeftover(first, alias('3', {}, 'history: 3'))).toEqual({ action: 'delete' });
    expect(judgeLeftover(first, undefined)).toEqual({ action: 'none' });
    expect(judgeLeftover(first, alias('3', {}, 'someone else'))).toEqual({
      action: 'refuse',
      reason: 'it is on version 3, not as the first release of version 3 created it',
    });
    expect(judgeLeftover(first, alias('2', {}, 'history: 3'))).toMatchObject({ action: 'refuse' });
    expect(judgeLeftover(first, alias('3', { '2': 0.5 }, 'history: 3'))).toEqual({
      action: 'refuse',
      reason: 'it is on version 3 (50% on 2), not as the first release of version 3 created it',
    });
  });
});

describe('the saved state shape', () => {
  it('accepts what a rollout saves', () => {
    expect(isRolloutState(state())).toBe(true);
    expect(isRolloutState(state({ before: null, region: 'eu-west-1' }))).toBe(true);
    expect(isRolloutState(state({ role: 'arn:aws:iam::210987654321:role/deployer' }))).toBe(true);
  });

  it.each([
    ['null', null],
    ['a string', 'x'],
    ['no toDescription', { functionName: 'f', alias: 'a', toVersion: '1', before: null }],
    ['an empty alias', { ...state(), alias: '' }],
    ['a region that is not a string', { ...state(), region: 3 }],
    ['a role that is not a string', { ...state(), role: { arn: 'x' } }],
    ['an empty role', { ...state(), role: '' }],
    ['no before', { functionName: 'f', alias: 'a', toVersion: '1', toDescription: '' }],
    ['weights that are not numbers', { ...state(), before: { version: '1', weights: { '2': '0.5' }, description: '' } }],
    ['weights that are an array', { ...state(), before: { version: '1', weights: [], description: '' } }],
  ])('refuses %s', (_, value) => {
    expect(isRolloutState(value)).toBe(false);
  });
});
