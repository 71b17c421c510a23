import { describe, expect, it } from 'vitest';

import type { ReleasePlan } from '../../../src/model/plan.js';
import { planSteps } from '../../../src/report/plan.js';

const rollbackTo = (version: string, from: string): ReleasePlan => ({
  command: 'rollback',
  stage: 'prod',
  functionName: 'notes-api',
  alias: 'prod',
  from,
  target: { kind: 'existing', version, codeSha256: 'abc=', reason: 'rollback' },
  traffic: { kind: 'all-at-once' },
  progressive: false,
  smoke: { method: 'GET', url: 'https://api.example.com/health' },
  history: { kind: 'return' },
});

describe('a plan in words', () => {
  it('says a rollback that only clears a split stays on its version', () => {
    expect(planSteps(rollbackTo('2', '2'))).toEqual([
      'clear the traffic split of alias prod: it stays on version 2',
      'smoke-test GET https://api.example.com/health; on failure, put the alias back',
    ]);
  });

  it('says where a rollback moves the alias', () => {
    expect(planSteps(rollbackTo('1', '2'))[0]).toBe('shift alias prod from version 2 to version 1');
  });
});
