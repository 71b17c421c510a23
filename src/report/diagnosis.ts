import type { Diagnosis } from '../model/results.js';
import { formatOptionalMs } from './format.js';

/** The diagnosis as Markdown, for the job summary. */
export function renderDiagnosis(d: Diagnosis): string {
  const lines = [`### What went wrong with version ${d.version}`, ''];
  lines.push(`**What the function said** (\`${d.logGroup}\`, streams of version ${d.version}):`, '');
  if (d.lines.length > 0) lines.push('```text', ...d.lines, '```', '');
  else lines.push(`_${d.logsNote ?? 'nothing'}_`, '');
  lines.push('**What the metrics said** (over the release):', '');
  if (d.metrics) {
    lines.push('| | Invocations | Errors | Throttles | Duration p95 |', '|---|---|---|---|---|');
    lines.push(`| version ${d.version} | ${d.metrics.invocations} | ${d.metrics.errors} | ${d.metrics.throttles} | ${formatOptionalMs(d.metrics.durationP95Ms)} |`, '');
  }
  if (d.api) {
    lines.push('| API Gateway | 4XXError | 5XXError | Latency p95 |', '|---|---|---|---|');
    lines.push(`| ${d.api.id} (${d.api.stage}) | ${d.api.errors4xx} | ${d.api.errors5xx} | ${formatOptionalMs(d.api.latencyP95Ms)} |`, '');
  }
  if (d.metricsNote) lines.push(`_${d.metricsNote}_`, '');
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

