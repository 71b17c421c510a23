/**
 * The stages file (`stage-deploy.yml`): parsing and validating it, and resolving one stage
 * (defaults ← ancestors via `extends` ← the stage ← the action's inputs) into StageSettings.
 * Pure code apart from loadStagesFile, which reads the file from disk.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeValue, parseDuration } from './durations.js';
import type { StatusExpectation } from "../model/settings.js";
import type { BodyExpectation } from "../model/settings.js";
import type { SmokeSettings } from "../model/settings.js";
import type { LogLevel } from "../model/settings.js";
import type { TrafficStrategy } from "../model/settings.js";
import type { StageSettings } from "../model/settings.js";
import { InputError } from "../model/errors.js";
import { formatDuration } from "../report/format.js";
import type { StageOverrides } from "../model/settings.js";

// ---------------------------------------------------------------------------------------------
// Schema: the shape of the file. Every message is "<field>: <value> is not <what>".

const DURATION_HINT = 'a duration (use 500ms, 2s or 5m)';
const STATUS_HINT = 'a status (use 200, [200, 204] or "2xx")';
const TRAFFIC_HINT = 'a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")';
const ERROR_RATE_HINT = 'an error rate (use 1% or 0.01)';
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'TRACE', 'WARN', 'FATAL'];
const LOG_LEVEL_HINT = 'a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)';
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const str = (what = 'a string') => z.string({ error: what });
const num = (what = 'a number') => z.number({ error: what });
/** Scalars become strings: `PORT: 8080` means "8080". */
const scalarText = z
  .union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' })
  .transform((value) => String(value));
const durationValue = z.union([z.string(), z.number()], { error: DURATION_HINT });

const smokeSchema = z
  .strictObject(
    {
      url: str('an http(s) URL'),
      method: str('an HTTP method'),
      headers: z.record(z.string(), scalarText, { error: 'a mapping of header names to values' }),
      body: str(),
      'expect-status': z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))], {
        error: STATUS_HINT,
      }),
      'expect-body': str('a string (a substring, or /regex/)'),
      attempts: num('a number of attempts'),
      interval: durationValue,
      timeout: durationValue,
      invoke: z.boolean({ error: 'true or false' }),
    },
    { error: 'a mapping' },
  )
  .partial();

const apiSchema = z.strictObject({ id: str('an API id'), stage: str('an API stage name') }, { error: 'a mapping' }).partial();

const settingsShape = {
  function: str('a function name or ARN'),
  region: str('an AWS region'),
  's3-bucket': str('an S3 bucket name'),
  's3-prefix': str(),
  api: apiSchema,
  alias: str('an alias name'),
  'log-level': str(LOG_LEVEL_HINT),
  'log-retention-days': num('a number of days'),
  'log-format': str('a log format (use json or text)'),
  environment: z.record(z.string(), scalarText, { error: 'a mapping of variable names to values' }),
  'memory-size': num('a memory size in MB'),
  timeout: durationValue,
  'keep-versions': num('a number of versions'),
  traffic: str(TRAFFIC_HINT),
  alarms: z.union([z.string(), z.array(z.string())], { error: 'a list of alarm names' }),
  'max-error-rate': z.union([z.string(), z.number()], { error: ERROR_RATE_HINT }),
  bake: durationValue,
  smoke: smokeSchema,
};

const defaultsSchema = z.strictObject(settingsShape, { error: 'a mapping of settings' }).partial();
const stageSchema = z
  .strictObject({ ...settingsShape, extends: str('a stage name') }, { error: 'a mapping of settings' })
  .partial();

/** `dev:` with nothing under it is a stage with the defaults. */
const emptyIfNull = (value: unknown) => (value === null || value === undefined ? {} : value);

const fileSchema = z.strictObject(
  {
    defaults: z.preprocess(emptyIfNull, defaultsSchema),
    stages: z.preprocess(
      emptyIfNull,
      z.record(z.string(), z.preprocess(emptyIfNull, stageSchema), {
        error: 'a mapping of stage names to settings',
      }),
    ),
  },
  { error: 'a mapping with defaults and stages' },
);

