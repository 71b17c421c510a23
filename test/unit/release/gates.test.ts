import { describe, expect, it } from 'vitest';

import type { AlarmState } from '../../../src/model/lambda.js';
import type { GateReading } from '../../../src/model/results.js';
import { judgeGates } from '../../../src/release/gates.js';

const reading = (over: Partial<GateReading> = {}): GateReading => ({ atMs: 10_000, alarms: [], ...over });
const alarm = (name: string, state: AlarmState['state'], reason?: string): AlarmState => ({ name, state, ...(reason !== undefined && { reason }) });

describe('the gate verdict', () => {
  it('passes with nothing to judge, and with every alarm OK or short of data', () => {
    expect(judgeGates(reading(), { version: '2' })).toEqual({ ok: true });
    expect(judgeGates(reading({ alarms: [alarm('notes-5xx', 'OK'), alarm('notes-p99', 'INSUFFICIENT_DATA')] }), { version: '2' })).toEqual({ ok: true });
  });

  it('an alarm in ALARM fails, with its reason', () => {
    const verdict = judgeGates(reading({ alarms: [alarm('notes-5xx', 'ALARM', 'Threshold Crossed: 5 datapoints')] }), { version: '2' });
    expect(verdict).toEqual({ ok: false, reason: 'alarm notes-5xx is in ALARM (Threshold Crossed: 5 datapoints)' });
  });

  it('names every alarm that fires, and only those', () => {
    const alarms = [alarm('a', 'ALARM', 'r1'), alarm('b', 'OK'), alarm('c', 'ALARM')];
    expect(judgeGates(reading({ alarms }), { version: '2' })).toEqual({ ok: false, reason: 'alarm a is in ALARM (r1), c is in ALARM' });
  });

  it('an alarm is the reason even when the error rate is over too', () => {
    const verdict = judgeGates(reading({ alarms: [alarm('notes-5xx', 'ALARM')], errors: 10, invocations: 10 }), { version: '2', maxErrorRate: 0.01 });
    expect(verdict).toEqual({ ok: false, reason: 'alarm notes-5xx is in ALARM' });
  });

  it('an error rate above max-error-rate fails, with the numbers', () => {
    expect(judgeGates(reading({ errors: 3, invocations: 40 }), { version: '2', maxErrorRate: 0.01 })).toEqual({
      ok: false,
      reason: 'version 2: 3 errors in 40 invocations (7.5%), above max-error-rate 1%',
    });
    expect(judgeGates(reading({ errors: 1, invocations: 800 }), { version: '9', maxErrorRate: 0.001 })).toEqual({
      ok: false,
      reason: 'version 9: 1 errors in 800 invocations (0.13%), above max-error-rate 0.1%',
    });
  });

  it('a rate exactly at max-error-rate passes; just above it fails', () => {
    expect(judgeGates(reading({ errors: 1, invocations: 100 }), { version: '2', maxErrorRate: 0.01 })).toEqual({ ok: true });
    expect(judgeGates(reading({ errors: 2, invocations: 100 }), { version: '2', maxErrorRate: 0.01 }).ok).toBe(false);
  });

  it('max-error-rate 0 fails on any error', () => {
    expect(judgeGates(reading({ errors: 1, invocations: 1000 }), { version: '2', maxErrorRate: 0 })).toEqual({
      ok: false,
      reason: 'version 2: 1 errors in 1000 invocations (0.1%), above max-error-rate 0%',
    });
    expect(judgeGates(reading({ errors: 0, invocations: 1000 }), { version: '2', maxErrorRate: 0 })).toEqual({ ok: true });
  });

  it('no invocations is no evidence; errors without max-error-rate are not judged', () => {
    expect(judgeGates(reading({ errors: 5, invocations: 0 }), { version: '2', maxErrorRate: 0.01 })).toEqual({ ok: true });
    expect(judgeGates(reading({ errors: 5 }), { version: '2', maxErrorRate: 0.01 })).toEqual({ ok: true });
    expect(judgeGates(reading({ errors: 40, invocations: 40 }), { version: '2' })).toEqual({ ok: true });
  });
});
