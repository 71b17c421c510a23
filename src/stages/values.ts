/**
 * The checks of values that are more than a setting's range: the traffic strategy, the error
 * rate, alarm names, the smoke URL, the expected status and body, variable names and the
 * variables Lambda reserves, header names and `${VAR}` in header values.
 */
import { isReservedKey, reservedKeyProblem, type Fields, type Segment } from './merge.js';
import { ERROR_RATE_HINT, MAX_WAIT_MS, STATUS_HINT, TRAFFIC_HINT, type At } from './schema.js';
import { parseDuration } from './durations.js';
import { BODY_FLAGS, compileBodyRegex } from '../checks/body-regex.js';
import { InputError } from '../model/errors.js';
import type { BodyExpectation, StatusExpectation, TrafficStrategy } from '../model/settings.js';
import { formatDuration } from '../report/format.js';

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

/** `all-at-once`, `canary 10% 5m` or `linear 10% every 1m`. */
export function parseTraffic(value: string, at: At): TrafficStrategy {
  const text = value.trim();
  const fail = (why?: string): never => at.fail(why ? `is not a traffic strategy (${why})` : `is not ${TRAFFIC_HINT}`);
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
  if (ms > MAX_WAIT_MS) return fail(`the wait must be at most ${formatDuration(MAX_WAIT_MS)}`);
  if (canary) {
    if (percent < 1 || percent > 99) return fail('the canary percent must be from 1 to 99');
    return { kind: 'canary', percent, waitMs: ms };
  }
  if (percent < 1 || percent > 100) return fail('the linear step must be from 1 to 100 percent');
  return { kind: 'linear', percent, intervalMs: ms };
}

/** A fraction from `1%` or `0.01`. */
export function parseErrorRate(value: string | number, at: At): number {
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
    return at.fail(`is not ${ERROR_RATE_HINT}`);
  }
  return rate;
}

/** One alarm name or a list of them, none empty; trimmed. */
export function alarmNames(alarms: string | string[], fields: Fields): string[] {
  const list = typeof alarms === 'string' ? [alarms] : alarms;
  list.forEach((alarm, index) => {
    if (alarm.trim() === '') {
      const path: Segment[] = typeof alarms === 'string' ? ['alarms'] : ['alarms', index];
      throw new InputError(`${fields.name(['alarms'], path)}: "" is not an alarm name`);
    }
  });
  return list.map((alarm) => alarm.trim());
}

/** The function's variables: names a variable may have, and none that Lambda sets itself. */
export function environmentVariables(environment: Record<string, string>, fields: Fields): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(environment)) {
    if (isReservedKey(name)) throw new InputError(`${fields.name(['environment', name])}: ${reservedKeyProblem(name)}`);
    if (!ENV_NAME_RE.test(name)) {
      throw new InputError(
        `${fields.name(['environment', name], ['environment'])}: ${JSON.stringify(name)} is not a variable name (letters, digits and _, starting with a letter)`,
      );
    }
    if (RESERVED_ENV.has(name)) {
      throw new InputError(`${fields.name(['environment', name])}: ${JSON.stringify(name)} is reserved by Lambda (it sets this variable itself)`);
    }
    variables[name] = value;
  }
  return variables;
}

/** Any C0 or C1 control character, or DEL: never in a URL the smoke test sends. */
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The smoke URL, trimmed: http or https, with a host, no control characters (\r, \n, \t, \0,
 * any C0/C1) and no user:password (it would travel in the clear and land in every log line).
 * Messages show the value JSON-quoted, so a control character is never printed raw.
 */
export function smokeUrl(value: string, at: At): string {
  const url = value.trim();
  if (CONTROL_RE.test(value)) return at.fail('is not a smoke URL (it contains a control character)');
  if (!isHttpUrl(url)) return at.fail('is not an http(s) URL');
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '') {
    return at.fail('is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})');
  }
  return url;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The smoke headers, with `${VAR}` in their values taken from `env`; the values that came from
 * `env` are the secrets. With `keep`, a variable that is not set is left as written.
 */
export function smokeHeaders(
  written: Record<string, string>,
  fields: Fields,
  env: Record<string, string | undefined>,
  unsetVariables: 'error' | 'keep',
): { headers: Record<string, string>; secrets: string[] } {
  const headers: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, raw] of Object.entries(written)) {
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
  return { headers, secrets };
}

/** `200`, `"2xx"` or a list of them. */
export function parseStatus(value: number | string | (number | string)[], at: At): StatusExpectation {
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
    return at.fail(`is not ${STATUS_HINT}`);
  }
  return { codes, classes, text: Array.isArray(value) ? `[${shown.join(', ')}]` : (shown[0] ?? '') };
}

/**
 * A substring, or `/regex/flags`; an empty string expects nothing. Regexes run on RE2 (re2js),
 * in time linear in the body: no backreferences, no lookaround; flags i, m and s only.
 */
export function parseBody(value: string, at: At): BodyExpectation | undefined {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (regex) {
    const source = regex[1] ?? '';
    const flags = regex[2] ?? '';
    const unknown = [...flags].filter((flag) => !Object.hasOwn(BODY_FLAGS, flag));
    if (unknown.length > 0) {
      return at.fail(`is not a valid regular expression (unsupported flag ${unknown.map((f) => JSON.stringify(f)).join(', ')}: use i, m or s)`);
    }
    try {
      compileBodyRegex(source, flags);
    } catch (error) {
      const why = (error as Error).message.replace(/^error parsing regexp: /, '');
      return at.fail(`is not a valid regular expression (${why}; expect-body uses RE2: no backreferences or lookaround)`);
    }
    return { kind: 'regex', source, flags };
  }
  return value === '' ? undefined : { kind: 'substring', text: value };
}
