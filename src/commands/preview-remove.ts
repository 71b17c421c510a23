/**
 * remove and prune (issue 18, CONTRACT "A preview per pull request"): a preview is taken away
 * whole: its function URL, its alias, and the versions it used (what it runs, its routing weights,
 * the earlier releases its history records) that nothing else needs. A version stays when another
 * alias points at it (its version or its routing weights) or when another alias's history records
 * it (a stage may roll back to it: release/history.ts). Removing what is already gone succeeds.
 *
 * prune removes, from a schedule, every alias of the preview pattern (the stage's `preview.alias`
 * with `{number}` as digits) whose last release is older than `keep-days`: pull requests whose
 * close event never ran. Any other alias is never touched.
 */
import { sameAliasState, type AliasState } from '../model/lambda.js';
import type { Clock, LambdaGateway, Log } from '../model/ports.js';
import type { StageSettings } from '../model/settings.js';
import { parseHistory } from '../release/history.js';

export interface PreviewRemoval {
  alias: string;
  /** Whether there was an alias to delete (false: it was gone already). */
  aliasDeleted: boolean;
  urlDeleted: boolean;
  /** Versions deleted (or, in a dry run, that would be). */
  versions: string[];
  /** Versions the preview used that another alias needs, kept. */
  kept: string[];
}

type Lambda = Pick<LambdaGateway, 'getAlias' | 'listAliases' | 'deleteAlias' | 'deleteFunctionUrl' | 'deleteVersion'>;

/** Every version an alias refers to: what it runs, its routing weights and the releases its history records. */
function versionsOf(alias: AliasState): Set<string> {
  return new Set([alias.version, ...Object.keys(alias.weights), ...parseHistory(alias.description).map((entry) => entry.version)]);
}

/** Remove the preview alias `alias` of the stage's function; `aliases` (all of the function's) when already listed. */
export async function removePreview(
  settings: StageSettings,
  alias: string,
  lambda: Lambda,
  log: Log,
  options: { dryRun?: boolean; aliases?: AliasState[] } = {},
): Promise<PreviewRemoval> {
  const name = settings.functionName;
  const aliases = options.aliases ?? (await lambda.listAliases(name));
  const own = aliases.find((a) => a.name === alias);
  const used = own === undefined ? new Set<string>() : versionsOf(own);
  const needed = new Set(aliases.filter((a) => a.name !== alias).flatMap((a) => [...versionsOf(a)]));
  const versions = [...used].filter((v) => /^[1-9][0-9]*$/.test(v) && !needed.has(v)).sort((a, b) => Number(a) - Number(b));
  const kept = [...used].filter((v) => needed.has(v));
  if (options.dryRun) {
    log.info(`dry-run: would remove preview ${alias} of ${name}${own === undefined ? ' (no alias)' : ''}, its function URL, and versions ${versions.join(', ') || 'none'}.`);
    return { alias, aliasDeleted: own !== undefined, urlDeleted: false, versions, kept };
  }
  // The URL first: it is what the world reaches. One already gone is fine.
  const urlDeleted = await lambda.deleteFunctionUrl(name, alias);
  let aliasDeleted = false;
  if (own !== undefined) {
    try {
      await lambda.deleteAlias(name, alias);
      aliasDeleted = true;
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
    }
  }
  // What the other aliases need is read again now: another run (a deploy of a stage) may have
  // moved one onto a version this preview used since the first read. This run never deletes it.
  const fresh = await lambda.listAliases(name);
  const neededNow = new Set(fresh.filter((a) => a.name !== alias).flatMap((a) => [...versionsOf(a)]));
  for (const version of versions.filter((v) => neededNow.has(v))) kept.push(version);
  const deleted: string[] = [];
  for (const version of versions.filter((v) => !neededNow.has(v))) {
    try {
      await lambda.deleteVersion(name, version);
      deleted.push(version);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceNotFoundException')) throw error;
    }
  }
  log.info(
    own === undefined && !urlDeleted
      ? `Preview ${alias} of ${name} is already gone: nothing to remove.`
      : `Removed preview ${alias} of ${name}: ${urlDeleted ? 'its function URL, ' : ''}the alias${deleted.length > 0 ? `, versions ${deleted.join(', ')}` : ''}${kept.length > 0 ? ` (kept ${kept.join(', ')}: another alias needs them)` : ''}.`,
  );
  return { alias, aliasDeleted, urlDeleted, versions: deleted, kept };
}

