/**
 * Merging one stage: defaults ← its ancestors (extends) ← the stage ← the action's inputs, with a
 * note of where each value was written so that messages point there. Also the extends check.
 */
import { describeValue } from './durations.js';
import type { At, DefaultsBlock, StagesFile } from './schema.js';
import { InputError } from '../model/errors.js';
import type { StageOverrides } from '../model/settings.js';

export type Segment = string | number;
type Origin = { kind: 'file'; prefix: string } | { kind: 'input'; name: string };
type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys that name an object's machinery in JavaScript: refused as stage names, extends targets and keys. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isReservedKey(key: string): boolean {
  return RESERVED_KEYS.has(key);
}

/** `"__proto__" is a reserved name ...`, for a key written where a name goes. */
export function reservedKeyProblem(key: string): string {
  return `${JSON.stringify(key)} is a reserved name (__proto__, constructor and prototype cannot be used as names)`;
}

/** At most this many names in a list in a message; the rest are counted. */
const LISTED_NAMES = 5;
/** A name longer than this is cut short in a message. */
const NAME_EXCERPT = 60;

/** A name from the file for a message: cut short when long. */
export function excerpt(name: string, max = NAME_EXCERPT): string {
  return name.length > max ? `${name.slice(0, max - 3)}...` : name;
}

