import type { PreviewStatus, StageStatus } from '../model/results.js';
import { formatOptionalMs, formatPercent } from './format.js';
import { capChars, codeSpan, fitSummary, inline, oneLine } from './markdown.js';

/** Stages shown at most. */
export const STATUS_ROW_CAP = 50;

interface CellText {
  text: (text: string) => string;
  code: (text: string) => string;
}

/** For the summary: every value escaped. */
const MARKDOWN: CellText = { text: (t) => inline(t), code: (t) => codeSpan(t, { cell: true }) };
/** For the log, which shows text as it is: one line, capped, `|` kept from splitting the row. */
const PLAIN: CellText = {
  text: (t) => capChars(oneLine(t)).replace(/\|/g, '\\|'),
  code: (t) => {
    const line = capChars(oneLine(t)).replace(/\|/g, '\\|');
    return line ? `\`${line}\`` : '';
  },
};

/** The `status` command's job summary; the live previews (issue 18) in a table of their own. */
export function renderStatusSummary(stages: StageStatus[], previews: readonly PreviewStatus[] = []): string {
  const table = stages.length > 0 ? `${renderStatusTable(stages)}\n` : '';
  const own = previews.length > 0 ? `\n### Previews\n\n${renderPreviewTable(previews)}\n` : '';
  return fitSummary(`## stage-deploy status\n\n${table}${own}`);
}

/** The live previews: alias, pull request, version, age; `forLog` as renderStatusTable's. */
export function renderPreviewTable(previews: readonly PreviewStatus[], options: { forLog?: boolean } = {}): string {
  const { text, code } = options.forLog ? PLAIN : MARKDOWN;
  const lines = ['| Stage | Function | Preview → version | Pull request | Released | Age |', '|---|---|---|---|---|---|'];
  for (const p of previews.slice(0, STATUS_ROW_CAP)) {
    const age = p.ageDays === undefined ? '—' : `${p.ageDays} day${p.ageDays === 1 ? '' : 's'}`;
    lines.push(`| ${text(p.stage)} | ${code(p.functionName)} | ${text(`${p.alias} → ${p.version}`)} | ${text(`PR ${p.pullRequest}`)} | ${p.releasedAt ? formatTime(p.releasedAt) : '—'} | ${age} |`);
  }
  if (previews.length > STATUS_ROW_CAP) lines.push('', `_… and ${previews.length - STATUS_ROW_CAP} more previews_`);
  return lines.join('\n');
}

/**
 * The status of several stages, as a Markdown table; `forLog`: the same table for the log, with
 * values as they are (one line each, capped) instead of escaped for Markdown.
 */
export function renderStatusTable(stages: StageStatus[], options: { forLog?: boolean } = {}): string {
  const { text, code } = options.forLog ? PLAIN : MARKDOWN;
  const lines = [
    '| Stage | Function | Alias → version | Code SHA-256 | Commit | Released | Traffic split | Earlier | Last hour |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of stages.slice(0, STATUS_ROW_CAP)) {
    const cells = [
      text(s.stage),
      `${code(s.functionName)}${s.region ? ` (${text(s.region)})` : ''}`,
      text(s.version !== undefined ? `${s.alias} → ${s.version}` : `${s.alias}: ${s.problem ?? '—'}`),
      s.codeSha256 ? code(`${s.codeSha256.slice(0, 12)}…`) : '—',
      s.release?.commit ? code(s.release.commit) : '—',
      s.release?.releasedAt ? formatTime(s.release.releasedAt) : '—',
      Object.keys(s.weights).length > 0
        ? text(
            Object.entries(s.weights)
              .map(([v, w]) => `${v}: ${formatPercent(w)}`)
              .join(', '),
          )
        : 'none',
      s.earlier.length > 0 ? text(s.earlier.map((r) => r.version).join(', ')) : '—',
      s.lastHour
        ? `${s.lastHour.invocations} invocations, ${s.lastHour.errors} errors${s.lastHour.errors > 0 ? ' ⚠️' : ''}, p95 ${formatOptionalMs(s.lastHour.durationP95Ms)}`
        : text(s.lastHourNote ?? '—'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
    // A misconfiguration (a function URL bypassing the alias): a warning row under the stage's.
    for (const warning of s.warnings ?? []) lines.push(`| ${text(s.stage)} | ${code(s.functionName)} | ⚠️ ${text(warning)} | | | | | | |`);
  }
  if (stages.length > STATUS_ROW_CAP) lines.push('', `_… and ${stages.length - STATUS_ROW_CAP} more stages_`);
  return lines.join('\n');
}

/** `2026-11-22 10:00 UTC` */
function formatTime(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

