// Builds dist/ with ncc (`npm run bundle`), minifies its files with esbuild, and records what it
// was built from in dist/.source-hash: the SHA-256 of every file under src/, tsconfig.json,
// package-lock.json, the ncc command line and the minify options.
//
// Minified because V8 compiles every byte of a module before it runs it: the action's code
// (dist/NNN.index.js chunks: src/index.ts imports the action after turning on the compile cache)
// compiles in about two thirds of the time once minified (bench/RESULTS.md). ncc's own --minify
// minifies only dist/index.js, not the chunks, hence esbuild (the version package-lock.json pins).
// Names are kept (keepNames): error and class names read at run time stay as they are; no source
// maps.
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
const MINIFY = { minify: true, keepNames: true, format: 'esm', platform: 'node', target: 'node20', legalComments: 'none' };

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
  hash.update(`esbuild ${JSON.stringify(MINIFY)}\n`);
  for (const path of [...filesUnder('src'), 'tsconfig.json', 'package-lock.json']) {
    const bytes = readFileSync(join(root, path));
    hash.update(`${relative('.', path).split('\\').join('/')}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Minify dist/'s JavaScript files in place (see the top of this file). */
async function minify(dir) {
  const { transform } = await import('esbuild');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js')).sort()) {
    const path = join(dir, name);
    const { code } = await transform(readFileSync(path, 'utf8'), MINIFY);
    writeFileSync(path, code);
  }
}

async function build(hash) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const ncc = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'ncc.cmd' : 'ncc');
  const result = spawnSync(ncc, NCC_ARGS, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  await minify(join(root, 'dist'));
  writeFileSync(STAMP, `${hash}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const hash = sourceHash();
  const current = existsSync(STAMP) && existsSync(join(root, 'dist', 'index.js')) && readFileSync(STAMP, 'utf8').trim() === hash;
  if (process.argv.includes('--if-changed') && current) {
    console.log(`bundle: dist/ is current (built from this source, ${hash.slice(0, 12)}): not rebuilt`);
  } else {
    await build(hash);
    console.log(`bundle: dist/ built from source ${hash.slice(0, 12)}`);
  }
}
