import { type DesiredSettings, settingsDifferences } from "./change-check.js";
import type { FunctionVersionState } from "../model/lambda.js";
import type { StageSettings } from "../model/settings.js";

/** The plan lines for the settings a release would change on $LATEST. */
export function planSettings(desired: DesiredSettings, latest: FunctionVersionState): string[] {
  const differences = settingsDifferences(desired, latest);
  return differences.length > 0 ? [`update the settings of $LATEST: ${differences.join(', ')}`] : [];
}

/** The plan lines for moving an alias and checking it. */
export function planShift(settings: StageSettings, before: { version: string } | undefined, to: string): string[] {
  return [
    before === undefined ? `create alias ${settings.alias} on ${to}` : `shift alias ${settings.alias} from version ${before.version} to ${to}`,
    settings.smoke !== undefined
      ? `smoke-test ${settings.smoke.method} ${settings.smoke.url}; on failure, put the alias back`
      : 'no smoke test (smoke.url is not set)',
  ];
}

