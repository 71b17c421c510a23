/**
 * What the run takes from the process: the workspace, the temp directory, the commit and run,
 * the step's environment, and the two waits the test rings shorten. Read here, once.
 */
import { tmpdir } from 'node:os';

import type { RunEnvironment } from '../app.js';

/**
 * Test knobs, for the end-to-end ring and the benchmark, which hold canary steps for seconds,
 * not minutes (documented in the README's Contributing section):
 * - `STAGE_DEPLOY_GATE_INTERVAL_MS`: how often the gates are read while a step is held
 *   (default 10 s; at least GATE_INTERVAL_FLOOR_MS, so CloudWatch is never polled in a tight loop);
 * - `STAGE_DEPLOY_LOG_RETRY_MS`: the wait between tries to read a failed version's logs
 *   (default 2 s; at least LOG_RETRY_FLOOR_MS).
 */
export const GATE_INTERVAL_FLOOR_MS = 100;
export const LOG_RETRY_FLOOR_MS = 50;

export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): RunEnvironment {
  const gateIntervalMs = knob(env.STAGE_DEPLOY_GATE_INTERVAL_MS, GATE_INTERVAL_FLOOR_MS);
  const logRetryMs = knob(env.STAGE_DEPLOY_LOG_RETRY_MS, LOG_RETRY_FLOOR_MS);
  return {
    workspace: env.GITHUB_WORKSPACE || cwd,
    tempDir: env.RUNNER_TEMP || tmpdir(),
    env,
    context: { commit: env.GITHUB_SHA ?? '', runId: env.GITHUB_RUN_ID ?? '' },
    timing: { ...(gateIntervalMs !== undefined && { gateIntervalMs }), ...(logRetryMs !== undefined && { logRetryMs }) },
  };
}

/** A number of milliseconds, never below `floor`; undefined when unset or not a number. */
function knob(text: string | undefined, floor: number): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? Math.max(floor, value) : undefined;
}

/** The workflow run's page, when the runner says where it is. */
export function runUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = env;
  return server && repo && run ? `${server}/${repo}/actions/runs/${run}` : undefined;
}
