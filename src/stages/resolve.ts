/**
 * Resolving one stage into StageSettings: merge it (merge.ts), then check every value, each
 * setting's range (schema.ts) and the rest (values.ts), in messages that name where it was written.
 */
import { describeValue } from './durations.js';
import { excerpt, listNames, mergeStage, type Fields, type MergedStage, type Segment } from './merge.js';
import { DEFAULT_CONFIG_FILE } from './parse.js';
import {
  bucketName,
  DEFAULT_PREVIEW_ALIAS,
  DEFAULT_PREVIEW_KEEP_DAYS,
  FUNCTION_SETTINGS,
  PREVIEW,
  imageUri,
  parseImageUri,
  regionName,
  SETTINGS,
  SMOKE,
  type At,
  type DefaultsBlock,
  type FunctionBlock,
  type SmokeBlock,
  type StagesFile,
} from './schema.js';
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
import { defaultSmoke, PREVIEW_COMMANDS, type Command, type PreviewSettings, type SmokeSettings, type StageOverrides, type StageSettings, type StageUnit } from '../model/settings.js';

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
  /** The `artifact` input: one function's code; refused for a stage with `functions` (each names its own). */
  artifact?: string;
  /** The `image` input: one function's image, over the stage's `image`; refused for a stage with `functions`. */
  image?: string;
  /** The command run: a deploy needs every unit's code (the `artifact` input, or an `artifact` or `image`). */
  command?: Command;
  /** The pull request's number from the event payload (RunContext.pullRequest): preview and remove need it. */
  pullRequest?: number;
}

/**
 * One stage, fully resolved and validated: defaults ← ancestors (extends) ← the stage ← inputs.
 * A stage with `functions` or `regions` gives its first unit (resolveStageUnits gives them all).
 */
export function resolveStage(options: ResolveStageOptions): StageSettings {
  const [first] = resolveStageUnits(options);
  if (first === undefined) throw new Error('a stage resolves to at least one unit');
  return first;
}

/**
 * Every unit of a stage (model/settings.ts StageUnit): one per function of `functions` (or the
 * one `function`) and per region of `regions` (or the one `region`), in the order written,
 * function by function: [a in r1, a in r2, b in r1, b in r2]. Each unit is the stage's settings
 * with the function's own block laid over them (then the inputs), its `functionName` the key
 * under `functions`, its `region` one of `regions`, its `s3Bucket` and `image` that region's, and
 * its `artifact` the function's own. A plain stage gives exactly one unit, as it always has.
 *
 * Bad input is refused here, before anything in AWS is read or changed: a function listed twice
 * (by name and by ARN), the artifact or image input with `functions`, function-name with
 * `functions`, region with `regions`, an artifact and an image for one function, a bucket or
 * image missing for a region, and (command deploy) a function without code.
 */
