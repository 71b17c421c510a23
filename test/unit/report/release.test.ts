/**
 * A release of several units (functions × regions), reported: the `release` output, the status
 * over every unit, the log's closing line and failure annotation, the one summary (one table, one
 * picture), and `status` with a row per function and region. Results are built by hand.
 */
import { describe, expect, it } from 'vitest';

import type { Diagnosis, NotShifted, Released, ReleaseResult, Reverted, StageStatus, Stranded, Unchanged } from '../../../src/model/results.js';
import {
  failedUnit,
  releaseClosingLine,
  releaseEntries,
  releaseFailure,
  releaseOutput,
  releaseStatus,
  releaseSucceeded,
  statusReleaseOutput,
  unitRegion,
  type UnitOutcome,
} from '../../../src/report/release.js';
import { renderReleaseSummary, RELEASE_SUMMARY_CAPS } from '../../../src/report/release-summary.js';
import { renderStatusTable } from '../../../src/report/status-table.js';
import { renderSummary } from '../../../src/report/summary.js';
import { expectInert, HOSTILE } from './inert.js';

const arn = (fn: string, region = 'us-east-1') => `arn:aws:lambda:${region}:123456789012:function:${fn}:dev`;

function released(fn: string, from: string | undefined, to: string, region = 'us-east-1'): Released {
  return {
    kind: 'released',
    command: 'deploy',
    stage: 'dev',
    functionName: fn,
    alias: 'dev',
    commit: 'a1b2c3d4e5f60718293a',
    ...(from !== undefined && { previousVersion: from }),
    version: to,
    codeSha256: `${fn}-sha-${to}=`,
    aliasArn: arn(fn, region),
    settingsChanged: [],
    checks: {
      traffic: [],
      gates: [],
      forced: false,
      smoke: { ok: true, summary: `GET https://dev.example.com/${fn} → 200 in 41 ms`, attempts: [] },
    },
    steps: [
      { name: 'publish', startMs: 10, durationMs: 300, ok: true },
      { name: 'shift', startMs: 400, durationMs: 50, ok: true },
      { name: 'smoke', startMs: 460, durationMs: 41, ok: true },
    ],
    durationMs: 2_000,
  };
}

function unchanged(fn: string, version: string, region = 'us-east-1'): Unchanged {
  return {
    kind: 'unchanged',
    command: 'deploy',
    stage: 'dev',
    functionName: fn,
    alias: 'dev',
    previousVersion: version,
    version,
    codeSha256: `${fn}-sha-${version}=`,
    aliasArn: arn(fn, region),
    settingsChanged: [],
    steps: [],
    durationMs: 300,
  };
}

const diagnosis: Diagnosis = {
  version: '4',
  logGroup: '/aws/lambda/notes-worker',
  lines: ['ReferenceError: gibberish is not defined (×3)'],
  metrics: { invocations: 3, errors: 3, throttles: 0, durationP95Ms: 42 },
  window: { since: new Date('2026-11-29T10:00:00Z'), until: new Date('2026-11-29T10:01:00Z') },
};

/** Put back: its own smoke test failed (`own`), or a sibling's did. */
function reverted(fn: string, from: string, candidate: string, own: boolean, region = 'us-east-1'): Reverted {
  return {
    kind: 'reverted',
    command: 'deploy',
    stage: 'dev',
    functionName: fn,
    alias: 'dev',
    commit: 'a1b2c3d4e5f60718293a',
    previousVersion: from,
    candidateVersion: candidate,
    version: from,
    codeSha256: `${fn}-sha-${from}=`,
    aliasArn: arn(fn, region),
    settingsChanged: [],
    error: own
      ? `GET https://dev.example.com/${fn} → 502 on 3 of 3 attempts; dev rolled back from ${candidate} to ${from}`
      : `rolled back with the release: notes-worker failed its check`,
    checks: {
      traffic: [],
      gates: [],
      forced: false,
      smoke: own
        ? {
            ok: false,
            summary: `GET https://dev.example.com/${fn} → 502 on 3 of 3 attempts`,
            attempts: [{ attempt: 1, method: 'GET', url: `https://dev.example.com/${fn}`, status: 502, latencyMs: 41, bodyExcerpt: 'Internal server error', ok: false, problem: 'expected 2xx' }],
          }
        : { ok: true, summary: `GET https://dev.example.com/${fn} → 200 in 41 ms`, attempts: [] },
    },
    ...(own && { diagnosis }),
    steps: [
      { name: 'publish', startMs: 10, durationMs: 300, ok: true },
      { name: 'shift', startMs: 400, durationMs: 50, ok: true },
      { name: 'smoke', startMs: 460, durationMs: 6000, ok: !own },
      { name: 'rollback', startMs: 6500, durationMs: 60, ok: true },
    ],
    durationMs: 7_000,
  };
}

