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
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

function joinField(prefix: string, path: readonly Segment[]): string {
  const rest = renderPath(path);
  if (!prefix) return rest;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** The stage and its ancestors, nearest first: `[prod, dev]` when prod extends dev. */
export function extendsChain(file: StagesFile, stage: string, fileName: string): string[] {
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
  const names = Object.keys(file.stages);
  return names.length > 0 ? names.join(', ') : 'none';
}

/** One stage's settings, merged but not yet checked, and where each was written. */
export interface MergedStage {
  settings: DefaultsBlock;
  fields: Fields;
}

/**
 * Merge `stage` (trimmed, not empty): the file's defaults, ancestors and stage block when there
 * is a file, then the inputs that are set.
 */
export function mergeStage(
  file: StagesFile | undefined,
  fileName: string,
  stage: string,
  inputs: StageOverrides,
): MergedStage {
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

  const overrides = cleanOverrides(inputs);
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

  return { settings: merged as DefaultsBlock, fields: new Fields(origins, file ? `stages.${stage}` : '') };
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
