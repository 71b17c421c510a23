import { describe, expect, it } from 'vitest';

import { diagnose, streamPrefixes, tellingLines } from '../../../src/release/diagnosis.js';
import type { LogEvent } from '../../../src/model/lambda.js';
import { RecordingLog } from '../fakes.js';
import type { StageSettings } from '../../../src/model/settings.js';
import type { LogReader, ReportMetrics } from '../../../src/model/ports.js';
import { diagnosisLog, renderDiagnosis } from '../../../src/report/diagnosis.js';

const event = (message: string, i = 0): LogEvent => ({ timestamp: 1000 + i, message, logStream: '2026/11/22/[8]abc' });
const uncaught =
  '2026-11-22T10:00:00.000Z\tundefined\tERROR\tUncaught Exception \t{"errorType":"ReferenceError","errorMessage":"gibberish is not defined","stack":["ReferenceError: gibberish is not defined"]}';
const report = 'REPORT RequestId: 1f2e\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: error\tError Type: Runtime.Unknown';

describe('the telling lines of a failed version', () => {
  it('puts the uncaught exception first, counts repeats, keeps failed REPORT lines and drops the noise', () => {
    const events = [
      event('START RequestId: 1f2e Version: 8', 0),
      event(uncaught, 1),
      event('END RequestId: 1f2e', 2),
      event(report, 3),
      event(uncaught, 4),
      event('REPORT RequestId: 9\tDuration: 2.00 ms\tBilled Duration: 2 ms', 5),
      event('2026-11-22T10:00:01.000Z\t9c1\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"Cannot read properties of undefined"}', 6),
      event('2026-11-22T10:00:02.000Z 9c1 Task timed out after 3.00 seconds', 7),
      event('2026-11-22T10:00:00.000Z\t9c1\tINFO\tlistening', 8),
    ];
    expect(tellingLines(events)).toEqual([
      'ReferenceError: gibberish is not defined (×2)',
      'TypeError: Cannot read properties of undefined',
      'Task timed out after 3.00 seconds',
      'REPORT Status: error (Runtime.Unknown)',
    ]);
  });

  it('names a version\'s log streams per UTC day of the window', () => {
    expect(streamPrefixes('8', new Date('2026-11-21T23:59:00Z'), new Date('2026-11-22T00:01:00Z'))).toEqual(['2026/11/21/[8]', '2026/11/22/[8]']);
  });
});

const settings = { stage: 'dev', functionName: 'notes-api', alias: 'dev', api: { id: 'a1b2c3', stage: 'dev' } } as StageSettings;
const metrics: ReportMetrics = {
  functionReport: async () => ({ invocations: 3, errors: 3, throttles: 0, durationP95Ms: 41.6 }),
  apiReport: async () => ({ errors4xx: 0, errors5xx: 3, latencyP95Ms: 52 }),
};

describe('diagnose', () => {
  it('reads the version\'s streams, retrying briefly until the logs arrive', async () => {
    const asked: string[][] = [];
    let calls = 0;
    const logs: LogReader = {
      recentEvents: async (group, prefixes) => {
        asked.push([group, ...prefixes]);
        return ++calls < 3 ? [] : [event(uncaught)];
      },
    };
    const sleeps: number[] = [];
    const d = await diagnose(
      { settings, version: '8', since: new Date('2026-11-22T10:00:00Z'), until: new Date('2026-11-22T10:01:00Z') },
      { logs, metrics, log: new RecordingLog(), clock: { now: () => Date.parse('2026-11-22T10:01:00Z'), sleep: async (ms: number) => void sleeps.push(ms) }, logRetryMs: 500 },
    );
    expect(d.lines).toEqual(['ReferenceError: gibberish is not defined']);
    expect(asked[0]).toEqual(['/aws/lambda/notes-api', '2026/11/22/[8]']);
    expect(sleeps).toEqual([500, 500]);
    expect(d.metrics).toEqual({ invocations: 3, errors: 3, throttles: 0, durationP95Ms: 41.6 });
    expect(d.api).toEqual({ id: 'a1b2c3', stage: 'dev', errors4xx: 0, errors5xx: 3, latencyP95Ms: 52 });

    const markdown = renderDiagnosis(d);
    expect(markdown).toContain('```text\nReferenceError: gibberish is not defined\n```');
    expect(markdown).toContain('| version 8 | 3 | 3 | 0 | 42 ms |');
    expect(markdown).toContain('| a1b2c3 (dev) | 0 | 3 | 52 ms |');
    expect(diagnosisLog(d)).toContain('  ReferenceError: gibberish is not defined');
  });

  it('says plainly when the logs were empty, and when they or the metrics cannot be read', async () => {
    const window = { since: new Date('2026-11-22T10:00:00Z'), until: new Date('2026-11-22T10:01:00Z') };
    const empty = await diagnose({ settings, version: '8', ...window }, { logs: { recentEvents: async () => [] }, metrics, log: new RecordingLog(), clock: { now: () => Date.parse('2026-11-22T10:01:00Z'), sleep: async () => {} }, logTries: 2 });
    expect(empty.lines).toEqual([]);
    expect(empty.logsNote).toBe('the logs were empty: no lines from version 8 in /aws/lambda/notes-api yet');
    expect(renderDiagnosis(empty)).toContain('_the logs were empty: no lines from version 8 in /aws/lambda/notes-api yet_');

    const broken = await diagnose(
      { settings, version: '8', ...window },
      {
        logs: { recentEvents: async () => Promise.reject(new Error('AccessDenied')) },
        metrics: { ...metrics, functionReport: async () => Promise.reject(new Error('throttled')) },
        log: new RecordingLog(),
        clock: { now: () => Date.parse('2026-11-22T10:01:00Z'), sleep: async () => {} },
      },
    );
    expect(broken.logsNote).toBe('the logs of /aws/lambda/notes-api could not be read: AccessDenied');
    expect(broken.metricsNote).toBe('the metrics could not be read: throttled');
  });
});