const unit = (fn: string, result: ReleaseResult, region?: string): UnitOutcome => ({ settings: { functionName: fn, ...(region !== undefined && { region }) }, result });

const deployedThree: UnitOutcome[] = [
  unit('notes-api', released('notes-api', '7', '8'), 'us-east-1'),
  unit('notes-worker', released('notes-worker', '3', '4'), 'us-east-1'),
  unit('notes-api', released('notes-api', '2', '3', 'eu-west-1'), 'eu-west-1'),
];

const smokeFailed: UnitOutcome[] = [
  unit('notes-api', reverted('notes-api', '7', '8', false)),
  unit('notes-worker', reverted('notes-worker', '3', '4', true)),
  unit('notes-image', reverted('notes-image', '5', '6', false)),
];

describe('the release output', () => {
  it('is an array of one for a one-function stage, with the outputs of that function', () => {
    const json = releaseOutput([unit('notes-api', released('notes-api', '7', '8'), 'us-east-1')]);
    expect(JSON.parse(json)).toEqual([{ function: 'notes-api', region: 'us-east-1', version: '8', 'previous-version': '7', 'code-sha256': 'notes-api-sha-8=' }]);
    // One line: GITHUB_OUTPUT takes it as is.
    expect(json).not.toContain('\n');
  });

  it('lists every function and region in the stage order', () => {
    expect(releaseEntries(deployedThree)).toEqual([
      { function: 'notes-api', region: 'us-east-1', version: '8', 'previous-version': '7', 'code-sha256': 'notes-api-sha-8=' },
      { function: 'notes-worker', region: 'us-east-1', version: '4', 'previous-version': '3', 'code-sha256': 'notes-worker-sha-4=' },
      { function: 'notes-api', region: 'eu-west-1', version: '3', 'previous-version': '2', 'code-sha256': 'notes-api-sha-3=' },
    ]);
  });

  it('says where each alias ended after a rollback: the version it was on', () => {
    expect(releaseEntries(smokeFailed).map((e) => [e.function, e.version, e['previous-version']])).toEqual([
      ['notes-api', '7', '7'],
      ['notes-worker', '3', '3'],
      ['notes-image', '5', '5'],
    ]);
  });

  it('names the region actually used: the unit own, else the alias ARN, else the default (AWS_REGION), else empty', () => {
    expect(unitRegion(unit('f', released('f', '1', '2', 'eu-west-1'), 'ap-northeast-2'))).toBe('ap-northeast-2');
    expect(unitRegion(unit('f', released('f', '1', '2', 'eu-west-1')), 'us-east-1')).toBe('eu-west-1');
    const { aliasArn: _a, version: _v, codeSha256: _c, ...firstDeploy } = reverted('f', '1', '2', true);
    const { previousVersion: _p, ...noAlias } = firstDeploy;
    const failedFirst: NotShifted = { ...noAlias, kind: 'not-shifted', candidateVersion: '1', error: 'publish failed' };
    expect(unitRegion(unit('f', failedFirst), 'us-east-1')).toBe('us-east-1');
    expect(unitRegion(unit('f', failedFirst))).toBe('');
    expect(JSON.parse(releaseOutput([unit('f', failedFirst)], 'us-east-1'))).toEqual([
      { function: 'f', region: 'us-east-1', version: '', 'previous-version': '', 'code-sha256': '' },
    ]);
  });
});

