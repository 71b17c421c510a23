/**
 * Reading the stages file: YAML (or JSON) into a structurally valid StagesFile, with messages that
 * name the field and the value, and the key that was meant when one is misspelt.
 * Pure code apart from loadStagesFile, which reads the file from disk.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { describeValue } from './durations.js';
import { checkExtends, excerpt, isReservedKey, renderPath, reservedKeyProblem, type Segment } from './merge.js';
import { API, fileSchema, FUNCTION_SETTINGS, NOT_IN_FUNCTION, SETTINGS, SMOKE, UNIT_SETTINGS, type StagesFile } from './schema.js';
import { InputError } from '../model/errors.js';

/** The stages file read when the `config` input is not set. */
export const DEFAULT_CONFIG_FILE = 'stage-deploy.yml';

/** The largest stages file read (1 MiB): a stages file is a few kilobytes; more is a mistake. */
export const MAX_STAGES_FILE_BYTES = 1 << 20;
const READ_CHUNK_BYTES = 64 * 1024;
/** A message quoting what a parser said about the file keeps at most this many characters of it. */
const PARSER_MESSAGE_CHARS = 200;
/** Did-you-mean compares a misspelt key with at most this many known keys. */
const SUGGEST_CANDIDATES = 50;

const TOP_KEYS = ['defaults', 'stages'];
const SETTINGS_KEYS = [...Object.keys(SETTINGS), ...Object.keys(UNIT_SETTINGS)];
const FUNCTION_KEYS = Object.keys(FUNCTION_SETTINGS);
const SMOKE_KEYS = Object.keys(SMOKE);
const API_KEYS = Object.keys(API);
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

/** Parse and validate the text of a stages file (YAML or JSON). `fileName` is used in messages. */
export function parseStagesFile(text: string, fileName: string): StagesFile {
  const raw = readYaml(text.replace(/^\uFEFF/, ''), fileName);
  refuseReservedKeys(raw);
  const result = fileSchema.safeParse(raw ?? {});
  if (!result.success) {
    // Only the first problem is put into words; the others are counted (a file with thousands of
    // bad stages costs one message, not thousands of did-you-means).
    const issues = result.error.issues;
    const total = issues.reduce((n, issue) => n + (issue.code === 'unrecognized_keys' ? issue.keys.length : 1), 0);
    let first: string | undefined;
    for (const issue of issues) {
      first = issueMessages(issue, raw, fileName, 1)[0];
      if (first !== undefined) break;
    }
    const more = total - 1;
    first ??= `${fileName}: not a valid stages file`;
    throw new InputError(more > 0 ? `${first} (and ${more} more problem${more === 1 ? '' : 's'})` : first);
  }
  const file: StagesFile = { defaults: result.data.defaults, stages: result.data.stages };
  checkExtends(file, fileName);
  return file;
}

/**
 * `__proto__`, `constructor` and `prototype` as a key anywhere in the file (a stage name, an
 * environment variable, a header) are refused by name: a parser drops `__proto__` without a word,
 * and a merge through it would write onto Object.prototype.
 */
