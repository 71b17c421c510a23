/**
 * The schema of the stages file. Each setting is declared once, with its shape (checked by zod
 * when the file is parsed) next to its range (checked when a stage is resolved, once defaults,
 * extends and inputs are merged, so the message names where the value was written).
 * Every message is "<field>: <value> is not <what>".
 */
import { z } from 'zod';
import { parseDuration } from './durations.js';
import { RETENTION_DAYS } from '../model/lambda.js';
import type { LogLevel } from '../model/settings.js';
import { formatDuration } from '../report/format.js';

// zod's interpreter, not its JIT: by default zod compiles each object schema into a function
// (new Function) the first time it parses with it, which pays off over many parses in a long
// process. A run parses one stages file and ends: compiling costs more than it saves (a run that
// parses and resolves a stage and stops: about 10% less CPU, measured on Node 24), and code built
// at run time is one thing less to trust.
z.config({ jitless: true });

const DURATION_HINT = 'a duration (use 500ms, 2s or 5m)';
export const STATUS_HINT = 'a status (use 200, [200, 204] or "2xx")';
export const TRAFFIC_HINT = 'a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")';
export const ERROR_RATE_HINT = 'an error rate (use 1% or 0.01)';
const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'TRACE', 'WARN', 'FATAL'];
const LOG_LEVEL_HINT = 'a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)';
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const FUNCTION_RE = /^(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?[a-zA-Z0-9_-]{1,64}$/;
const ALIAS_RE = /^(?!^[0-9]+$)([a-zA-Z0-9-_]+)$/;
const REGION_RE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const BUCKET_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ALIAS_RULE = '(letters, digits, - and _, not only digits, at most 128 characters)';
/** An IAM role ARN (IAM identifiers: a path of `/`-separated segments, a name of up to 64 of `\w+=,.@-`). */
const ROLE_RE = /^arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
export const ROLE_HINT = 'an IAM role ARN (like arn:aws:iam::210987654321:role/deployer)';
/**
 * An Amazon ECR image URI by tag or by digest. The repository name follows ECR's pattern
 * (CreateRepository: `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`, 2 to 256
 * characters), a tag Docker's (a word character, then up to 127 of `\w.-`). Lambda does not take
 * images from ECR's FIPS endpoints (`dkr.ecr-fips.`), so they are not accepted.
 */
const IMAGE_RE =
  /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?\/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(?::([\w][\w.-]{0,127})|@(sha256:[a-f0-9]{64}))$/;
export const IMAGE_HINT =
  'an ECR image URI (use <account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag> or @sha256:<64 hex digits>)';

/** An ECR image URI taken apart: the registry's account and region, the repository, and the tag or the digest. */
export interface ImageReference {
  uri: string;
  account: string;
  region: string;
  repository: string;
  tag?: string;
  digest?: string;
}

/** `uri` taken apart, or undefined when it is not an ECR image URI by tag or digest. */
export function parseImageUri(uri: string): ImageReference | undefined {
  const match = IMAGE_RE.exec(uri);
  if (!match) return undefined;
  const [, account = '', region = '', repository = '', tag, digest] = match;
  if (repository.length < 2 || repository.length > 256) return undefined;
  return { uri, account, region, repository, ...(tag !== undefined && { tag }), ...(digest !== undefined && { digest }) };
}

/** Where a value was written, for the messages of its check. */
export interface At {
  /** The field as messages name it: `stages.dev.timeout`, `defaults.region`, or an input name. */
  name(): string;
  /** Throw `<field>: <value as written> <problem>`. */
  fail(problem: string): never;
}

/** One setting: its shape, and the check that turns a value of that shape into the setting. */
export interface Setting<S extends z.ZodType, T> {
  shape: S;
  check: (value: z.output<S>, at: At) => T;
}

/** A setting; without `check`, its value is taken as written (or checked in values.ts). */
const setting = <S extends z.ZodType, T = z.output<S>>(
  shape: S,
  check: (value: z.output<S>, at: At) => T = (value) => value as T,
): Setting<S, T> => ({ shape, check });

type Shapes<T extends Record<string, { shape: z.ZodType }>> = { [K in keyof T]: T[K]['shape'] };

/** The zod shape of a table of settings, in the order written (the order of "known keys"). */
function shapes<T extends Record<string, { shape: z.ZodType }>>(settings: T): Shapes<T> {
  return Object.fromEntries(Object.entries(settings).map(([key, { shape }]) => [key, shape])) as Shapes<T>;
}

const str = (what = 'a string') => z.string({ error: what });
const num = (what = 'a number') => z.number({ error: what });
/** Scalars become strings: `PORT: 8080` means "8080". */
const scalarText = z
  .union([z.string(), z.number(), z.boolean()], { error: 'a string, number or boolean' })
  .transform((value) => String(value));
const durationValue = z.union([z.string(), z.number()], { error: DURATION_HINT });
/** Milliseconds; a value that is not a duration fails in parseDuration's words. */
const toMs = (value: string | number, at: At): number => parseDuration(value, at.name());
/** The most smoke attempts: 20 × (5 min + 5 min) keeps the smoke phase under 3.5 hours. */
export const MAX_SMOKE_ATTEMPTS = 20;
/** The longest wait between smoke attempts, and the longest smoke request. */
export const MAX_SMOKE_INTERVAL_MS = 5 * 60_000;
export const MAX_SMOKE_TIMEOUT_MS = 5 * 60_000;
/**
 * The longest bake and the longest canary wait or linear interval: a GitHub-hosted job ends at
 * 6 hours, and timers past 2^31-1 ms (about 24.8 days) would fire at once.
 */
export const MAX_WAIT_MS = 6 * 3_600_000;
/** The most `provisioned-concurrency` accepted: Lambda's regional concurrency quota can be raised to tens of thousands. */
export const MAX_PROVISIONED_CONCURRENCY = 100_000;

/** Milliseconds from `min` to `max`, with "<field>: <value> is not <what> (use …)" beyond. */
const durationWithin =
  (what: string, min: number, max: number, minExclusive = false) =>
  (value: string | number, at: At): number => {
    const ms = toMs(value, at);
    const low = minExclusive ? ms <= min : ms < min;
    if (low || ms > max) {
      const from = minExclusive ? `more than ${formatDuration(min)}` : `from ${formatDuration(min)}`;
      return at.fail(`is not ${what} (use ${from} up to ${formatDuration(max)})`);
    }
    return ms;
  };

/** A whole number, 1 or more. */
const countOf =
  (what: string) =>
  (count: number, at: At): number =>
    Number.isInteger(count) && count >= 1 ? count : at.fail(`is not ${what} (use a whole number, 1 or more)`);
const matching =
  (pattern: RegExp, problem: string) =>
  (text: string, at: At): string =>
    pattern.test(text) ? text : at.fail(problem);

/** The settings under `smoke`. The URL, headers, body, status and expected body are checked in values.ts. */
export const SMOKE = {
  url: setting(str('an http(s) URL')),
  method: setting(str('an HTTP method'), (text, at) => {
    const method = text.trim().toUpperCase();
    if (HTTP_METHODS.includes(method)) return method;
    return at.fail('is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)');
  }),
  headers: setting(z.record(z.string(), scalarText, { error: 'a mapping of header names to values' })),
  body: setting(str()),
  'expect-status': setting(
    z.union([z.number(), z.string(), z.array(z.union([z.number(), z.string()]))], { error: STATUS_HINT }),
  ),
  'expect-body': setting(str('a string (a substring, or /regex/)')),
  attempts: setting(num('a number of attempts'), (count, at) =>
    Number.isInteger(count) && count >= 1 && count <= MAX_SMOKE_ATTEMPTS
      ? count
      : at.fail(`is not a number of attempts (use a whole number from 1 to ${MAX_SMOKE_ATTEMPTS})`),
  ),
  interval: setting(durationValue, durationWithin('a wait between attempts', 0, MAX_SMOKE_INTERVAL_MS)),
  timeout: setting(durationValue, durationWithin('a request timeout', 0, MAX_SMOKE_TIMEOUT_MS, true)),
  invoke: setting(z.boolean({ error: 'true or false' })),
};

/** The settings under `api`; both are required when api is set (checked when resolving). */
export const API = { id: str('an API id'), stage: str('an API stage name') };

const smokeSchema = z.strictObject(shapes(SMOKE), { error: 'a mapping' }).partial();
const apiSchema = z.strictObject(API, { error: 'a mapping' }).partial();

/**
 * The settings of `defaults` and of each stage. Environment names, traffic, alarms and the error
 * rate are checked in values.ts.
 */
export const SETTINGS = {
  function: setting(str('a function name or ARN'), (text, at) => {
    const name = text.trim();
    if (!name) return at.fail('is not a function name or ARN');
    return FUNCTION_RE.test(name) ? name : at.fail('is not a Lambda function name or ARN (without a version or alias)');
  }),
  region: setting(str('an AWS region'), matching(REGION_RE, 'is not an AWS region (like us-east-1)')),
  /** One bucket, or one per region (`{us-east-1: a, eu-west-1: b}`): S3 code must be in the function's region. */
  's3-bucket': setting(
    z.union([z.string(), z.record(z.string(), z.string())], {
      error: 'an S3 bucket name, or a mapping of regions to bucket names',
    }),
    (value, at) => (typeof value === 'string' ? bucketName(value, at) : value),
  ),
  's3-prefix': setting(str()),
  api: setting(apiSchema),
  alias: setting(str('an alias name'), (alias, at) =>
    alias.length <= 128 && ALIAS_RE.test(alias) ? alias : at.fail(`is not a Lambda alias name ${ALIAS_RULE}`),
  ),
  'log-level': setting(str(LOG_LEVEL_HINT), (text, at) => {
    const level = text.trim().toUpperCase() as LogLevel;
    return LOG_LEVELS.includes(level) ? level : at.fail(`is not ${LOG_LEVEL_HINT}`);
  }),
  'log-retention-days': setting(num('a number of days'), (days, at) =>
    RETENTION_DAYS.includes(days)
      ? days
      : at.fail(`is not a CloudWatch Logs retention (use one of ${RETENTION_DAYS.join(', ')})`),
  ),
  'log-format': setting(str('a log format (use json or text)'), (text, at) => {
    const format = text.trim().toLowerCase();
    return format === 'json' || format === 'text' ? format : at.fail('is not a log format (use json or text)');
  }),
  environment: setting(z.record(z.string(), scalarText, { error: 'a mapping of variable names to values' })),
  'memory-size': setting(num('a memory size in MB'), (mb, at) =>
    Number.isInteger(mb) && mb >= 128 && mb <= 10240
      ? mb
      : at.fail('is not a memory size (use a whole number of MB from 128 to 10240)'),
  ),
  /** In whole seconds. */
  timeout: setting(durationValue, (value, at) => {
    const ms = toMs(value, at);
    if (ms % 1000 !== 0 || ms < 1000 || ms > 900_000) {
      return at.fail('is not a function timeout (use whole seconds from 1s to 900s)');
    }
    return ms / 1000;
  }),
  'keep-versions': setting(num('a number of versions'), countOf('a number of versions to keep')),
  traffic: setting(str(TRAFFIC_HINT)),
  alarms: setting(z.union([z.string(), z.array(z.string())], { error: 'a list of alarm names' })),
  'max-error-rate': setting(z.union([z.string(), z.number()], { error: ERROR_RATE_HINT })),
  bake: setting(durationValue, durationWithin('a bake time', 0, MAX_WAIT_MS)),
  smoke: setting(smokeSchema),
  /**
   * Warm instances for the alias (release/capacity.ts). Lambda's own ceiling is the account's
   * unreserved concurrency (1,000 by default), known only to Lambda; MAX_PROVISIONED_CONCURRENCY
   * only catches typos.
   */
  'provisioned-concurrency': setting(num('a number of instances'), (count, at) =>
    Number.isInteger(count) && count >= 1 && count <= MAX_PROVISIONED_CONCURRENCY
      ? count
      : at.fail(`is not a provisioned concurrency (use a whole number from 1 to ${MAX_PROVISIONED_CONCURRENCY})`),
  ),
  /**
   * A container-image function's code: an ECR image URI by tag or digest, or one per region
   * (`{us-east-1: uri, eu-west-1: uri}`): Lambda takes images only from the function's region.
   */
  image: setting(
    z.union([z.string(), z.record(z.string(), z.string())], {
      error: 'an ECR image URI, or a mapping of regions to image URIs',
    }),
    (value, at) => (typeof value === 'string' ? imageUri(value, at) : value),
  ),
  /** The IAM role assumed (STS) for everything the action does on the stage: dev and prod may be in different accounts. */
  role: setting(str(ROLE_HINT), (text, at) => (ROLE_RE.test(text.trim()) ? text.trim() : at.fail(`is not ${ROLE_HINT}`))),
};

/** `s3-bucket` as one bucket name. */
export const bucketName = matching(BUCKET_RE, 'is not an S3 bucket name');
/** `image` as one URI, trimmed. */
export const imageUri = (text: string, at: At): string => {
  const uri = text.trim();
  if (uri.includes('.dkr.ecr-fips.')) return at.fail(`is not ${IMAGE_HINT}; Lambda does not take images from ECR's FIPS endpoints`);
  return parseImageUri(uri) ? uri : at.fail(`is not ${IMAGE_HINT}`);
};
/** A region, as a key of `regions`, `s3-bucket` or `image`. */
export const regionName = SETTINGS.region.check;

/**
 * The keys of one function's block under `functions`: any stage setting but `function` (the
 * block's key names the function), and the function's own code, `artifact` or `image`.
 */
export const FUNCTION_SETTINGS = {
  ...Object.fromEntries(Object.entries(SETTINGS).filter(([key]) => key !== 'function' && key !== 'role')),
  /** The function's code: a `.zip` file or a directory, relative to the workspace. */
  artifact: setting(str('a path to a .zip file or a directory'), (text, at) =>
    text.trim() === '' ? at.fail('is not a path to a .zip file or a directory') : text.trim(),
  ),
} as Omit<typeof SETTINGS, 'function' | 'role'> & { artifact: Setting<z.ZodString, string> };

/** Keys that a function's block cannot hold, and why: messages say so instead of "unknown key". */
export const NOT_IN_FUNCTION: Readonly<Record<string, string>> = {
  function: 'the key under functions is the function name or ARN',
  functions: 'functions is a key of the stage',
  regions: 'regions is a key of the stage: every function is released in every region',
  extends: 'extends is a key of the stage',
  role: 'role is a key of the stage: every function of a stage is in its one account',
};

/** `dev:` with nothing under it is a stage with the defaults. */
const emptyIfNull = (value: unknown) => (value === null || value === undefined ? {} : value);

const functionSchema = z.preprocess(
  emptyIfNull,
  z.strictObject(shapes(FUNCTION_SETTINGS), { error: 'a mapping of settings' }).partial(),
);

/**
 * The keys that release several functions and regions as one (CONTRACT "Beyond one zip on one
 * function"). `functions` is an alternative to `function`, `regions` to `region`.
 */
export const UNIT_SETTINGS = {
  /** Function name or ARN → that function's own settings (any stage key but `extends`), `artifact` or `image`. */
  functions: setting(
    z.record(z.string(), functionSchema, { error: 'a mapping of function names to their settings' }),
  ),
  /** The same release in each region, all-or-nothing. */
  regions: setting(z.array(z.string({ error: 'an AWS region' }), { error: 'a list of AWS regions' })),
};

/** The default `preview.alias` and `preview.keep-days`. */
export const DEFAULT_PREVIEW_ALIAS = 'pr-{number}';
export const DEFAULT_PREVIEW_KEEP_DAYS = 14;
/** The largest pull-request number the alias template is checked with (a GitHub issue number is an int32). */
const LARGEST_NUMBER = '2147483647';
const URL_AUTH_HINT = 'a function URL AuthType (use AWS_IAM or NONE)';

/**
 * The keys under a stage's `preview` (CONTRACT "A preview per pull request"): the stage is a
 * template for one alias per pull request. A stage's own key: never inherited through `extends`.
 */
export const PREVIEW = {
  alias: setting(str('an alias template'), (template, at) => {
    if (!template.includes('{number}')) return at.fail("is not a preview alias template: it needs {number} (the pull request's number), like pr-{number}");
    const sample = template.replaceAll('{number}', LARGEST_NUMBER);
    return sample.length <= 128 && ALIAS_RE.test(sample) && !/[{}]/.test(sample)
      ? template
      : at.fail(`is not a preview alias template: with {number} filled in it must be a Lambda alias name ${ALIAS_RULE}`);
  }),
  url: setting(
    z.strictObject({ auth: z.string({ error: URL_AUTH_HINT }).optional() }, { error: 'a mapping (use { auth: AWS_IAM } or { auth: NONE })' }),
    (value, at): { auth: 'AWS_IAM' | 'NONE' } => {
      const auth = (value.auth ?? 'AWS_IAM').trim().toUpperCase();
      return auth === 'AWS_IAM' || auth === 'NONE' ? { auth } : at.fail(`is not ${URL_AUTH_HINT}`);
    },
  ),
  'keep-days': setting(num('a number of days'), countOf('a number of days')),
};

const previewSchema = z.preprocess(emptyIfNull, z.strictObject(shapes(PREVIEW), { error: 'a mapping (alias, url, keep-days)' }).partial());

const settingsShape = { ...shapes(SETTINGS), ...shapes(UNIT_SETTINGS) };
const defaultsSchema = z.strictObject(settingsShape, { error: 'a mapping of settings' }).partial();
const stageSchema = z
  .strictObject({ ...settingsShape, extends: str('a stage name'), preview: previewSchema }, { error: 'a mapping of settings' })
  .partial();

/** The whole file: `defaults` and `stages`. */
export const fileSchema = z.strictObject(
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
/** One function's block under `functions`, as written. */
export type FunctionBlock = z.output<typeof functionSchema>;
/** A `preview` block, as written. */
export type PreviewBlock = z.output<typeof previewSchema>;
/** A `smoke` block, as written. */
export type SmokeBlock = z.output<typeof smokeSchema>;
/** A parsed, structurally valid stages file. */
export interface StagesFile {
  defaults: DefaultsBlock;
  stages: Record<string, StageBlock>;
}