export function resolveStageUnits(options: ResolveStageOptions): StageUnit[] {
  const { file, env } = options;
  const fileName = options.fileName ?? DEFAULT_CONFIG_FILE;
  const stage = options.stage.trim();
  if (stage === '') throw new InputError('stage: required (the name of a stage, such as dev or prod)');
  const unsetVariables = options.unsetVariables ?? 'error';
  const code = inputCode(options);
  const base = mergeStage(file, fileName, stage, options.overrides);
  const build = (merged: MergedStage, region?: string): StageSettings =>
    buildSettings(merged.settings, stage, merged.fields, env, Boolean(file), unsetVariables, region);

  const { settings: s, fields } = base;
  const preview = previewOf(options, fileName, stage);
  if (preview !== undefined) {
    if (s.functions !== undefined || s.regions !== undefined) {
      const key = s.functions !== undefined ? 'functions' : 'regions';
      throw new InputError(`stages.${stage}.preview: cannot be used with ${fields.name([key])} (a preview is one function in one region)`);
    }
    if (s.alias !== undefined) {
      throw new InputError(
        `${fields.name(['alias'])}: ${describeValue(s.alias)} cannot be set for stage ${stage}, which has a preview block (stages.${stage}.preview.alias names each pull request's alias)`,
      );
    }
    const settings = withInputCode(build(base), code, fields);
    settings.preview = preview;
    if (preview.pullRequest !== undefined) settings.alias = previewAlias(preview.aliasTemplate, preview.pullRequest);
    if (options.command === 'preview' && code.artifact === undefined && settings.image === undefined) {
      throw new InputError('artifact: required for command preview (a .zip file or a directory; or image: an ECR image URI)');
    }
    return [settings];
  }
  if (s.functions === undefined && s.regions === undefined) {
    const settings = withInputCode(build(base), code, fields);
    if (options.command === 'deploy' && code.artifact === undefined && settings.image === undefined) {
      throw new InputError('artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
    }
    return [settings];
  }

  const names = s.functions === undefined ? undefined : functionNames(s.functions, fields);
  const regions = s.regions === undefined ? undefined : regionList(s.regions, fields);
  if (names !== undefined) {
    const functionsField = fields.name(['functions']);
    for (const [input, value] of [['artifact', code.artifact], ['image', code.image]] as const) {
      if (value !== undefined) {
        throw new InputError(
          `${input}: ${JSON.stringify(excerpt(value))} cannot be used with a stage that lists functions (${functionsField}): each function names its own artifact or image`,
        );
      }
    }
    const smoke = options.overrides.smokeUrl?.trim();
    if (smoke && names.length > 1) {
      throw new InputError(
        `smoke-url: ${JSON.stringify(excerpt(smoke))} cannot be used with a stage that lists several functions (${functionsField}): set smoke.url for each function in the stages file`,
      );
    }
  }

  const units: StageUnit[] = [];
  for (const name of names ?? [undefined]) {
    const merged = name === undefined ? base : mergeStage(file, fileName, stage, options.overrides, name);
    if (regions !== undefined && merged.settings.regions === undefined) {
      // Only the function's own block can have replaced the stage's regions with a region.
      throw new InputError(
        `${merged.fields.name(['region'])}: ${describeValue(merged.settings.region)} cannot be set when the stage lists regions (${fields.name(['regions'])}): every function is released in every region`,
      );
    }
    for (const region of regions ?? [undefined]) {
      const bucket = merged.settings['s3-bucket'];
      if (typeof bucket === 'string' && regions !== undefined && regions.length > 1) {
        throw new InputError(
          `${merged.fields.name(['s3-bucket'])}: ${describeValue(bucket)} is one bucket for ${regions.length} regions ` +
            `(S3 code must be in the function's region: use a mapping, {${regions.slice(0, 2).map((r) => `${r}: <bucket>`).join(', ')}})`,
        );
      }
      const unit = build(merged, region);
      if (name !== undefined) {
        unit.functionField = fields.name(['functions']);
        refuseArnElsewhere(name, unit.region, fields);
        const artifact = (merged.settings as FunctionBlock).artifact;
        if (artifact !== undefined) unit.artifact = merged.fields.check(['artifact'], artifact, FUNCTION_SETTINGS.artifact.check);
        if (unit.artifact !== undefined && unit.image !== undefined) {
          throw new InputError(
            `${merged.fields.name(['image'])}: ${describeValue(unit.image)} cannot be used with ${merged.fields.name(['artifact'])} ` +
              "(a function's code is a .zip or an image, not both)",
          );
        }
      }
      units.push(names === undefined ? withInputCode(unit, code, fields, region !== undefined) : unit);
    }
  }

  if (options.command === 'deploy') {
    if (names === undefined) {
      if (code.artifact === undefined && units.some((unit) => unit.image === undefined)) {
        throw new InputError('artifact: required for command deploy (a .zip file or a directory; or image: an ECR image URI)');
      }
    } else {
      const missing = [...new Set(units.filter((unit) => unit.artifact === undefined && unit.image === undefined).map((unit) => unit.functionName))];
      if (missing.length > 0) {
        throw new InputError(
          `${fields.name(['functions'])}: ${listNames(missing)} ${missing.length === 1 ? 'has' : 'have'} no artifact or image ` +
            "(a deploy needs each function's code: set artifact or image in its block)",
        );
      }
    }
  }
  return units;
}

/** The `artifact` and `image` inputs that are set (trimmed); both at once is refused. */
function inputCode(options: ResolveStageOptions): { artifact?: string; image?: string } {
  const artifact = options.artifact?.trim() || undefined;
  const image = options.image?.trim() || undefined;
  if (artifact !== undefined && image !== undefined) {
    throw new InputError(
      `image: ${JSON.stringify(excerpt(image))} cannot be used with the artifact input (a function's code is a .zip or an image, not both)`,
    );
  }
  return { ...(artifact !== undefined && { artifact }), ...(image !== undefined && { image }) };
}

/** One function's settings with the `image` input over the stage's image; the `artifact` input and a stage's image are refused together. */
function withInputCode(
  settings: StageSettings,
  code: { artifact?: string; image?: string },
  fields: Fields,
  spread = false,
): StageSettings {
  if (code.image !== undefined) {
    const at = inputAt('image', code.image);
    return { ...settings, image: imageIn(imageUri(code.image, at), settings.region, at, spread) };
  }
  if (code.artifact !== undefined && settings.image !== undefined) {
    throw new InputError(
      `artifact: ${JSON.stringify(excerpt(code.artifact))} cannot be used with ${fields.name(['image'])} (a function's code is a .zip or an image, not both)`,
    );
  }
  return settings;
}

/** An input's value, for a check's messages: `image: "…" is not …`. */
function inputAt(name: string, value: string): At {
  return {
    name: () => name,
    fail: (problem) => {
      throw new InputError(`${name}: ${describeValue(value)} ${problem}`);
    },
  };
}

/** The keys of `functions`, checked like `function`; one function reached twice (by name and by ARN) is refused. */
function functionNames(functions: Record<string, unknown>, fields: Fields): string[] {
  const names = Object.keys(functions);
  if (names.length === 0) {
    throw new InputError(`${fields.name(['functions'])}: {} lists no function (name at least one, or use function)`);
  }
  const seen: Array<{ key: string; id: FunctionId }> = [];
  for (const key of names) {
    const at: At = {
      name: () => fields.name(['functions', key], ['functions']),
      fail: (problem) => {
        throw new InputError(`${fields.name(['functions', key], ['functions'])}: ${describeValue(key)} ${problem}`);
      },
    };
    SETTINGS.function.check(key, at);
    if (key !== key.trim()) at.fail('is not a Lambda function name or ARN (it has spaces around it)');
    const id = functionId(key);
    const twin = seen.find((other) => sameFunction(other.id, id));
    if (twin !== undefined) {
      throw new InputError(
        `${fields.name(['functions', key], ['functions'])}: ${describeValue(key)} is listed twice (as ${describeValue(twin.key)} and ${describeValue(key)}): name each function once`,
      );
    }
    seen.push({ key, id });
  }
  return names;
}

interface FunctionId {
  name: string;
  account?: string;
  region?: string;
}

/** A function name or ARN (partial or full) taken apart. */
function functionId(key: string): FunctionId {
  const arn = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:(.+)$/.exec(key);
  if (arn) return { region: arn[1] ?? '', account: arn[2] ?? '', name: arn[3] ?? '' };
  const partial = /^(\d{12}):function:(.+)$/.exec(key);
  if (partial) return { account: partial[1] ?? '', name: partial[2] ?? '' };
  return { name: key };
}

/** The same function, as far as the names tell: a part one leaves out (account, region) matches any. */
function sameFunction(a: FunctionId, b: FunctionId): boolean {
  const agree = (x?: string, y?: string) => x === undefined || y === undefined || x === y;
  return a.name === b.name && agree(a.account, b.account) && agree(a.region, b.region);
}

/** A function named by a full ARN is in the ARN's region: a unit in another region is refused. */
function refuseArnElsewhere(key: string, region: string | undefined, fields: Fields): void {
  const arnRegion = functionId(key).region;
  if (region === undefined || arnRegion === undefined || arnRegion === region) return;
  throw new InputError(
    `${fields.name(['functions', key], ['functions'])}: ${describeValue(key)} is a function in ${arnRegion}, not ${region} (with regions, name the function rather than its ARN)`,
  );
}

/** `regions`: at least one, each a region, none twice. */
function regionList(regions: string[], fields: Fields): string[] {
  if (regions.length === 0) throw new InputError(`${fields.name(['regions'])}: [] lists no region (name at least one, or use region)`);
  const list: string[] = [];
  regions.forEach((written, index) => {
    const path: Segment[] = ['regions', index];
    const at: At = {
      name: () => fields.name(['regions'], path),
      fail: (problem) => {
        throw new InputError(`${fields.name(['regions'], path)}: ${describeValue(written)} ${problem}`);
      },
    };
    const region = regionName(written.trim(), at);
    if (list.includes(region)) at.fail('is listed twice (name each region once)');
    list.push(region);
  });
  return list;
}

/**
 * A setting that is one value or one per region (`s3-bucket`, `image`): the value for `region`,
 * checked. Every key of a mapping must be a region and every value pass `check`.
 */
function regional(
  value: string | Record<string, string>,
  key: 's3-bucket' | 'image',
  region: string | undefined,
  fields: Fields,
  check: (text: string, at: At) => string,
): { value: string; at: At } {
  if (typeof value === 'string') return { value: fields.check([key], value, check), at: fields.at([key], value) };
  for (const [name, text] of Object.entries(value)) {
    const path: Segment[] = [key, name];
    regionName(name, {
      name: () => fields.name(path),
      fail: (problem) => {
        throw new InputError(`${fields.name(path, [key])}: ${describeValue(name)} ${problem}`);
      },
    });
    fields.check(path, text, check);
  }
  const what = key === 's3-bucket' ? 'bucket' : 'image URI';
  const why = key === 's3-bucket' ? "S3 code must be in the function's region" : "Lambda takes images only from the function's region";
  if (region === undefined) {
    throw new InputError(`${fields.name([key])}: a mapping of regions to ${what}s needs the function's region (set region or regions)`);
  }
  const picked = Object.hasOwn(value, region) ? value[region] : undefined;
  if (picked === undefined) {
    throw new InputError(
      `${fields.name([key])}: ${describeValue(value)} has no ${what} for region ${JSON.stringify(region)} (${why}: add ${region}: <${what}>)`,
    );
  }
  return { value: fields.check([key, region], picked, check), at: fields.at([key, region], picked) };
}

/**
 * An image URI for a function in `region`: Lambda takes images only from the function's region.
 * With `spread` (one URI for each of the stage's `regions`), the URI names the same repository and
 * tag or digest in that region's registry, as ECR replication keeps them; else the registry must
 * be in that region.
 */
function imageIn(uri: string, region: string | undefined, at: At, spread = false): string {
  const image = parseImageUri(uri);
  const registry = image?.region;
  if (spread && image !== undefined && region !== undefined && registry !== region) {
    return uri.replace(`.dkr.ecr.${image.region}.`, `.dkr.ecr.${region}.`);
  }
  if (region !== undefined && registry !== undefined && registry !== region) {
    return at.fail(`is in ${registry}'s registry, and the function is in ${region} (Lambda takes images only from the function's region)`);
  }
  return uri;
}

function buildSettings(
  s: DefaultsBlock,
  stage: string,
  fields: Fields,
  env: Record<string, string | undefined>,
  hasFile: boolean,
  unsetVariables: 'error' | 'keep',
  /** One of the stage's `regions`, already checked; else the stage's `region`. */
  unitRegion?: string,
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
    functionField: fields.name(['function']),
    alias,
    s3Prefix: s['s3-prefix'] ?? '',
    logFormat: 'json',
    environment: {},
    traffic: { kind: 'all-at-once' },
    alarms: [],
    bakeMs: 0,
  };

  if (unitRegion !== undefined) settings.region = unitRegion;
  else if (s.region !== undefined) settings.region = fields.check(['region'], s.region, SETTINGS.region.check);
  const bucket = s['s3-bucket'];
  if (bucket !== undefined) settings.s3Bucket = regional(bucket, 's3-bucket', settings.region, fields, bucketName).value;
  if (s.image !== undefined) {
    const image = regional(s.image, 'image', settings.region, fields, imageUri);
    settings.image = imageIn(image.value, settings.region, image.at, typeof s.image === 'string' && unitRegion !== undefined);
  }
  if (s.role !== undefined) settings.role = fields.check(['role'], s.role, SETTINGS.role.check);
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
  provisionedConcurrency(s, settings, fields);
  return settings;
}

