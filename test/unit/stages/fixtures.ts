/** Shared by the tests of src/stages/: the contract's example file, small files built around one setting, and an exact-message check. */
import { expect } from 'vitest';
import { parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage } from '../../../src/stages/resolve.js';
import { InputError } from '../../../src/model/errors.js';
import type { StageOverrides } from '../../../src/model/settings.js';

/** The call throws an InputError whose message is exactly `message`. */
export function expectInputError(call: () => unknown, message: string): void {
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
export const EXAMPLE = `
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

export const ENV = { SMOKE_API_KEY: 'sekrit-123' };

export function resolve(
  yaml: string,
  stage: string,
  overrides: StageOverrides = {},
  env: Record<string, string | undefined> = ENV,
) {
  return resolveStage({ file: parseStagesFile(yaml, 'stage-deploy.yml'), fileName: 'stage-deploy.yml', stage, overrides, env });
}

/** A minimal file with `stage` settings for dev under it (YAML flow mapping text). */
export function devWith(settings: string): string {
  return `defaults: { function: fn }\nstages:\n  dev: ${settings}\n`;
}

/** A dev stage with a smoke block (YAML flow mapping body, without braces). */
export function smokeWith(smoke: string): string {
  return devWith(`{ smoke: { url: "https://x.example/health", ${smoke} } }`);
}
