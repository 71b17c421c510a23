/**
 * Every renderer fed with hostile text where untrusted text goes: the function's error lines,
 * smoke bodies and problems, AWS messages, names from the stages file, versions, commits, URLs.
 * What GitHub renders must hold no live tag, heading, link, mention or autolink, keep its tables
 * and code blocks whole, and stay under the 1 MiB a step summary may take.
 */
import { describe, expect, it } from 'vitest';

import type { Diagnosis, Released, Reverted, SmokeAttempt, StageStatus, Stranded } from '../../../src/model/results.js';
import type { DryRun } from '../../../src/model/results.js';
import { renderDiagnosis } from '../../../src/report/diagnosis.js';
import { codeBlock, codeSpan, fitSummary, inline, mermaidText, plainText, SUMMARY_BUDGET_BYTES, SUMMARY_LIMIT_BYTES } from '../../../src/report/markdown.js';
import { renderStatusSummary, renderStatusTable } from '../../../src/report/status-table.js';
import { renderSummary } from '../../../src/report/summary.js';
import { expectInert, HOSTILE, HOSTILE_LINES, liveParts, proseLines, TAGS } from './inert.js';

const MiB = 1024 * 1024;
const window = { since: new Date('2026-11-22T10:00:00Z'), until: new Date('2026-11-22T10:01:00Z') };

function attempt(i: number, body = HOSTILE): SmokeAttempt {
  return { attempt: i, method: 'GET', url: `https://dev.example.com/health?q=${HOSTILE}`, status: 502, latencyMs: 41, bodyExcerpt: body, ok: false, problem: HOSTILE };
}

const diagnosis: Diagnosis = {
  version: `8${HOSTILE}`,
  logGroup: `/aws/lambda/${HOSTILE}`,
  lines: [...HOSTILE_LINES, HOSTILE],
  metrics: { invocations: 3, errors: 3, throttles: 0, durationP95Ms: 42 },
  api: { id: HOSTILE, stage: HOSTILE, errors4xx: 0, errors5xx: 3 },
  metricsNote: HOSTILE,
  window,
};

const reverted: Reverted = {
  kind: 'reverted',
  command: 'deploy',
  stage: `dev${HOSTILE}`,
  functionName: `notes-api${HOSTILE}`,
  alias: `dev${HOSTILE}`,
  version: `7${HOSTILE}`,
  previousVersion: `7${HOSTILE}`,
  candidateVersion: `8${HOSTILE}`,
  codeSha256: HOSTILE,
  commit: HOSTILE,
  upload: { kind: 's3', bucket: HOSTILE, key: HOSTILE, alreadyThere: false, sizeBytes: 2048 },
  settingsChanged: [HOSTILE, `environment.${HOSTILE}`],
  checks: {
    traffic: [
      { atMs: 0, percent: 10 },
      { atMs: 1000, percent: 0 },
    ],
    gates: [{ atMs: 10, alarms: [{ name: HOSTILE, state: 'ALARM', reason: HOSTILE }], errors: 3, invocations: 3 }],
    forced: true,
    invoke: { ok: false, summary: HOSTILE, attempts: [attempt(1)] },
    smoke: { ok: false, summary: HOSTILE, attempts: [attempt(1), { ...attempt(2), status: undefined as never }] },
  },
  error: HOSTILE,
  diagnosis,
  steps: [
    { name: 'publish', startMs: 10, durationMs: 300, ok: true },
    { name: HOSTILE, startMs: 400, durationMs: 10100, ok: false },
  ],
  durationMs: 12_500,
};

