import { describe, expect, it } from 'vitest';

import { readInputs } from '../../../src/action/inputs.js';

const from = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readInputs', () => {
  it('reads a deploy with overrides, defaults the command and the config file', () => {
    expect(readInputs(from({ stage: 'dev', artifact: 'build/function.zip', 'function-name': 'notes-api', 'log-level': 'ERROR', 'dry-run': 'false' }))).toEqual({
      stage: 'dev',
      command: 'deploy',
      artifact: 'build/function.zip',
      config: 'stage-deploy.yml',
      configRequired: false,
      overrides: { functionName: 'notes-api', logLevel: 'ERROR' },
      dryRun: false,
      force: false,
    });
  });

  it('marks an explicit config as required', () => {
    expect(readInputs(from({ stage: 'dev', artifact: 'a.zip', config: 'deploy/stages.yml' }))).toMatchObject({ config: 'deploy/stages.yml', configRequired: true });
  });

  it('reads the image input, and leaves a deploy without code to the stage (its functions may name their own)', () => {
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notes:v1';
    expect(readInputs(from({ stage: 'dev', image }))).toMatchObject({ command: 'deploy', image });
    const inputs = readInputs(from({ stage: 'dev' }));
    expect(inputs.command).toBe('deploy');
    expect('artifact' in inputs || 'image' in inputs).toBe(false);
  });

  it.each([
    [{}, 'stage: required (a stage of the stages file, e.g. dev)'],
    [{ stage: 'dev', command: 'depoy' }, 'command: "depoy" is not a command (use deploy, promote, rollback, status, preview, remove, prune)'],
    [{ stage: 'prod', command: 'promote' }, 'promote-from: required for command promote (the stage to promote from)'],
    [{ stage: 'prod', command: 'promote', 'promote-from': 'prod' }, 'promote-from: "prod" is the stage being promoted to; name another stage'],
    [{ stage: 'prod', command: 'rollback', 'to-version': 'v7' }, 'to-version: "v7" is not a version number (e.g. 7)'],
    [{ stage: 'dev', artifact: 'a.zip', 'dry-run': 'yes' }, 'dry-run: "yes" is not a boolean (use true or false)'],
  ])('refuses %j', (values, message) => {
    expect(() => readInputs(from(values as Record<string, string>))).toThrow(message);
  });
});
