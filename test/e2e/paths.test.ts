/**
 * Paths that must not be followed or read, end to end through `node dist/index.js` against moto:
 * an artifact directory that is a symlink out of the workspace, a stages file that is a FIFO or a
 * device, and `__proto__` as a stage name. Each must fail the step promptly with one `::error::`
 * naming the input (or field) and the value, and leave AWS as it was.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction, type ActionRun } from '../harness/action.mjs';
import { createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const FN = 'paths-api';
const HANDLER = 'export const handler = async () => ({ statusCode: 200, body: "candidate" });\n';
const STAGES = `defaults:\n  function: ${FN}\n  region: us-east-1\nstages:\n  dev: {}\n`;
const RESERVED = 'is a reserved name (__proto__, constructor and prototype cannot be used as names)';
/** A refused path is refused before anything slow happens: well under this. */
const PROMPT_MS = 10_000;

let moto: Awaited<ReturnType<typeof startMoto>>;
let root: string;
let cases = 0;

beforeAll(async () => {
  moto = await startMoto();
  root = mkdtempSync(join(tmpdir(), 'e2e-paths-'));
  await createFunction(moto.endpoint, { name: FN, zipPath: makeZip(join(root, 'build'), { 'index.mjs': HANDLER }) });
}, 60_000);

afterAll(async () => {
  await moto?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

/** A fresh workspace with `stage-deploy.yml` (unless `stages` is null) and `build/function.zip`. */
function workspace(stages: string | null = STAGES): string {
  const ws = join(root, 'cases', String(++cases));
  mkdirSync(join(ws, 'build'), { recursive: true });
  makeZip(join(ws, 'build'), { 'index.mjs': HANDLER });
  if (stages !== null) writeFileSync(join(ws, 'stage-deploy.yml'), stages);
  return ws;
}

/** Run the step and check: failed, exactly one error, AWS untouched, and quickly. */
async function refused(ws: string, inputs: Record<string, string>): Promise<string> {
  const before = await snapshotFunction(moto.endpoint, FN);
  const result: ActionRun = await runAction({ inputs: { stage: 'dev', ...inputs }, workspace: ws, env: awsEnv(moto.endpoint) });
  const errors = annotations(result.stdout).filter((a) => a.kind === 'error');
  expect(errors).toHaveLength(1);
  expect(result.code).not.toBe(0);
  expect(result.outputs.status).toBe('failed');
  expect(result.durationMs).toBeLessThan(PROMPT_MS);
  expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  return errors[0]!.message;
}

describe('paths the action must not follow or read', () => {
  it('refuses an artifact directory that is a symlink out of the workspace, AWS untouched', async () => {
    const outside = join(root, 'outside', String(cases));
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(outside, 'index.mjs'), HANDLER);
    writeFileSync(join(outside, 'secrets.env'), 'TOKEN=do-not-ship\n');
    const ws = workspace();
    symlinkSync(outside, join(ws, 'app'));
    const message = await refused(ws, { artifact: 'app' });
    expect(message).toBe(`artifact: "app" is a symlink pointing outside the workspace (${outside}); the artifact must be in the workspace`);
  }, 30_000);

  it('refuses an artifact path that climbs out of the workspace', async () => {
    const ws = workspace();
    const message = await refused(ws, { artifact: '../../build' });
    expect(message).toMatch(/^artifact: "\.\.\/\.\.\/build" is outside the workspace \(.*\/build\); the artifact must be in the workspace$/);
  }, 30_000);

  it('refuses a FIFO as the stages file promptly instead of waiting on it', async () => {
    const ws = workspace(null);
    const fifo = join(ws, 'stage-deploy.yml');
    execFileSync('mkfifo', [fifo]);
    // Should the step block opening the FIFO, open its other end after a while so that the
    // child ends (the test then fails on the time and the message, and leaves no process behind).
    const unblock = setTimeout(() => {
      try {
        closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader waiting: nothing to unblock.
      }
    }, PROMPT_MS);
    try {
      const message = await refused(ws, { artifact: 'build/function.zip' });
      expect(message).toBe('config: "stage-deploy.yml" is not a regular file (a FIFO, socket or device is not read)');
      const named = await refused(ws, { artifact: 'build/function.zip', config: 'stage-deploy.yml' });
      expect(named).toBe(message);
    } finally {
      clearTimeout(unblock);
    }
  }, 30_000);

  it('refuses a device as the stages file (/dev/zero never ends)', async () => {
    const ws = workspace(null);
    const message = await refused(ws, { artifact: 'build/function.zip', config: '/dev/zero' });
    expect(message).toBe('config: "/dev/zero" is not a regular file (a FIFO, socket or device is not read)');
  }, 30_000);

  it('says __proto__ is reserved, as a stage name in the file and as the stage input', async () => {
    const inFile = await refused(workspace(`${STAGES}  __proto__:\n    memory-size: 256\n`), { artifact: 'build/function.zip' });
    expect(inFile).toBe(`stages.__proto__: "__proto__" ${RESERVED}`);
    const asInput = await refused(workspace(), { artifact: 'build/function.zip', stage: '__proto__' });
    expect(asInput).toBe(`stage: "__proto__" ${RESERVED}`);
  }, 30_000);
});
