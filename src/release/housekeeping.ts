/**
 * After a successful release: old versions pruned (`keep-versions`, like Zappa's
 * `num_retained_versions`: Lambda's code storage per region is finite) and the log group's
 * retention set (`log-retention-days`). Neither ever fails a release: problems are warnings.
 */
import { parseHistory, rollbackTarget } from './history.js';
import { type AliasState, functionLogGroup } from '../model/lambda.js';
import type { StageSettings } from '../model/settings.js';
import type { LambdaGateway, Log, LogGroupGateway } from '../model/ports.js';
import { errorMessage } from '../model/errors.js';
import type { HousekeepingReport } from '../model/results.js';

/**
 * The published versions to delete: those beyond the newest `keep` that no alias refers to.
 * An alias refers to its version, the versions in its routing weights, and the previous release
 * recorded for its rollback; those are always kept, whatever their age.
 */
export function versionsToDelete(versions: string[], aliases: AliasState[], keep: number): string[] {
  const kept = new Set<string>();
  for (const alias of aliases) {
    kept.add(alias.version);
    for (const weighted of Object.keys(alias.weights)) kept.add(weighted);
    const history = parseHistory(alias.description);
    const previous = history.find((r) => r.version !== alias.version);
    if (previous) kept.add(previous.version);
    // Where a plain rollback goes, which after a rollback is not the entry just before.
    const target = rollbackTarget(history, alias.version);
    if (target) kept.add(target.version);
  }
  const published = versions.filter((v) => /^[0-9]+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return published.slice(keep).filter((v) => !kept.has(v));
}

export async function housekeeping(
  settings: StageSettings,
  gateways: { lambda: LambdaGateway; logs?: LogGroupGateway },
  log: Log,
): Promise<HousekeepingReport> {
  const report: HousekeepingReport = { deleted: [] };
  const name = settings.functionName;
  if (settings.keepVersions !== undefined) {
    try {
      const [versions, aliases] = await Promise.all([gateways.lambda.listVersions(name), gateways.lambda.listAliases(name)]);
      for (const version of versionsToDelete(
        versions.map((v) => v.version),
        aliases,
        settings.keepVersions,
      )) {
        await gateways.lambda.deleteVersion(name, version);
        report.deleted.push(version);
      }
      if (report.deleted.length > 0) {
        log.info(`keep-versions ${settings.keepVersions}: deleted version${report.deleted.length > 1 ? 's' : ''} ${report.deleted.join(', ')} of ${name}.`);
      }
    } catch (error) {
      log.warn(`keep-versions: old versions of ${name} were not all deleted: ${errorMessage(error)}`);
    }
  }
  if (settings.logRetentionDays !== undefined && gateways.logs !== undefined) {
    const logs = gateways.logs;
    const days = settings.logRetentionDays;
    let logGroup = functionLogGroup(name);
    try {
      logGroup = functionLogGroup(name, (await gateways.lambda.getVersion(name))?.logging);
      const outcome = await logs.ensureRetention(logGroup, days);
      report.retention = { logGroup, days, outcome };
      if (outcome !== 'unchanged') log.info(`log-retention-days: ${logGroup} ${outcome} with ${days} days of retention.`);
    } catch (error) {
      log.warn(`log-retention-days: the retention of ${logGroup} was not set: ${errorMessage(error)}`);
    }
  }
  return report;
}
