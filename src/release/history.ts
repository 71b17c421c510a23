import type { Release } from '../model/results.js';

/** Lambda's limit on an alias description. */
export const ALIAS_DESCRIPTION_LIMIT = 256;
const PREFIX = 'stage-deploy ';

/** Releases recorded in an alias description, newest first; [] for any other description. */
export function parseHistory(description: string | undefined): Release[] {
  if (!description?.startsWith(PREFIX)) return [];
  try {
    const data: unknown = JSON.parse(description.slice(PREFIX.length));
    if (typeof data !== 'object' || data === null || !Array.isArray((data as { r?: unknown }).r)) return [];
    const releases: Release[] = [];
    for (const entry of (data as { r: unknown[] }).r) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue;
      releases.push({
        version: entry[0],
        commit: typeof entry[1] === 'string' ? entry[1] : '',
        releasedAt: typeof entry[2] === 'number' ? entry[2] : 0,
      });
    }
    return releases;
  } catch {
    return [];
  }
}

/** The description that records `releases` (newest first), dropping the oldest to fit Lambda's limit. */
export function formatHistory(releases: Release[]): string {
  const entries = releases.map((r) => [r.version, r.commit, r.releasedAt]);
  for (let count = entries.length; count >= 0; count--) {
    const text = PREFIX + JSON.stringify({ r: entries.slice(0, count) });
    if (text.length <= ALIAS_DESCRIPTION_LIMIT) return text;
  }
  return PREFIX + '{"r":[]}';
}

/**
 * The history after a shift to `release`: it goes first; the release it replaces is kept next
 * (added with unknown commit and time when the alias predates stage-deploy), so that a rollback
 * always knows where to go.
 */
export function recordRelease(previous: Release[], replacedVersion: string | undefined, release: Release): Release[] {
  const earlier = [...previous];
  if (replacedVersion !== undefined && earlier[0]?.version !== replacedVersion) {
    earlier.unshift({ version: replacedVersion, commit: '', releasedAt: 0 });
  }
  return [release, ...earlier.filter((r) => r.version !== release.version)];
}

/**
 * The history after returning from `current` to `target`: the release rolled back from leaves
 * the list (so the next rollback goes further back, not forth), and `target` is first again.
 */
export function returnTo(history: Release[], current: string, target: string): Release[] {
  const rest = history.filter((r) => r.version !== current && r.version !== target);
  const known = history.find((r) => r.version === target) ?? { version: target, commit: '', releasedAt: 0 };
  return [known, ...rest];
}
