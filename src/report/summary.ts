/**
 * The job summary, rendered from a command's result. Pure: src/action writes it.
 */
import { statusOf, type CheckRecord, type Diagnosis, type HousekeepingReport, type ReleaseResult, type ReleaseStatus, type TrafficPoint, type UploadRecord } from '../model/results.js';
import type { ImageRecord } from '../model/lambda.js';
import { renderDiagnosis } from './diagnosis.js';
import { formatMs, formatSize } from './format.js';
import { codeBlock, codeSpan, fitSummary, inline, mermaidText, moreNote } from './markdown.js';
import { planSteps } from './plan.js';

/** What one summary shows at most; the rest is counted (`… and 3 more attempts`). */
export const SUMMARY_CAPS = {
  /** Smoke attempts: the first and the last half of this many. */
  attempts: 20,
  planLines: 20,
  steps: 50,
  settingsChanged: 20,
  deletedVersions: 20,
  alarms: 20,
  trafficPoints: 100,
  /** Characters of the error line and the repair error. */
  errorChars: 1000,
  /** Characters of a smoke body shown in its cell. */
  bodyChars: 120,
} as const;

export const STATUS_BADGE: Record<ReleaseStatus, string> = {
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
  /** A container-image function: the image by digest, and the tag it was resolved from. */
  image?: ImageRecord;
  aliasArn?: string;
  upload?: UploadRecord;
  settingsChanged: string[];
  codeStorageWarning?: string;
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

/** An image as the summary shows it: the URI pinned by digest, and the tag it came from (`tag v2`). */
export function imageCell(image: ImageRecord): string {
  const cell = { cell: true } as const;
  return `${codeSpan(image.uri, cell)}${image.tag !== undefined ? ` (tag ${codeSpan(image.tag, cell)})` : ''}`;
}

export function renderSummary(outcome: ReleaseResult, context: SummaryContext = {}): string {
  const result = viewOf(outcome);
  const lines: string[] = [];
  const badge = result.plan !== undefined ? '🧪 dry run, nothing changed' : STATUS_BADGE[result.status];
  lines.push(`## stage-deploy ${result.command} · ${inline(result.stage, 100)}: ${badge}`, '');
  if (result.plan !== undefined) {
    const steps = result.plan.slice(0, SUMMARY_CAPS.planLines);
    lines.push('What it would do:', '', ...steps.map((step, i) => `${i + 1}. ${inline(step)}`), ...moreNote(result.plan.length - steps.length, 'steps'), '');
  }
  if (result.error) lines.push(`> **${inline(result.error, SUMMARY_CAPS.errorChars)}**`, '');
  if (result.repair) {
    lines.push('> [!CAUTION]', `> The alias could not be put back (${inline(result.repair.error, SUMMARY_CAPS.errorChars)}). Repair it by hand:`, '');
    lines.push(codeBlock([result.repair.command], 'sh', { maxLines: 20, maxLineChars: 2000 }), '');
  }

  if (result.forced) lines.push('> [!WARNING]', '> `force: true`: the alarm gates were **skipped** for this release.', '');
  if (result.codeStorageWarning) lines.push('> [!WARNING]', `> ${inline(result.codeStorageWarning, SUMMARY_CAPS.errorChars)}`, '');
  if (result.steps.length > 0) lines.push(renderTimeline(result), '');
  if (result.traffic !== undefined && result.traffic.length > 1) lines.push(renderTraffic(result), '');

  const cell = { cell: true } as const;
  const rows: [string, string][] = [
    ['Stage', inline(result.stage)],
    ['Function', `${codeSpan(result.functionName, cell)}${context.region ? ` (${inline(context.region)})` : ''}`],
    ['Alias', codeSpan(result.alias, cell)],
    ['Version', inline(versionMove(result))],
  ];
  if (result.codeSha256) rows.push(['Code SHA-256', codeSpan(result.codeSha256, cell)]);
  if (result.image) rows.push(['Image', imageCell(result.image)]);
  if (result.commit) rows.push(['Commit', codeSpan(result.commit.slice(0, 12), cell)]);
  if (result.upload && result.upload.kind !== 'none') rows.push(['Upload', describeUpload(result.upload)]);
  if (result.settingsChanged.length > 0) {
    const shown = result.settingsChanged.slice(0, SUMMARY_CAPS.settingsChanged);
    const more = result.settingsChanged.length - shown.length;
    rows.push(['Settings changed', shown.map((s) => codeSpan(s, cell)).join(', ') + (more > 0 ? ` and ${more} more` : '')]);
  }
  if (result.housekeeping?.deleted.length) {
    const deleted = result.housekeeping.deleted;
    const more = deleted.length - SUMMARY_CAPS.deletedVersions;
    rows.push(['Versions deleted (keep-versions)', inline(deleted.slice(0, SUMMARY_CAPS.deletedVersions).join(', ')) + (more > 0 ? ` and ${more} more` : '')]);
  }
  if (result.housekeeping?.retention) {
    const r = result.housekeeping.retention;
    rows.push(['Log retention', `${codeSpan(r.logGroup, cell)}: ${r.days} days (${r.outcome})`]);
  }
  if (result.invoke) rows.push(['Invoke check', `${result.invoke.ok ? '✅' : '❌'} ${inline(result.invoke.summary)}`]);
  const gate = result.gates?.at(-1);
  if (gate) {
    const parts = gate.alarms.slice(0, SUMMARY_CAPS.alarms).map((a) => `${a.name}: ${a.state}`);
    if (gate.alarms.length > SUMMARY_CAPS.alarms) parts.push(`and ${gate.alarms.length - SUMMARY_CAPS.alarms} more alarms`);
    if (gate.invocations !== undefined) parts.push(`version ${result.candidateVersion ?? ''}: ${gate.errors ?? 0} errors / ${gate.invocations} invocations`);
    rows.push(['Gates (last reading)', inline(parts.join('; ') || '—', 2 * SUMMARY_CAPS.errorChars)]);
  }
  rows.push(['Smoke test', result.smoke ? `${result.smoke.ok ? '✅' : '❌'} ${inline(result.smoke.summary)}` : '—']);
  rows.push(['Duration', formatMs(result.durationMs)]);
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  if (result.diagnosis) lines.push(renderDiagnosis(result.diagnosis));

  if (result.smoke && result.smoke.attempts.length > 0) lines.push(renderSmokeAttempts(result.smoke), '');

  if (result.steps.length > 0) {
    lines.push('<details><summary>Steps</summary>', '');
    lines.push('| Step | Started | Took | |', '|---|---|---|---|');
    const steps = result.steps.slice(0, SUMMARY_CAPS.steps);
    for (const step of steps) {
      lines.push(`| ${inline(step.name)} | +${formatMs(step.startMs)} | ${formatMs(step.durationMs)} | ${step.ok ? '✅' : '❌'} |`);
    }
    lines.push('', ...moreNote(result.steps.length - steps.length, 'steps'), '</details>', '');
  }
  if (context.runUrl) lines.push(/^https?:\/\/[^\s()<>]+$/.test(context.runUrl) ? `[Workflow run](${context.runUrl})` : `Workflow run: ${inline(context.runUrl)}`, '');
  return fitSummary(lines.join('\n'));
}

/** The smoke attempts, folded (open when the check failed: the answers the endpoint gave are the first thing to read). */
export function renderSmokeAttempts(smoke: NonNullable<CheckRecord['smoke']>): string {
  const lines = [`<details${smoke.ok ? '' : ' open'}><summary>Smoke attempts</summary>`, ''];
  lines.push('| # | Request | Status | Latency | Body (start) |', '|---|---|---|---|---|');
  const attempts = smoke.attempts;
  const { head, skipped, tail } = headAndTail(attempts, SUMMARY_CAPS.attempts);
  const row = (a: (typeof attempts)[number]) => {
    const status = a.status === undefined ? `no answer${a.problem ? ` (${a.problem})` : ''}` : `${a.ok ? '✅' : '❌'} ${a.status}`;
    return `| ${a.attempt} | ${inline(`${a.method} ${a.url}`)} | ${inline(status)} | ${formatMs(a.latencyMs)} | ${codeSpan(a.bodyExcerpt, { cell: true, max: SUMMARY_CAPS.bodyChars })} |`;
  };
  lines.push(...head.map(row));
  if (skipped > 0) lines.push(`| … | ${skipped} more attempts | | | |`);
  lines.push(...tail.map(row));
  lines.push('', '</details>');
  return lines.join('\n');
}

/** The first and the last of `items`, `max` in all, and how many were left out between. */
function headAndTail<T>(items: readonly T[], max: number): { head: T[]; skipped: number; tail: T[] } {
  if (items.length <= max) return { head: [...items], skipped: 0, tail: [] };
  const headCount = Math.ceil(max / 2);
  const tailCount = max - headCount;
  return { head: items.slice(0, headCount), skipped: items.length - max, tail: items.slice(items.length - tailCount) };
}

/**
 * The run's steps and how long each took, as a Mermaid gantt chart GitHub renders: failed
 * steps (a smoke test that failed) and the rollback stand out in red.
 */
function renderTimeline(result: ResultView): string {
  const lines = ['```mermaid', 'gantt', `  title ${result.command} ${mermaidText(result.stage)}: ${result.status}`, '  dateFormat x', '  axisFormat %M:%S'];
  lines.push(`  section ${mermaidText(result.alias)}`);
  for (const step of result.steps.slice(0, SUMMARY_CAPS.steps)) {
    const tag = !step.ok || step.name === 'rollback' ? 'crit, ' : 'done, ';
    const start = Math.round(step.startMs);
    const end = start + Math.max(1, Math.round(step.durationMs));
    lines.push(`  ${mermaidText(step.name)} (${formatMs(step.durationMs)}) :${tag}${start}, ${end}`);
  }
  lines.push('```');
  return lines.join('\n');
}

/**
 * The weight on the new version over time, as a Mermaid line chart: each step, and the drop to
 * 0 at a rollback.
 */
function renderTraffic(result: ResultView): string {
  return renderTrafficChart(result.traffic ?? [], `Traffic on version ${mermaidText(result.candidateVersion ?? '')} (%)`);
}

/** Percent on the new version(s) over time, as a Mermaid line chart; `title` is Mermaid-safe text. */
export function renderTrafficChart(all: readonly TrafficPoint[], title: string): string {
  // A long rollout: its first points and its end (where it was rolled back, or finished).
  const points = all.length > SUMMARY_CAPS.trafficPoints ? [...all.slice(0, SUMMARY_CAPS.trafficPoints - 1), ...all.slice(-1)] : all;
  const labels: string[] = [];
  const values: number[] = [];
  points.forEach((point, i) => {
    const previous = points[i - 1];
    if (previous !== undefined) {
      // Hold the previous weight until this change: a step, not a slope.
      labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
      values.push(chartNumber(previous.percent));
    }
    labels.push(`"${(point.atMs / 1000).toFixed(1)}s"`);
    values.push(chartNumber(point.percent));
  });
  const rolledBack = points.at(-1)?.percent === 0;
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${title}${rolledBack ? ', rolled back' : ''}"`,
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
  if (upload.kind === 's3') return `${inline(`s3://${upload.bucket}/${upload.key}`)} (${size}${upload.alreadyThere ? ', already there' : ''})`;
  return `direct (${size})`;
}

/** A number for a Mermaid chart: finite, or 0. */
function chartNumber(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
