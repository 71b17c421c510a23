/**
 * The job summary, rendered from a command's result. Pure: src/action writes it.
 */
import { statusOf, type CheckRecord, type Diagnosis, type HousekeepingReport, type ReleaseResult, type ReleaseStatus, type UploadRecord } from '../model/results.js';
import { renderDiagnosis } from './diagnosis.js';
import { formatMs, formatSize } from './format.js';
import { planSteps } from './plan.js';

const STATUS_BADGE: Record<ReleaseStatus, string> = {
  deployed: '✅ deployed',
  unchanged: '⏸️ unchanged',
  promoted: '✅ promoted',
  'rolled-back': '↩️ rolled back',
  failed: '❌ failed',
};

export interface SummaryContext {
  region?: string;
  /** Link to the workflow run, when known. */
  runUrl?: string;
}

/** Every outcome's fields side by side, for the renderers: what an outcome does not have is undefined. */
export interface ResultView {
  command: ReleaseResult['command'];
  status: ReleaseStatus;
  stage: string;
  functionName: string;
  alias: string;
  commit?: string;
  previousVersion?: string;
  /** Where the alias ends (for a stranded release: where it may be). */
  version?: string;
  candidateVersion?: string;
  codeSha256?: string;
  aliasArn?: string;
  upload?: UploadRecord;
  settingsChanged: string[];
  smoke?: CheckRecord['smoke'];
  invoke?: CheckRecord['invoke'];
  traffic?: CheckRecord['traffic'];
  gates?: CheckRecord['gates'];
  forced?: boolean;
  housekeeping?: HousekeepingReport;
  diagnosis?: Diagnosis;
  error?: string;
  repair?: { error: string; command: string };
  plan?: string[];
  steps: ReleaseResult['steps'];
  durationMs: number;
}

export function viewOf(result: ReleaseResult): ResultView {
  const { kind: _kind, ...fields } = result;
  const checks = 'checks' in result ? result.checks : undefined;
  const view: ResultView = {
    ...('settingsChanged' in result ? {} : { settingsChanged: [] }),
    ...(fields as Omit<ResultView, 'status' | 'plan'>),
    status: statusOf(result),
    ...(checks !== undefined && checks),
    ...(result.kind === 'dry-run' && { plan: planSteps(result.plan) }),
    ...(result.kind === 'dry-run' && result.plan.target.kind === 'existing' && { candidateVersion: result.plan.target.version }),
    ...(result.kind === 'stranded' && { version: result.candidateVersion }),
    // A release checked the version it shipped.
    ...(result.kind === 'released' && { candidateVersion: result.version }),
  };
  return view;
}

