/**
 * src/action/runner.ts writes what @actions/core 3.x writes: each call is made through both, with
 * the same environment, and the runner's files and stdout compared (the file commands' random
 * delimiters aside).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as actionsCore from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { fileRunner, type Runner } from '../../../src/action/runner.js';

let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'runner-test-'));
  for (const name of ['output', 'state', 'summary']) writeFileSync(join(dir, name), '');
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  process.env.GITHUB_STATE = join(dir, 'state');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
});

afterEach(() => {
  process.env = { ...saved };
  process.exitCode = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** stdout and the runner's files after `act`, with each file command's delimiter made the same. */
async function effects(act: () => void | Promise<void>): Promise<{ stdout: string; files: Record<string, string>; exitCode: typeof process.exitCode }> {
  for (const name of ['output', 'state', 'summary']) writeFileSync(join(dir, name), '');
  process.exitCode = undefined;
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await act();
  } finally {
    spy.mockRestore();
  }
  const files: Record<string, string> = {};
  for (const name of ['output', 'state', 'summary']) files[name] = readFileSync(join(dir, name), 'utf8').replace(/ghadelimiter_[0-9a-f-]{36}/g, 'ghadelimiter_X');
  return { stdout, files, exitCode: process.exitCode };
}

const core = actionsCore as unknown as Runner;
const TRICKY = 'a%b\r\nc:d,e\n::error::x';

const cases: [string, (r: Runner) => void | Promise<unknown>][] = [
  ['setOutput', (r) => r.setOutput('release', TRICKY)],
  ['saveState', (r) => r.saveState('rollout', '{"a":1}')],
  ['setSecret', (r) => r.setSecret(TRICKY)],
  ['setFailed', (r) => r.setFailed(TRICKY)],
  ['info', (r) => r.info(TRICKY)],
  ['warning', (r) => r.warning(TRICKY)],
  ['error', (r) => r.error(TRICKY)],
  ['error with a title', (r) => r.error(TRICKY, { title: 'stage-deploy: prod, 7 → 8: x,y' })],
  ['summary', (r) => r.summary.addRaw('# title\n').write()],
  ['startGroup', (r) => r.startGroup(TRICKY)],
  ['endGroup', (r) => r.endGroup()],
];

describe('fileRunner writes what @actions/core writes', () => {
  it.each(cases)('%s', async (_name, call) => {
    const expected = await effects(async () => {
      await call(core);
    });
    const actual = await effects(async () => {
      await call(fileRunner);
    });
    expect(actual).toEqual(expected);
  });

  it('setOutput and saveState without the runner files: workflow commands', async () => {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STATE;
    for (const call of [(r: Runner) => r.setOutput('url', TRICKY), (r: Runner) => r.saveState('isPost', 'true')]) {
      expect(await effects(() => call(fileRunner))).toEqual(await effects(() => call(core)));
    }
  });

  it('reads inputs and state as @actions/core does', () => {
    process.env.INPUT_DRY_RUN = '  yes \n';
    process.env['INPUT_PROMOTE-FROM'] = 'dev';
    process.env.STATE_rollout = 'x';
    for (const name of ['dry run', 'promote-from', 'absent']) expect(fileRunner.getInput(name)).toBe(core.getInput(name));
    for (const name of ['rollout', 'absent']) expect(fileRunner.getState(name)).toBe(core.getState(name));
  });
});