function refuseReservedKeys(raw: unknown): void {
  const seen = new Set<object>();
  const stack: Array<{ value: unknown; path: Segment[] }> = [{ value: raw, path: [] }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { value, path } = item;
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((element: unknown, i) => stack.push({ value: element, path: [...path, i] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (isReservedKey(key)) {
        throw new InputError(`${renderPath([...path, key])}: ${reservedKeyProblem(key)}`);
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

/** The stage names in the file, in the order written. */
export function listStages(file: StagesFile): string[] {
  return Object.keys(file.stages);
}

/**
 * Read the stages file. A file that does not exist is `undefined` unless `required` (the user
 * named `config` explicitly), then it is an InputError. Only a regular file up to
 * MAX_STAGES_FILE_BYTES is read: a FIFO, a device or a directory is refused without being opened
 * for reading (a FIFO would block, `/dev/zero` would never end), and the opened handle is checked
 * again, so a file swapped for something else in between is refused too.
 */
export async function loadStagesFile(path: string, required: boolean, shownAs = path): Promise<StagesFile | undefined> {
  const named = `config: ${JSON.stringify(shownAs)}`;
  const cannotRead = (error: unknown): InputError => {
    const code = (error as NodeJS.ErrnoException).code;
    return new InputError(`${named} cannot be read (${code ?? String(error)})`);
  };
  try {
    refuseNonFile(await stat(path), named);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (!required) return undefined;
      throw new InputError(`${named} does not exist`);
    }
    throw cannotRead(error);
  }

  let text: string;
  // O_NONBLOCK: should a FIFO be put in the file's place after the check, opening it does not wait.
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch((error: unknown) => {
    throw cannotRead(error);
  });
  try {
    refuseNonFile(await handle.stat(), named);
    // At most one byte over the cap is read, whatever the size said (a file can grow).
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= MAX_STAGES_FILE_BYTES) {
      const chunk = Buffer.alloc(Math.min(READ_CHUNK_BYTES, MAX_STAGES_FILE_BYTES + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, length);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    if (length > MAX_STAGES_FILE_BYTES) throw tooBig(named);
    text = Buffer.concat(chunks, length).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw cannotRead(error);
  } finally {
    await handle.close();
  }
  return parseStagesFile(text, shownAs);
}

function refuseNonFile(stats: Stats, named: string): void {
  if (stats.isDirectory()) throw new InputError(`${named} is a directory, not a stages file`);
  if (!stats.isFile()) throw new InputError(`${named} is not a regular file (a FIFO, socket or device is not read)`);
  if (stats.size > MAX_STAGES_FILE_BYTES) throw tooBig(named);
}

function tooBig(named: string): InputError {
  return new InputError(`${named} is larger than ${MAX_STAGES_FILE_BYTES / (1 << 20)} MiB, too large for a stages file`);
}

function readYaml(text: string, fileName: string): unknown {
  // uniqueKeys off: the parser's own check scans every earlier key of a mapping for each key
  // (quadratic in the number of stages); duplicateKey does the same check with a set.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, uniqueKeys: false, lineCounter });
  const parseError = doc.errors[0];
  const duplicate = duplicateKey(doc, lineCounter);
  const error = parseError && (!duplicate || parseError.pos[0] <= duplicate.offset) ? parseError : duplicate;
  if (error) {
    const trimmed = text.trim();
    // JSON.parse keeps the last of two equal keys without a word: a key written twice (a function
    // listed twice) is refused, JSON or not.
    if (error !== duplicate && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        // Not JSON either: report what YAML said.
      }
    }
    // The parser's words can quote the file (an alias, a tag): keep them short.
    const message = excerpt((error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, ''), PARSER_MESSAGE_CHARS);
    const where = error.linePos?.[0];
    const at = where ? ` at line ${where.line}, column ${where.col}` : '';
    throw new InputError(`${fileName}: YAML syntax error${at}: ${message}`);
  }
  try {
    return doc.toJS() as unknown;
  } catch (err) {
    throw new InputError(`${fileName}: ${excerpt((err as Error).message.split('\n')[0] ?? 'cannot be read as YAML', PARSER_MESSAGE_CHARS)}`);
  }
}

/** The issue's messages (one per unknown key), at most `limit` of them. */
/** The first key (in the text) written twice in one mapping, as the parser reports one. */
function duplicateKey(
  doc: Document,
  lineCounter: LineCounter,
): { message: string; offset: number; linePos: [{ line: number; col: number }] } | undefined {
  let first: number | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const start = pair.key.range?.[0];
        if (seen.has(pair.key.value) && start !== undefined && (first === undefined || start < first)) first = start;
        seen.add(pair.key.value);
      }
    },
  });
  return first === undefined ? undefined : { message: 'Map keys must be unique', offset: first, linePos: [lineCounter.linePos(first)] };
}

function issueMessages(issue: z.core.$ZodIssue, raw: unknown, fileName: string, limit = Infinity): string[] {
  const path = issue.path.filter((p): p is Segment => typeof p === 'string' || typeof p === 'number');
  if (issue.code === 'unrecognized_keys') {
    // At the top of the file, name the file: `stage:` alone would read like the `stage` input.
    return issue.keys.slice(0, limit).map((key) =>
      path.length === 0
        ? `${fileName}: ${JSON.stringify(excerpt(key))} is an ${unknownKeyHint(path, key)}`
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
  const inFunction = isFunctionBlock(path);
  if (inFunction && Object.hasOwn(NOT_IN_FUNCTION, key)) return `not allowed in a function's block (${NOT_IN_FUNCTION[key]})`;
  if (!inFunction && key === 'artifact' && isSettingsBlock(path)) {
    return "unknown key (artifact belongs in a function's block under functions; for one function, use the artifact input)";
  }
  const suggestion = suggest(key, known);
  return suggestion ? `unknown key (did you mean "${suggestion}"?)` : `unknown key (known keys: ${known.join(', ')})`;
}

/** `defaults` or `stages.<name>`. */
function isSettingsBlock(path: readonly Segment[]): boolean {
  return (path.length === 1 && path[0] === 'defaults') || (path.length === 2 && path[0] === 'stages');
}

/** `defaults.functions.<name>` or `stages.<name>.functions.<name>`. */
function isFunctionBlock(path: readonly Segment[]): boolean {
  const at = functionBlockDepth(path);
  return at !== undefined && path.length === at;
}

/** How deep a function's block under `path` is, when `path` is in one. */
function functionBlockDepth(path: readonly Segment[]): number | undefined {
  if (path[0] === 'defaults' && path[1] === 'functions' && path.length >= 3) return 3;
  if (path[0] === 'stages' && path[2] === 'functions' && path.length >= 4) return 4;
  return undefined;
}

function knownKeysAt(path: readonly Segment[]): string[] {
  const [top, second, third] = path;
  const depth = path.length;
  if (depth === 0) return TOP_KEYS;
  const inFunction = functionBlockDepth(path);
  if (inFunction !== undefined) {
    if (depth === inFunction) return FUNCTION_KEYS;
    const under = path[inFunction];
    if (depth === inFunction + 1 && under === 'smoke') return SMOKE_KEYS;
    if (depth === inFunction + 1 && under === 'api') return API_KEYS;
    return [];
  }
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
  const limit = Math.max(1, Math.floor(Math.max(normal.length, 3) / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known.slice(0, SUGGEST_CANDIDATES)) {
    // The distance is at least the difference in length: skip what cannot be close enough.
    if (Math.abs(candidate.length - normal.length) > limit) continue;
    const distance = levenshtein(normal, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
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

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<Segment, unknown>)[segment];
  }
  return value;
}
