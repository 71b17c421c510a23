/** Merging a stage (src/stages/merge.ts): defaults ← extends ← the stage ← the inputs, and where each value was written. */
import { describe, expect, it } from 'vitest';
import { expectInputError, EXAMPLE, ENV, resolve } from './fixtures.js';
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
