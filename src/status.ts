/**
 * status: changes nothing. For each stage, what its alias runs: version, code hash, when and
 * from which commit it was released, the releases before it, and any traffic split in flight.
 */
import { parseHistory, type Release } from './release-history.js';
import { errorMessage, type FunctionReport, type LambdaGateway, type ReportMetrics, type StageSettings } from './types.js';

export interface StageStatus {
  stage: string;
  functionName: string;
  alias: string;
  region?: string;
  /** undefined when the alias does not exist (never released) or the function is missing. */
  version?: string;
  aliasArn?: string;
  codeSha256?: string;
  /** The current release as recorded in the alias (commit, time); undefined when not recorded. */
  release?: Release;
  /** Earlier releases, newest first: where a rollback goes. */
  earlier: Release[];
  /** version → weight of a split in flight; empty when none. */
  weights: Record<string, number>;
  /** Why the stage could not be read (missing function, access denied, ...). */
  problem?: string;
  /** The current version's metrics over the last hour, like Zappa's status: which stage is unwell. */
  lastHour?: FunctionReport;
  lastHourNote?: string;
}

export async function stageStatus(
  settings: StageSettings,
  lambda: LambdaGateway,
  metrics?: ReportMetrics,
  now: () => Date = () => new Date(),
): Promise<StageStatus> {
  const base: StageStatus = {
    stage: settings.stage,
    functionName: settings.functionName,
    alias: settings.alias,
    ...(settings.region !== undefined && { region: settings.region }),
    earlier: [],
    weights: {},
  };
  try {
    const alias = await lambda.getAlias(settings.functionName, settings.alias);
    if (alias === undefined) {
      const fn = await lambda.getVersion(settings.functionName);
      return { ...base, problem: fn === undefined ? `function ${settings.functionName} does not exist` : 'not released yet (no alias)' };
    }
    const until = now();
    const [version, lastHour] = await Promise.all([
      lambda.getVersion(settings.functionName, alias.version),
      metrics
        ?.functionReport(settings.functionName, settings.alias, alias.version, new Date(until.getTime() - 3_600_000), until)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    ]);
    const history = parseHistory(alias.description);
    const release = history.find((r) => r.version === alias.version);
    return {
      ...base,
      version: alias.version,
      aliasArn: alias.arn,
      ...(version !== undefined && { codeSha256: version.codeSha256 }),
      ...(release !== undefined && { release }),
      earlier: history.filter((r) => r.version !== alias.version),
      weights: alias.weights,
      ...(lastHour instanceof Error ? { lastHourNote: `metrics could not be read: ${lastHour.message}` } : lastHour !== undefined ? { lastHour } : {}),
    };
  } catch (error) {
    return { ...base, problem: errorMessage(error) };
  }
}

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
            .map(([v, w]) => `${v}: ${Math.round(w * 1000) / 10}%`)
            .join(', ')
        : 'none',
      s.earlier.length > 0 ? s.earlier.map((r) => r.version).join(', ') : '—',
      s.lastHour
        ? `${s.lastHour.invocations} invocations, ${s.lastHour.errors} errors${s.lastHour.errors > 0 ? ' ⚠️' : ''}, p95 ${s.lastHour.durationP95Ms === undefined ? '—' : `${Math.round(s.lastHour.durationP95Ms)} ms`}`
        : (s.lastHourNote ?? '—'),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** `2026-11-22 10:00 UTC` */
export function formatTime(epochSeconds: number): string {
  return `${new Date(epochSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