describe('the status of a release of several functions', () => {
  it('is unchanged only when every function is', () => {
    expect(releaseStatus([unit('a', unchanged('a', '3')), unit('b', unchanged('b', '5'))])).toBe('unchanged');
    expect(releaseStatus([unit('a', unchanged('a', '3')), unit('b', released('b', '5', '6'))])).toBe('deployed');
    expect(releaseSucceeded([unit('a', unchanged('a', '3')), unit('b', released('b', '5', '6'))])).toBe(true);
  });

  it('is rolled-back when the aliases were shifted and put back, failed when none shifted or one may be stuck', () => {
    expect(releaseStatus(smokeFailed)).toBe('rolled-back');
    expect(releaseSucceeded(smokeFailed)).toBe(false);
    const notShifted = (fn: string): NotShifted => ({ ...unchanged(fn, '3'), kind: 'not-shifted', error: `publishing ${fn} failed` });
    expect(releaseStatus([unit('a', notShifted('a')), unit('b', notShifted('b'))])).toBe('failed');
    const { version: _v, codeSha256: _c, aliasArn: _a, ...rest } = reverted('notes-worker', '3', '4', true);
    const stranded: Stranded = { ...rest, kind: 'stranded', repair: { error: 'AccessDenied', command: 'aws lambda update-alias --function-name notes-worker --name dev --function-version 3' } };
    expect(releaseStatus([smokeFailed[0]!, unit('notes-worker', stranded)])).toBe('failed');
  });

  it('blames the function whose own check failed, not the first one put back with it', () => {
    expect(failedUnit(smokeFailed)?.settings.functionName).toBe('notes-worker');
  });

  it('does not blame a function whose smoke test was cut short by the release\'s cancel, nor explain it in the summary', () => {
    const cutShort = (fn: string): Reverted => {
      const result = reverted(fn, '7', '8', false);
      const why = 'cancelled (notes-worker failed: GET https://dev.example.com/notes-worker → 502 on 3 of 3 attempts)';
      return {
        ...result,
        error: `${why}; dev rolled back from 8 to 7`,
        checks: {
          traffic: [],
          gates: [],
          forced: false,
          smoke: {
            ok: false,
            cancelled: true,
            summary: `GET https://dev.example.com/${fn} → ${why} on attempt 1 of 1`,
            attempts: [{ attempt: 1, method: 'GET', url: `https://dev.example.com/${fn}`, latencyMs: 20, bodyExcerpt: '', ok: false, problem: why }],
          },
        },
      };
    };
    const units = [unit('notes-api', cutShort('notes-api')), unit('notes-worker', reverted('notes-worker', '3', '4', true)), unit('notes-image', cutShort('notes-image'))];
    expect(failedUnit(units)?.settings.functionName).toBe('notes-worker');
    expect(releaseFailure('dev', units).title).toBe('stage-deploy: dev rolled back, all 3 functions (notes-worker failed)');
    const summary = renderReleaseSummary(units);
    expect(summary).toContain('**notes-worker**: GET');
    expect(summary).not.toContain('**notes-api**:');
    expect(summary).not.toContain('**notes-image**:');
  });

  it('names a unit of a release in several regions with its region, spaced, in the summary', () => {
    const units = [unit('notes-api', reverted('notes-api', '7', '8', false), 'us-east-1'), unit('notes-worker', reverted('notes-worker', '3', '4', true, 'eu-west-1'), 'eu-west-1')];
    expect(renderReleaseSummary(units)).toContain('**notes-worker (eu-west-1)**: GET');
  });
});

describe('the closing line and the failure annotation', () => {
  it('says it all for many functions in many regions', () => {
    expect(releaseClosingLine('dev', deployedThree)).toBe(
      'dev: deployed 2 functions in 2 regions: notes-api (us-east-1) 7 → 8, notes-worker (us-east-1) 3 → 4, notes-api (eu-west-1) 2 → 3.',
    );
    expect(releaseClosingLine('dev', [unit('a', unchanged('a', '3')), unit('b', released('b', '5', '6'))])).toBe(
      'dev: deployed 2 functions: a unchanged on 3, b 5 → 6.',
    );
    expect(releaseClosingLine('dev', [unit('a', unchanged('a', '3')), unit('b', unchanged('b', '5'))])).toBe(
      'dev: unchanged, 2 functions, every alias stays: a unchanged on 3, b unchanged on 5.',
    );
  });

  it('caps the list of a large stage', () => {
    const many = Array.from({ length: 30 }, (_, i) => unit(`fn-${i}`, released(`fn-${i}`, '1', '2')));
    const line = releaseClosingLine('dev', many);
    expect(line).toContain('fn-19 1 → 2, and 10 more.');
    expect(line).not.toContain('fn-20 ');
  });

  it('names the function that failed, and that every alias went back', () => {
    const { message, title } = releaseFailure('dev', smokeFailed);
    expect(title).toBe('stage-deploy: dev rolled back, all 3 functions (notes-worker failed)');
    expect(message).toBe(
      'notes-worker: GET https://dev.example.com/notes-worker → 502 on 3 of 3 attempts; dev rolled back from 4 to 3; ' +
        'every alias went back: notes-api 7 → 8 → 7, notes-worker 3 → 4 → 3, notes-image 5 → 6 → 5.',
    );
  });

  it('says when no alias was shifted', () => {
    const notShifted = (fn: string, error: string): NotShifted => ({ ...unchanged(fn, '3'), kind: 'not-shifted', candidateVersion: '4', error });
    const { message, title } = releaseFailure('dev', [
      unit('notes-api', notShifted('notes-api', 'not shifted: notes-worker failed to publish')),
      unit('notes-worker', notShifted('notes-worker', 'publishing notes-worker failed: ResourceConflictException')),
    ]);
    // No check ran, so the first failure is named; the engine words each unit's error.
    expect(title).toBe('stage-deploy: deploy of dev failed (notes-api), no alias stays shifted');
    expect(message).toContain('no alias stays shifted: notes-api stays on 3, notes-worker stays on 3.');
  });
});