describe('escaping primitives', () => {
  it('inline: tags, headings, links, mentions, issue references and bare URLs come out as text', () => {
    expect(inline(TAGS)).toBe('&lt;/details&gt;&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(inline('## ✅ deployed')).toBe('&#35;# ✅ deployed');
    expect(inline('@octocat and @org/team')).toBe('@&#8203;octocat and @&#8203;org/team');
    expect(inline('[click](https://evil)')).toBe('&#91;click&#93;(`https://evil)`');
    expect(inline('see #123, GH-45')).toBe('see #&#8203;123, GH-&#8203;45');
    expect(inline('#123')).toBe('&#35;&#8203;123');
    expect(inline('a | b\r\nc\rd\ne')).toBe('a &#124; b c d e');
    expect(inline('- item')).toBe('&#45; item');
    expect(inline('1. item')).toBe('1&#46; item');
    expect(inline('"quoted" & \'single\'')).toBe('&quot;quoted&quot; &amp; &#39;single&#39;');
    // Trusted-looking text stays as it is.
    expect(inline('GET → 502 on 2 of 2 attempts (timed out)')).toBe('GET → 502 on 2 of 2 attempts (timed out)');
  });

  it('inline: caps a line, and never splits an entity', () => {
    const text = inline('<'.repeat(5000));
    expect(text).toBe(`${'&lt;'.repeat(299)}…`);
    expect(Array.from(inline('x'.repeat(5000), 10))).toHaveLength(10);
  });

  it('code spans and blocks: the fence is longer than any backtick run inside', () => {
    expect(codeSpan('a ``` b')).toBe('````a ``` b````');
    expect(codeSpan('`x`')).toBe('`` `x` ``');
    expect(codeSpan('a|b', { cell: true })).toBe('`a\\|b`');
    expect(codeSpan('')).toBe('');
    const block = codeBlock(['```', '`````` six', 'fine'], 'text');
    expect(block).toBe('```````text\n```\n`````` six\nfine\n```````');
    expect(codeBlock(['a\r\nb\rc'], '')).toBe('```\na\nb\nc\n```');
    expect(codeBlock(Array.from({ length: 100 }, (_, i) => `line ${i}`), 'text', { maxLines: 3 })).toBe('```text\nline 0\nline 1\nline 2\n```\n_… and 97 more lines_');
  });

  it('Mermaid text keeps letters, digits, spaces and ._- only', () => {
    expect(mermaidText('dev')).toBe('dev');
    expect(mermaidText('8"\n```\n%%{init}%% x : y; #')).toBe('8_ ___ ___init___ x _ y_ _');
  });

  it('plain text: one line, no controls, no mention', () => {
    expect(plainText('ping @octocat\r\nnext\u0007\u202E line')).toBe('ping @\u200Boctocat next line');
  });

  it('fitSummary cuts at a line under the budget, closes what was open and says so', () => {
    const big = ['## title', '<details><summary>Smoke attempts</summary>', '', '```text', ...Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`), '```', '</details>'].join('\n');
    const cut = fitSummary(big, 100_000);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(100_000);
    expect(cut).toMatch(/\n```\n<\/details>\n\n_The summary was cut here: it came to 2\.\d MB, and GitHub shows at most 1 MiB per step\. The log has the rest\._\n$/);
    expect(() => proseLines(cut)).not.toThrow();
    expect(fitSummary('small')).toBe('small');
    // GitHub's limit for one step's summary: 1 MiB (the runner: "supports content up to a size of 1024k").
    expect(SUMMARY_LIMIT_BYTES).toBe(1_048_576);
    expect(SUMMARY_BUDGET_BYTES).toBeLessThan(SUMMARY_LIMIT_BYTES);
  });
});

describe('renderers fed hostile text', () => {
  it('the job summary of a rolled-back release shows it all as text', () => {
    const text = renderSummary(reverted, { region: HOSTILE });
    expectInert(text);
    // It is there, as text: the tags, the fake heading and the mention, escaped.
    expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('&#96; ## ✅ deployed @&#8203;octocat');
    expect(text).toContain('@&#8203;octocat');
    // The function's own lines in a code block no line of theirs can close.
    expect(text).toContain('```````text\n' + TAGS + '\n```\n````\n`````````` ten backticks `\n## ✅ deployed\n');
    // The headings are ours.
    expect(proseLines(text).filter((l) => /^#{1,6} /.test(l))).toEqual([expect.stringMatching(/^## stage-deploy deploy · dev&lt;/), expect.stringMatching(/^### What went wrong with version 8&lt;/)]);
  });

  it('a stranded release: the repair command in a code block, the error escaped', () => {
    const { version: _v, codeSha256: _c, aliasArn: _a, ...rest } = reverted;
    const stranded: Stranded = { ...rest, kind: 'stranded', repair: { error: HOSTILE, command: `aws lambda update-alias --name ${HOSTILE}` } };
    const text = renderSummary(stranded);
    expectInert(text);
    expect(text).toContain('> [!CAUTION]');
  });

  it('a released summary with housekeeping, and a dry run whose plan carries hostile names', () => {
    const released: Released = {
      kind: 'released',
      command: 'deploy',
      stage: HOSTILE,
      functionName: HOSTILE,
      alias: HOSTILE,
      version: HOSTILE,
      codeSha256: HOSTILE,
      aliasArn: HOSTILE,
      settingsChanged: [],
      checks: { traffic: [], gates: [], forced: false },
      housekeeping: { deleted: [HOSTILE, '3'], retention: { logGroup: HOSTILE, days: 14, outcome: 'created' } },
      steps: [],
      durationMs: 1,
    };
    expectInert(renderSummary(released));
    const dryRun: DryRun = {
      kind: 'dry-run',
      command: 'deploy',
      stage: HOSTILE,
      functionName: HOSTILE,
      alias: HOSTILE,
      previousVersion: HOSTILE,
      plan: {
        command: 'deploy',
        stage: HOSTILE,
        functionName: HOSTILE,
        alias: HOSTILE,
        from: HOSTILE,
        target: {
          kind: 'publish',
          codeSha256: HOSTILE,
          settingsChanged: [HOSTILE],
          code: { kind: 's3', bucket: HOSTILE, key: HOSTILE, alreadyThere: false, sizeBytes: 1 },
          description: HOSTILE,
        },
        traffic: { kind: 'all-at-once' },
        progressive: false,
        smoke: { method: 'GET', url: HOSTILE },
        history: { kind: 'record', commit: HOSTILE },
      },
      steps: [],
      durationMs: 1,
    };
    const text = renderSummary(dryRun);
    expectInert(text);
    expect(text).toContain('1. update the settings of &#36;LATEST: &lt;/details&gt;');
  });

  it('the diagnosis alone', () => {
    expectInert(renderDiagnosis(diagnosis));
    expectInert(renderDiagnosis({ ...diagnosis, lines: [], logsNote: HOSTILE }));
  });

  it('the status table, in the summary escaped and in the log as plain text', () => {
    const stage: StageStatus = {
      stage: HOSTILE,
      functionName: HOSTILE,
      alias: HOSTILE,
      region: HOSTILE,
      version: HOSTILE,
      codeSha256: HOSTILE,
      release: { version: HOSTILE, commit: HOSTILE, releasedAt: 1763780000 },
      earlier: [{ version: HOSTILE, commit: HOSTILE, releasedAt: 0 }],
      weights: { [HOSTILE]: 0.25 },
      problem: HOSTILE,
      lastHourNote: HOSTILE,
    };
    const summary = renderStatusSummary([stage, { ...stage, version: undefined as never }]);
    expectInert(summary);
    expect(renderStatusTable([stage])).toBe(renderStatusSummary([stage]).replace('## stage-deploy status\n\n', '').replace(/\n$/, ''));
    // The log keeps the text readable: one line a row, `|` escaped, nothing turned into entities.
    const log = renderStatusTable([stage], { forLog: true });
    expect(log.split('\n')).toHaveLength(3);
    expect(log).toContain(`${TAGS} \`\`\` \`\`\`\`` );
  });

  it('the oracle itself sees live text in a raw summary', () => {
    expect(liveParts(`| a | b |\n| ${HOSTILE.replace(/[\r\n\u2028]/g, ' ')} |`).length).toBeGreaterThan(3);
    expect(liveParts('## ✅ deployed')).toEqual(['heading: ## ✅ deployed']);
    expect(liveParts('hi @octocat')).toEqual(['mention: hi @octocat']);
  });
});

describe('size: the summary stays under 1 MiB however much there is', () => {
  it('a 5 MB body, 10,000 attempts and 10,000 log lines', () => {
    const body = `${HOSTILE}${'<b>x</b>'.repeat(5 * MiB / 8)}`;
    const attempts = Array.from({ length: 10_000 }, (_, i) => attempt(i + 1, body));
    const many: Reverted = {
      ...reverted,
      error: body,
      checks: { ...reverted.checks!, smoke: { ok: false, summary: body, attempts } },
      diagnosis: { ...diagnosis, lines: Array.from({ length: 10_000 }, (_, i) => `${i} ${body.slice(0, 10_000)}`), logsNote: body },
      steps: Array.from({ length: 10_000 }, (_, i) => ({ name: `step ${i}`, startMs: i, durationMs: 1, ok: true })),
      settingsChanged: Array.from({ length: 10_000 }, (_, i) => `environment.K${i}`),
    };
    const started = performance.now();
    const text = renderSummary(many);
    expect(performance.now() - started).toBeLessThan(5000);
    expectInert(text);
    expect(Buffer.byteLength(text)).toBeLessThan(200_000);
    expect(text).toContain('| … | 9980 more attempts | | | |');
    expect(text).toContain('| 10000 | GET');
    expect(text).toMatch(/\n_… and 1\d{4} more lines_\n/);
    expect(text).toContain('_… and 9950 more steps_');
    expect(text).toContain(' and 9980 more |');
  });

  it('a status table of 10,000 stages', () => {
    const stages: StageStatus[] = Array.from({ length: 10_000 }, (_, i) => ({ stage: `s${i}${HOSTILE}`, functionName: HOSTILE, alias: HOSTILE, earlier: [], weights: {}, problem: HOSTILE }));
    const text = renderStatusSummary(stages);
    expectInert(text);
    expect(text).toContain('_… and 9950 more stages_');
  });
});
