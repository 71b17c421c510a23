/**
 * A stage's release history, kept in its alias's description (see Release in model/results.ts).
 *
 * The rules:
 * - History only grows. Every shift adds an entry, newest first: a deploy or promote adds the
 *   version it released; a rollback adds the version it returned to (its commit, the time of the
 *   rollback) marked with the version it rolled back from: `["2","c2",1763790000,"3"]`. Nothing is
 *   ever removed except the oldest entries, when the description would exceed Lambda's 256
 *   characters; even then the current entry and the one a plain rollback would go to are kept.
 * - "The release before the current one", where a plain rollback goes: walk the history newest
 *   first, skipping the current version and every version that a NEWER rollback entry rolled
 *   back from; the first version left is it. So deploy 1, 2, 3; rollback → 2 (3 is marked);
 *   rollback → 1 (2 is marked, and 3 still is); deploy 4; rollback → 1 (the rollback entry for 1
 *   is the newest entry that is not 4, and nothing newer marks 1). A version released again
 *   after a rollback from it counts again: only markers newer than an entry skip it.
 * - Entries are checked on the way in and on the way out: a commit is a hex SHA of at most 40
 *   characters, recorded as its first 7; anything else is recorded as empty (with a warning).
 *   A version is a number of at most 10 digits; an entry with any other version is dropped when
 *   read, as is anything else malformed.
 */
import type { Release } from '../model/results.js';

/** Lambda's limit on an alias description. */
export const ALIAS_DESCRIPTION_LIMIT = 256;
const PREFIX = 'stage-deploy ';
const VERSION = /^[0-9]{1,10}$/;
const SHA = /^[0-9a-f]{1,40}$/i;
/** The newest time accepted (year 2100), in epoch seconds. */
const LATEST_TIME = 4_102_444_800;

/** A history entry: a release, and for a rollback, the version it rolled back from. */
export interface HistoryEntry extends Release {
  rolledBackFrom?: string;
}

/** Where a warning about a dropped value goes (the caller's log); `version` names the entry whose commit was dropped. */
export type Warn = (message: string, version?: string) => void;

/**
 * The commit as recorded: the first 7 characters of a hex SHA (at most 40), '' for '' and,
 * with a warning, for anything else. The value itself is never echoed: it may be anything.
 */
export function recordedCommit(commit: string, warn?: Warn, what = 'a commit', version?: string): string {
  if (commit === '') return '';
  if (SHA.test(commit)) return commit.slice(0, 7).toLowerCase();
  warn?.(`${what} is not a commit SHA (${commit.length} characters, expected at most 40 hex digits): recorded as unknown.`, version);
  return '';
}

/**
 * Releases recorded in an alias description, newest first; [] for any other description.
 * Malformed entries (a version that is no number of at most 10 digits, wrong types, absurd
 * lengths) are dropped, and a commit that is no SHA is read as unknown, each with a warning.
 */
export function parseHistory(description: string | undefined, warn?: Warn): HistoryEntry[] {
  if (!description?.startsWith(PREFIX)) return [];
  let data: unknown;
  try {
    data = JSON.parse(description.slice(PREFIX.length));
  } catch {
    warn?.('the release history is not valid JSON: read as empty.');
    return [];
  }
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { r?: unknown }).r)) return [];
  const releases: HistoryEntry[] = [];
  let dropped = 0;
  for (const entry of (data as { r: unknown[] }).r) {
    const parsed = parseEntry(entry, warn);
    if (parsed === undefined) dropped++;
    else releases.push(parsed);
  }
  if (dropped > 0) warn?.(`${dropped} malformed entr${dropped === 1 ? 'y' : 'ies'} of the release history dropped.`);
  return releases;
}

function parseEntry(entry: unknown, warn?: Warn): HistoryEntry | undefined {
  if (!Array.isArray(entry) || entry.length > 4) return undefined;
  const [version, commit, time, from]: unknown[] = entry;
  if (typeof version !== 'string' || !VERSION.test(version)) return undefined;
  if (commit !== undefined && typeof commit !== 'string') return undefined;
  if (from !== undefined && (typeof from !== 'string' || !VERSION.test(from))) return undefined;
  const releasedAt = typeof time === 'number' && Number.isInteger(time) && time >= 0 && time <= LATEST_TIME ? time : 0;
  return {
    version,
    commit: recordedCommit(commit ?? '', warn, `the commit recorded for version ${version}`, version),
    releasedAt,
    ...(from !== undefined && { rolledBackFrom: from }),
  };
}

