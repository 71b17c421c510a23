import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listStages,
  loadStagesFile,
  parseStagesFile,
  resolveStage,
  type StagesFile,
} from '../../src/stages/stages-file.js';
import { InputError } from "../../src/model/errors.js";
import type { StageOverrides } from "../../src/model/settings.js";

/** The call throws an InputError whose message is exactly `message`. */
function expectInputError(call: () => unknown, message: string): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(InputError);
  expect((thrown as Error).message).toBe(message);
}

/** The contract's example file. */
const EXAMPLE = `
defaults:
  function: notes-api
  region: ap-northeast-2
  s3-bucket: notes-artifacts
  s3-prefix: stage-deploy/
  api: { id: a1b2c3d4e5, stage: dev }
  environment: { SERVICE: notes, TABLE: notes-default }
stages:
  dev:
    alias: dev
    log-level: WARNING
    log-retention-days: 7
    environment: { TABLE: notes-dev }
    smoke:
      url: https://dev.api.example.com/notes/health
      method: GET
      headers: { x-api-key: "\${SMOKE_API_KEY}" }
      body: ""
      expect-status: 200
      expect-body: '"ok"'
      attempts: 3
      interval: 2s
      timeout: 10s
      invoke: true
  prod:
    extends: dev
    log-level: ERROR
    log-format: json
    memory-size: 512
    timeout: 15s
    environment: { TABLE: notes-prod }
    keep-versions: 10
    traffic: canary 10% 5m
    alarms: [notes-api-5xx]
    max-error-rate: 1%
    bake: 10m
    smoke: { url: https://api.example.com/notes/health }
`;

const ENV = { SMOKE_API_KEY: 'sekrit-123' };

function resolve(
  yaml: string,
  stage: string,
  overrides: StageOverrides = {},
  env: Record<string, string | undefined> = ENV,
) {
  return resolveStage({ file: parseStagesFile(yaml, 'stage-deploy.yml'), fileName: 'stage-deploy.yml', stage, overrides, env });
}

/** A minimal file with `stage` settings for dev under it (YAML flow mapping text). */
function devWith(settings: string): string {
  return `defaults: { function: fn }\nstages:\n  dev: ${settings}\n`;
}

/** A dev stage with a smoke block (YAML flow mapping body, without braces). */
function smokeWith(smoke: string): string {
  return devWith(`{ smoke: { url: "https://x.example/health", ${smoke} } }`);
}