describe('the job summary of several functions', () => {
  it('shows the release as one table and one picture, then what went wrong with the function that failed', () => {
    const text = renderReleaseSummary(smokeFailed, { runUrl: 'https://github.com/acme/notes/actions/runs/1' });
    expect(text).toContain('## stage-deploy deploy · dev: ↩️ rolled back');
    expect(text).toContain('3 functions, released as one');
    expect(text).toContain('> **notes-worker: GET `https://dev.example.com/notes-worker` → 502 on 3 of 3 attempts; dev rolled back from 4 to 3**');
    // One table, a row per function.
    expect(text).toContain('| Function | Region | What happened | Version | Code | Checks |');
    expect(text).toContain('| `notes-api` | us-east-1 | ↩️ rolled back | 7 → 8 → 7 (rolled back) | `notes-api-sh…` | ✅ GET `https://dev.example.com/notes-api` → 200 in 41 ms |');
    expect(text).toContain('| `notes-worker` | us-east-1 | ↩️ rolled back | 3 → 4 → 3 (rolled back) | `notes-worker…` | ❌ GET `https://dev.example.com/notes-worker` → 502 on 3 of 3 attempts |');
    // One picture: a gantt chart with a section per function, the failed smoke test and the rollbacks in red.
    expect(text.match(/```mermaid\ngantt/g)).toHaveLength(1);
    expect(text).toContain('  section notes-api\n');
    expect(text).toContain('  section notes-worker\n  publish (300 ms) :done, 10, 310\n  shift (50 ms) :done, 400, 450\n  smoke (6 s) :crit, 460, 6460\n  rollback (60 ms) :crit, 6500, 6560\n');
    expect(text.indexOf('```mermaid')).toBeLessThan(text.indexOf('| Function |'));
    // The failing function's diagnosis and smoke attempts, once.
    expect(text).toContain('**notes-worker**: GET');
    expect(text.match(/### What went wrong with version/g)).toHaveLength(1);
    expect(text).toContain('ReferenceError: gibberish is not defined (×3)');
    expect(text).toContain('| 1 | GET `https://dev.example.com/notes-worker` | ❌ 502 | 41 ms | `Internal server error` |');
    expect(text).toContain('| Commit | `a1b2c3d4e5f6` |');
    expect(text).toContain('[Workflow run](https://github.com/acme/notes/actions/runs/1)');
    expectInert(text);
  });

  it('shows regions, and the image a function runs beside its code hash', () => {
    const units: UnitOutcome[] = [
      ...deployedThree,
      { settings: { functionName: 'notes-image', region: 'us-east-1', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:latest' }, result: released('notes-image', '5', '6') },
    ];
    const text = renderReleaseSummary(units);
    expect(text).toContain('## stage-deploy deploy · dev: ✅ deployed');
    expect(text).toContain('3 functions in 2 regions, released as one');
    expect(text).toContain('| `notes-api` | eu-west-1 | ✅ deployed | 2 → 3 |');
    expect(text).toContain('| `notes-image` | us-east-1 | ✅ deployed | 5 → 6 | `notes-image-…` · `123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:latest` |');
    expect(text).toContain('  section notes-api eu-west-1\n');
    expect(text).not.toContain('What went wrong');
    expectInert(text);
  });

  it('draws the traffic once for a progressive release: every alias moves by the same steps', () => {
    const progressive = (fn: string): Released => {
      const r = released(fn, '1', '2');
      return { ...r, checks: { ...r.checks, traffic: [{ atMs: 0, percent: 10 }, { atMs: 5000, percent: 100 }] } };
    };
    const text = renderReleaseSummary([unit('a', progressive('a')), unit('b', progressive('b'))]);
    expect(text.match(/xychart-beta/g)).toHaveLength(1);
    expect(text).toContain('title "Traffic on the new versions (%)"');
  });

  it('shows how to repair every alias that could not be put back', () => {
    const { version: _v, codeSha256: _c, aliasArn: _a, ...rest } = reverted('notes-worker', '3', '4', true);
    const stranded: Stranded = { ...rest, kind: 'stranded', repair: { error: 'AccessDenied', command: 'aws lambda update-alias --function-name notes-worker --name dev --function-version 3' } };
    const units = [smokeFailed[0]!, unit('notes-worker', stranded)];
    const text = renderReleaseSummary(units);
    expect(text).toContain('## stage-deploy deploy · dev: ❌ failed');
    expect(text).toContain('> The alias of `notes-worker` could not be put back (AccessDenied). Repair it by hand:');
    expect(text).toContain('```sh\naws lambda update-alias --function-name notes-worker --name dev --function-version 3\n```');
    expect(releaseFailure('dev', units).title).toBe('stage-deploy: dev ROLLBACK FAILED for 1 of 2 aliases');
  });

  it('keeps hostile names and errors inert, and a stage of 1,000 functions in bounds', () => {
    const hostile = smokeFailed.map((u) => ({ settings: { functionName: `${u.settings.functionName}${HOSTILE}`, region: HOSTILE, image: HOSTILE }, result: { ...u.result, error: HOSTILE, commit: HOSTILE } as ReleaseResult }));
    expectInert(renderReleaseSummary(hostile, { runUrl: HOSTILE }));
    const many = Array.from({ length: 1000 }, (_, i) => unit(`fn-${i}${HOSTILE}`, reverted(`fn-${i}`, '1', '2', i % 2 === 0)));
    const text = renderReleaseSummary(many);
    expectInert(text);
    expect(Buffer.byteLength(text)).toBeLessThan(1_000_000);
    expect(text).toContain(`_… and ${1000 - RELEASE_SUMMARY_CAPS.units} more functions_`);
    expect(text.match(/### What went wrong with version/g)).toHaveLength(RELEASE_SUMMARY_CAPS.explained);
  });

  it('leaves the one-function summary as it was', () => {
    // src/action renders a one-unit release with renderSummary; the release summary is for several.
    const one = released('notes-api', '7', '8');
    expect(renderSummary(one, { region: 'us-east-1' })).toContain('| Function | `notes-api` (us-east-1) |');
  });
});

describe('status of a stage of several functions', () => {
  const row = (fn: string, region: string, version: string): StageStatus => ({
    stage: 'dev',
    functionName: fn,
    alias: 'dev',
    region,
    version,
    aliasArn: arn(fn, region),
    codeSha256: `${fn}-sha=`,
    earlier: [{ version: String(Number(version) - 1), commit: 'c0ffee1', releasedAt: 0 }],
    weights: {},
  });
  const rows = [row('notes-api', 'us-east-1', '8'), row('notes-worker', 'us-east-1', '4'), row('notes-api', 'eu-west-1', '3'), { ...row('notes-api', 'us-east-1', '5'), stage: 'prod', alias: 'prod' }];

  it('shows one row per function and region', () => {
    const table = renderStatusTable(rows);
    expect(table).toContain('| dev | `notes-api` (us-east-1) | dev → 8 |');
    expect(table).toContain('| dev | `notes-worker` (us-east-1) | dev → 4 |');
    expect(table).toContain('| dev | `notes-api` (eu-west-1) | dev → 3 |');
    expect(table).toContain('| prod | `notes-api` (us-east-1) | prod → 5 |');
  });

  it('gives the stage acted on as the release output', () => {
    expect(JSON.parse(statusReleaseOutput(rows, 'dev'))).toEqual([
      { function: 'notes-api', region: 'us-east-1', version: '8', 'previous-version': '7', 'code-sha256': 'notes-api-sha=' },
      { function: 'notes-worker', region: 'us-east-1', version: '4', 'previous-version': '3', 'code-sha256': 'notes-worker-sha=' },
      { function: 'notes-api', region: 'eu-west-1', version: '3', 'previous-version': '2', 'code-sha256': 'notes-api-sha=' },
    ]);
  });
});
