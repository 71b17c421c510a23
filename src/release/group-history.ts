/**
 * One history for a release of several units (release/group.ts). Each alias keeps its own
 * history (history.ts), and a release of the stage writes one entry in EVERY unit's alias, the
 * units it did not change included (a description-only UpdateAlias: the version stays, the entry
 * says it was part of that release), all with the same release time. So the histories line up
 * row by row, newest first: row i of every alias is the same release of the stage.
 *
 * A plain rollback of the stage then walks the rows as history.ts walks one alias's entries, with
 * the row (every unit's version) in place of one version: skip the row the stage runs now and
 * every row a NEWER rollback row rolled back from; the first row left is where each unit goes.
 * So release 1 (A1, B1), release 2 changing only A (A2, B1), rollback → (A1, B1), never B's
 * older version. Rows are trusted only while they line up (the entries of one row carry the same
 * release time where it is known); past the first that does not, nothing is offered.
 */
import { recordRelease, returnTo, type HistoryEntry } from './history.js';
import type { Release } from '../model/results.js';

export interface UnitHistory {
  /** The version the unit's alias runs. */
  current: string;
  /** Its alias's history, newest first (history.ts parseHistory). */
  history: HistoryEntry[];
}

/** For each unit (in order), the entry a plain rollback of the stage returns it to; undefined when no earlier release is recorded in every alias. */
export function groupRollbackTargets(units: readonly UnitHistory[]): HistoryEntry[] | undefined {
  if (units.length === 0) return undefined;
  const rows = Math.min(...units.map((u) => u.history.length));
  const current = key(units.map((u) => u.current));
  const rolledBackFrom = new Set<string>();
  for (let i = 0; i < rows; i++) {
    const row = units.map((u) => u.history[i]).filter((e): e is HistoryEntry => e !== undefined);
    if (row.length !== units.length || !lineUp(row)) return undefined;
    const versions = key(row.map((e) => e.version));
    if (versions !== current && !rolledBackFrom.has(versions)) return row;
    if (row.some((e) => e.rolledBackFrom !== undefined)) rolledBackFrom.add(key(row.map((e) => e.rolledBackFrom ?? e.version)));
  }
  return undefined;
}

/** The entries of one row belong to one release: the same release time wherever it is known. */
function lineUp(row: HistoryEntry[]): boolean {
  const times = new Set(row.map((e) => e.releasedAt).filter((t) => t > 0));
  return times.size <= 1;
}

function key(versions: string[]): string {
  return versions.join(' ');
}

/**
 * The history of a unit the release did not change, with the release recorded all the same (its
 * version again): a deploy or promote adds `release` as a release; a rollback as a return (no
 * marker, since the unit did not move).
 */
export function recordUnchanged(history: HistoryEntry[], version: string, release: Release, kind: 'record' | 'return'): HistoryEntry[] {
  const same = { ...release, version };
  return kind === 'return' ? returnTo(history, { version, weights: {} }, same) : recordRelease(history, version, same);
}
