/**
 * The job summary of a release of several units (functions × regions): one table with a row per
 * unit, one picture (the steps of every unit on one timeline; the traffic weight once, since a
 * progressive shift moves every alias together), then what went wrong with each unit that failed.
 * A one-unit release keeps summary.ts's own summary. Pure: src/action writes it; every value the
 * action did not write itself goes through markdown.ts.
 */
import { isSuccess } from '../model/results.js';
import { renderDiagnosis } from './diagnosis.js';
import { formatMs } from './format.js';
import { codeBlock, codeSpan, fitSummary, inline, mermaidText, moreNote } from './markdown.js';
import { failedUnit, releaseStatus, spansRegions, unitCount, unitRegion, type UnitOutcome } from './release.js';
import { imageCell, renderSmokeAttempts, renderTrafficChart, STATUS_BADGE, SUMMARY_CAPS, versionMove, viewOf, type ResultView, type SummaryContext } from './summary.js';

/** What one summary of several units shows at most. */
export const RELEASE_SUMMARY_CAPS = {
  /** Rows of the release table. */
  units: 200,
  /** Sections (units) of the timeline: beyond, the chart would be taller than useful. */
  timelineUnits: 12,
  /** Steps of one unit on the timeline. */
  stepsPerUnit: 12,
  /** Failed units explained below the table (diagnosis, smoke attempts). */
  explained: 5,
  /** Characters of a smoke summary in a table cell. */
  checkChars: 160,
} as const;