/** The settings under `defaults`, as written (environment and header values made strings). */
export type DefaultsBlock = z.output<typeof defaultsSchema>;
/** One stage's block under `stages`, as written. */
export type StageBlock = z.output<typeof stageSchema>;
/** A parsed, structurally valid stages file. */
export interface StagesFile {
  defaults: DefaultsBlock;
  stages: Record<string, StageBlock>;
}

const TOP_KEYS = ['defaults', 'stages'];
const SETTINGS_KEYS = Object.keys(settingsShape);
const SMOKE_KEYS = Object.keys(smokeSchema.shape);
const API_KEYS = Object.keys(apiSchema.shape);
/** Names people reach for that are spelled differently here. */
const SYNONYMS: Record<string, string> = {
  'function-name': 'function',
  name: 'function',
  env: 'environment',
  'env-vars': 'environment',
  variables: 'environment',
  memory: 'memory-size',
  retention: 'log-retention-days',
  'retention-days': 'log-retention-days',
  'log-retention': 'log-retention-days',
  bucket: 's3-bucket',
  prefix: 's3-prefix',
  inherit: 'extends',
  inherits: 'extends',
  extend: 'extends',
  retries: 'attempts',
  tries: 'attempts',
  status: 'expect-status',
  'status-code': 'expect-status',
  delay: 'interval',
  wait: 'interval',
};

// ---------------------------------------------------------------------------------------------
// Parsing

/** Parse and validate the text of a stages file (YAML or JSON). `fileName` is used in messages. */
export function parseStagesFile(text: string, fileName: string): StagesFile {
  const raw = readYaml(text.replace(/^\uFEFF/, ''), fileName);
  const result = fileSchema.safeParse(raw ?? {});
  if (!result.success) {
    const messages = result.error.issues.flatMap((issue) => issueMessages(issue, raw, fileName));
    const more = messages.length - 1;
    const first = messages[0] ?? `${fileName}: not a valid stages file`;
    throw new InputError(more > 0 ? `${first} (and ${more} more problem${more === 1 ? '' : 's'})` : first);
  }
  const file: StagesFile = { defaults: result.data.defaults, stages: result.data.stages };
  for (const name of Object.keys(file.stages)) extendsChain(file, name, fileName);
  return file;
}

/** The stage names in the file, in the order written. */
export function listStages(file: StagesFile): string[] {
  return Object.keys(file.stages);
}

/**
 * Read the stages file. A file that does not exist is `undefined` unless `required` (the user
 * named `config` explicitly), then it is an InputError.
 */
export async function loadStagesFile(path: string, required: boolean, shownAs = path): Promise<StagesFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!required) return undefined;
      throw new InputError(`config: ${JSON.stringify(shownAs)} does not exist`);
    }
    if (code === 'EISDIR') throw new InputError(`config: ${JSON.stringify(shownAs)} is a directory, not a stages file`);
    throw new InputError(`config: ${JSON.stringify(shownAs)} cannot be read (${code ?? String(error)})`);
  }
  return parseStagesFile(text, shownAs);
}

function readYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { merge: true });
  const error = doc.errors[0];
  if (error) {
    const trimmed = text.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        // Not JSON either: report what YAML said.
      }
    }
    const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '');
    const where = error.linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new InputError(`${fileName}: YAML syntax error${at}: ${message}`);
  }
  try {
    return doc.toJS() as unknown;
  } catch (err) {
    throw new InputError(`${fileName}: ${(err as Error).message.split('\n')[0] ?? 'cannot be read as YAML'}`);
  }
}

type Issue = z.core.$ZodIssue;
type Segment = string | number;