/** The aliases of the pattern: the template with `{number}` as one or more digits (no leading zero), and their numbers. */
export function previewAliases(template: string, aliases: readonly AliasState[]): { alias: AliasState; number: number }[] {
  const [before = '', ...rest] = template.split('{number}');
  const source = `^${escape(before)}${rest.map((part) => `([1-9][0-9]*)${escape(part)}`).join('')}$`;
  const pattern = new RegExp(source);
  return aliases.flatMap((alias) => {
    const match = pattern.exec(alias.name);
    if (!match) return [];
    const numbers = match.slice(1);
    // {number} written twice must be one number twice.
    if (numbers.some((n) => n !== numbers[0])) return [];
    return [{ alias, number: Number(numbers[0]) }];
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** When the preview was last released (epoch seconds), from its history; undefined when it records none. */
export function lastRelease(alias: AliasState): number | undefined {
  const newest = parseHistory(alias.description)[0];
  return newest === undefined || newest.releasedAt === 0 ? undefined : newest.releasedAt;
}

export interface PruneReport {
  removed: PreviewRemoval[];
  /** Previews younger than keep-days (or whose age is unknown), left as they are. */
  kept: { alias: string; ageDays?: number }[];
}

/**
 * prune: remove every preview alias older than keep-days. A preview whose history records no
 * release time is left alone (its age is unknown: the action did not make it, or it was edited).
 */
export async function prunePreviews(settings: StageSettings, lambda: Lambda, log: Log, clock: Clock, dryRun = false): Promise<PruneReport & { numbers: Map<string, number> }> {
  const template = settings.preview?.aliasTemplate;
  if (template === undefined) throw new Error('prune needs a preview stage');
  const keepDays = settings.preview?.keepDays ?? 14;
  let aliases = await lambda.listAliases(settings.functionName);
  const now = clock.now() / 1000;
  const removed: PreviewRemoval[] = [];
  const kept: PruneReport['kept'] = [];
  const numbers = new Map<string, number>();
  for (const { alias, number } of previewAliases(template, aliases)) {
    numbers.set(alias.name, number);
    const at = lastRelease(alias);
    const ageDays = at === undefined ? undefined : (now - at) / 86_400;
    if (ageDays === undefined || ageDays <= keepDays) {
      kept.push({ alias: alias.name, ...(ageDays !== undefined && { ageDays: Math.floor(ageDays) }) });
      continue;
    }
    // A push to that pull request may have released it again since the list was read. DeleteAlias
    // takes no RevisionId: read it once more, and remove it only as it was listed (as
    // release/rollout.ts does before it deletes an alias it created).
    if (!dryRun) {
      const current = await lambda.getAlias(settings.functionName, alias.name);
      if (current === undefined || !sameAliasState(current, alias)) {
        log.info(`Preview ${alias.name}: ${current === undefined ? 'gone' : 'released again'} since it was listed; left alone.`);
        kept.push({ alias: alias.name });
        continue;
      }
    }
    log.info(`Preview ${alias.name}: last released ${Math.floor(ageDays)} days ago (keep-days ${keepDays}).`);
    removed.push(await removePreview(settings, alias.name, lambda, log, { dryRun, aliases }));
    // The next removal keeps only what the remaining aliases need.
    aliases = aliases.filter((a) => a.name !== alias.name);
  }
  if (removed.length === 0) log.info(`No preview of ${settings.functionName} is older than ${keepDays} days: nothing to prune.`);
  return { removed, kept, numbers };
}