describe('parseStagesFile', () => {
  it('reads the contract example', () => {
    const file = parseStagesFile(EXAMPLE, 'stage-deploy.yml');
    expect(listStages(file)).toEqual(['dev', 'prod']);
    expect(file.defaults.function).toBe('notes-api');
    expect(file.stages.prod?.extends).toBe('dev');
  });

  it('accepts JSON', () => {
    const json = JSON.stringify({ defaults: { function: 'fn', 'memory-size': 256 }, stages: { dev: {}, prod: { alias: 'live' } } }, null, '\t');
    const file = parseStagesFile(json, 'stage-deploy.json');
    expect(listStages(file)).toEqual(['dev', 'prod']);
    const prod = resolveStage({ file, stage: 'prod', overrides: {}, env: {} });
    expect(prod).toMatchObject({ functionName: 'fn', alias: 'live', memorySize: 256 });
  });

  it('turns environment numbers and booleans into strings', () => {
    const file = parseStagesFile(devWith('{ environment: { PORT: 8080, DEBUG: true, NAME: x } }'), 'f.yml');
    expect(file.stages.dev?.environment).toEqual({ PORT: '8080', DEBUG: 'true', NAME: 'x' });
  });

  it('treats an empty stage, an empty file and a missing defaults block as empty', () => {
    const file = parseStagesFile('stages:\n  dev:\n', 'f.yml');
    expect(file).toEqual({ defaults: {}, stages: { dev: {} } });
    expect(parseStagesFile('', 'f.yml')).toEqual({ defaults: {}, stages: {} });
    expect(parseStagesFile('# nothing yet\n', 'f.yml')).toEqual({ defaults: {}, stages: {} });
  });

  it('supports YAML anchors and merge keys', () => {
    const ok = `
defaults: { function: fn, smoke: &smoke { url: "https://x.example/health", attempts: 5 } }
stages:
  dev: {}
  prod: { smoke: { <<: *smoke, attempts: 9 } }
`;
    expect(resolve(ok, 'prod').smoke?.attempts).toBe(9);
    expect(resolve(ok, 'dev').smoke?.attempts).toBe(5);
  });

  it('reports a YAML syntax error with the file and line', () => {
    expectInputError(
      () => parseStagesFile('stages:\n  dev:\n    alias: [dev\n  prod: {}\n', 'config/stage-deploy.yml'),
      'config/stage-deploy.yml: YAML syntax error at line 4, column 3: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('reports a duplicate key with its line', () => {
    expectInputError(
      () => parseStagesFile('stages:\n  dev: {}\n  dev: {}\n', 'stage-deploy.yml'),
      'stage-deploy.yml: YAML syntax error at line 3, column 3: Map keys must be unique',
    );
  });

  it('rejects a file that is not a mapping', () => {
    expectInputError(() => parseStagesFile('- dev\n- prod\n', 'stage-deploy.yml'), 'stage-deploy.yml: ["dev","prod"] is not a mapping with defaults and stages');
  });

  it('suggests the key that was meant', () => {
    expectInputError(
      () => parseStagesFile(smokeWith('atempts: 3'), 'f.yml'),
      'stages.dev.smoke.atempts: unknown key (did you mean "attempts"?)',
    );
    expectInputError(() => parseStagesFile(devWith('{ log_level: INFO }'), 'f.yml'), 'stages.dev.log_level: unknown key (did you mean "log-level"?)');
    expectInputError(() => parseStagesFile(devWith('{ memorySize: 256 }'), 'f.yml'), 'stages.dev.memorySize: unknown key (did you mean "memory-size"?)');
    expectInputError(() => parseStagesFile(devWith('{ env: { A: b } }'), 'f.yml'), 'stages.dev.env: unknown key (did you mean "environment"?)');
    expectInputError(() => parseStagesFile('default: {}\n', 'f.yml'), 'f.yml: "default" is an unknown key (did you mean "defaults"?)');
    expectInputError(
      () => parseStagesFile('defaults: { api: { id: x, stag: dev } }\n', 'f.yml'),
      'defaults.api.stag: unknown key (did you mean "stage"?)',
    );
  });

  it('lists the known keys when nothing is close', () => {
    expectInputError(
      () => parseStagesFile('defaults: { api: { zzzzzz: 1 } }\n', 'f.yml'),
      'defaults.api.zzzzzz: unknown key (known keys: id, stage)',
    );
  });

  it('allows extends only inside stages', () => {
    expectInputError(
      () => parseStagesFile('defaults: { extends: dev }\nstages: { dev: {} }\n', 'f.yml'),
      'defaults.extends: unknown key (extends belongs inside a stage, under stages)',
    );
  });

  it('counts further problems', () => {
    expectInputError(
      () => parseStagesFile(devWith('{ aliass: x, regoin: y }'), 'f.yml'),
      'stages.dev.aliass: unknown key (did you mean "alias"?) (and 1 more problem)',
    );
  });

  it('names the field and the value of a wrongly typed setting', () => {
    expectInputError(() => parseStagesFile(devWith('{ memory-size: big }'), 'f.yml'), 'stages.dev.memory-size: "big" is not a memory size in MB');
    expectInputError(() => parseStagesFile(devWith('{ smoke: yes }'), 'f.yml'), 'stages.dev.smoke: "yes" is not a mapping');
    expectInputError(() => parseStagesFile(smokeWith('invoke: "yes"'), 'f.yml'), 'stages.dev.smoke.invoke: "yes" is not true or false');
    expectInputError(
      () => parseStagesFile(smokeWith('interval: [2]'), 'f.yml'),
      'stages.dev.smoke.interval: [2] is not a duration (use 500ms, 2s or 5m)',
    );
    expectInputError(
      () => parseStagesFile(devWith('{ environment: { EMPTY: null } }'), 'f.yml'),
      'stages.dev.environment.EMPTY: null is not a string, number or boolean',
    );
    expectInputError(() => parseStagesFile('stages: [dev]\n', 'f.yml'), 'stages: ["dev"] is not a mapping of stage names to settings');
    expectInputError(() => parseStagesFile(devWith('{ alarms: [1, 2] }'), 'f.yml'), 'stages.dev.alarms: [1,2] is not a list of alarm names');
  });

  it('checks extends across the whole file', () => {
    expectInputError(
      () => parseStagesFile('stages:\n  dev: {}\n  prod: { extends: staging }\n', 'stage-deploy.yml'),
      'stages.prod.extends: "staging" is not defined in stage-deploy.yml (stages: dev, prod)',
    );
    expectInputError(
      () => parseStagesFile('stages:\n  a: { extends: b }\n  b: { extends: a }\n', 'f.yml'),
      'stages.b.extends: "a" makes a cycle (a → b → a)',
    );
    expectInputError(() => parseStagesFile('stages:\n  a: { extends: a }\n', 'f.yml'), 'stages.a.extends: "a" makes a cycle (a → a)');
  });
});

describe('resolveStage: merging', () => {
  it('resolves the contract example for dev', () => {
    expect(resolve(EXAMPLE, 'dev')).toEqual({
      stage: 'dev',
      functionName: 'notes-api',
      alias: 'dev',
      region: 'ap-northeast-2',
      s3Bucket: 'notes-artifacts',
      s3Prefix: 'stage-deploy/',
      api: { id: 'a1b2c3d4e5', stage: 'dev' },
      logLevel: 'WARNING',
      logFormat: 'json',
      logRetentionDays: 7,
      environment: { SERVICE: 'notes', TABLE: 'notes-dev' },
      traffic: { kind: 'all-at-once' },
      alarms: [],
      bakeMs: 0,
      smoke: {
        url: 'https://dev.api.example.com/notes/health',
        method: 'GET',
        headers: { 'x-api-key': 'sekrit-123' },
        secrets: ['sekrit-123'],
        expectStatus: { codes: [200], classes: [], text: '200' },
        expectBody: { kind: 'substring', text: '"ok"' },
        attempts: 3,
        intervalMs: 2000,
        timeoutMs: 10_000,
        invoke: true,
      },
    });
  });

  it('resolves prod through extends: dev, deep-merging environment and smoke', () => {
    const prod = resolve(EXAMPLE, 'prod');
    expect(prod).toMatchObject({
      stage: 'prod',
      functionName: 'notes-api',
      alias: 'prod', // never inherited: dev's `alias: dev` stays dev's
      logLevel: 'ERROR',
      logFormat: 'json',
      logRetentionDays: 7,
      memorySize: 512,
      timeoutSeconds: 15,
      keepVersions: 10,
      traffic: { kind: 'canary', percent: 10, waitMs: 300_000 },
      alarms: ['notes-api-5xx'],
      maxErrorRate: 0.01,
      bakeMs: 600_000,
      environment: { SERVICE: 'notes', TABLE: 'notes-prod' },
    });
    // smoke: url from prod, everything else from dev
    expect(prod.smoke).toMatchObject({
      url: 'https://api.example.com/notes/health',
      headers: { 'x-api-key': 'sekrit-123' },
      expectStatus: { codes: [200], classes: [], text: '200' },
      invoke: true,
    });
  });

  it('never inherits an alias through extends or defaults', () => {
    const own = 'defaults: { function: f, alias: shared }\nstages:\n  dev: { alias: live-dev }\n  qa: { extends: dev }\n  prod: { extends: dev, alias: live }\n';
    expect(resolve(own, 'qa').alias).toBe('qa');
    expect(resolve(own, 'prod').alias).toBe('live');
    expect(resolve(own, 'dev').alias).toBe('live-dev');
  });

  it('defaults the alias to the stage name', () => {
    const file = 'defaults: { function: fn }\nstages:\n  staging: {}\n';
    expect(resolve(file, 'staging').alias).toBe('staging');
  });

  it('merges through several levels of extends, nearest wins', () => {
    const yaml = `
defaults:
  function: fn
  environment: { A: defaults, B: defaults, C: defaults, D: defaults }
  smoke: { url: "https://x.example/a", headers: { h1: d }, attempts: 2 }
stages:
  base: { environment: { B: base }, smoke: { headers: { h2: base } }, alarms: [a1, a2] }
  mid: { extends: base, environment: { C: mid }, smoke: { attempts: 4 }, alarms: [a3] }
  top: { extends: mid, environment: { D: top }, smoke: { headers: { h1: top } } }
`;
    const top = resolve(yaml, 'top');
    expect(top.environment).toEqual({ A: 'defaults', B: 'base', C: 'mid', D: 'top' });
    expect(top.smoke?.headers).toEqual({ h1: 'top', h2: 'base' });
    expect(top.smoke?.attempts).toBe(4);
    expect(top.smoke?.url).toBe('https://x.example/a');
    expect(top.alarms).toEqual(['a3']); // lists replace, they do not append
    expect(resolve(yaml, 'base').environment).toEqual({ A: 'defaults', B: 'base', C: 'defaults', D: 'defaults' });
  });

  it('merges api across levels', () => {
    const yaml = 'defaults: { function: fn, api: { id: abc, stage: dev } }\nstages:\n  prod: { api: { stage: prod } }\n';
    expect(resolve(yaml, 'prod').api).toEqual({ id: 'abc', stage: 'prod' });
  });

  it('does not change the parsed file', () => {
    const file = parseStagesFile(EXAMPLE, 'stage-deploy.yml');
    const before = structuredClone(file);
    resolveStage({ file, stage: 'prod', overrides: { smokeUrl: 'https://o.example/' }, env: ENV });
    resolveStage({ file, stage: 'dev', overrides: {}, env: ENV });
    expect(file).toEqual(before);
  });

  it('lets the inputs override the file', () => {
    const prod = resolve(EXAMPLE, 'prod', {
      functionName: 'other-fn',
      alias: 'live',
      region: 'us-east-1',
      s3Bucket: 'other-bucket',
      logLevel: 'debug',
      smokeUrl: 'https://override.example/health',
    });
    expect(prod).toMatchObject({
      functionName: 'other-fn',
      alias: 'live',
      region: 'us-east-1',
      s3Bucket: 'other-bucket',
      logLevel: 'DEBUG',
    });
    expect(prod.smoke?.url).toBe('https://override.example/health');
    expect(prod.smoke?.invoke).toBe(true); // the rest of the smoke block stays
  });

  it('ignores empty and blank inputs', () => {
    const dev = resolve(EXAMPLE, 'dev', { functionName: '', alias: '  ', region: '', logLevel: '' });
    expect(dev).toMatchObject({ functionName: 'notes-api', alias: 'dev', region: 'ap-northeast-2', logLevel: 'WARNING' });
  });

  it('creates a smoke block with defaults from smoke-url alone', () => {
    const dev = resolve('defaults: { function: fn }\nstages: { dev: {} }\n', 'dev', { smokeUrl: 'http://localhost:3000/health' });
    expect(dev.smoke).toEqual({
      url: 'http://localhost:3000/health',
      method: 'GET',
      headers: {},
      secrets: [],
      expectStatus: { codes: [], classes: [2], text: '2xx' },
      attempts: 3,
      intervalMs: 2000,
      timeoutMs: 10_000,
      invoke: false,
    });
  });

  it('gives the defaults when settings are absent', () => {
    const dev = resolve('defaults: { function: fn }\nstages: { dev: {} }\n', 'dev', {}, {});
    expect(dev).toEqual({
      stage: 'dev',
      functionName: 'fn',
      alias: 'dev',
      s3Prefix: '',
      logFormat: 'json',
      environment: {},
      traffic: { kind: 'all-at-once' },
      alarms: [],
      bakeMs: 0,
    });
    expect('region' in dev).toBe(false);
    expect('smoke' in dev).toBe(false);
  });
});

describe('resolveStage: stages', () => {
  it('rejects a stage the file does not define', () => {
    expectInputError(() => resolve(EXAMPLE, 'qa'), 'stage: "qa" is not defined in stage-deploy.yml (stages: dev, prod)');
  });

  it('names the file it was given', () => {
    const file = parseStagesFile('stages: {}\n', 'deploy/stages.yml');
    expectInputError(
      () => resolveStage({ file, fileName: 'deploy/stages.yml', stage: 'dev', overrides: {}, env: {} }),
      'stage: "dev" is not defined in deploy/stages.yml (stages: none)',
    );
  });

  it('rejects an empty stage name', () => {
    expectInputError(() => resolve(EXAMPLE, ' '), 'stage: required (the name of a stage, such as dev or prod)');
  });

  it('does not take inherited object properties for stages', () => {
    expectInputError(() => resolve(EXAMPLE, 'toString'), 'stage: "toString" is not defined in stage-deploy.yml (stages: dev, prod)');
  });

  it('reports an extends cycle and a missing parent on files built by hand', () => {
    const cyclic: StagesFile = { defaults: { function: 'fn' }, stages: { a: { extends: 'b' }, b: { extends: 'c' }, c: { extends: 'a' }, d: { extends: 'a' } } };
    expectInputError(() => resolveStage({ file: cyclic, stage: 'd', overrides: {}, env: {} }), 'stages.c.extends: "a" makes a cycle (a → b → c → a)');
    expectInputError(() => resolveStage({ file: cyclic, stage: 'b', overrides: {}, env: {} }), 'stages.a.extends: "b" makes a cycle (b → c → a → b)');
    const orphan: StagesFile = { defaults: {}, stages: { prod: { extends: 'dev' } } };
    expectInputError(
      () => resolveStage({ file: orphan, stage: 'prod', overrides: {}, env: {} }),
      'stages.prod.extends: "dev" is not defined in stage-deploy.yml (stages: prod)',
    );
  });
});

describe('resolveStage without a stages file', () => {
  it('defines the stage from the inputs', () => {
    const settings = resolveStage({
      stage: 'dev',
      overrides: { functionName: 'fn', region: 'eu-west-1', logLevel: 'Info', smokeUrl: 'https://x.example/' },
      env: {},
    });
    expect(settings).toMatchObject({
      stage: 'dev',
      functionName: 'fn',
      alias: 'dev',
      region: 'eu-west-1',
      logLevel: 'INFO',
      s3Prefix: '',
      environment: {},
      traffic: { kind: 'all-at-once' },
    });
    expect(settings.smoke?.url).toBe('https://x.example/');
  });

  it('requires function-name', () => {
    expectInputError(
      () => resolveStage({ stage: 'dev', overrides: { alias: 'x' }, env: {} }),
      'function-name: required when there is no stages file (add stage-deploy.yml or set the function-name input)',
    );
  });

  it('names the input in messages', () => {
    expectInputError(
      () => resolveStage({ stage: 'dev', overrides: { functionName: 'fn', logLevel: 'loud' }, env: {} }),
      'log-level: "loud" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
    );
    expectInputError(
      () => resolveStage({ stage: 'dev', overrides: { functionName: 'fn', smokeUrl: 'ftp://x' }, env: {} }),
      'smoke-url: "ftp://x" is not an http(s) URL',
    );
    expectInputError(
      () => resolveStage({ stage: 'dev', overrides: { functionName: 'fn', region: 'mars' }, env: {} }),
      'region: "mars" is not an AWS region (like us-east-1)',
    );
    expectInputError(
      () => resolveStage({ stage: '2024', overrides: { functionName: 'fn' }, env: {} }),
      'alias: "2024" (the stage name) is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters); set alias',
    );
  });
});

describe('resolveStage: validation', () => {
  it('requires a function', () => {
    expectInputError(
      () => resolve('stages: { dev: {} }\n', 'dev'),
      'stages.dev.function: required (set function under defaults or stages.dev, or the function-name input)',
    );
  });

  it('checks the function name or ARN', () => {
    expect(resolve(devWith('{ function: "arn:aws:lambda:us-east-1:123456789012:function:notes-api" }'), 'dev').functionName).toBe(
      'arn:aws:lambda:us-east-1:123456789012:function:notes-api',
    );
    expectInputError(
      () => resolve(devWith('{ function: "notes-api:prod" }'), 'dev'),
      'stages.dev.function: "notes-api:prod" is not a Lambda function name or ARN (without a version or alias)',
    );
  });

  it('points at where a value was written: defaults, an ancestor, or the stage', () => {
    expectInputError(
      () => resolve('defaults: { function: fn, log-level: LOUD }\nstages: { dev: {} }\n', 'dev'),
      'defaults.log-level: "LOUD" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
    );
    expectInputError(
      () => resolve('defaults: { function: fn }\nstages:\n  dev: { smoke: { url: "ftp://x" } }\n  prod: { extends: dev }\n', 'prod'),
      'stages.dev.smoke.url: "ftp://x" is not an http(s) URL',
    );
  });

  it('checks the alias', () => {
    expect(resolve(devWith('{ alias: live_2-b }'), 'dev').alias).toBe('live_2-b');
    expectInputError(
      () => resolve(devWith('{ alias: "123" }'), 'dev'),
      'stages.dev.alias: "123" is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters)',
    );
    expectInputError(
      () => resolve(devWith(`{ alias: ${'a'.repeat(129)} }`), 'dev'),
      `stages.dev.alias: "${'a'.repeat(76)}... is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters)`,
    );
    expectInputError(
      () => resolve('defaults: { function: fn }\nstages: { "my stage": {} }\n', 'my stage'),
      'stages.my stage.alias: "my stage" (the stage name) is not a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters); set alias',
    );
  });

  it('normalises the log level and log format', () => {
    expect(resolve(devWith('{ log-level: warn, log-format: TEXT }'), 'dev')).toMatchObject({ logLevel: 'WARN', logFormat: 'text' });
    expectInputError(
      () => resolve(devWith('{ log-level: LOUD }'), 'dev'),
      'stages.dev.log-level: "LOUD" is not a log level (use DEBUG, INFO, WARNING, ERROR, CRITICAL, TRACE, WARN or FATAL)',
    );
    expectInputError(() => resolve(devWith('{ log-format: xml }'), 'dev'), 'stages.dev.log-format: "xml" is not a log format (use json or text)');
  });

  it('checks log retention against CloudWatch values', () => {
    expect(resolve(devWith('{ log-retention-days: 3653 }'), 'dev').logRetentionDays).toBe(3653);
    expectInputError(
      () => resolve(devWith('{ log-retention-days: 8 }'), 'dev'),
      'stages.dev.log-retention-days: 8 is not a CloudWatch Logs retention (use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)',
    );
  });

  it('checks memory size, timeout and keep-versions', () => {
    expect(resolve(devWith('{ memory-size: 128, timeout: 900, keep-versions: 1 }'), 'dev')).toMatchObject({
      memorySize: 128,
      timeoutSeconds: 900,
      keepVersions: 1,
    });
    expect(resolve(devWith('{ timeout: 2m }'), 'dev').timeoutSeconds).toBe(120);
    expectInputError(
      () => resolve(devWith('{ memory-size: 64 }'), 'dev'),
      'stages.dev.memory-size: 64 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ memory-size: 10241 }'), 'dev'),
      'stages.dev.memory-size: 10241 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ memory-size: 256.5 }'), 'dev'),
      'stages.dev.memory-size: 256.5 is not a memory size (use a whole number of MB from 128 to 10240)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 1500ms }'), 'dev'),
      'stages.dev.timeout: "1500ms" is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 16m }'), 'dev'),
      'stages.dev.timeout: "16m" is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: 0 }'), 'dev'),
      'stages.dev.timeout: 0 is not a function timeout (use whole seconds from 1s to 900s)',
    );
    expectInputError(
      () => resolve(devWith('{ timeout: "15 seconds" }'), 'dev'),
      'stages.dev.timeout: "15 seconds" is not a duration (use 500ms, 2s or 5m)',
    );
    expectInputError(
      () => resolve(devWith('{ keep-versions: 0 }'), 'dev'),
      'stages.dev.keep-versions: 0 is not a number of versions to keep (use a whole number, 1 or more)',
    );
  });

  it('checks region and bucket', () => {
    expect(resolve(devWith('{ region: us-gov-west-1, s3-bucket: my.bucket-1 }'), 'dev')).toMatchObject({
      region: 'us-gov-west-1',
      s3Bucket: 'my.bucket-1',
    });
    expectInputError(() => resolve(devWith('{ region: US_EAST_1 }'), 'dev'), 'stages.dev.region: "US_EAST_1" is not an AWS region (like us-east-1)');
    expectInputError(() => resolve(devWith('{ s3-bucket: My_Bucket }'), 'dev'), 'stages.dev.s3-bucket: "My_Bucket" is not an S3 bucket name');
  });

  it('keeps s3-prefix as written', () => {
    expect(resolve(devWith('{ s3-prefix: "a/b" }'), 'dev').s3Prefix).toBe('a/b');
  });

  it('requires both parts of api', () => {
    expectInputError(() => resolve(devWith('{ api: { id: abc } }'), 'dev'), 'stages.dev.api.stage: required when api is set');
    expectInputError(() => resolve(devWith('{ api: { stage: dev } }'), 'dev'), 'stages.dev.api.id: required when api is set');
  });

  it('checks environment variable names', () => {
    expectInputError(
      () => resolve(devWith('{ environment: { my-var: x } }'), 'dev'),
      'stages.dev.environment: "my-var" is not a variable name (letters, digits and _, starting with a letter)',
    );
    expectInputError(
      () => resolve(devWith('{ environment: { AWS_REGION: x } }'), 'dev'),
      'stages.dev.environment.AWS_REGION: "AWS_REGION" is reserved by Lambda (it sets this variable itself)',
    );
  });

  it.each([
    ['all-at-once', { kind: 'all-at-once' }],
    ['canary 10% 5m', { kind: 'canary', percent: 10, waitMs: 300_000 }],
    ['Canary  5 %  30s', { kind: 'canary', percent: 5, waitMs: 30_000 }],
    ['canary 99% 1h', { kind: 'canary', percent: 99, waitMs: 3_600_000 }],
    ['linear 10% every 1m', { kind: 'linear', percent: 10, intervalMs: 60_000 }],
    ['linear 100% every 90', { kind: 'linear', percent: 100, intervalMs: 90_000 }],
  ])('reads traffic %j', (traffic, expected) => {
    expect(resolve(devWith(`{ traffic: "${traffic}" }`), 'dev').traffic).toEqual(expected);
  });

  it.each([
    ['canary 10%', 'stages.dev.traffic: "canary 10%" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['blue-green', 'stages.dev.traffic: "blue-green" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['canary 10% 5 minutes', 'stages.dev.traffic: "canary 10% 5 minutes" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['linear 10% 1m', 'stages.dev.traffic: "linear 10% 1m" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['canary 100% 5m', 'stages.dev.traffic: "canary 100% 5m" is not a traffic strategy (the canary percent must be from 1 to 99)'],
    ['canary 0% 5m', 'stages.dev.traffic: "canary 0% 5m" is not a traffic strategy (the canary percent must be from 1 to 99)'],
    ['linear 101% every 1m', 'stages.dev.traffic: "linear 101% every 1m" is not a traffic strategy (the linear step must be from 1 to 100 percent)'],
    ['canary 10% 0s', 'stages.dev.traffic: "canary 10% 0s" is not a traffic strategy (the wait must be longer than 0s)'],
  ])('rejects traffic %j', (traffic, message) => {
    expectInputError(() => resolve(devWith(`{ traffic: "${traffic}" }`), 'dev'), message);
  });

  it('reads alarms, max-error-rate and bake', () => {
    expect(resolve(devWith('{ alarms: [a, b], max-error-rate: 0.05, bake: 90 }'), 'dev')).toMatchObject({
      alarms: ['a', 'b'],
      maxErrorRate: 0.05,
      bakeMs: 90_000,
    });
    expect(resolve(devWith('{ alarms: one, max-error-rate: "2.5%" }'), 'dev')).toMatchObject({ alarms: ['one'], maxErrorRate: 0.025 });
    expect(resolve(devWith('{ max-error-rate: 0 }'), 'dev').maxErrorRate).toBe(0);
    expectInputError(() => resolve(devWith('{ max-error-rate: lots }'), 'dev'), 'stages.dev.max-error-rate: "lots" is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ max-error-rate: 5 }'), 'dev'), 'stages.dev.max-error-rate: 5 is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ max-error-rate: 101% }'), 'dev'), 'stages.dev.max-error-rate: "101%" is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ alarms: [a, ""] }'), 'dev'), 'stages.dev.alarms[1]: "" is not an alarm name');
    expectInputError(() => resolve(devWith('{ bake: forever }'), 'dev'), 'stages.dev.bake: "forever" is not a duration (use 500ms, 2s or 5m)');
  });
});