/** `a, b, c, d, e and 1995 more`. */
export function listNames(names: readonly string[], separator = ', '): string {
  if (names.length === 0) return 'none';
  const shown = names.slice(0, LISTED_NAMES).map((name) => excerpt(name));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(separator)} and ${more} more` : shown.join(separator);
}

const originKey = (path: readonly Segment[]) => path.join('\u0000');
/** `preview` is the stage's own (resolve.ts reads it from the stage's block): never merged nor inherited. */
const OMIT_EXTENDS: ReadonlySet<string> = new Set(['extends', 'preview']);
/** A function's merge leaves out `functions` (its own blocks are merged in their place). */
const OMIT_FUNCTIONS: ReadonlySet<string> = new Set(['extends', 'functions', 'preview']);

/**
 * Settings that are alternatives of each other: one function or several, one region or several.
 * The nearer one wins (a stage's `function` replaces an inherited `functions`, and the other way
 * round); both in one block is refused.
 */
const ALTERNATIVES: Readonly<Record<string, string>> = {
  function: 'functions',
  functions: 'function',
  region: 'regions',
  regions: 'region',
};
const ALTERNATIVE_WHY: Readonly<Record<string, string>> = {
  functions: 'one function, or a map of several: keep one',
  regions: 'one region, or a list of several: keep one',
};

/** Both of a pair of alternatives written in one block: refused, naming both. */
function refuseAlternatives(source: Plain, origin: Origin): void {
  if (origin.kind !== 'file') return;
  for (const several of ['functions', 'regions']) {
    const one = ALTERNATIVES[several] ?? '';
    if (source[several] !== undefined && source[one] !== undefined) {
      throw new InputError(
        `${joinField(origin.prefix, [several])}: cannot be set together with ${joinField(origin.prefix, [one])} (${ALTERNATIVE_WHY[several] ?? ''})`,
      );
    }
  }
}

/** Forget `key` and everything under it, and where it was written. */
function forget(target: Plain, key: string, origins: Map<string, Origin>): void {
  delete target[key];
  const at = originKey([key]);
  for (const name of [...origins.keys()]) if (name === at || name.startsWith(`${at}\u0000`)) origins.delete(name);
}

/** Deep merge: mappings merge key by key, lists and scalars replace. Never mutates `source`. */
function mergeInto(
  target: Plain,
  source: Plain,
  origin: Origin,
  origins: Map<string, Origin>,
  path: string[] = [],
  omit: ReadonlySet<string> = OMIT_EXTENDS,
): void {
  if (path.length === 0) refuseAlternatives(source, origin);
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined || (path.length === 0 && omit.has(key))) continue;
    const alternative = path.length === 0 ? ALTERNATIVES[key] : undefined;
    if (alternative !== undefined) forget(target, alternative, origins);
    // parseStagesFile refuses these; a merge must never write through them onto a prototype.
    if (isReservedKey(key)) {
      const field = origin.kind === 'file' ? joinField(origin.prefix, [...path, key]) : origin.name;
      throw new InputError(`${field}: ${reservedKeyProblem(key)}`);
    }
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

/** The names of the merged values, for messages. */
export class Fields {
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

  /** Where `value` was written (at `path`), for a setting's check. */
  at(path: readonly Segment[], value: unknown): At {
    return { name: () => this.name(path), fail: (problem) => this.fail(path, value, problem) };
  }

  /** `value`, written at `path`, through `check`: its messages name where the value was written. */
  check<V, T>(path: readonly Segment[], value: V, check: (value: V, at: At) => T): T {
    return check(value, this.at(path, value));
  }
}

/** `smoke.headers.x-a`, `alarms[1]`. */
export function renderPath(path: readonly Segment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? excerpt(segment) : `.${excerpt(segment)}`;
  }
  return out;
}

function joinField(prefix: string, path: readonly Segment[]): string {
  const rest = renderPath(path);
  if (!prefix) return rest;
  const head = excerpt(prefix, NAME_EXCERPT + 'stages.'.length);
  return rest.startsWith('[') ? `${head}${rest}` : `${head}.${rest}`;
}

/** The stage and its ancestors, nearest first: `[prod, dev]` when prod extends dev. */
export function extendsChain(file: StagesFile, stage: string, fileName: string): string[] {
  const chain = [stage];
  const position = new Map([[stage, 0]]);
  let current = stage;
  for (;;) {
    const parent = parentOf(file, current, fileName);
    if (parent === undefined) return chain;
    const seen = position.get(parent);
    if (seen !== undefined) throw cycleError(current, parent, [...chain.slice(seen), parent]);
    position.set(parent, chain.length);
    chain.push(parent);
    current = parent;
  }
}

/**
 * Check every stage's extends (defined, no cycle) in time linear in the number of stages: each
 * stage is walked once, a walk stopping at a stage already known good. The first stage (in file
 * order) whose chain is broken gets the message extendsChain gives for it (a missing parent is
 * named from the stage that extends it, whichever stage the walk started from).
 */
export function checkExtends(file: StagesFile, fileName: string): void {
  const good = new Set<string>();
  for (const stage of Object.keys(file.stages)) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | undefined = stage;
    while (current !== undefined && !good.has(current)) {
      if (onPath.has(current)) {
        extendsChain(file, stage, fileName); // throws the cycle message
        break;
      }
      onPath.add(current);
      path.push(current);
      current = parentOf(file, current, fileName);
    }
    for (const name of path) good.add(name);
  }
}

/** The stage `current` extends, if any; a parent that is not defined (or a reserved name) is an InputError. */
function parentOf(file: StagesFile, current: string, fileName: string): string | undefined {
  const parent = Object.hasOwn(file.stages, current) ? file.stages[current]?.extends : undefined;
  if (parent === undefined) return undefined;
  if (isReservedKey(parent)) throw new InputError(`stages.${excerpt(current)}.extends: ${reservedKeyProblem(parent)}`);
  if (!Object.hasOwn(file.stages, parent)) {
    throw new InputError(
      `stages.${excerpt(current)}.extends: ${JSON.stringify(excerpt(parent))} is not defined in ${fileName} (stages: ${stageList(file)})`,
    );
  }
  return parent;
}

function cycleError(current: string, parent: string, cycle: readonly string[]): InputError {
  // A long cycle shows its first names and how many more, then where it closes.
  const shown =
    cycle.length > LISTED_NAMES + 1
      ? `${cycle.slice(0, LISTED_NAMES).map((name) => excerpt(name)).join(' → ')} → … ${cycle.length - LISTED_NAMES - 1} more → ${excerpt(parent)}`
      : cycle.map((name) => excerpt(name)).join(' → ');
  return new InputError(`stages.${excerpt(current)}.extends: ${JSON.stringify(excerpt(parent))} makes a cycle (${shown})`);
}

function stageList(file: StagesFile): string {
  return listNames(Object.keys(file.stages));
}

/** One stage's settings, merged but not yet checked, and where each was written. */
export interface MergedStage {
  settings: DefaultsBlock;
  fields: Fields;
}

/**
 * Merge `stage` (trimmed, not empty): the file's defaults, ancestors and stage block when there
 * is a file, then the inputs that are set.
 *
 * With `unit` (a key of the stage's `functions`), the merge is that function's: the stage's own
 * settings as above (without `functions`), then the function's blocks under `functions` in the
 * same order (defaults, ancestors, the stage), then the inputs; its `function` is `unit`.
 */
export function mergeStage(
  file: StagesFile | undefined,
  fileName: string,
  stage: string,
  inputs: StageOverrides,
  unit?: string,
): MergedStage {
  const merged: Plain = {};
  const origins = new Map<string, Origin>();
  const own = [`stages.${stage}`];
  if (file) {
    if (!Object.hasOwn(file.stages, stage)) {
      if (isReservedKey(stage)) throw new InputError(`stage: ${reservedKeyProblem(stage)}`);
      throw new InputError(`stage: ${JSON.stringify(excerpt(stage))} is not defined in ${fileName} (stages: ${stageList(file)})`);
    }
    const chain = extendsChain(file, stage, fileName).reverse();
    const omit = unit === undefined ? OMIT_EXTENDS : OMIT_FUNCTIONS;
    mergeInto(merged, file.defaults, { kind: 'file', prefix: 'defaults' }, origins, [], omit);
    for (const name of chain) {
      mergeInto(merged, file.stages[name] ?? {}, { kind: 'file', prefix: `stages.${name}` }, origins, [], omit);
    }
    if (unit !== undefined) {
      const blocks: Array<[string, Plain | undefined]> = [
        ['defaults', ownBlock(file.defaults.functions, unit)],
        ...chain.map((name): [string, Plain | undefined] => [`stages.${name}`, ownBlock(file.stages[name]?.functions, unit)]),
      ];
      for (const [prefix, block] of blocks) {
        if (block === undefined) continue;
        mergeInto(merged, block, { kind: 'file', prefix: joinField(prefix, ['functions', unit]) }, origins);
      }
      own.push(joinField(`stages.${stage}`, ['functions', unit]));
    }
    // An alias names one stage's release: it is never inherited (prod `extends: dev` must not
    // move dev's alias). Only the stage's own block (or its own block for the function) or the
    // input sets it; else the stage name.
    const aliasOrigin = origins.get(originKey(['alias']));
    if (aliasOrigin?.kind === 'file' && !own.includes(aliasOrigin.prefix)) {
      delete merged.alias;
      origins.delete(originKey(['alias']));
    }
  }

  const overrides = cleanOverrides(inputs);
  if (!file && overrides.functionName === undefined) {
    throw new InputError(
      `function-name: required when there is no stages file (add ${fileName} or set the function-name input)`,
    );
  }
  const fields = new Fields(origins, file ? `stages.${stage}` : '');
  // The inputs override one function and one region: with several, say which setting to change.
  if (overrides.functionName !== undefined && merged.functions !== undefined) {
    throw new InputError(
      `function-name: ${JSON.stringify(excerpt(overrides.functionName))} cannot be used with a stage that lists functions (${fields.name(['functions'])}); change the stages file instead`,
    );
  }
  if (overrides.region !== undefined && merged.regions !== undefined) {
    throw new InputError(
      `region: ${JSON.stringify(excerpt(overrides.region))} cannot be used with a stage that lists regions (${fields.name(['regions'])}); change the stages file instead`,
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
  if (unit !== undefined) {
    // The key under functions names the function; messages about it point at the functions map.
    merged.function = unit;
    origins.delete(originKey(['function']));
  }

  return { settings: merged as DefaultsBlock, fields };
}

/** `map[key]` when the map has that key of its own (a function may be called `toString`). */
function ownBlock(map: Record<string, Plain> | undefined, key: string): Plain | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** The inputs that are set: blank ones are not. */
function cleanOverrides(overrides: StageOverrides): StageOverrides {
  const clean = (value: string | undefined) => {
    const trimmed = value?.trim();
    return trimmed ? trimmed : undefined;
  };
  const set: StageOverrides = {};
  for (const key of ['functionName', 'alias', 'region', 's3Bucket', 'logLevel', 'smokeUrl'] as const) {
    const value = clean(overrides[key]);
    if (value !== undefined) set[key] = value;
  }
  return set;
}
