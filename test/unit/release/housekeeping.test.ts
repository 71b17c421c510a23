import { describe, expect, it } from 'vitest';

import { housekeeping, versionsToDelete } from '../../../src/release/housekeeping.js';
import { formatHistory } from '../../../src/release/history.js';
import { type AliasState, functionLogGroup } from '../../../src/model/lambda.js';
import { FakeLambda, RecordingLog } from '../fakes.js';
import type { StageSettings } from '../../../src/model/settings.js';
import type { LogGroupGateway } from '../../../src/model/ports.js';
const alias = (name: string, version: string, over: Partial<AliasState> = {}): AliasState => ({
  name,
  arn: `arn:${name}`,
  version,
  description: '',
  weights: {},
  ...over,
});
const history = (...versions: string[]) => formatHistory(versions.map((version) => ({ version, commit: 'c', releasedAt: 1 })));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

describe('keep-versions', () => {
  it('deletes versions beyond the newest N that no alias refers to', () => {
    expect(versionsToDelete(range(1, 10), [alias('dev', '10')], 3)).toEqual(['7', '6', '5', '4', '3', '2', '1']);
  });

  it('always keeps an alias\'s version, its weights and its previous release, whatever their age', () => {
    const aliases = [
      alias('dev', '10', { description: history('10', '4') }),
      alias('prod', '2', { weights: { '3': 0.1 } }),
    ];
    expect(versionsToDelete(range(1, 10), aliases, 3)).toEqual(['7', '6', '5', '1']);
  });

  it('after a rollback, keeps where the next rollback goes, not only the entry before', () => {
    // deploy 1, 2, 3; rollback → 2 (from 3): the next rollback goes to 1.
    const description = formatHistory([
      { version: '2', commit: 'c', releasedAt: 4, rolledBackFrom: '3' },
      { version: '3', commit: 'c', releasedAt: 3 },
      { version: '2', commit: 'c', releasedAt: 2 },
      { version: '1', commit: 'c', releasedAt: 1 },
    ]);
    expect(versionsToDelete(range(1, 10), [alias('prod', '2', { description })], 3)).not.toContain('1');
  });

  it('orders versions by number, not as text, and never touches $LATEST', () => {
    expect(versionsToDelete(['$LATEST', '9', '10', '11', '100'], [alias('dev', '100')], 2)).toEqual(['10', '9']);
  });

  it('runs after a release: deletes through the gateway, reports what it deleted', async () => {
    const lambda = new FakeLambda();
    for (const v of range(1, 6)) lambda.versions.push({ ...lambda.latest, version: v });
    lambda.aliases.set('dev', alias('dev', '6', { description: history('6', '5') }));
    const log = new RecordingLog();
    const logs: LogGroupGateway = { ensureRetention: async () => 'unchanged' };
    const settings = { stage: 'dev', functionName: 'notes-api', keepVersions: 2 } as StageSettings;
    const report = await housekeeping(settings, { lambda, logs }, log);
    expect(report.deleted).toEqual(['4', '3', '2', '1']);
    expect(lambda.versions.map((v) => v.version)).toEqual(['5', '6']);
    expect(log.lines).toContain('info: keep-versions 2: deleted versions 4, 3, 2, 1 of notes-api.');
  });

  it('a failure to delete is a warning, never a failed release', async () => {
    const lambda = new FakeLambda();
    for (const v of range(1, 3)) lambda.versions.push({ ...lambda.latest, version: v });
    lambda.failWhen = (op) => op === 'deleteVersion';
    const log = new RecordingLog();
    const report = await housekeeping({ stage: 'dev', functionName: 'notes-api', keepVersions: 1 } as StageSettings, { lambda, logs: { ensureRetention: async () => 'unchanged' } }, log);
    expect(report.deleted).toEqual([]);
    expect(log.lines).toContain('warn: keep-versions: old versions of notes-api were not all deleted: deleteVersion failed (injected)');
  });
});

describe('log-retention-days', () => {
  it('sets the retention of the function\'s log group, or the one its LoggingConfig names', async () => {
    const lambda = new FakeLambda();
    const asked: string[] = [];
    const logs: LogGroupGateway = {
      ensureRetention: async (group, days) => {
        asked.push(`${group}:${days}`);
        return 'created';
      },
    };
    const log = new RecordingLog();
    const settings = { stage: 'dev', functionName: 'notes-api', logRetentionDays: 7 } as StageSettings;
    expect((await housekeeping(settings, { lambda, logs }, log)).retention).toEqual({ logGroup: '/aws/lambda/notes-api', days: 7, outcome: 'created' });
    lambda.latest.logging = { logFormat: 'JSON', logGroup: '/custom/notes' };
    await housekeeping(settings, { lambda, logs }, log);
    expect(asked).toEqual(['/aws/lambda/notes-api:7', '/custom/notes:7']);
  });

});

describe('functionLogGroup', () => {
  it("is Lambda's default group of the function's name", () => {
    expect(functionLogGroup('notes-api')).toBe('/aws/lambda/notes-api');
    expect(functionLogGroup('notes-api:prod')).toBe('/aws/lambda/notes-api');
    expect(functionLogGroup('arn:aws:lambda:us-east-1:123456789012:function:notes-api')).toBe('/aws/lambda/notes-api');
    expect(functionLogGroup('arn:aws:lambda:us-east-1:123456789012:function:notes-api:7')).toBe('/aws/lambda/notes-api');
    expect(functionLogGroup('123456789012:function:notes-api')).toBe('/aws/lambda/notes-api');
    expect(functionLogGroup('notes-api', { logFormat: 'JSON' })).toBe('/aws/lambda/notes-api');
  });

  it('is the log group Lambda reports when there is one', () => {
    expect(functionLogGroup('notes-api', { logFormat: 'Text', logGroup: '/custom/notes' })).toBe('/custom/notes');
    expect(
      functionLogGroup('arn:aws:lambda:us-east-1:123456789012:function:notes-api', {
        logFormat: 'JSON',
        applicationLogLevel: 'ERROR',
        logGroup: '/shared/api-logs',
      }),
    ).toBe('/shared/api-logs');
  });
});