/**
 * `provisioned-concurrency`, refused with canary or linear traffic: Lambda does not allow
 * provisioned concurrency on an alias with routing weights, and a weighted step would split
 * traffic between a warm version and a cold one (release/capacity.ts).
 */
function provisionedConcurrency(s: DefaultsBlock, settings: StageSettings, fields: Fields): void {
  const count = s['provisioned-concurrency'];
  if (count === undefined) return;
  settings.provisionedConcurrency = fields.check(['provisioned-concurrency'], count, SETTINGS['provisioned-concurrency'].check);
  if (settings.traffic.kind !== 'all-at-once') {
    throw new InputError(
      `${fields.name(['provisioned-concurrency'])}: ${count} cannot be used with ${fields.name(['traffic'])}: ${settings.traffic.kind} ` +
        '(provisioned concurrency needs all-at-once traffic: the new version is warmed to READY before the alias moves; use traffic: all-at-once or remove provisioned-concurrency)',
    );
  }
}

/** The alias of pull request `number`: the template with `{number}` filled in. */
export function previewAlias(template: string, number: number): string {
  return template.replaceAll('{number}', String(number));
}

/**
 * The stage's own `preview` block, resolved, and the refusals that come before anything is read:
 * deploy, promote and rollback on a stage with `preview`; preview, remove and prune on a stage
 * without it; preview and remove without the pull request's number.
 */