/** The version a plain rollback goes to from `current` (see the rules above); undefined when none is left. */
export function rollbackTarget(history: HistoryEntry[], current: string): HistoryEntry | undefined {
  const rolledBackFrom = new Set<string>();
  for (const entry of history) {
    if (entry.version !== current && !rolledBackFrom.has(entry.version)) return entry;
    if (entry.rolledBackFrom !== undefined) rolledBackFrom.add(entry.rolledBackFrom);
  }
  return undefined;
}

/** The versions successive plain rollbacks from `current` would go to, in order (at most `limit`). */
export function rollbackChain(history: HistoryEntry[], current: string, limit = 5): HistoryEntry[] {
  const chain: HistoryEntry[] = [];
  let entries = history;
  let at = current;
  while (chain.length < limit) {
    const next = rollbackTarget(entries, at);
    if (next === undefined) break;
    chain.push(next);
    entries = returnTo(entries, { version: at, weights: {} }, next);
    at = next.version;
  }
  return chain;
}

/**
 * The description that records `releases` (newest first): commits checked (a bad one recorded
 * as empty, with a warning), the oldest entries dropped to fit Lambda's limit, but never the
 * current entry nor the one a plain rollback from it would go to.
 */
export function formatHistory(releases: HistoryEntry[], warn?: Warn): string {
  const clean = releases
    .filter((r) => VERSION.test(r.version) && (r.rolledBackFrom === undefined || VERSION.test(r.rolledBackFrom)))
    .map((r) => ({ ...r, commit: recordedCommit(r.commit, warn, `the commit recorded for version ${r.version}`, r.version) }));
  const text = (entries: HistoryEntry[]) =>
    PREFIX + JSON.stringify({ r: entries.map((r) => [r.version, r.commit, r.releasedAt, ...(r.rolledBackFrom !== undefined ? [r.rolledBackFrom] : [])]) });
  const first = clean[0];
  if (first === undefined) return text([]);
  const target = rollbackTarget(clean, first.version);
  const needed = target === undefined ? 1 : clean.indexOf(target) + 1;
  for (let count = clean.length; count >= needed; count--) {
    const candidate = text(clean.slice(0, count));
    if (candidate.length <= ALIAS_DESCRIPTION_LIMIT) return candidate;
  }
  // The entries between the two only mark versions to skip: without them, the walk still finds the target.
  // Checked versions, 7-character commits and bounded times: two entries always fit.
  return text(target === undefined ? [first] : [first, target]);
}

/**
 * The history after a shift to `release`: it goes first; the release it replaces is kept next
 * (added with unknown commit and time when the alias predates stage-deploy), so that a rollback
 * always knows where to go. Nothing is removed.
 */
export function recordRelease(previous: HistoryEntry[], replacedVersion: string | undefined, release: Release): HistoryEntry[] {
  const earlier = [...previous];
  if (replacedVersion !== undefined && earlier[0]?.version !== replacedVersion) {
    earlier.unshift({ version: replacedVersion, commit: '', releasedAt: 0 });
  }
  return [release, ...earlier];
}

/**
 * The history after a rollback from the alias as it was (`from`) to `release`: a new entry for
 * the version returned to (its commit, the time of the rollback), marked with the version rolled
 * back from: the alias's version, or, when the rollback stays on it and only clears a traffic
 * split, the version the split was shifting to. Nothing is removed, so the release left stays on
 * record; the marker makes the next plain rollback go further back, not forth.
 */
export function returnTo(history: HistoryEntry[], from: { version: string; weights: Record<string, number> } | undefined, release: Release): HistoryEntry[] {
  const earlier = [...history];
  if (from !== undefined && earlier[0]?.version !== from.version) {
    earlier.unshift({ version: from.version, commit: '', releasedAt: 0 });
  }
  const left = from === undefined ? undefined : from.version !== release.version ? from.version : Object.keys(from.weights)[0];
  return [{ ...release, ...(left !== undefined && left !== release.version && VERSION.test(left) && { rolledBackFrom: left }) }, ...earlier];
}
