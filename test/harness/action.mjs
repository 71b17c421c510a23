// Runs the action the way a GitHub runner does: `node dist/index.js` with INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, in a workspace directory. Asynchronous, so that
// servers in the calling process (the local endpoint) keep answering while it runs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { actionNode } from '../../scripts/node24.mjs';
import { assertNoStrayCommands } from './runner-commands.mjs';

/** Where Node caches the compiled dist/ between runs of this machine's tests (NODE_COMPILE_CACHE). */
const COMPILE_CACHE = join(tmpdir(), 'stage-deploy-test-compile-cache');

export const ACTION_ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/index.js');

/** Parse a GITHUB_OUTPUT file (`name<<delimiter … delimiter` blocks, or `name=value` lines). */
export function parseOutputFile(text) {
  const outputs = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]);
      outputs[name] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

/**
 * @param {{ inputs: Record<string, string>, env?: Record<string, string>, workspace: string, entry?: string,
 *   state?: Record<string, string>, onLine?: (line: string) => void,
 *   killWhen?: { pattern: RegExp, signal: NodeJS.Signals, afterMs?: number },
 *   commands?: false | { masks?: string[], allow?: string[] } }} options
 *   state: the saved state a post step gets (STATE_* variables, as the runner passes them);
 *   onLine: called with each line of stdout as it comes; killWhen: send the signal once a line matches
 *   (`afterMs` later, when given);
 *   commands: what the step may emit as workflow commands. By default every run asserts that a
 *   runner (./runner-commands.mjs) would find none in stdout or stderr but the action's own
 *   (error, warning, notice, debug, group, endgroup) and `add-mask` of a value the test put in
 *   `env` (the smoke headers' secrets come from there); `masks`/`allow` replace those lists;
 *   `false` turns the check off (no test does).
 */
export async function runAction(options) {
  const files = mkdtempSync(join(tmpdir(), 'runner-'));
  const outputFile = join(files, 'output');
  const summaryFile = join(files, 'summary');
  const stateFile = join(files, 'state');
  for (const f of [outputFile, summaryFile, stateFile]) writeFileSync(f, '');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    // Node 22+ keeps the compiled bundle on disk: the suite's hundreds of runs compile dist/ once.
    // Keyed by nothing but the directory: Node checks each entry against the file's own hash.
    NODE_COMPILE_CACHE: COMPILE_CACHE,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_STATE: stateFile,
    RUNNER_TEMP: files,
    GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    GITHUB_RUN_ID: '4242',
    GITHUB_REPOSITORY: 'acme/notes',
    GITHUB_SERVER_URL: 'https://github.com',
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  const started = performance.now();
  const startedAt = Date.now();
  const { code, stdout, stderr } = await new Promise((done) => {
    // Node 24, as action.yml declares (scripts/node24.mjs), unless STAGE_DEPLOY_ACTION_NODE says otherwise.
    const child = spawn(actionNode(), [options.entry ?? ACTION_ENTRY], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let pending = '';
    let killed = false;
    child.stdout.on('data', (c) => {
      out += c;
      pending += c;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        options.onLine?.(line);
        if (!killed && options.killWhen?.pattern.test(line)) {
          killed = true;
          const { signal, afterMs } = options.killWhen;
          if (afterMs === undefined) child.kill(signal);
          else setTimeout(() => child.kill(signal), afterMs);
        }
      }
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (exitCode) => done({ code: exitCode ?? 1, stdout: out, stderr: err }));
  });
  const result = {
    code,
    stdout,
    stderr,
    durationMs: performance.now() - started,
    /** Date.now() just before the process was spawned. */
    startedAt,
    outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
    /** What the step saved with core.saveState: what a post step would get. */
    state: parseOutputFile(readFileSync(stateFile, 'utf8')),
  };
  rmSync(files, { recursive: true, force: true });
  if (options.commands !== false) {
    assertNoStrayCommands(result, { masks: Object.values(options.env ?? {}), ...options.commands });
  }
  return result;
}

/**
 * The annotations a step printed (`::error title=T::message`, `::warning::message`), unescaped as
 * the runner shows them: %25 → %, %0D/%0A → CR/LF, and in properties %3A → :, %2C → ,.
 */
export function annotations(stdout) {
  const unescape = (text) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const found = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), unescape(pair.slice(pair.indexOf('=') + 1))]),
    );
    found.push({ kind: match[1], ...(properties.title !== undefined && { title: properties.title }), message: unescape(match[3]) });
  }
  return found;
}

/** The `release` output read back as a workflow would (`fromJSON`): one entry per function and region. */
export function releaseOf(outputs) {
  return JSON.parse(outputs.release ?? 'null');
}
