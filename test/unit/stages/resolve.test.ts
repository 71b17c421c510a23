/** resolveStage (src/stages/resolve.ts): one stage into StageSettings, with its defaults. */
import { describe, expect, it } from 'vitest';
import { expectInputError, EXAMPLE, resolve, devWith, smokeWith } from './fixtures.js';

describe('resolveStage', () => {
  it('resolves the contract example for dev', () => {
    expect(resolve(EXAMPLE, 'dev')).toEqual({
      stage: 'dev',
      functionName: 'notes-api',
      functionField: 'defaults.function',
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

  it('gives the defaults when settings are absent', () => {
    const dev = resolve('defaults: { function: fn }\nstages: { dev: {} }\n', 'dev', {}, {});
    expect(dev).toEqual({
      stage: 'dev',
      functionName: 'fn',
      functionField: 'defaults.function',
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

  it('defaults the alias to the stage name', () => {
    const file = 'defaults: { function: fn }\nstages:\n  staging: {}\n';
    expect(resolve(file, 'staging').alias).toBe('staging');
  });

  it('rejects an empty stage name', () => {
    expectInputError(() => resolve(EXAMPLE, ' '), 'stage: required (the name of a stage, such as dev or prod)');
  });

  it('requires a function', () => {
    expectInputError(
      () => resolve('stages: { dev: {} }\n', 'dev'),
      'stages.dev.function: required (set function under defaults or stages.dev, or the function-name input)',
    );
  });

  it('keeps s3-prefix as written', () => {
    expect(resolve(devWith('{ s3-prefix: "a/b" }'), 'dev').s3Prefix).toBe('a/b');
  });

  it('requires both parts of api', () => {
    expectInputError(() => resolve(devWith('{ api: { id: abc } }'), 'dev'), 'stages.dev.api.stage: required when api is set');
    expectInputError(() => resolve(devWith('{ api: { stage: dev } }'), 'dev'), 'stages.dev.api.id: required when api is set');
  });
});

describe('resolveStage: smoke', () => {
  it('leaves the url empty without smoke.url: the alias\'s function URL is used', () => {
    const dev = resolve(devWith('{ smoke: { attempts: 2 } }'), 'dev');
    expect(dev.smoke?.url).toBe('');
    expect(dev.smoke?.attempts).toBe(2);
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

  it('drops an empty body on GET and refuses a real one', () => {
    expect(resolve(smokeWith('body: ""'), 'dev').smoke?.body).toBeUndefined();
    expectInputError(() => resolve(smokeWith('body: "x"'), 'dev'), 'stages.dev.smoke.body: a GET request cannot have a body (set method: POST)');
  });
});