export function renderReleaseSummary(units: readonly UnitOutcome[], context: Omit<SummaryContext, 'region'> & { defaultRegion?: string } = {}): string {
  const first = units[0];
  if (first === undefined) return '';
  const head = viewOf(first.result);
  const status = releaseStatus(units);
  const dryRun = units.some((unit) => unit.result.kind === 'dry-run');
  const badge = dryRun ? '🧪 dry run, nothing changed' : STATUS_BADGE[status];
  const count = unitCount(units, context.defaultRegion);
  const lines: string[] = [`## stage-deploy ${head.command} · ${inline(head.stage, 100)}: ${badge}`, ''];
  lines.push(`${count}, released as one: every version published and checked before any alias moves; if any check fails, every alias goes back.`, '');

  const views = units.map((unit) => viewOf(unit.result));
  if (!units.every((unit) => isSuccess(unit.result))) {
    const cause = failedUnit(units);
    if (cause !== undefined) {
      const view = viewOf(cause.result);
      lines.push(`> **${inline(`${cause.settings.functionName}${regionSuffix(cause, units, context.defaultRegion)}: ${view.error ?? view.status}`, SUMMARY_CAPS.errorChars)}**`, '');
    }
  }
  units.forEach((unit, i) => {
    const view = views[i];
    if (view?.repair === undefined) return;
    lines.push(
      '> [!CAUTION]',
      `> The alias of ${codeSpan(unit.settings.functionName)}${regionSuffix(unit, units, context.defaultRegion)} could not be put back (${inline(view.repair.error, SUMMARY_CAPS.errorChars)}). Repair it by hand:`,
      '',
    );
    lines.push(codeBlock([view.repair.command], 'sh', { maxLines: 20, maxLineChars: 2000 }), '');
  });
  if (views.some((view) => view.forced)) lines.push('> [!WARNING]', '> `force: true`: the alarm gates were **skipped** for this release.', '');
  for (const warning of new Set(views.map((view) => view.codeStorageWarning).filter((w): w is string => Boolean(w)))) {
    lines.push('> [!WARNING]', `> ${inline(warning, SUMMARY_CAPS.errorChars)}`, '');
  }

  if (views.some((view) => view.steps.length > 0)) lines.push(renderTimelines(units, views, status, context.defaultRegion), '');
  // A progressive shift moves every alias by the same steps: one line says it for all.
  const traffic = views.find((view) => view.traffic !== undefined && view.traffic.length > 1)?.traffic;
  if (traffic !== undefined) lines.push(renderTrafficChart(traffic, 'Traffic on the new versions (%)'), '');

  lines.push(...releaseTable(units, views, context.defaultRegion), '');

  const cell = { cell: true } as const;
  const rows: [string, string][] = [['Stage', inline(head.stage)]];
  const aliases = new Set(views.map((view) => view.alias));
  if (aliases.size === 1) rows.push(['Alias', codeSpan(head.alias, cell)]);
  // One commit builds the whole release.
  const commit = views.find((view) => view.commit)?.commit;
  if (commit) rows.push(['Commit', codeSpan(commit.slice(0, 12), cell)]);
  rows.push(['Duration', formatMs(Math.max(...views.map((view) => view.durationMs)))]);
  lines.push('| | |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`), '');

  // What went wrong, unit by unit: the one that failed first, then the others with something to
  // show (a smoke test cut short by the release's cancel shows nothing of its own).
  const cause = failedUnit(units);
  const explained = units
    .map((unit, i) => ({ unit, view: views[i] }))
    .filter(
      (x): x is { unit: UnitOutcome; view: ResultView } =>
        x.view !== undefined &&
        (x.view.diagnosis !== undefined || (x.view.smoke?.ok === false && x.view.smoke.cancelled !== true) || x.view.invoke?.ok === false),
    )
    .sort((a, b) => Number(b.unit === cause) - Number(a.unit === cause));
  for (const { unit, view } of explained.slice(0, RELEASE_SUMMARY_CAPS.explained)) {
    lines.push(`**${inline(`${unit.settings.functionName}${regionSuffix(unit, units, context.defaultRegion)}`)}**: ${inline(view.error ?? view.status, SUMMARY_CAPS.errorChars)}`, '');
    if (view.diagnosis) lines.push(renderDiagnosis(view.diagnosis));
    if (view.smoke && view.smoke.attempts.length > 0) lines.push(renderSmokeAttempts(view.smoke), '');
  }
  lines.push(...moreNote(explained.length - RELEASE_SUMMARY_CAPS.explained, 'failed functions (the log has them)'));

  if (context.runUrl) lines.push(/^https?:\/\/[^\s()<>]+$/.test(context.runUrl) ? `[Workflow run](${context.runUrl})` : `Workflow run: ${inline(context.runUrl)}`, '');
  return fitSummary(lines.join('\n'));
}

/** ` (eu-west-1)` when the release spans regions, else nothing. */
function regionSuffix(unit: UnitOutcome, units: readonly UnitOutcome[], defaultRegion?: string): string {
  const region = unitRegion(unit, defaultRegion);
  return spansRegions(units, defaultRegion) && region ? ` (${region})` : '';
}

/** The release as one table: a row per function and region. */
function releaseTable(units: readonly UnitOutcome[], views: readonly (ResultView | undefined)[], defaultRegion?: string): string[] {
  const cell = { cell: true } as const;
  const aliases = new Set(views.map((view) => view?.alias));
  const lines = ['| Function | Region | What happened | Version | Code | Checks |', '|---|---|---|---|---|---|'];
  units.slice(0, RELEASE_SUMMARY_CAPS.units).forEach((unit, i) => {
    const view = views[i];
    if (view === undefined) return;
    const name = codeSpan(unit.settings.functionName, cell) + (aliases.size > 1 ? ` → ${codeSpan(view.alias, cell)}` : '');
    const code = [
      ...(view.codeSha256 ? [codeSpan(`${view.codeSha256.slice(0, 12)}…`, cell)] : []),
      ...(view.image ? [imageCell(view.image)] : unit.settings.image ? [codeSpan(unit.settings.image, cell)] : []),
    ];
    lines.push(
      `| ${name} | ${inline(unitRegion(unit, defaultRegion) || '—')} | ${STATUS_BADGE[view.status]} | ${inline(versionMove(view))} | ${code.join(' · ') || '—'} | ${checksCell(view)} |`,
    );
  });
  lines.push(...moreNote(units.length - RELEASE_SUMMARY_CAPS.units, 'functions'));
  return lines;
}

/** A unit's checks in one cell: invoke, smoke, the gates' last reading. */
function checksCell(view: ResultView): string {
  const parts: string[] = [];
  if (view.invoke) parts.push(`${view.invoke.ok ? '✅' : '❌'} invoke`);
  if (view.smoke) parts.push(`${view.smoke.ok ? '✅' : '❌'} ${inline(view.smoke.summary, RELEASE_SUMMARY_CAPS.checkChars)}`);
  const gate = view.gates?.at(-1);
  if (gate) {
    const alarming = gate.alarms.filter((a) => a.state === 'ALARM').length;
    const gateParts = [`${gate.alarms.length} alarms${alarming > 0 ? `, ${alarming} in ALARM` : ''}`];
    if (gate.invocations !== undefined) gateParts.push(`${gate.errors ?? 0} errors / ${gate.invocations} invocations`);
    parts.push(`gates: ${gateParts.join(', ')}`);
  }
  return parts.join('; ') || '—';
}

/**
 * Every unit's steps on one Mermaid gantt chart, a section per unit: the steps run side by side,
 * and a failed check and the rollbacks stand out in red.
 */
function renderTimelines(units: readonly UnitOutcome[], views: readonly (ResultView | undefined)[], status: string, defaultRegion?: string): string {
  const head = views[0];
  const lines = ['```mermaid', 'gantt', `  title ${head?.command ?? ''} ${mermaidText(head?.stage ?? '')}: ${status}`, '  dateFormat x', '  axisFormat %M:%S'];
  const withRegion = spansRegions(units, defaultRegion);
  units.slice(0, RELEASE_SUMMARY_CAPS.timelineUnits).forEach((unit, i) => {
    const view = views[i];
    if (view === undefined || view.steps.length === 0) return;
    const region = unitRegion(unit, defaultRegion);
    lines.push(`  section ${mermaidText(`${unit.settings.functionName}${withRegion && region ? ` ${region}` : ''}`)}`);
    for (const step of view.steps.slice(0, RELEASE_SUMMARY_CAPS.stepsPerUnit)) {
      const tag = !step.ok || step.name === 'rollback' ? 'crit, ' : 'done, ';
      const start = Math.round(step.startMs);
      const end = start + Math.max(1, Math.round(step.durationMs));
      lines.push(`  ${mermaidText(step.name)} (${formatMs(step.durationMs)}) :${tag}${start}, ${end}`);
    }
  });
  lines.push('```');
  const more = units.length - RELEASE_SUMMARY_CAPS.timelineUnits;
  if (more > 0) lines.push(...moreNote(more, 'functions on the timeline (every one is in the table)'));
  return lines.join('\n');
}
