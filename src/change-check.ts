/**
 * The change check: what the stage wants (code and settings) against what is live. Pure.
 */
import type { ConfigurationChange, FunctionVersionState, StageSettings } from './types.js';

/** The settings a stage asks of a version: only the ones it names. */
export interface DesiredSettings {
  /** Variables the stage names (its `environment`, then `LOG_LEVEL` from `log-level`). */
  environment: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
}

export function desiredSettings(settings: StageSettings): DesiredSettings {
  return {
    environment: {
      ...settings.environment,
      // LOG_LEVEL from log-level wins over an environment entry of the same name.
      ...(settings.logLevel !== undefined && { LOG_LEVEL: settings.logLevel }),
    },
    ...(settings.memorySize !== undefined && { memorySize: settings.memorySize }),
    ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
  };
}

/** Names of the settings in which `version` differs from `desired`, e.g. `environment.TABLE`, `memory-size`. */
export function settingsDifferences(desired: DesiredSettings, version: FunctionVersionState): string[] {
  const differences: string[] = [];
  for (const [name, value] of Object.entries(desired.environment)) {
    if (version.environment[name] !== value) differences.push(`environment.${name}`);
  }
  if (desired.memorySize !== undefined && desired.memorySize !== version.memorySize) differences.push('memory-size');
  if (desired.timeoutSeconds !== undefined && desired.timeoutSeconds !== version.timeoutSeconds) differences.push('timeout');
  return differences;
}

/**
 * The change to make to $LATEST so that it carries the desired settings: `environment` merged
 * into its existing variables (never removing one), and only the fields that differ.
 * Undefined when $LATEST already carries them.
 */
export function configurationChange(desired: DesiredSettings, latest: FunctionVersionState): ConfigurationChange | undefined {
  const differences = settingsDifferences(desired, latest);
  if (differences.length === 0) return undefined;
  const change: ConfigurationChange = {};
  if (differences.some((d) => d.startsWith('environment.'))) {
    change.environment = { ...latest.environment, ...desired.environment };
  }
  if (differences.includes('memory-size')) change.memorySize = desired.memorySize;
  if (differences.includes('timeout')) change.timeoutSeconds = desired.timeoutSeconds;
  return change;
}

/** True when `version` already runs exactly this code with the stage's settings. */
export function isUnchanged(codeSha256: string, desired: DesiredSettings, version: FunctionVersionState | undefined): boolean {
  return version !== undefined && version.codeSha256 === codeSha256 && settingsDifferences(desired, version).length === 0;
}
