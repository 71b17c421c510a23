import { describe, expect, it } from 'vitest';

import { configurationChange, desiredSettings, isUnchanged, settingsDifferences } from '../../src/change-check.js';
import type { FunctionVersionState, StageSettings } from '../../src/types.js';

const version = (over: Partial<FunctionVersionState> = {}): FunctionVersionState => ({
  functionArn: 'arn',
  functionName: 'fn',
  version: '3',
  codeSha256: 'abc=',
  codeSize: 1,
  environment: { KEEP: 'me', TABLE: 'notes-dev' },
  memorySize: 128,
  timeoutSeconds: 3,
  description: '',
  ...over,
});

const stage = (over: Partial<StageSettings>): StageSettings => ({
  stage: 'dev',
  functionName: 'fn',
  alias: 'dev',
  s3Prefix: '',
  logFormat: 'json',
  environment: {},
  traffic: { kind: 'all-at-once' },
  alarms: [],
  bakeMs: 0,
  ...over,
});

describe('the change check', () => {
  it('LOG_LEVEL from log-level wins over an environment entry of the same name', () => {
    expect(desiredSettings(stage({ logLevel: 'ERROR', environment: { LOG_LEVEL: 'DEBUG', A: '1' } })).environment).toEqual({
      LOG_LEVEL: 'ERROR',
      A: '1',
    });
  });

  it('names only the settings that differ', () => {
    const desired = desiredSettings(stage({ environment: { TABLE: 'notes-prod' }, memorySize: 512, timeoutSeconds: 3 }));
    expect(settingsDifferences(desired, version())).toEqual(['environment.TABLE', 'memory-size']);
  });

  it('merges environment into the live variables, never wiping one it does not name', () => {
    const desired = desiredSettings(stage({ environment: { TABLE: 'notes-prod' }, logLevel: 'WARNING' }));
    expect(configurationChange(desired, version())).toEqual({
      environment: { KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'WARNING' },
    });
  });

  it('changes nothing when $LATEST already carries the settings', () => {
    expect(configurationChange(desiredSettings(stage({ environment: { TABLE: 'notes-dev' } })), version())).toBeUndefined();
    expect(configurationChange(desiredSettings(stage({ timeoutSeconds: 30 })), version())).toEqual({ timeoutSeconds: 30 });
  });

  it('is unchanged only for the same code with the same named settings', () => {
    const desired = desiredSettings(stage({ environment: { TABLE: 'notes-dev' } }));
    expect(isUnchanged('abc=', desired, version())).toBe(true);
    expect(isUnchanged('xyz=', desired, version())).toBe(false);
    expect(isUnchanged('abc=', desiredSettings(stage({ logLevel: 'INFO' })), version())).toBe(false);
    expect(isUnchanged('abc=', desired, undefined)).toBe(false);
  });
});