function issueMessages(issue: Issue, raw: unknown, fileName: string): string[] {
  const path = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
  if (issue.code === 'unrecognized_keys') {
    // At the top of the file, name the file: `stage:` alone would read like the `stage` input.
    return issue.keys.map((key) =>
      path.length === 0
        ? `${fileName}: ${JSON.stringify(key)} is an ${unknownKeyHint(path, key)}`
        : `${renderPath([...path, key])}: ${unknownKeyHint(path, key)}`,
    );
  }
  const field = path.length > 0 ? renderPath(path) : fileName;
  const value = valueAt(raw, path);
  const what = issue.message.startsWith('Invalid') ? 'valid here' : issue.message;
  return [`${field}: ${describeValue(value)} is not ${what}`];
}

function unknownKeyHint(path: readonly Segment[], key: string): string {
  const known = knownKeysAt(path);
  if (key === 'extends' && path.length === 1 && path[0] === 'defaults') {
    return 'unknown key (extends belongs inside a stage, under stages)';
  }
  const suggestion = suggest(key, known);
  return suggestion ? `unknown key (did you mean "${suggestion}"?)` : `unknown key (known keys: ${known.join(', ')})`;
}

function knownKeysAt(path: readonly Segment[]): string[] {
  const [top, second, third] = path;
  const depth = path.length;
  if (depth === 0) return TOP_KEYS;
  if (top === 'defaults') {
    if (depth === 1) return SETTINGS_KEYS;
    if (second === 'smoke') return SMOKE_KEYS;
    if (second === 'api') return API_KEYS;
  }
  if (top === 'stages') {
    if (depth === 2) return [...SETTINGS_KEYS, 'extends'];
    if (third === 'smoke') return SMOKE_KEYS;
    if (third === 'api') return API_KEYS;
  }
  return [];
}

/** The known key a misspelt one most likely meant, if any is close. */
function suggest(key: string, known: readonly string[]): string | undefined {
  const normal = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
  if (known.includes(normal)) return normal;
  const synonym = SYNONYMS[normal];
  if (synonym && known.includes(synonym)) return synonym;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = levenshtein(normal, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(normal.length, 3) / 3));
  return bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function renderPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<Segment, unknown>)[segment];
  }
  return value;
}

/** The stage and its ancestors, nearest first: `[prod, dev]` when prod extends dev. */
function extendsChain(file: StagesFile, stage: string, fileName: string): string[] {
  const chain = [stage];
  let current = stage;
  for (;;) {
    const parent = file.stages[current]?.extends;
    if (parent === undefined) return chain;
    if (!Object.hasOwn(file.stages, parent)) {
      throw new InputError(
        `stages.${current}.extends: ${JSON.stringify(parent)} is not defined in ${fileName} (stages: ${stageList(file)})`,
      );
    }
    const seen = chain.indexOf(parent);
    if (seen >= 0) {
      const cycle = [...chain.slice(seen), parent];
      throw new InputError(`stages.${current}.extends: ${JSON.stringify(parent)} makes a cycle (${cycle.join(' → ')})`);
    }
    chain.push(parent);
    current = parent;
  }
}

function stageList(file: StagesFile): string {
  const names = listStages(file);
  return names.length > 0 ? names.join(', ') : 'none';
}

// ---------------------------------------------------------------------------------------------
// Merging, with a note of where each value was written so messages point there.

type Origin = { kind: 'file'; prefix: string } | { kind: 'input'; name: string };
type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const originKey = (path: readonly Segment[]) => path.join('\u0000');

/** Deep merge: mappings merge key by key, lists and scalars replace. Never mutates `source`. */
function mergeInto(target: Plain, source: Plain, origin: Origin, origins: Map<string, Origin>, path: string[] = []): void {
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || (path.length === 0 && key === 'extends')) continue;
    const at = [...path, key];
    origins.set(originKey(at), origin);
    if (isPlain(value)) {
      const existing = target[key];
      const next: Plain = isPlain(existing) ? existing : {};
      target[key] = next;
      mergeInto(next, value, origin, origins, at);
    } else {
      target[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
  }
}

class Fields {
  constructor(
    private readonly origins: Map<string, Origin>,
    private readonly fallback: string,
  ) {}

