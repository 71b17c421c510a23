import { describe, expect, it } from 'vitest';

import { configurationChange, desiredSettings, isUnchanged, loggingFor, settingsDifferences } from '../../../src/release/change-check.js';
import type { FunctionVersionState } from '../../../src/model/lambda.js';
import type { StageSettings } from '../../../src/model/settings.js';

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
      logging: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' },
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

  it('log-level reaches Lambda\'s LoggingConfig: WARNING→WARN, CRITICAL→FATAL, the system level at most WARN', () => {
    expect(loggingFor('ERROR', 'json')).toEqual({ logFormat: 'JSON', applicationLogLevel: 'ERROR', systemLogLevel: 'WARN' });
    expect(loggingFor('WARNING', 'json')).toEqual({ logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' });
    expect(loggingFor('CRITICAL', 'json')).toEqual({ logFormat: 'JSON', applicationLogLevel: 'FATAL', systemLogLevel: 'WARN' });
    expect(loggingFor('DEBUG', 'json')).toEqual({ logFormat: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: 'DEBUG' });
    expect(loggingFor('TRACE', 'json')).toEqual({ logFormat: 'JSON', applicationLogLevel: 'TRACE', systemLogLevel: 'DEBUG' });
    expect(loggingFor('INFO', 'text')).toEqual({ logFormat: 'Text' });
    expect(loggingFor(undefined, 'json')).toBeUndefined();
  });

  it('compares LoggingConfig with the live version (none reported counts as Text)', () => {
    const error = desiredSettings(stage({ logLevel: 'ERROR', environment: {} }));
    const withLogging = (logging: FunctionVersionState['logging']) => version({ environment: { LOG_LEVEL: 'ERROR' }, ...(logging !== undefined && { logging }) });
    expect(settingsDifferences(error, withLogging({ logFormat: 'JSON', applicationLogLevel: 'ERROR', systemLogLevel: 'WARN' }))).toEqual([]);
    expect(settingsDifferences(error, withLogging({ logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' }))).toEqual(['logging-config']);
    expect(settingsDifferences(error, withLogging(undefined))).toEqual(['logging-config']);
    const text = desiredSettings(stage({ logLevel: 'ERROR', logFormat: 'text', environment: {} }));
    expect(settingsDifferences(text, withLogging(undefined))).toEqual([]);
    expect(configurationChange(text, withLogging({ logFormat: 'JSON', applicationLogLevel: 'ERROR' }))).toEqual({ logging: { logFormat: 'Text' } });
  });
});