function previewOf(options: ResolveStageOptions, fileName: string, stage: string): PreviewSettings | undefined {
  const command = options.command;
  const block = options.file !== undefined && Object.hasOwn(options.file.stages, stage) ? options.file.stages[stage]?.preview : undefined;
  if (block === undefined) {
    if (command !== undefined && PREVIEW_COMMANDS.includes(command)) {
      throw new InputError(
        `command: ${command} needs a stage with a preview block, and stage ${JSON.stringify(excerpt(stage))} has none in ${fileName} (add preview: under stages.${excerpt(stage)}, or use command deploy)`,
      );
    }
    return undefined;
  }
  if (command === 'deploy' || command === 'promote' || command === 'rollback') {
    throw new InputError(
      `command: ${command} cannot be used on stage ${JSON.stringify(stage)}, which has a preview block (stages.${stage}.preview): use command preview, remove or prune`,
    );
  }
  const at = (key: string, value: unknown): At => {
    const field = `stages.${stage}.preview.${key}`;
    return {
      name: () => field,
      fail: (problem) => {
        throw new InputError(`${field}: ${describeValue(value)} ${problem}`);
      },
    };
  };
  const template = block.alias === undefined ? DEFAULT_PREVIEW_ALIAS : PREVIEW.alias.check(block.alias.trim(), at('alias', block.alias));
  const keepDays = block['keep-days'] === undefined ? DEFAULT_PREVIEW_KEEP_DAYS : PREVIEW['keep-days'].check(block['keep-days'], at('keep-days', block['keep-days']));
  const preview: PreviewSettings = { aliasTemplate: template, keepDays };
  if (block.url !== undefined) preview.url = PREVIEW.url.check(block.url, at('url.auth', block.url.auth));
  if (command === 'preview' || command === 'remove') {
    const number = options.pullRequest;
    if (number === undefined) {
      throw new InputError(
        `command: ${command} needs the pull request's number, from the event payload (GITHUB_EVENT_PATH: pull_request.number), and this run has none: run it on a pull_request event`,
      );
    }
    if (!Number.isSafeInteger(number) || number < 1) throw new InputError(`pull request: ${describeValue(number)} is not a pull request number (a whole number, 1 or more)`);
    preview.pullRequest = number;
  }
  return preview;
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
  // Without `url`, the alias's function URL is checked (empty here; filled in before any change).
  const url = block.url === undefined ? '' : fields.check(['smoke', 'url'], block.url, smokeUrl);
  const method = SMOKE.method.check(block.method ?? 'GET', fields.at(['smoke', 'method'], block.method));
  const { headers, secrets } = smokeHeaders(block.headers ?? {}, fields, env, unsetVariables);

  const smoke: SmokeSettings = { ...defaultSmoke(url), method, headers, secrets, invoke: block.invoke ?? false };

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
