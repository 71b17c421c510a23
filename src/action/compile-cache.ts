/**
 * Node's compile cache for the action's own code, in RUNNER_TEMP (Node ≥ 22.1,
 * `module.enableCompileCache`; Node 20 has none and runs as before). src/index.ts turns it on
 * before it imports the action (./main.js, a chunk of its own in dist/), so the post step, and any
 * later step of the job that runs the action, reuse the code V8 compiled for the first instead of
 * compiling it again. The job's first step compiles as before and writes the cache
 * (bench/RESULTS.md has the figures). Node checks each entry against the file's own hash, and
 * RUNNER_TEMP is emptied at the end of every job.
 */
import nodeModule from 'node:module';
import { join } from 'node:path';

export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: (directory?: string) => unknown }).enableCompileCache;
  const temp = process.env.RUNNER_TEMP;
  if (typeof enable !== 'function' || !temp) return;
  try {
    enable(join(temp, 'stage-deploy-compile-cache'));
  } catch {
    // A cache that cannot be set up only costs the time it would have saved.
  }
}
