// npm test: vitest on Node 24, the Node the action itself runs on (action.yml: runs.using node24),
// fetched by `pretest` (scripts/node24.mjs) whatever Node runs npm. On this project's 2-core
// machine the suite ends about 15 s sooner on Node 24 than on Node 20 (about 20 s less CPU): the
// tests' own processes (vitest's workers, the harness's servers, local-action) start and run
// faster. Arguments go to vitest as they are: `npm test -- --project unit`.
//
// STAGE_DEPLOY_TEST_NODE=current runs vitest on the Node that runs npm instead (as
// `npm run test:unit` always does: the contributor's quick loop on Node 20 or later).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { actionNode } from './node24.mjs';

const require = createRequire(import.meta.url);
const vitest = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');
const node = process.env.STAGE_DEPLOY_TEST_NODE === 'current' ? process.execPath : actionNode();

const child = spawn(node, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches vitest through the terminal's process group; a TERM from a parent is passed on.
for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  // Ended by a signal: end the same way, so npm and the shell see it.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
