// Runs one invocation of a Lambda handler in a fresh Node process (lambda-runner.mjs), as the
// Node.js runtime would on a cold start: used by the local endpoint and by the proxy's Invoke.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER = join(dirname(fileURLToPath(import.meta.url)), 'lambda-runner.mjs');

/**
 * @returns {Promise<{ code: number, stdout: string, stderr: string, timedOut: boolean }>}
 *   stdout holds what the handler printed, then the result as JSON on its last line.
 */
export function runHandler(dir, handler, eventText, environment, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUNNER, dir, handler], {
      env: { PATH: process.env.PATH, ...environment },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr, timedOut });
    });
    child.stdin.end(eventText);
  });
}

/** The handler's result: the last line of the runner's stdout (a handler's console.log comes before it). */
export function resultText(stdout) {
  return stdout.slice(stdout.lastIndexOf('\n') + 1);
}