describe('resolveStage: smoke', () => {
  it('requires a url', () => {
    expectInputError(() => resolve(devWith('{ smoke: { attempts: 2 } }'), 'dev'), 'stages.dev.smoke.url: required when smoke is set (the URL to check)');
  });

  it('requires an http(s) url', () => {
    expectInputError(() => resolve(devWith('{ smoke: { url: "ftp://x" } }'), 'dev'), 'stages.dev.smoke.url: "ftp://x" is not an http(s) URL');
    expectInputError(() => resolve(devWith('{ smoke: { url: "not a url" } }'), 'dev'), 'stages.dev.smoke.url: "not a url" is not an http(s) URL');
  });

  it('upper-cases and checks the method', () => {
    expect(resolve(smokeWith('method: post, body: "{}"'), 'dev').smoke).toMatchObject({ method: 'POST', body: '{}' });
    expectInputError(
      () => resolve(smokeWith('method: fetch'), 'dev'),
      'stages.dev.smoke.method: "fetch" is not an HTTP method (use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS)',
    );
  });

  it('drops an empty body on GET and refuses a real one', () => {
    expect(resolve(smokeWith('body: ""'), 'dev').smoke?.body).toBeUndefined();
    expectInputError(() => resolve(smokeWith('body: "x"'), 'dev'), 'stages.dev.smoke.body: a GET request cannot have a body (set method: POST)');
  });

  it.each([
    ['200', { codes: [200], classes: [], text: '200' }],
    ['"204"', { codes: [204], classes: [], text: '204' }],
    ['[200, 204]', { codes: [200, 204], classes: [], text: '[200, 204]' }],
    ['"2xx"', { codes: [], classes: [2], text: '2xx' }],
    ['"5XX"', { codes: [], classes: [5], text: '5xx' }],
    ['["2xx", 404]', { codes: [404], classes: [2], text: '[2xx, 404]' }],
  ])('reads expect-status %s', (status, expected) => {
    expect(resolve(smokeWith(`expect-status: ${status}`), 'dev').smoke?.expectStatus).toEqual(expected);
  });

  it.each([
    ['"2xz"', '"2xz"'],
    ['600', '600'],
    ['99', '99'],
    ['[]', '[]'],
    ['[200, "abc"]', '[200,"abc"]'],
    ['"6xx"', '"6xx"'],
    ['200.5', '200.5'],
  ])('rejects expect-status %s', (status, shown) => {
    expectInputError(
      () => resolve(smokeWith(`expect-status: ${status}`), 'dev'),
      `stages.dev.smoke.expect-status: ${shown} is not a status (use 200, [200, 204] or "2xx")`,
    );
  });

  it('reads expect-body as a substring or a /regex/', () => {
    expect(resolve(smokeWith('expect-body: ok'), 'dev').smoke?.expectBody).toEqual({ kind: 'substring', text: 'ok' });
    expect(resolve(smokeWith('expect-body: "/\\"status\\":\\\\s*\\"ok\\"/i"'), 'dev').smoke?.expectBody).toEqual({
      kind: 'regex',
      source: '"status":\\s*"ok"',
      flags: 'i',
    });
    expect(resolve(smokeWith("expect-body: '/a/b/'"), 'dev').smoke?.expectBody).toEqual({ kind: 'regex', source: 'a/b', flags: '' });
    expectInputError(
      () => resolve(smokeWith("expect-body: '/(/'"), 'dev'),
      'stages.dev.smoke.expect-body: "/(/" is not a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
    );
    expectInputError(
      () => resolve(smokeWith("expect-body: '/a/q'"), 'dev'),
      `stages.dev.smoke.expect-body: "/a/q" is not a valid regular expression (Invalid flags supplied to RegExp constructor 'q')`,
    );
  });

  it('checks attempts, interval, timeout and invoke', () => {
    expect(resolve(smokeWith('attempts: 1, interval: 500ms, timeout: 1m, invoke: false'), 'dev').smoke).toMatchObject({
      attempts: 1,
      intervalMs: 500,
      timeoutMs: 60_000,
      invoke: false,
    });
    expectInputError(
      () => resolve(smokeWith('attempts: 0'), 'dev'),
      'stages.dev.smoke.attempts: 0 is not a number of attempts (use a whole number, 1 or more)',
    );
    expectInputError(
      () => resolve(smokeWith('attempts: 1.5'), 'dev'),
      'stages.dev.smoke.attempts: 1.5 is not a number of attempts (use a whole number, 1 or more)',
    );
    expectInputError(
      () => resolve(smokeWith('interval: 5 minutes'), 'dev'),
      'stages.dev.smoke.interval: "5 minutes" is not a duration (use 500ms, 2s or 5m)',
    );
    expectInputError(() => resolve(smokeWith('timeout: 0s'), 'dev'), 'stages.dev.smoke.timeout: "0s" is not a request timeout (use more than 0s)');
  });

  it('expands ${VAR} in header values from the environment and records the values as secrets', () => {
    const smoke = resolve(
      smokeWith('headers: { x-api-key: "${KEY}", authorization: "Bearer ${TOKEN}", x-twice: "${KEY}${KEY}", x-plain: 42 }'),
      'dev',
      {},
      { KEY: 'k-1', TOKEN: 't-2' },
    ).smoke;
    expect(smoke?.headers).toEqual({ 'x-api-key': 'k-1', authorization: 'Bearer t-2', 'x-twice': 'k-1k-1', 'x-plain': '42' });
    expect(smoke?.secrets).toEqual(['k-1', 't-2']);
  });

  it('leaves text that is not a ${VAR} alone', () => {
    const smoke = resolve(smokeWith('headers: { x-a: "$HOME and ${not valid} and $", x-b: plain }'), 'dev', {}, { HOME: '/h' }).smoke;
    expect(smoke?.headers).toEqual({ 'x-a': '$HOME and ${not valid} and $', 'x-b': 'plain' });
    expect(smoke?.secrets).toEqual([]);
  });

  it('names a missing variable without revealing any secret', () => {
    const run = () =>
      resolve(smokeWith('headers: { x-token: "${TOKEN}", x-api-key: "${SMOKE_API_KEY}" }'), 'dev', {}, { TOKEN: 'do-not-print', SMOKE_API_KEY: undefined });
    expectInputError(run, "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment");
    expect(() => run()).not.toThrow(/do-not-print/);
  });

  it('treats an empty variable as not set (an unset GitHub secret is empty)', () => {
    expectInputError(
      () => resolve(smokeWith('headers: { x-api-key: "${SMOKE_API_KEY}" }'), 'dev', {}, { SMOKE_API_KEY: '' }),
      "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment",
    );
  });

  it('names the level that wrote a header', () => {
    expectInputError(
      () => resolve(EXAMPLE, 'prod', {}, {}),
      "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment",
    );
  });

  it('refuses bad header names and values with line breaks', () => {
    expectInputError(() => resolve(smokeWith('headers: { "bad name": x }'), 'dev'), 'stages.dev.smoke.headers: "bad name" is not a header name');
    expectInputError(
      () => resolve(smokeWith('headers: { x-a: "${V}" }'), 'dev', {}, { V: 'a\r\nX-Injected: 1' }),
      'stages.dev.smoke.headers.x-a: a header value cannot contain a line break',
    );
  });
});

