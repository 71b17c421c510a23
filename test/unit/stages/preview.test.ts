/** A stage's `preview` block (CONTRACT "A preview per pull request"): resolved, checked, and the commands it allows. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectInputError } from './fixtures.js';
import { pullRequestOf } from '../../../src/action/environment.js';
import type { Command } from '../../../src/model/settings.js';
import { parseStagesFile } from '../../../src/stages/parse.js';
import { resolveStage } from '../../../src/stages/resolve.js';

const FILE = (preview: string) => `
defaults: { function: notes-api, region: us-east-1 }
stages:
  dev: { alias: dev, memory-size: 256 }
  pr:
    extends: dev
${preview}
`;
const PR = FILE('    preview: { url: { auth: AWS_IAM }, keep-days: 7 }');

function resolveWith(text: string, command: Command, stage = 'pr', pullRequest?: number) {
  return resolveStage({
    file: parseStagesFile(text, 'stage-deploy.yml'),
    stage,
    overrides: {},
    env: {},
    command,
    artifact: 'build/function.zip',
    ...(pullRequest !== undefined && { pullRequest }),
  });
}

describe('preview stages', () => {
  it('resolves the alias of the pull request from the template, with the stage settings it extends', () => {
    const settings = resolveWith(PR, 'preview', 'pr', 42);
    expect(settings.alias).toBe('pr-42');
    expect(settings.memorySize).toBe(256);
    expect(settings.preview).toEqual({ aliasTemplate: 'pr-{number}', url: { auth: 'AWS_IAM' }, keepDays: 7, pullRequest: 42 });
  });

  it('defaults: pr-{number}, no URL, 14 days; url: {} is AWS_IAM; NONE only when written', () => {
    expect(resolveWith(FILE('    preview: {}'), 'prune').preview).toEqual({ aliasTemplate: 'pr-{number}', keepDays: 14 });
    expect(resolveWith(FILE('    preview: { url: {} }'), 'prune').preview?.url).toEqual({ auth: 'AWS_IAM' });
    expect(resolveWith(FILE('    preview: { url: { auth: NONE }, alias: "review-{number}" }'), 'remove', 'pr', 3)).toMatchObject({
      alias: 'review-3',
      preview: { url: { auth: 'NONE' } },
    });
  });

  it('is not inherited: a stage that extends a preview stage is a plain stage', () => {
    const text = `${PR}\n  staging: { extends: pr, alias: staging }\n`;
    expect(resolveWith(text, 'deploy', 'staging').preview).toBeUndefined();
  });

  it('refuses bad values with the field and the value', () => {
    expectInputError(
      () => resolveWith(FILE('    preview: { alias: preview }'), 'prune'),
      'stages.pr.preview.alias: "preview" is not a preview alias template: it needs {number} (the pull request\'s number), like pr-{number}',
    );
    expectInputError(
      () => resolveWith(FILE('    preview: { alias: "pr {number}" }'), 'prune'),
      'stages.pr.preview.alias: "pr {number}" is not a preview alias template: with {number} filled in it must be a Lambda alias name (letters, digits, - and _, not only digits, at most 128 characters)',
    );
    expectInputError(
      () => resolveWith(FILE('    preview: { keep-days: 0 }'), 'prune'),
      'stages.pr.preview.keep-days: 0 is not a number of days (use a whole number, 1 or more)',
    );
    expectInputError(
      () => resolveWith(FILE('    preview: { url: { auth: PUBLIC } }'), 'prune'),
      'stages.pr.preview.url.auth: "PUBLIC" is not a function URL AuthType (use AWS_IAM or NONE)',
    );
    expect(() => parseStagesFile(FILE('    preview: { colour: red }'), 'stage-deploy.yml')).toThrow(/colour/);
  });

  it('refuses deploy, promote and rollback on a preview stage, and preview, remove and prune on a plain one', () => {
    for (const command of ['deploy', 'promote', 'rollback'] as const) {
      expectInputError(
        () => resolveWith(PR, command, 'pr', 5),
        `command: ${command} cannot be used on stage "pr", which has a preview block (stages.pr.preview): use command preview, remove or prune`,
      );
    }
    for (const command of ['preview', 'remove', 'prune'] as const) {
      expectInputError(
        () => resolveWith(PR, command, 'dev', 5),
        `command: ${command} needs a stage with a preview block, and stage "dev" has none in stage-deploy.yml (add preview: under stages.dev, or use command deploy)`,
      );
    }
  });

  it('refuses preview and remove without a pull request number, and an alias on a preview stage', () => {
    for (const command of ['preview', 'remove'] as const) {
      expectInputError(
        () => resolveWith(PR, command),
        `command: ${command} needs the pull request's number, from the event payload (GITHUB_EVENT_PATH: pull_request.number), and this run has none: run it on a pull_request event`,
      );
    }
    expectInputError(
      () => resolveWith(FILE('    alias: pr\n    preview: {}'), 'preview', 'pr', 5),
      'stages.pr.alias: "pr" cannot be set for stage pr, which has a preview block (stages.pr.preview.alias names each pull request\'s alias)',
    );
  });
});

describe('pullRequestOf: the number from the event payload only', () => {
  const payload = (body: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'event-')), 'event.json');
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return { GITHUB_EVENT_PATH: path };
  };
  it('reads pull_request.number, else number', () => {
    expect(pullRequestOf(payload({ action: 'opened', number: 9, pull_request: { number: 12, title: 'pr-99' } }))).toEqual({ pullRequest: 12 });
    expect(pullRequestOf(payload({ number: 9 }))).toEqual({ pullRequest: 9 });
  });
  it('has no number without a payload, or with one that is not a positive whole number', () => {
    expect(pullRequestOf({})).toEqual({});
    expect(pullRequestOf(payload('not json'))).toEqual({});
    for (const number of ['12', 0, -3, 1.5, null]) expect(pullRequestOf(payload({ pull_request: { number } }))).toEqual({});
  });
});
