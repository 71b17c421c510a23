/**
 * Reading the stages file: YAML (or JSON) into a structurally valid StagesFile, with messages that
 * name the field and the value, and the key that was meant when one is misspelt.
 * Pure code apart from loadStagesFile, which reads the file from disk.
 */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { describeValue } from './durations.js';
import { extendsChain, renderPath, type Segment } from './merge.js';
import { API, fileSchema, SETTINGS, SMOKE, type StagesFile } from './schema.js';
import { InputError } from '../model/errors.js';

/** The stages file read when the `config` input is not set. */
export const DEFAULT_CONFIG_FILE = 'stage-deploy.yml';

const TOP_KEYS = ['defaults', 'stages'];
const SETTINGS_KEYS = Object.keys(SETTINGS);
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

function issueMessages(issue: z.core.$ZodIssue, raw: unknown, fileName: string): string[] {
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

function valueAt(root: unknown, path: readonly Segment[]): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<Segment, unknown>)[segment];
  }
  return value;
}
