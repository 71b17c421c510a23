/**
 * Resolving one stage into StageSettings: merge it (merge.ts), then check every value, each
 * setting's range (schema.ts) and the rest (values.ts), in messages that name where it was written.
 */
import { mergeStage, type Fields } from './merge.js';
import { DEFAULT_CONFIG_FILE } from './parse.js';
import { SETTINGS, SMOKE, type At, type DefaultsBlock, type SmokeBlock, type StagesFile } from './schema.js';
import {
  alarmNames,
  environmentVariables,
  parseBody,
  parseErrorRate,
  parseStatus,
  parseTraffic,
  smokeHeaders,
  smokeUrl,
} from './values.js';
import { InputError } from '../model/errors.js';
import type { SmokeSettings, StageOverrides, StageSettings, StageUnit } from '../model/settings.js';

export interface ResolveStageOptions {
  /** The parsed stages file; undefined when there is none (the inputs define the stage). */
  file?: StagesFile;
  /** For messages: `stage-deploy.yml` when omitted. */
  fileName?: string;
  stage: string;
  overrides: StageOverrides;
  /** The step's environment, for `${VAR}` in smoke headers. */
  env: Record<string, string | undefined>;
  /**
   * `error` (default): a `${VAR}` that is not set is bad input. `keep`: leave it as written, for
   * commands that only read (status) and never send the smoke request.
   */
  unsetVariables?: 'error' | 'keep';
}

/** One stage, fully resolved and validated: defaults ← ancestors (extends) ← the stage ← inputs. */
export function resolveStage(options: ResolveStageOptions): StageSettings {
  const { file, env } = options;
  const fileName = options.fileName ?? DEFAULT_CONFIG_FILE;
  const stage = options.stage.trim();
  if (stage === '') throw new InputError('stage: required (the name of a stage, such as dev or prod)');
  const { settings, fields } = mergeStage(file, fileName, stage, options.overrides);
  return buildSettings(settings, stage, fields, env, Boolean(file), options.unsetVariables ?? 'error');
}

/**
 * Every unit of a stage (model/settings.ts StageUnit): one per function of `functions` (or the
 * one `function`) and per region of `regions` (or the one `region`), in the order written.
 * A plain stage gives exactly [resolveStage(options)].
 */
export function resolveStageUnits(options: ResolveStageOptions): StageUnit[] {
  return [resolveStage(options)];
}

function buildSettings(
  s: DefaultsBlock,
  stage: string,
  fields: Fields,
  env: Record<string, string | undefined>,
  hasFile: boolean,
  unsetVariables: 'error' | 'keep',
): StageSettings {
  if (s.function === undefined) {
    throw new InputError(
      `${fields.name(['function'])}: required (set function under defaults or stages.${stage}, or the function-name input)`,
    );
  }
  const functionName = fields.check(['function'], s.function, SETTINGS.function.check);
  // alias: the stage name unless set
  const alias =
    s.alias === undefined
      ? SETTINGS.alias.check(stage, stageNameAt(stage, hasFile))
      : fields.check(['alias'], s.alias, SETTINGS.alias.check);

  const settings: StageSettings = {
    stage,
    functionName,
    alias,
    s3Prefix: s['s3-prefix'] ?? '',
    logFormat: 'json',
    environment: {},
    traffic: { kind: 'all-at-once' },
    alarms: [],
    bakeMs: 0,
  };

  if (s.region !== undefined) settings.region = fields.check(['region'], s.region, SETTINGS.region.check);
  const bucket = s['s3-bucket'];
  if (bucket !== undefined) settings.s3Bucket = fields.check(['s3-bucket'], bucket, SETTINGS['s3-bucket'].check);
  if (s.api !== undefined) {
    const id = s.api.id?.trim();
    const apiStage = s.api.stage?.trim();
    if (!id) throw new InputError(`${fields.name(['api', 'id'])}: required when api is set`);
    if (!apiStage) throw new InputError(`${fields.name(['api', 'stage'])}: required when api is set`);
    settings.api = { id, stage: apiStage };
  }

  // logging
  const level = s['log-level'];
  if (level !== undefined) settings.logLevel = fields.check(['log-level'], level, SETTINGS['log-level'].check);
  const format = s['log-format'];
  if (format !== undefined) settings.logFormat = fields.check(['log-format'], format, SETTINGS['log-format'].check);
  const days = s['log-retention-days'];
  if (days !== undefined) {
    settings.logRetentionDays = fields.check(['log-retention-days'], days, SETTINGS['log-retention-days'].check);
  }

  // function configuration
  settings.environment = environmentVariables(s.environment ?? {}, fields);
  const mb = s['memory-size'];
  if (mb !== undefined) settings.memorySize = fields.check(['memory-size'], mb, SETTINGS['memory-size'].check);
  if (s.timeout !== undefined) settings.timeoutSeconds = fields.check(['timeout'], s.timeout, SETTINGS.timeout.check);
  const keep = s['keep-versions'];
  if (keep !== undefined) settings.keepVersions = fields.check(['keep-versions'], keep, SETTINGS['keep-versions'].check);

  // release
  if (s.traffic !== undefined) settings.traffic = fields.check(['traffic'], s.traffic, parseTraffic);
  if (s.alarms !== undefined) settings.alarms = alarmNames(s.alarms, fields);
  const rate = s['max-error-rate'];
  if (rate !== undefined) settings.maxErrorRate = fields.check(['max-error-rate'], rate, parseErrorRate);
  if (s.bake !== undefined) settings.bakeMs = fields.check(['bake'], s.bake, SETTINGS.bake.check);

  if (s.smoke !== undefined) settings.smoke = buildSmoke(s.smoke, fields, env, unsetVariables);
  return settings;
}

