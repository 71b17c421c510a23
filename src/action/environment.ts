/**
 * What the run takes from the process: the workspace, the temp directory, the commit and run,
 * the step's environment, and the two waits the test rings shorten. Read here, once.
 */
import { readFileSync } from 'node:fs';
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
    context: { commit: env.GITHUB_SHA ?? '', runId: env.GITHUB_RUN_ID ?? '', ...pullRequestOf(env) },
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

/**
 * The pull request's number, from the event payload GitHub writes for the job (GITHUB_EVENT_PATH:
 * `pull_request.number`, else `number`) and from nowhere else: never from a title, a branch name
 * or any text a contributor writes. Only a whole number, 1 or more; anything else is no number
 * (and a preview or remove is then refused while the stage is resolved).
 */
export function pullRequestOf(env: NodeJS.ProcessEnv): { pullRequest?: number } {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
  if (typeof payload !== 'object' || payload === null) return {};
  const event = payload as { pull_request?: { number?: unknown }; number?: unknown };
  const number = typeof event.pull_request === 'object' && event.pull_request !== null ? event.pull_request.number : event.number;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 1 ? { pullRequest: number } : {};
}