export function renderSummary(outcome: ReleaseResult, context: SummaryContext = {}): string {
  const result = viewOf(outcome);
  const lines: string[] = [];
  const badge = result.plan !== undefined ? '🧪 dry run, nothing changed' : STATUS_BADGE[result.status];
  lines.push(`## stage-deploy ${result.command} · ${result.stage}: ${badge}`, '');
  if (result.plan !== undefined) {
    lines.push('What it would do:', '', ...result.plan.map((step, i) => `${i + 1}. ${escapeCell(step)}`), '');
  }
  if (result.error) lines.push(`> **${escapeCell(result.error)}**`, '');
  if (result.repair) {
    lines.push('> [!CAUTION]', `> The alias could not be put back (${escapeCell(result.repair.error)}). Repair it by hand:`, '');
    lines.push('```sh', result.repair.command, '```', '');
  }

  if (result.forced) lines.push('> [!WARNING]', '> `force: true`: the alarm gates were **skipped** for this release.', '');
  if (result.steps.length > 0) lines.push(renderTimeline(result), '');
  if (result.traffic !== undefined && result.traffic.length > 1) lines.push(renderTraffic(result), '');

  const rows: [string, string][] = [
    ['Stage', result.stage],
    ['Function', `\`${result.functionName}\`${context.region ? ` (${context.region})` : ''}`],
    ['Alias', `\`${result.alias}\``],
    ['Version', versionMove(result)],
  ];
  if (result.codeSha256) rows.push(['Code SHA-256', `\`${result.codeSha256}\``]);
  if (result.commit) rows.push(['Commit', `\`${result.commit.slice(0, 12)}\``]);
  if (result.upload && result.upload.kind !== 'none') rows.push(['Upload', describeUpload(result.upload)]);
  if (result.settingsChanged.length > 0) rows.push(['Settings changed', result.settingsChanged.map((s) => `\`${s}\``).join(', ')]);
  if (result.housekeeping?.deleted.length) rows.push(['Versions deleted (keep-versions)', result.housekeeping.deleted.join(', ')]);
  if (result.housekeeping?.retention) {
    const r = result.housekeeping.retention;
    rows.push(['Log retention', `\`${r.logGroup}\`: ${r.days} days (${r.outcome})`]);
  }
  if (result.invoke) rows.push(['Invoke check', `${result.invoke.ok ? '✅' : '❌'} ${escapeCell(result.invoke.summary)}`]);
  const gate = result.gates?.at(-1);
  if (gate) {
    const parts = gate.alarms.map((a) => `${a.name}: ${a.state}`);
    if (gate.invocations !== undefined) parts.push(`version ${result.candidateVersion ?? ''}: ${gate.errors ?? 0} errors / ${gate.invocations} invocations`);
    rows.push(['Gates (last reading)', escapeCell(parts.join('; ') || '—')]);
  }
  rows.push(['Smoke test', result.smoke ? `${result.smoke.ok ? '✅' : '❌'} ${escapeCell(result.smoke.summary)}` : '—']);
  rows.push(['Duration', formatMs(result.durationMs)]);
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  if (result.diagnosis) lines.push(renderDiagnosis(result.diagnosis));

  if (result.smoke && result.smoke.attempts.length > 0) {
    // Open when the check failed: the answers the endpoint gave are the first thing to read.
    lines.push(`<details${result.smoke.ok ? '' : ' open'}><summary>Smoke attempts</summary>`, '');
    lines.push('| # | Request | Status | Latency | Body (start) |', '|---|---|---|---|---|');
    for (const a of result.smoke.attempts) {
      const status = a.status === undefined ? `no answer${a.problem ? ` (${a.problem})` : ''}` : `${a.ok ? '✅' : '❌'} ${a.status}`;
      lines.push(
        `| ${a.attempt} | ${a.method} ${escapeCell(a.url)} | ${escapeCell(status)} | ${formatMs(a.latencyMs)} | ${codeCell(a.bodyExcerpt.slice(0, 120))} |`,
      );
    }
    lines.push('', '</details>', '');
  }

  if (result.steps.length > 0) {
    lines.push('<details><summary>Steps</summary>', '');
    lines.push('| Step | Started | Took | |', '|---|---|---|---|');
    for (const step of result.steps) {
      lines.push(`| ${step.name} | +${formatMs(step.startMs)} | ${formatMs(step.durationMs)} | ${step.ok ? '✅' : '❌'} |`);
    }
    lines.push('', '</details>', '');
  }
  if (context.runUrl) lines.push(`[Workflow run](${context.runUrl})`, '');
  return lines.join('\n');
}

/**
 * The run's steps and how long each took, as a Mermaid gantt chart GitHub renders: failed
 * steps (a smoke test that failed) and the rollback stand out in red.
 */
function renderTimeline(result: ResultView): string {
  const lines = ['```mermaid', 'gantt', `  title ${result.command} ${result.stage}: ${result.status}`, '  dateFormat x', '  axisFormat %M:%S'];
  lines.push(`  section ${result.alias}`);
  for (const step of result.steps) {
    const tag = !step.ok || step.name === 'rollback' ? 'crit, ' : 'done, ';
    const end = step.startMs + Math.max(1, step.durationMs);
    lines.push(`  ${step.name} (${formatMs(step.durationMs)}) :${tag}${step.startMs}, ${end}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/**
 * The weight on the new version over time, as a Mermaid line chart: each step, and the drop to
 * 0 at a rollback.
 */
function renderTraffic(result: ResultView): string {
  const points = result.traffic ?? [];
  const labels: string[] = [];
  const values: number[] = [];
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (previous !== undefined) {
      // Hold the previous weight until this change: a step, not a slope.
      labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
      values.push(previous.percent);
    }
    labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
    values.push(point.percent);
  });
  const rolledBack = points.at(-1)?.percent === 0;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Traffic on version ${result.candidateVersion ?? ''} (%)${rolledBack ? ', rolled back' : ''}"`,
    `  x-axis [${labels.join(', ')}]`,
    '  y-axis "percent" 0 --> 100',
    `  line [${values.join(', ')}]`,
    '```',
  ].join('\n');
}

/** `7 → 8`, `— → 1` on a first deploy, `8 → 9 → 8 (rolled back)` after a rollback. */
export function versionMove(result: ResultView): string {
  const from = result.previousVersion ?? '—';
  if (result.status === 'rolled-back' && result.command !== 'rollback' && result.candidateVersion) {
    return `${from} → ${result.candidateVersion} → ${result.version ?? '— (alias removed)'} (rolled back)`;
  }
  if (result.status === 'unchanged') return `${result.version ?? '—'} (unchanged)`;
  return `${from} → ${result.version ?? result.candidateVersion ?? '—'}`;
}

function describeUpload(upload: UploadRecord): string {
  const size = formatSize(upload.sizeBytes);
  if (upload.kind === 's3') return `s3://${upload.bucket}/${upload.key} (${size}${upload.alreadyThere ? ', already there' : ''})`;
  return `direct (${size})`;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function codeCell(text: string): string {
  const clean = escapeCell(text).replace(/`/g, "'");
  return clean ? `\`${clean}\`` : '';
}
