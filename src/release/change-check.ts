/**
 * The change check: what the stage wants (code and settings) against what is live. Pure.
 */
import type { ConfigurationChange, FunctionVersionState, LoggingSettings } from '../model/lambda.js';
import type { LogLevel, StageSettings } from '../model/settings.js';

/** The settings a stage asks of a version: only the ones it names. */
export interface DesiredSettings {
  /** Variables the stage names (its `environment`, then `LOG_LEVEL` from `log-level`). */
  environment: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
  /** Lambda's LoggingConfig from `log-level` and `log-format`; undefined when the stage sets no level. */
  logging?: Omit<LoggingSettings, 'logGroup'>;
}

/** Lambda's application log levels for the levels a stage may write (Zappa's and Lambda's own). */
const APPLICATION_LEVEL: Record<LogLevel, string> = {
  TRACE: 'TRACE',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'ERROR',
  CRITICAL: 'FATAL',
  FATAL: 'FATAL',
};

/** Lambda's system log level allows DEBUG, INFO and WARN only: above WARN, WARN is the quietest. */
const SYSTEM_LEVEL: Record<LogLevel, string> = {
  TRACE: 'DEBUG',
  DEBUG: 'DEBUG',
  INFO: 'INFO',
  WARN: 'WARN',
  WARNING: 'WARN',
  ERROR: 'WARN',
  CRITICAL: 'WARN',
  FATAL: 'WARN',
};

/**
 * The LoggingConfig for a stage: JSON with the application and system levels, so the platform
 * drops what is below the level; or, with `log-format: text`, plain Text (LOG_LEVEL only).
 */
export function loggingFor(level: LogLevel | undefined, format: 'json' | 'text'): DesiredSettings['logging'] {
  if (level === undefined) return undefined;
  if (format === 'text') return { logFormat: 'Text' };
  return { logFormat: 'JSON', applicationLogLevel: APPLICATION_LEVEL[level], systemLogLevel: SYSTEM_LEVEL[level] };
}

export function desiredSettings(settings: StageSettings): DesiredSettings {
  const logging = loggingFor(settings.logLevel, settings.logFormat);
  return {
    environment: {
      ...settings.environment,
      // LOG_LEVEL from log-level wins over an environment entry of the same name.
      ...(settings.logLevel !== undefined && { LOG_LEVEL: settings.logLevel }),
    },
    ...(settings.memorySize !== undefined && { memorySize: settings.memorySize }),
    ...(settings.timeoutSeconds !== undefined && { timeoutSeconds: settings.timeoutSeconds }),
    ...(logging !== undefined && { logging }),
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
  if (desired.logging !== undefined && !sameLogging(desired.logging, version.logging)) differences.push('logging-config');
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
  if (differences.includes('memory-size') && desired.memorySize !== undefined) change.memorySize = desired.memorySize;
  if (differences.includes('timeout') && desired.timeoutSeconds !== undefined) change.timeoutSeconds = desired.timeoutSeconds;
  if (differences.includes('logging-config') && desired.logging !== undefined) change.logging = desired.logging;
  return change;
}

/** A version without a LoggingConfig logs as Text, Lambda's default. */
function sameLogging(desired: NonNullable<DesiredSettings['logging']>, live: LoggingSettings | undefined): boolean {
  const format = live?.logFormat ?? 'Text';
  if (desired.logFormat !== format) return false;
  if (desired.logFormat === 'Text') return true;
  return desired.applicationLogLevel === live?.applicationLogLevel && desired.systemLogLevel === live?.systemLogLevel;
}

/** True when `version` already runs exactly this code with the stage's settings. */
export function isUnchanged(codeSha256: string, desired: DesiredSettings, version: FunctionVersionState | undefined): boolean {
  return version !== undefined && version.codeSha256 === codeSha256 && settingsDifferences(desired, version).length === 0;
}

/**
 * Each difference of `version` from `desired`, with both values, e.g.
 * `environment.TABLE=notes-prod, not notes-dev`, `memory-size=256, not 128` (values cut at 40 characters).
 */
export function describeDifferences(desired: DesiredSettings, version: FunctionVersionState): string[] {
  const show = (value: string | number | undefined): string => {
    if (value === undefined) return '(unset)';
    const text = String(value);
    return text.length > 40 ? `${text.slice(0, 39)}…` : text;
  };
  const logging = (l: LoggingSettings | Omit<LoggingSettings, 'logGroup'> | undefined): string =>
    [l?.logFormat ?? 'Text', l?.applicationLogLevel, l?.systemLogLevel].filter((p) => p !== undefined).join('/');
  return settingsDifferences(desired, version).map((name) => {
    if (name.startsWith('environment.')) {
      const variable = name.slice('environment.'.length);
      return `${name}=${show(version.environment[variable])}, not ${show(desired.environment[variable])}`;
    }
    if (name === 'memory-size') return `memory-size=${show(version.memorySize)}, not ${show(desired.memorySize)}`;
    if (name === 'timeout') return `timeout=${show(version.timeoutSeconds)}, not ${show(desired.timeoutSeconds)}`;
    return `logging-config=${logging(version.logging)}, not ${logging(desired.logging)}`;
  });
}