  /** Where the value at `path` was written: `stages.dev.smoke.url`, `defaults.region`, or an input name. */
  name(path: readonly Segment[], shown: readonly Segment[] = path): string {
    const exact = this.origins.get(originKey(path));
    if (exact?.kind === 'input') return exact.name;
    for (let n = path.length; n > 0; n--) {
      const origin = this.origins.get(originKey(path.slice(0, n)));
      if (origin?.kind === 'file') return joinField(origin.prefix, shown);
    }
    return joinField(this.fallback, shown);
  }

  /** Throw `<field>: <value> <problem>`. */
  fail(path: readonly Segment[], value: unknown, problem: string): never {
    throw new InputError(`${this.name(path)}: ${describeValue(value)} ${problem}`);
  }
}

function joinField(prefix: string, path: readonly Segment[]): string {
  const rest = renderPath(path);
  if (!prefix) return rest;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

// ---------------------------------------------------------------------------------------------
// Resolving one stage

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
  const fileName = options.fileName ?? 'stage-deploy.yml';
  const stage = options.stage.trim();
  if (stage === '') throw new InputError('stage: required (the name of a stage, such as dev or prod)');

  const merged: Plain = {};
  const origins = new Map<string, Origin>();
  if (file) {
    if (!Object.hasOwn(file.stages, stage)) {
      throw new InputError(`stage: ${JSON.stringify(stage)} is not defined in ${fileName} (stages: ${stageList(file)})`);
    }
    const chain = extendsChain(file, stage, fileName);
    mergeInto(merged, file.defaults, { kind: 'file', prefix: 'defaults' }, origins);
    for (const name of chain.reverse()) {
      mergeInto(merged, file.stages[name] ?? {}, { kind: 'file', prefix: `stages.${name}` }, origins);
    }
    // An alias names one stage's release: it is never inherited (prod `extends: dev` must not
    // move dev's alias). Only the stage's own block or the input sets it; else the stage name.
    const aliasOrigin = origins.get(originKey(['alias']));
    if (aliasOrigin?.kind === 'file' && aliasOrigin.prefix !== `stages.${stage}`) {
      delete merged.alias;
      origins.delete(originKey(['alias']));
    }
  }

  const overrides = cleanOverrides(options.overrides);
  if (!file && overrides.functionName === undefined) {
    throw new InputError(
      `function-name: required when there is no stages file (add ${fileName} or set the function-name input)`,
    );
  }
  const apply = (key: string, value: string | undefined, input: string) => {
    if (value === undefined) return;
    merged[key] = value;
    origins.set(originKey([key]), { kind: 'input', name: input });
  };
  apply('function', overrides.functionName, 'function-name');
  apply('alias', overrides.alias, 'alias');
  apply('region', overrides.region, 'region');
  apply('s3-bucket', overrides.s3Bucket, 's3-bucket');
  apply('log-level', overrides.logLevel, 'log-level');
  if (overrides.smokeUrl !== undefined) {
    if (!isPlain(merged.smoke)) {
      merged.smoke = {};
      origins.set(originKey(['smoke']), { kind: 'input', name: 'smoke-url' });
    }
    (merged.smoke as Plain).url = overrides.smokeUrl;
    origins.set(originKey(['smoke', 'url']), { kind: 'input', name: 'smoke-url' });
  }

  const fields = new Fields(origins, file ? `stages.${stage}` : '');
  return buildSettings(merged as DefaultsBlock, stage, fields, env, Boolean(file), options.unsetVariables ?? 'error');
}

function cleanOverrides(overrides: StageOverrides): StageOverrides {
  const clean = (value: string | undefined) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  };
  return {
    functionName: clean(overrides.functionName),
    alias: clean(overrides.alias),
    region: clean(overrides.region),
    s3Bucket: clean(overrides.s3Bucket),
    logLevel: clean(overrides.logLevel),
    smokeUrl: clean(overrides.smokeUrl),
  };
}