describe('loadStagesFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stages-file-'));
    await writeFile(join(dir, 'stage-deploy.yml'), EXAMPLE);
    await mkdir(join(dir, 'a-directory'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and parses the file', async () => {
    const file = await loadStagesFile(join(dir, 'stage-deploy.yml'), true);
    expect(file && listStages(file)).toEqual(['dev', 'prod']);
  });

  it('returns undefined for a missing file that was not asked for', async () => {
    await expect(loadStagesFile(join(dir, 'nope.yml'), false)).resolves.toBeUndefined();
  });

  it('fails for a missing file that was asked for', async () => {
    const path = join(dir, 'x.yml');
    await expect(loadStagesFile(path, true)).rejects.toThrowError(new InputError(`config: ${JSON.stringify(path)} does not exist`));
    await expect(loadStagesFile(path, true)).rejects.toBeInstanceOf(InputError);
  });

  it('fails for a directory', async () => {
    const path = join(dir, 'a-directory');
    await expect(loadStagesFile(path, false)).rejects.toThrowError(`config: ${JSON.stringify(path)} is a directory, not a stages file`);
  });

  it('names the file in a syntax error', async () => {
    const path = join(dir, 'broken.yml');
    await writeFile(path, 'stages: { dev: [ }\n');
    await expect(loadStagesFile(path, true)).rejects.toThrowError(`${path}: YAML syntax error`);
  });
});
