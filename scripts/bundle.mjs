// Builds dist/ with ncc (`npm run bundle`), and records what it was built from in
// dist/.source-hash: the SHA-256 of every file under src/, tsconfig.json, package-lock.json and the
// ncc command line.
//
//   node scripts/bundle.mjs              always build (CI's check-dist, releases)
//   node scripts/bundle.mjs --if-changed build only when the inputs differ from dist/.source-hash
//                                        (npm test: an unchanged source reuses dist/, ~90 s saved)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NCC_ARGS = ['build', 'src/index.ts', '-o', 'dist', '--license', 'licenses.txt'];
const STAMP = join(root, 'dist', '.source-hash');

/** Every file under `dir`, as paths relative to the repository, sorted. */
function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/** The hash of what dist/ is built from. */
export function sourceHash() {
  const hash = createHash('sha256');
  hash.update(`ncc ${NCC_ARGS.join(' ')}\n`);
  for (const path of [...filesUnder('src'), 'tsconfig.json', 'package-lock.json']) {
    const bytes = readFileSync(join(root, path));
    hash.update(`${relative('.', path).split('\\').join('/')}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

function build(hash) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const ncc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'ncc.cmd' : 'ncc');
  const result = spawnSync(ncc, NCC_ARGS, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, `${hash}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const hash = sourceHash();
  const current = existsSync(STAMP) && existsSync(join(root, 'dist', 'index.js')) && readFileSync(STAMP, 'utf8').trim() === hash;
  if (process.argv.includes('--if-changed') && current) {
    console.log(`bundle: dist/ is current (built from this source, ${hash.slice(0, 12)}): not rebuilt`);
  } else {
    build(hash);
    console.log(`bundle: dist/ built from source ${hash.slice(0, 12)}`);
  }
}
