/** `provisioned-concurrency` (src/stages/schema.ts, resolve.ts): its range, and its refusal with canary or linear traffic. */
import { describe, expect, it } from 'vitest';
import { MAX_PROVISIONED_CONCURRENCY } from '../../../src/stages/schema.js';
import { expectInputError, resolve, devWith, ENV } from './fixtures.js';
import { parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStageUnits } from '../../../src/stages/resolve.js';

describe('provisioned-concurrency', () => {
  it('is a whole number from 1; unset, there is none', () => {
    expect(resolve(devWith('{ provisioned-concurrency: 5 }'), 'dev').provisionedConcurrency).toBe(5);
    expect(resolve(devWith('{ provisioned-concurrency: 1, traffic: all-at-once }'), 'dev').provisionedConcurrency).toBe(1);
    expect(resolve(devWith('{ memory-size: 256 }'), 'dev').provisionedConcurrency).toBeUndefined();
  });

  it('refuses 0, fractions and typos beyond the bound, naming the field and the value', () => {
    const range = `(use a whole number from 1 to ${MAX_PROVISIONED_CONCURRENCY})`;
    expectInputError(() => resolve(devWith('{ provisioned-concurrency: 0 }'), 'dev'), `stages.dev.provisioned-concurrency: 0 is not a provisioned concurrency ${range}`);
    expectInputError(() => resolve(devWith('{ provisioned-concurrency: 2.5 }'), 'dev'), `stages.dev.provisioned-concurrency: 2.5 is not a provisioned concurrency ${range}`);
    expectInputError(
      () => resolve(devWith('{ provisioned-concurrency: 5000000 }'), 'dev'),
      `stages.dev.provisioned-concurrency: 5000000 is not a provisioned concurrency ${range}`,
    );
    expect(() => resolve(devWith('{ provisioned-concurrency: five }'), 'dev')).toThrow(/provisioned-concurrency/);
  });

  it('is refused with canary or linear traffic, naming both fields', () => {
    expectInputError(
      () => resolve(devWith('{ provisioned-concurrency: 5, traffic: "canary 10% 5m" }'), 'dev'),
      'stages.dev.provisioned-concurrency: 5 cannot be used with stages.dev.traffic: canary (provisioned concurrency needs all-at-once traffic: the new version is warmed to READY before the alias moves; use traffic: all-at-once or remove provisioned-concurrency)',
    );
    expect(() => resolve(devWith('{ provisioned-concurrency: 5, traffic: "linear 10% every 1m" }'), 'dev')).toThrow(
      /provisioned-concurrency: 5 cannot be used with stages\.dev\.traffic: linear/,
    );
  });

  it('applies per function of a stage with several (each unit its own)', () => {
    const file = `defaults: { region: us-east-1 }
stages:
  prod:
    functions:
      api: { artifact: api.zip, provisioned-concurrency: 3 }
      worker: { artifact: worker.zip }
`;
    const units = resolveStageUnits({ file: parseStagesFile(file, 'stage-deploy.yml'), fileName: 'stage-deploy.yml', stage: 'prod', overrides: {}, env: ENV });
    expect(units.map((u) => [u.functionName, u.provisionedConcurrency])).toEqual([
      ['api', 3],
      ['worker', undefined],
    ]);
  });
});
