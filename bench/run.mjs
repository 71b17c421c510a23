// npm run bench: how fast and lean a release is, against the targets. Prints a table of figures
// beside their targets and writes bench/RESULTS.md with the date. Runs against moto and a local
// endpoint on 127.0.0.1; medians of several runs; comparisons are ratios within one run.
// BENCH_RUNS sets the runs per figure (default 5 for the AWS figures, 3 for the heavy ones).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureNode24 } from '../scripts/node24.mjs';
import { awsFigures } from './aws-figures.mjs';
import { multiFunctionFigures } from './multi-function.mjs';
import { packagingFigures } from './packaging.mjs';
import { s3Figures } from './s3-upload.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// The action's own processes run on Node 24, as action.yml declares (scripts/node24.mjs).
const actionNodeVersion = spawnSync(ensureNode24(), ['--version'], { encoding: 'utf8' }).stdout.trim();
process.stderr.write(`the action runs on Node ${actionNodeVersion}; the harness on ${process.version}\n`);
const runs = Number(process.env.BENCH_RUNS) || undefined;
const workRoot = mkdtempSync(join(tmpdir(), 'stage-deploy-bench-'));
const started = Date.now();
const sections = [];
try {
  for (const [title, measure, defaultRuns] of [
    ['AWS calls, own time, time to safety, waiting on Lambda', awsFigures, 5],
    ['Packaging a directory', packagingFigures, 3],
    ['A 250 MB artifact through S3', s3Figures, 5],
    ['A stage of 10 functions in one release', multiFunctionFigures, 3],
  ]) {
    process.stderr.write(`measuring: ${title}…\n`);
    sections.push({ title, rows: await measure({ runs: runs ?? defaultRuns, workRoot }) });
  }
} finally {
  rmSync(workRoot, { recursive: true, force: true });
}

const mark = (met) => (met === undefined ? '' : met ? '✅' : '❌ missed');
const rows = sections.flatMap((s) => s.rows);
const width = (key, min) => Math.max(min, ...rows.map((r) => String(r[key]).length));
const [wf, wv, wt] = [width('figure', 6), width('value', 5), width('target', 6)];
console.log(`\n${'figure'.padEnd(wf)}  ${'value'.padEnd(wv)}  ${'target'.padEnd(wt)}  met`);
for (const section of sections) {
  console.log(`── ${section.title}`);
  for (const r of section.rows) console.log(`${r.figure.padEnd(wf)}  ${r.value.padEnd(wv)}  ${r.target.padEnd(wt)}  ${mark(r.met)}`);
}
const seconds = Math.round((Date.now() - started) / 1000);
console.log(`\n${rows.filter((r) => r.met === true).length} targets met, ${rows.filter((r) => r.met === false).length} missed; ${seconds} s`);

const date = new Date().toISOString().slice(0, 10);
const markdown = [
  '# stage-deploy benchmark results',
  '',
  `Measured ${date} by \`npm run bench\` on ${process.platform}/${process.arch}, the action on Node ${actionNodeVersion} (the harness on ${process.version}), against moto and a local endpoint on 127.0.0.1 (${seconds} s). Medians of several runs; comparisons are ratios within one run.`,
  '',
  ...sections.flatMap((section) => [
    `## ${section.title}`,
    '',
    '| Figure | Value | Target | Met |',
    '|---|---|---|---|',
    ...section.rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${mark(r.met)} |`),
    '',
    ...section.rows.filter((r) => r.note).map((r) => `- **${r.figure}**: ${r.note}`),
    '',
  ]),
].join('\n');
writeFileSync(join(here, 'RESULTS.md'), markdown);
console.log(`written: bench/RESULTS.md`);
