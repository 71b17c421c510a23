/**
 * Lambda's code storage is finite: 75 GB per region by default ("Function and layer storage",
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and every published
 * version's code counts. Before publishing, a release reads GetAccountSettings
 * (AccountUsage.TotalCodeSize against AccountLimit.TotalCodeSize) and warns above 80%, pointing at
 * keep-versions. A failed read (no lambda:GetAccountSettings, throttling) never fails the release:
 * one line in the log, and nothing checked.
 */
import type { CodeStorage } from '../model/lambda.js';
import type { StageSettings } from '../model/settings.js';
import type { ReleaseDeps } from './deps.js';

/** Above this share of the limit, a release warns. */
export const CODE_STORAGE_WARN_RATIO = 0.8;

/** The warning for a storage reading above CODE_STORAGE_WARN_RATIO, or undefined. */
export function codeStorageWarning(storage: CodeStorage, settings: StageSettings): string | undefined {
  const { usedBytes, limitBytes } = storage;
  if (!(limitBytes > 0) || usedBytes / limitBytes <= CODE_STORAGE_WARN_RATIO) return undefined;
  const share = `${Math.floor((usedBytes / limitBytes) * 100)}%`;
  const advice =
    settings.keepVersions === undefined
      ? `set keep-versions on stage ${settings.stage} to delete the versions no alias uses`
      : `lower keep-versions (now ${settings.keepVersions}), or delete versions, functions and layers no longer used`;
  return (
    `Lambda code storage in this region is ${share} full (${gigabytes(usedBytes)} of ${gigabytes(limitBytes)}); every published version counts, ` +
    `and at the limit publishing fails with CodeStorageExceededException: ${advice}.`
  );
}

/** Read the account's code storage and warn when it is nearly full; the warning, for the summary. Never throws. */
export async function checkCodeStorage(settings: StageSettings, deps: Pick<ReleaseDeps, 'lambda' | 'log'>): Promise<string | undefined> {
  let storage: CodeStorage;
  try {
    storage = await deps.lambda.codeStorage();
  } catch (error) {
    const why = error instanceof Error ? error.name : 'an error';
    deps.log.info(`Code storage not checked: GetAccountSettings failed (${why}); lambda:GetAccountSettings lets the action warn before it fills up.`);
    return undefined;
  }
  const warning = codeStorageWarning(storage, settings);
  if (warning !== undefined) deps.log.warn(warning);
  return warning;
}

function gigabytes(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GB`;
}
