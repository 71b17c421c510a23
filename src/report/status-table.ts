import type { StageStatus } from '../model/results.js';
import { formatOptionalMs, formatPercent } from './format.js';

/** The status of several stages, as a Markdown table (the log prints the same table). */
export function renderStatusTable(stages: StageStatus[]): string {
  const lines = [
    '| Stage | Function | Alias → version | Code SHA-256 | Commit | Released | Traffic split | Earlier | Last hour |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const s of stages) {
    const cells = [
      s.stage,
      `\`${s.functionName}\`${s.region ? ` (${s.region})` : ''}`,
      s.version !== undefined ? `${s.alias} → ${s.version}` : `${s.alias}: ${s.problem ?? '—'}`,
      s.codeSha256 ? `\`${s.codeSha256.slice(0, 12)}…\`` : '—',
      s.release?.commit ? `\`${s.release.commit}\`` : '—',
      s.release?.releasedAt ? formatTime(s.release.releasedAt) : '—',
      Object.keys(s.weights).length > 0
        ? Object.entries(s.weights)
            .map(([v, w]) => `${v}: ${formatPercent(w)}`)
            .join(', ')
        : 'none',
      s.earlier.length > 0 ? s.earlier.map((r) => r.version).join(', ') : '—',
      s.lastHour
        ? `${s.lastHour.invocations} invocations, ${s.lastHour.errors} errors${s.lastHour.errors > 0 ? ' ⚠️' : ''}, p95 ${formatOptionalMs(s.lastHour.durationP95Ms)}`
        : (s.lastHourNote ?? '—'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** `2026-11-22 10:00 UTC` */
function formatTime(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

