import type { Diagnosis } from '../model/results.js';
import { formatOptionalMs } from './format.js';
import { codeBlock, codeSpan, inline } from './markdown.js';

/** Lines of what the function said, at most, in the summary. */
export const DIAGNOSIS_LINE_CAP = 20;

/** The diagnosis as Markdown, for the job summary: the function's own words in a code block, the rest escaped. */
export function renderDiagnosis(d: Diagnosis): string {
  const version = inline(d.version, 40);
  const lines = [`### What went wrong with version ${version}`, ''];
  lines.push(`**What the function said** (${codeSpan(d.logGroup)}, streams of version ${version}):`, '');
  if (d.lines.length > 0) lines.push(codeBlock(d.lines, 'text', { maxLines: DIAGNOSIS_LINE_CAP }), '');
  else lines.push(`_${inline(d.logsNote ?? 'nothing')}_`, '');
  lines.push('**What the metrics said** (over the release):', '');
  if (d.metrics) {
    lines.push('| | Invocations | Errors | Throttles | Duration p95 |', '|---|---|---|---|---|');
    lines.push(`| version ${version} | ${d.metrics.invocations} | ${d.metrics.errors} | ${d.metrics.throttles} | ${formatOptionalMs(d.metrics.durationP95Ms)} |`, '');
  }
  if (d.api) {
    lines.push('| API Gateway | 4XXError | 5XXError | Latency p95 |', '|---|---|---|---|');
    lines.push(`| ${inline(d.api.id)} (${inline(d.api.stage)}) | ${d.api.errors4xx} | ${d.api.errors5xx} | ${formatOptionalMs(d.api.latencyP95Ms)} |`, '');
  }
  if (d.metricsNote) lines.push(`_${inline(d.metricsNote)}_`, '');
  return lines.join('\n');
}

/** The diagnosis as log lines. */
export function diagnosisLog(d: Diagnosis): string[] {
  const out = [`What version ${d.version} said in ${d.logGroup}:`];
  if (d.lines.length > 0) out.push(...d.lines.map((l) => `  ${l}`));
  else out.push(`  (${d.logsNote ?? 'nothing'})`);
  if (d.metrics) {
    out.push(
      `Metrics of version ${d.version} over the release: ${d.metrics.invocations} invocations, ${d.metrics.errors} errors, ` +
        `${d.metrics.throttles} throttles, p95 duration ${formatOptionalMs(d.metrics.durationP95Ms)}`,
    );
  }
  if (d.api) out.push(`API ${d.api.id} (${d.api.stage}): ${d.api.errors4xx} 4XX, ${d.api.errors5xx} 5XX, p95 latency ${formatOptionalMs(d.api.latencyP95Ms)}`);
  if (d.metricsNote) out.push(d.metricsNote);
  return out;
}

