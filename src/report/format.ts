/**
 * One set of formatters for everything the action prints: sizes, durations (as configured, and
 * as measured), percentages and traffic weights. Pure.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `12 KB`, `61.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A configured duration, as a user writes it in the stages file: 500 → `500ms`, 2000 → `2s`,
 * 1500 → `1.5s`, 300000 → `5m`, 3600000 → `1h`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(Math.round(ms));
  if (abs === 0) return '0s';
  if (abs < 1000) return `${sign}${abs}ms`;
  if (abs % UNIT_MS.h === 0) return `${sign}${abs / UNIT_MS.h}h`;
  if (abs % UNIT_MS.m === 0) return `${sign}${abs / UNIT_MS.m}m`;
  return `${sign}${(abs / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;
}

/** A measured time, for people: `41 ms`, `1.2 s`, `12 s`, `1 min 5 s`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(Math.round(ms / 100) / 10).toString()} s`;
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A measured time that may be missing: `—` or `41 ms`. */
export function formatOptionalMs(ms: number | undefined): string {
  return ms === undefined ? '—' : formatMs(ms);
}

/** A fraction as a percentage, at most two decimals: 0.1 → `10%`, 0.0125 → `1.25%`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100}%`;
}

/** Traffic weights in flight: `version 8 at 10%, version 9 at 5%`. */
export function formatWeights(weights: Record<string, number>): string {
  return Object.entries(weights)
    .map(([version, weight]) => `version ${version} at ${formatPercent(weight)}`)
    .join(', ');
}
