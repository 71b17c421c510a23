// The end-to-end ring runs dist/ on the Node that action.yml declares (runs.using: nodeNN), as a
// GitHub runner would: not on whatever Node runs vitest.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { actionNode } from '../../scripts/node24.mjs';
import { ACTION_ENTRY } from '../harness/action.mjs';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { runs: { using: string; main: string; post?: string } };

describe('the runtime of the end-to-end ring', () => {
  it.skipIf(process.env.STAGE_DEPLOY_ACTION_NODE !== undefined)("runs dist/ on the Node major version action.yml declares", () => {
    const declared = /^node(\d+)$/.exec(action.runs.using)?.[1];
    expect(declared, `runs.using: ${action.runs.using}`).toBeDefined();
    const seen = spawnSync(actionNode(), ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    expect(seen.split('.')[0]).toBe(declared);
  });

  it('loads dist/ on that Node: a run without inputs fails with the one message naming the missing input', () => {
    const run = spawnSync(actionNode(), [ACTION_ENTRY], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('::error::stage: required');
    expect(ACTION_ENTRY.endsWith(action.runs.main.replace(/^\.?\/?/, ''))).toBe(true);
  });
});