/** For an alias that is the stage name because none is set: the message says so. */
function stageNameAt(stage: string, hasFile: boolean): At {
  const field = hasFile ? `stages.${stage}.alias` : 'alias';
  return {
    name: () => field,
    fail: (problem) => {
      throw new InputError(`${field}: ${JSON.stringify(stage)} (the stage name) ${problem}; set alias`);
    },
  };
}

function buildSmoke(
  block: SmokeBlock,
  fields: Fields,
  env: Record<string, string | undefined>,
  unsetVariables: 'error' | 'keep',
): SmokeSettings {
  if (block.url === undefined) {
    throw new InputError(`${fields.name(['smoke', 'url'])}: required when smoke is set (the URL to check)`);
  }
  const url = fields.check(['smoke', 'url'], block.url, smokeUrl);
  const method = SMOKE.method.check(block.method ?? 'GET', fields.at(['smoke', 'method'], block.method));
  const { headers, secrets } = smokeHeaders(block.headers ?? {}, fields, env, unsetVariables);

  const smoke: SmokeSettings = {
    url,
    method,
    headers,
    secrets,
    expectStatus: { codes: [], classes: [2], text: '2xx' },
    attempts: 3,
    intervalMs: 2000,
    timeoutMs: 10_000,
    invoke: block.invoke ?? false,
  };

  if (block.body !== undefined && block.body !== '') {
    if (method === 'GET' || method === 'HEAD') {
      throw new InputError(`${fields.name(['smoke', 'body'])}: a ${method} request cannot have a body (set method: POST)`);
    }
    smoke.body = block.body;
  } else if (block.body === '' && method !== 'GET' && method !== 'HEAD') {
    smoke.body = '';
  }
  const status = block['expect-status'];
  if (status !== undefined) smoke.expectStatus = fields.check(['smoke', 'expect-status'], status, parseStatus);
  const body = block['expect-body'];
  const expectBody = body === undefined ? undefined : fields.check(['smoke', 'expect-body'], body, parseBody);
  if (expectBody !== undefined) smoke.expectBody = expectBody;
  const { attempts, interval, timeout } = block;
  if (attempts !== undefined) smoke.attempts = fields.check(['smoke', 'attempts'], attempts, SMOKE.attempts.check);
  if (interval !== undefined) smoke.intervalMs = fields.check(['smoke', 'interval'], interval, SMOKE.interval.check);
  if (timeout !== undefined) smoke.timeoutMs = fields.check(['smoke', 'timeout'], timeout, SMOKE.timeout.check);
  return smoke;
}
