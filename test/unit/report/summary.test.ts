import { describe, expect, it } from 'vitest';

import type { Reverted } from '../../../src/model/results.js';
import { renderSummary, versionMove, viewOf } from '../../../src/report/summary.js';

const rolledBack: Reverted = {
  kind: 'reverted',
  command: 'deploy',
  stage: 'dev',
  functionName: 'notes-api',
  alias: 'dev',
  aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:notes-api:dev',
  version: '7',
  previousVersion: '7',
  candidateVersion: '8',
  codeSha256: 'abc=',
  commit: 'a1b2c3d4e5f60718293a',
  upload: { kind: 'direct', sizeBytes: 2048 },
  settingsChanged: ['environment.TABLE'],
  checks: {
    traffic: [],
    gates: [],
    forced: false,
    smoke: {
    ok: false,
    summary: 'GET https://dev.example.com/health → 502 on 2 of 2 attempts',
    attempts: [
      { attempt: 1, method: 'GET', url: 'https://dev.example.com/health', status: 502, latencyMs: 41, bodyExcerpt: '{"message": "Internal server error"}', ok: false, problem: 'expected 2xx' },
      { attempt: 2, method: 'GET', url: 'https://dev.example.com/health', latencyMs: 10000, bodyExcerpt: '', ok: false, problem: 'timed out' },
    ],
    },
  },
  error: 'GET https://dev.example.com/health → 502 on 2 of 2 attempts; dev rolled back from 8 to 7',
  steps: [
    { name: 'publish', startMs: 10, durationMs: 300, ok: true },
    { name: 'smoke', startMs: 400, durationMs: 10100, ok: false },
  ],
  durationMs: 12_500,
};

describe('the job summary', () => {
  it('shows what happened to a broken release at a glance', () => {
    const text = renderSummary(rolledBack, { region: 'us-east-1', runUrl: 'https://github.com/acme/notes/actions/runs/1' });
    expect(text).toContain('## stage-deploy deploy · dev: ↩️ rolled back');
    // The steps as a Mermaid gantt chart, above the table, the failed smoke test in red.
    expect(text).toContain('```mermaid\ngantt\n  title deploy dev: rolled-back\n  dateFormat x\n  axisFormat %M:%S\n  section dev\n  publish (300 ms) :done, 10, 310\n  smoke (10 s) :crit, 400, 10500\n```');
    expect(text.indexOf('```mermaid')).toBeLessThan(text.indexOf('| Version |'));
    expect(text).toContain('> **GET `https://dev.example.com/health` → 502 on 2 of 2 attempts; dev rolled back from 8 to 7**');
    expect(text).toContain('| Function | `notes-api` (us-east-1) |');
    expect(text).toContain('| Version | 7 → 8 → 7 (rolled back) |');
    expect(text).toContain('| Commit | `a1b2c3d4e5f6` |');
    expect(text).toContain('| Upload | direct (2 KB) |');
    expect(text).toContain('| Settings changed | `environment.TABLE` |');
    expect(text).toContain('| 1 | GET `https://dev.example.com/health` | ❌ 502 | 41 ms | `{"message": "Internal server error"}` |');
    expect(text).toContain('| 2 | GET `https://dev.example.com/health` | no answer (timed out) | 10 s |  |');
    expect(text).toContain('| smoke | +400 ms | 10 s | ❌ |');
    expect(text).toContain('| Duration | 13 s |');
    expect(text).toContain('[Workflow run](https://github.com/acme/notes/actions/runs/1)');
  });

  it('says how to repair by hand when the rollback failed', () => {
    const { version: _v, codeSha256: _c, aliasArn: _a, ...rest } = rolledBack;
    const text = renderSummary({ ...rest, kind: 'stranded', repair: { error: 'AccessDenied', command: 'aws lambda update-alias …' } });
    expect(text).toContain('## stage-deploy deploy · dev: ❌ failed');
    expect(text).toContain('> [!CAUTION]');
    expect(text).toContain('```sh\naws lambda update-alias …\n```');
  });

  it('shows an image function\'s image by digest and the tag it was resolved from', () => {
    const uri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/notes@sha256:${'a'.repeat(64)}`;
    const summary = renderSummary({ ...rolledBack, image: { uri, tag: 'v2', digest: `sha256:${'a'.repeat(64)}` } });
    expect(summary).toContain(`| Image | \`${uri}\` (tag \`v2\`) |`);
    expect(renderSummary(rolledBack)).not.toContain('| Image |');
  });

  it('words the version move for each outcome', () => {
    const view = viewOf(rolledBack);
    expect(versionMove({ ...view, status: 'deployed', version: '8' })).toBe('7 → 8');
    expect(versionMove({ ...view, status: 'unchanged' })).toBe('7 (unchanged)');
    // The rollback command: rolled-back is its success.
    expect(versionMove({ ...view, status: 'rolled-back', command: 'rollback', previousVersion: '8', version: '7', candidateVersion: '7' })).toBe('8 → 7');
    const { previousVersion: _p, version: _v, ...firstDeploy } = rolledBack;
    expect(versionMove(viewOf({ ...firstDeploy, candidateVersion: '1' }))).toBe('— → 1 → — (alias removed) (rolled back)');
  });
});