const FUNCTION_RE = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_RE = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ENV_NAME_RE = /^[a-zA-Z][a-zA-Z0-9_]*$/;
const HEADER_NAME_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_ENV = new Set([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);

function buildSettings(
  s: DefaultsBlock,
  stage: string,
  fields: Fields,
  env: Record<string, string | undefined>,
  hasFile: boolean,
  unsetVariables: 'error' | 'keep',
): StageSettings {
  // function
  const functionName = s.function?.trim();
  if (!functionName) {
    if (s.function !== undefined) fields.fail(['function'], s.function, 'is not a function name or ARN');
    throw new InputError(
      `${fields.name(['function'])}: required (set function under defaults or stages.${stage}, or the function-name input)`,
    );
  }
  if (!FUNCTION_RE.test(functionName)) {
    fields.fail(['function'], s.function, 'is not a Lambda function name or ARN (without a version or alias)');
  }

  // alias: the stage name unless set
  const alias = s.alias ?? stage;
  if (alias.length > 128 || !ALIAS_RE.test(alias)) {
    const rule = "(letters, digits, - and _, not only digits, at most 128 characters)";
    if (s.alias === undefined) {
      const field = hasFile ? `stages.${stage}.alias` : 'alias';
      throw new InputError(`${field}: ${JSON.stringify(alias)} (the stage name) is not a Lambda alias name ${rule}; set alias`);
    }
    fields.fail(['alias'], alias, `is not a Lambda alias name ${rule}`);
  }

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

  if (s.region !== undefined) {
    if (!REGION_RE.test(s.region)) fields.fail(['region'], s.region, 'is not an AWS region (like us-east-1)');
    settings.region = s.region;
  }
  if (s['s3-bucket'] !== undefined) {
    if (!BUCKET_RE.test(s['s3-bucket'])) fields.fail(['s3-bucket'], s['s3-bucket'], 'is not an S3 bucket name');
    settings.s3Bucket = s['s3-bucket'];
  }
  if (s.api !== undefined) {
    const id = s.api.id?.trim();
    const apiStage = s.api.stage?.trim();
    if (!id) throw new InputError(`${fields.name(['api', 'id'])}: required when api is set`);
    if (!apiStage) throw new InputError(`${fields.name(['api', 'stage'])}: required when api is set`);
    settings.api = { id, stage: apiStage };
  }

  // logging
  if (s['log-level'] !== undefined) {
    const level = s['log-level'].trim().toUpperCase() as LogLevel;
    if (!LOG_LEVELS.includes(level)) fields.fail(['log-level'], s['log-level'], `is not ${LOG_LEVEL_HINT}`);
    settings.logLevel = level;
  }
  if (s['log-format'] !== undefined) {
    const format = s['log-format'].trim().toLowerCase();
    if (format !== 'json' && format !== 'text') {
      fields.fail(['log-format'], s['log-format'], 'is not a log format (use json or text)');
    }
    settings.logFormat = format;
  }
  if (s['log-retention-days'] !== undefined) {
    const days = s['log-retention-days'];
    if (!RETENTION_DAYS.includes(days)) {
      fields.fail(['log-retention-days'], days, `is not a CloudWatch Logs retention (use one of ${RETENTION_DAYS.join(', ')})`);
    }
    settings.logRetentionDays = days;
  }

  // function configuration
  for (const [name, value] of Object.entries(s.environment ?? {})) {
    if (!ENV_NAME_RE.test(name)) {
      throw new InputError(
        `${fields.name(['environment', name], ['environment'])}: ${JSON.stringify(name)} is not a variable name (letters, digits and _, starting with a letter)`,
      );
    }
    if (RESERVED_ENV.has(name)) {
      throw new InputError(`${fields.name(['environment', name])}: ${JSON.stringify(name)} is reserved by Lambda (it sets this variable itself)`);
    }
    settings.environment[name] = value;
  }
  if (s['memory-size'] !== undefined) {
    const mb = s['memory-size'];
    if (!Number.isInteger(mb) || mb < 128 || mb > 10240) {
      fields.fail(['memory-size'], mb, 'is not a memory size (use a whole number of MB from 128 to 10240)');
    }
    settings.memorySize = mb;
  }
  if (s.timeout !== undefined) {
    const ms = parseDuration(s.timeout, fields.name(['timeout']));
    if (ms % 1000 !== 0 || ms < 1000 || ms > 900_000) {
      fields.fail(['timeout'], s.timeout, 'is not a function timeout (use whole seconds from 1s to 900s)');
    }
    settings.timeoutSeconds = ms / 1000;
  }
  if (s['keep-versions'] !== undefined) {
    const keep = s['keep-versions'];
    if (!Number.isInteger(keep) || keep < 1) {
      fields.fail(['keep-versions'], keep, 'is not a number of versions to keep (use a whole number, 1 or more)');
    }
    settings.keepVersions = keep;
  }

  // release
  if (s.traffic !== undefined) settings.traffic = parseTraffic(s.traffic, fields);
  if (s.alarms !== undefined) {
    const alarms = typeof s.alarms === 'string' ? [s.alarms] : s.alarms;
    alarms.forEach((alarm, index) => {
      if (alarm.trim() === '') {
        const path: Segment[] = typeof s.alarms === 'string' ? ['alarms'] : ['alarms', index];
        throw new InputError(`${fields.name(['alarms'], path)}: "" is not an alarm name`);
      }
    });
    settings.alarms = alarms.map((alarm) => alarm.trim());
  }
  if (s['max-error-rate'] !== undefined) settings.maxErrorRate = parseErrorRate(s['max-error-rate'], fields);
  if (s.bake !== undefined) settings.bakeMs = parseDuration(s.bake, fields.name(['bake']));

  if (s.smoke !== undefined) settings.smoke = buildSmoke(s.smoke, fields, env, unsetVariables);
  return settings;
}

function parseTraffic(value: string, fields: Fields): TrafficStrategy {
  const text = value.trim();
  const fail = (why?: string): never =>
    fields.fail(['traffic'], value, why ? `is not a traffic strategy (${why})` : `is not ${TRAFFIC_HINT}`);
  if (/^all-at-once$/i.test(text)) return { kind: 'all-at-once' };
  const canary = /^canary\s+(\d+(?:\.\d+)?)\s*%\s+(\S+)$/i.exec(text);
  const linear = /^linear\s+(\d+(?:\.\d+)?)\s*%\s+every\s+(\S+)$/i.exec(text);
  const match = canary ?? linear;
  if (!match) return fail();
  const percent = Number(match[1]);
  let ms: number;
  try {
    ms = parseDuration(match[2], 'traffic');
  } catch {
    return fail();
  }
  if (ms <= 0) return fail('the wait must be longer than 0s');
  if (canary) {
    if (percent < 1 || percent > 99) return fail('the canary percent must be from 1 to 99');
    return { kind: 'canary', percent, waitMs: ms };
  }
  if (percent < 1 || percent > 100) return fail('the linear step must be from 1 to 100 percent');
  return { kind: 'linear', percent, intervalMs: ms };
}

function parseErrorRate(value: string | number, fields: Fields): number {
  let rate: number | undefined;
  if (typeof value === 'number') {
    rate = value;
  } else {
    const text = value.trim();
    const percent = /^(\d+(?:\.\d+)?|\.\d+)\s*%$/.exec(text);
    if (percent) rate = Number(percent[1]) / 100;
    else if (/^(\d+(?:\.\d+)?|\.\d+)$/.test(text)) rate = Number(text);
  }
  if (rate === undefined || !Number.isFinite(rate) || rate < 0 || rate > 1) {
    return fields.fail(['max-error-rate'], value, `is not ${ERROR_RATE_HINT}`);
  }
  return rate;
}

type SmokeBlock = z.output<typeof smokeSchema>;

function buildSmoke(
  block: SmokeBlock,
  fields: Fields,
  env: Record<string, string | undefined>,
  unsetVariables: 'error' | 'keep',
): SmokeSettings {
  const url = block.url?.trim();
  if (url === undefined) {
    throw new InputError(`${fields.name(['smoke', 'url'])}: required when smoke is set (the URL to check)`);
  }
  if (!isHttpUrl(url)) fields.fail(['smoke', 'url'], block.url, 'is not an http(s) URL');

  const method = (block.method ?? 'GET').trim().toUpperCase();
  if (!HTTP_METHODS.includes(method)) {
    fields.fail(['smoke', 'method'], block.method, 'is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)');
  }

  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, raw] of Object.entries(block.headers ?? {})) {
    const path = ['smoke', 'headers', name];
    if (!HEADER_NAME_RE.test(name)) {
      throw new InputError(`${fields.name(path, ['smoke', 'headers'])}: ${JSON.stringify(name)} is not a header name`);
    }
    const value = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole: string, variable: string) => {
      const found = env[variable];
      if ((found === undefined || found === '') && unsetVariables === 'keep') return whole;
      if (found === undefined || found === '') {
        throw new InputError(`${fields.name(path)}: \${${variable}} is not set in the step's environment`);
      }
      if (!secrets.includes(found)) secrets.push(found);
      return found;
    });
    if (/[\r\n\0]/.test(value)) {
      throw new InputError(`${fields.name(path)}: a header value cannot contain a line break`);
    }
    headers[name] = value;
  }

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
  if (block['expect-status'] !== undefined) smoke.expectStatus = parseStatus(block['expect-status'], fields);
  if (block['expect-body'] !== undefined) smoke.expectBody = parseBody(block['expect-body'], fields);
  if (block.attempts !== undefined) {
    if (!Number.isInteger(block.attempts) || block.attempts < 1) {
      fields.fail(['smoke', 'attempts'], block.attempts, 'is not a number of attempts (use a whole number, 1 or more)');
    }
    smoke.attempts = block.attempts;
  }
  if (block.interval !== undefined) smoke.intervalMs = parseDuration(block.interval, fields.name(['smoke', 'interval']));
  if (block.timeout !== undefined) {
    smoke.timeoutMs = parseDuration(block.timeout, fields.name(['smoke', 'timeout']));
    if (smoke.timeoutMs <= 0) {
      fields.fail(['smoke', 'timeout'], block.timeout, `is not a request timeout (use more than ${formatDuration(0)})`);
    }
  }
  return smoke;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function parseStatus(value: number | string | (number | string)[], fields: Fields): StatusExpectation {
  const items = Array.isArray(value) ? value : [value];
  const codes: number[] = [];
  const classes: number[] = [];
  const shown: string[] = [];
  for (const item of items) {
    const text = String(item).trim();
    if (/^[1-5]xx$/i.test(text)) {
      const cls = Number(text[0]);
      if (!classes.includes(cls)) classes.push(cls);
      shown.push(text.toLowerCase());
      continue;
    }
    const code = typeof item === 'number' ? item : /^\d{3}$/.test(text) ? Number(text) : NaN;
    if (!Number.isInteger(code) || code < 100 || code > 599) break;
    if (!codes.includes(code)) codes.push(code);
    shown.push(String(code));
  }
  if (items.length === 0 || shown.length !== items.length) {
    return fields.fail(['smoke', 'expect-status'], value, `is not ${STATUS_HINT}`);
  }
  return { codes, classes, text: Array.isArray(value) ? `[${shown.join(', ')}]` : (shown[0] ?? '') };
}

function parseBody(value: string, fields: Fields): BodyExpectation | undefined {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (regex) {
    const source = regex[1] ?? '';
    const flags = regex[2] ?? '';
    try {
      new RegExp(source, flags);
    } catch (error) {
      return fields.fail(['smoke', 'expect-body'], value, `is not a valid regular expression (${(error as Error).message})`);
    }
    return { kind: 'regex', source, flags };
  }
  return value === '' ? undefined : { kind: 'substring', text: value };
}

export const DEFAULT_CONFIG_FILE = 'stage-deploy.yml';

