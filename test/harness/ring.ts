/**
 * The invariants the concurrency ring (test/e2e/concurrency.test.ts) asserts after two runs of
 * `node dist/index.js` raced on one function. Pure: the caller reads AWS and passes what it saw.
 */
import { parseHistory } from '../../src/release/history.js';

/** One run of the pair, as the step ended. */
export interface RingRun {
  /** A name for the messages: `A deploy dev (good)`. */
  label: string;
  command: 'deploy' | 'promote' | 'rollback';
  stage: string;
  code: number;
  outputs: Record<string, string>;
}

/** What the alias held when the pair ended, read back through the SDK. */
export interface FinalAlias {
  stage: string;
  /** undefined when the alias does not exist. */
  version: string | undefined;
  description: string;
  weights: Record<string, number>;
  /** The configuration of the version the alias points at. */
  codeSha256: string | undefined;
  environment: Record<string, string>;
}

export interface StageExpectation {
  stage: string;
  /** The version the alias was on before the pair started (undefined: no alias). */
  before: string | undefined;
  /** Code hashes that may run on this stage (its own good code, or the code promoted to it). */
  allowedCode: string[];
  /** Variables every version of this stage carries (TABLE, LOG_LEVEL, ...). */
  settings: Record<string, string>;
  /** Versions the stage's endpoint saw answer 200 during the pair (its checks passed). */
  answered200: string[];
}

const GREEN = new Set(['deployed', 'promoted', 'rolled-back']);

/** A step that ended green: exit code 0 and a status that says it moved the alias. */
export function isGreen(run: RingRun): boolean {
  return run.code === 0 && GREEN.has(run.outputs.status ?? '');
}

/**
 * Every broken invariant, as a sentence (empty: all hold):
 * 1. the alias ends with no routing weights;
 * 2. it ends on the version it had before, or on a version that holds the stage's own code and
 *    settings (read back from the version) and answered its checks;
 * 3. its history (the description) starts with the version it is on;
 * 4. every green step's release is on the alias, or listed in its history (it was live and a
 *    later release replaced it): no green step whose release was silently overwritten;
 * 5. a release that a green rollback moved away from is not in the history any more;
 * 6. when a step ended green, the alias ends on the release of a green step (a green step's
 *    release undone by the other run's restore is the lost update this catches).
 */
export function ringViolations(runs: RingRun[], finals: FinalAlias[], expectations: StageExpectation[]): string[] {
  const found: string[] = [];
  for (const expect of expectations) {
    const final = finals.find((f) => f.stage === expect.stage);
    if (!final) throw new Error(`no final alias read for ${expect.stage}`);
    const where = `alias ${expect.stage} (on ${final.version ?? 'nothing'}, before ${expect.before ?? 'nothing'})`;
    const history = parseHistory(final.description).map((r) => r.version);
    const greens = runs.filter((r) => r.stage === expect.stage && isGreen(r));

    if (Object.keys(final.weights).length > 0) found.push(`${where}: routing weights left behind ${JSON.stringify(final.weights)}`);

    if (final.version !== expect.before) {
      if (final.version === undefined) {
        found.push(`${where}: the alias is gone`);
      } else {
        if (!final.codeSha256 || !expect.allowedCode.includes(final.codeSha256)) {
          found.push(`${where}: version ${final.version} holds code ${final.codeSha256} that is not ${expect.stage}'s (${expect.allowedCode.join(', ')})`);
        }
        const wrong = Object.entries(expect.settings).filter(([k, v]) => final.environment[k] !== v);
        if (wrong.length > 0) {
          found.push(
            `${where}: version ${final.version} carries ${wrong.map(([k]) => `${k}=${final.environment[k] ?? '(unset)'}`).join(', ')}, not ${expect.stage}'s ${wrong.map(([k, v]) => `${k}=${v}`).join(', ')}`,
          );
        }
        if (!expect.answered200.includes(final.version)) {
          found.push(`${where}: version ${final.version} never passed a check on ${expect.stage}'s endpoint`);
        }
      }
    }

    if (final.version !== undefined && history.length > 0 && history[0] !== final.version) {
      found.push(`${where}: the history starts with ${history[0]}, not the version the alias is on (${final.description})`);
    }

    for (const run of greens) {
      const release = run.outputs.version;
      if (release !== final.version && !history.includes(release ?? '')) {
        found.push(`${where}: ${run.label} ended green (${run.outputs.status}, version ${release}) but its release is neither on the alias nor in its history [${history.join(', ')}]`);
      }
    }

    // History only grows: a green rollback that is live is the newest entry, marked with the version it left.
    const newest = parseHistory(final.description)[0];
    for (const run of greens.filter((r) => r.command === 'rollback' && r.outputs.version === final.version)) {
      if (newest === undefined || newest.version !== final.version || newest.rolledBackFrom === undefined) {
        found.push(`${where}: ${run.label} is live on ${final.version ?? '-'}, but the history does not record it as a rollback (${final.description})`);
      }
    }

    const greenReleases = greens.map((g) => g.outputs.version);
    if (greens.length > 0 && !greenReleases.includes(final.version)) {
      found.push(`${where}: the alias ends on ${final.version ?? 'nothing'}, which no green step released (green: ${greens.map((g) => `${g.label} → ${g.outputs.version}`).join(', ')})`);
    }
  }
  return found;
}
