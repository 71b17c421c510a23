/** parseStagesFile, listStages and loadStagesFile (src/stages/parse.ts): reading the file and the messages of its shape. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, symlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectInputError, EXAMPLE, resolve, devWith, smokeWith } from './fixtures.js';
import { listStages, loadStagesFile, MAX_STAGES_FILE_BYTES, parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage } from '../../../src/stages/resolve.js';
import { InputError } from '../../../src/model/errors.js';

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

describe('loadStagesFile: only a regular file of a sane size', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stages-file-kind-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a FIFO without opening it (it would wait for a writer for ever)', async () => {
    const path = join(dir, 'fifo.yml');
    execFileSync('mkfifo', [path]);
    await expect(loadStagesFile(path, true)).rejects.toThrowError(
      new InputError(`config: ${JSON.stringify(path)} is not a regular file (a FIFO, socket or device is not read)`),
    );
  }, 5_000);

  it('refuses a device (/dev/zero never ends), also through a symlink', async () => {
    await expect(loadStagesFile('/dev/zero', true, 'zero.yml')).rejects.toThrowError(
      'config: "zero.yml" is not a regular file (a FIFO, socket or device is not read)',
    );
    await symlink('/dev/zero', join(dir, 'linked.yml'));
    await expect(loadStagesFile(join(dir, 'linked.yml'), true, 'linked.yml')).rejects.toThrowError(
      'config: "linked.yml" is not a regular file',
    );
  }, 5_000);

  it('reads a file of exactly the cap, refuses one byte more', async () => {
    const exact = join(dir, 'exact.yml');
    const body = 'stages:\n  dev: {}\n';
    await writeFile(exact, body + '#'.repeat(MAX_STAGES_FILE_BYTES - body.length));
    const file = await loadStagesFile(exact, true);
    expect(file && listStages(file)).toEqual(['dev']);
    const over = join(dir, 'over.yml');
    await writeFile(over, body + '#'.repeat(MAX_STAGES_FILE_BYTES - body.length + 1));
    await expect(loadStagesFile(over, true, 'over.yml')).rejects.toThrowError(
      new InputError('config: "over.yml" is larger than 1 MiB, too large for a stages file'),
    );
  });
});

describe('reserved names: __proto__, constructor, prototype', () => {
  const reserved = (key: string) => `${JSON.stringify(key)} is a reserved name (__proto__, constructor and prototype cannot be used as names)`;

  it.each(['__proto__', 'constructor', 'prototype'])('refuses %s as a stage name, in YAML and in JSON', (name) => {
    expectInputError(() => parseStagesFile(`stages:\n  ${name}:\n    function: f\n  dev: {}\n`, 'f.yml'), `stages.${name}: ${reserved(name)}`);
    const json = `{"stages": {"dev": {}, "${name}": {"function": "f"}}}`;
    expectInputError(() => parseStagesFile(json, 'f.json'), `stages.${name}: ${reserved(name)}`);
  });

  it('refuses them as environment variables, header names and keys under defaults', () => {
    expectInputError(
      () => parseStagesFile(devWith('{ environment: { A: x, __proto__: y } }'), 'f.yml'),
      `stages.dev.environment.__proto__: ${reserved('__proto__')}`,
    );
    expectInputError(
      () => parseStagesFile('defaults:\n  environment:\n    constructor: y\nstages:\n  dev: {}\n', 'f.yml'),
      `defaults.environment.constructor: ${reserved('constructor')}`,
    );
    expectInputError(() => parseStagesFile(smokeWith('headers: { __proto__: x }'), 'f.yml'), `stages.dev.smoke.headers.__proto__: ${reserved('__proto__')}`);
    expectInputError(() => parseStagesFile('defaults:\n  __proto__: { function: f }\n', 'f.yml'), `defaults.__proto__: ${reserved('__proto__')}`);
    expect(({} as Record<string, unknown>).function).toBeUndefined(); // nothing written onto Object.prototype
  });

  it('refuses them as an extends target', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expectInputError(() => parseStagesFile(`stages:\n  dev: { extends: ${name} }\n`, 'f.yml'), `stages.dev.extends: ${reserved(name)}`);
    }
  });
});

describe('duplicate keys (checked with a set, not by the parser\'s scan of every earlier key)', () => {
  it('reports the first duplicate among 5,000 stages with its line', () => {
    const stages = Array.from({ length: 5_000 }, (_, i) => `  s${i}: {}`);
    stages.push('  s4321: { timeout: 3 }', '  s7: {}');
    expectInputError(() => parseStagesFile(`stages:\n${stages.join('\n')}\n`, 'f.yml'), 'f.yml: YAML syntax error at line 5002, column 3: Map keys must be unique');
  });

  it('reports whichever comes first, a duplicate or a syntax error', () => {
    expectInputError(
      () => parseStagesFile('stages:\n  dev: {}\n  dev: {}\n  prod: [\n', 'f.yml'),
      'f.yml: YAML syntax error at line 3, column 3: Map keys must be unique',
    );
    expectInputError(
      () => parseStagesFile('stages: { dev: {}, prod: {}, dev: {} }\n', 'f.yml'),
      'f.yml: YAML syntax error at line 1, column 30: Map keys must be unique',
    );
  });
});

describe('messages stay short', () => {
  it('quotes at most a short excerpt of what the YAML parser said', () => {
    const alias = 'a'.repeat(5_000);
    let message = '';
    try {
      parseStagesFile(`stages:\n  dev: *${alias}\n`, 'f.yml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^f\.yml: /);
    expect(message.length).toBeLessThan(300);
  });

  it('cuts a long unknown key short and counts the other problems instead of wording each', () => {
    const keys = Array.from({ length: 3_000 }, (_, i) => `  key${i}${'x'.repeat(200)}: 1`).join('\n');
    let message = '';
    try {
      parseStagesFile(`defaults:\n${keys}\nstages:\n  dev: {}\n`, 'f.yml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^defaults\.key0x+\.\.\.: unknown key \(known keys: .*\) \(and 2999 more problems\)$/);
    expect(message.length).toBeLessThan(400);
  });
});
