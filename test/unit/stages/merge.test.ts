/** Merging a stage (src/stages/merge.ts): defaults ← extends ← the stage ← the inputs, and where each value was written. */
import { describe, expect, it } from 'vitest';
import { expectInputError, EXAMPLE, ENV, resolve } from './fixtures.js';
import { checkExtends, Fields } from '../../../src/stages/merge.js';
import { environmentVariables } from '../../../src/stages/values.js';
import { parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage } from '../../../src/stages/resolve.js';
import type { StagesFile } from '../../../src/stages/schema.js';

describe('merging: defaults ← extends ← stage', () => {
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
});

describe('merging: the inputs', () => {
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
});

describe('stages and extends', () => {
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

  it('does not take inherited object properties for stages', () => {
    expectInputError(() => resolve(EXAMPLE, 'toString'), 'stage: "toString" is not defined in stage-deploy.yml (stages: dev, prod)');
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

describe('where a value was written', () => {
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

  it('names the level that wrote a header', () => {
    expectInputError(
      () => resolve(EXAMPLE, 'prod', {}, {}),
      "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment",
    );
  });
});

describe('reserved names in a merge', () => {
  const reserved = (key: string) => `${JSON.stringify(key)} is a reserved name (__proto__, constructor and prototype cannot be used as names)`;

  it('names the stage input when it is __proto__, constructor or prototype', () => {
    for (const stage of ['__proto__', 'constructor', 'prototype']) {
      expectInputError(() => resolve(EXAMPLE, stage), `stage: ${reserved(stage)}`);
    }
  });

  it('refuses a __proto__ key in a file built by hand instead of merging through it', () => {
    const environment = JSON.parse('{"__proto__": {"polluted": "yes"}}') as Record<string, string>;
    const file: StagesFile = { defaults: { function: 'fn', environment }, stages: { dev: {} } };
    expectInputError(
      () => resolveStage({ file, stage: 'dev', overrides: {}, env: {} }),
      `defaults.environment.__proto__: ${reserved('__proto__')}`,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses constructor as an environment variable in a file built by hand', () => {
    const file: StagesFile = { defaults: { function: 'fn' }, stages: { dev: { environment: { constructor: 'x' } } } };
    expectInputError(() => resolveStage({ file, stage: 'dev', overrides: {}, env: {} }), `stages.dev.environment.constructor: ${reserved('constructor')}`);
  });
});

describe('environmentVariables guards reserved names too', () => {
  it('refuses constructor and prototype given to it directly', () => {
    const fields = new Fields(new Map(), 'stages.dev');
    for (const name of ['constructor', 'prototype']) {
      expectInputError(
        () => environmentVariables({ A: '1', [name]: 'x' }, fields),
        `stages.dev.environment.${name}: ${JSON.stringify(name)} is a reserved name (__proto__, constructor and prototype cannot be used as names)`,
      );
    }
  });
});

describe('thousands of stages', () => {
  const names = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
  /** Stage i extends stage i+1: one chain through every stage. */
  const chainFile = (n: number): StagesFile => ({
    defaults: { function: 'fn' },
    stages: Object.fromEntries(names(n).map((name, i) => [name, i + 1 < n ? { extends: `s${i + 1}` } : {}])),
  });

  /** How many times the check looks a stage up (a Proxy over `stages` counts the lookups). */
  function lookups(file: StagesFile): number {
    let count = 0;
    const stages = new Proxy(file.stages, {
      get: (target, key, receiver) => (count++, Reflect.get(target, key, receiver) as unknown),
      getOwnPropertyDescriptor: (target, key) => (count++, Reflect.getOwnPropertyDescriptor(target, key)),
      has: (target, key) => (count++, Reflect.has(target, key)),
    });
    checkExtends({ ...file, stages }, 'f.yml');
    return count;
  }

  it('checks extends with a number of lookups linear in the stages (one long chain)', () => {
    const small = lookups(chainFile(500));
    const large = lookups(chainFile(5_000));
    expect(large).toBeLessThanOrEqual(10 * small + 100); // quadratic would be 100 times
    expect(large).toBeLessThan(10 * 5_000);
  });

  it('parses and resolves 5,000 stages, the first and the last of one chain', () => {
    const yaml = `defaults: { function: fn }\nstages:\n${names(5_000)
      .map((name, i) => `  ${name}: ${i + 1 < 5_000 ? `{ extends: s${i + 1}, memory-size: ${128 + (i % 8)} }` : '{ timeout: 9 }'}`)
      .join('\n')}\n`;
    const file = parseStagesFile(yaml, 'f.yml');
    expect(resolveStage({ file, stage: 's0', overrides: {}, env: {} })).toMatchObject({ memorySize: 128, timeoutSeconds: 9 });
    expect(resolveStage({ file, stage: 's4999', overrides: {}, env: {} })).toMatchObject({ timeoutSeconds: 9 });
  });

  it('lists at most five stage names in a message, then how many more', () => {
    const file = chainFile(2_000);
    expectInputError(
      () => resolveStage({ file, stage: 'qa', overrides: {}, env: {} }),
      'stage: "qa" is not defined in stage-deploy.yml (stages: s0, s1, s2, s3, s4 and 1995 more)',
    );
    const orphan: StagesFile = { defaults: {}, stages: { ...file.stages, 'a-prod': { extends: 'nope' } } };
    expectInputError(
      () => checkExtends(orphan, 'f.yml'),
      'stages.a-prod.extends: "nope" is not defined in f.yml (stages: s0, s1, s2, s3, s4 and 1996 more)',
    );
  });

  it('shows a long cycle by its first five names and a count', () => {
    const file = chainFile(3_000);
    file.stages.s2999 = { extends: 's0' };
    expectInputError(() => checkExtends(file, 'f.yml'), 'stages.s2999.extends: "s0" makes a cycle (s0 → s1 → s2 → s3 → s4 → … 2995 more → s0)');
  });

  it('cuts a long stage name short in messages', () => {
    const long = 'x'.repeat(5_000);
    const file: StagesFile = { defaults: {}, stages: { [long]: { extends: 'nope' } } };
    expectInputError(() => checkExtends(file, 'f.yml'), `stages.${'x'.repeat(57)}....extends: "nope" is not defined in f.yml (stages: ${'x'.repeat(57)}...)`);
  });
});
