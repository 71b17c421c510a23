// The figures that need AWS: calls per command, the action's own time, time to safety, and how
// soon the action moves on after Lambda finishes an update. The action runs as GitHub runs it
// (`node dist/index.js`), against moto behind the recording proxy and a local endpoint.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { actionNode } from '../scripts/node24.mjs';
import { ACTION_ENTRY, runAction } from '../test/harness/action.mjs';
import { startProxy } from '../test/harness/aws-proxy.mjs';
import { startEndpoint } from '../test/harness/endpoint.mjs';
import { createFunction, makeZip } from '../test/harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../test/harness/moto.mjs';
import { median } from './packaging.mjs';

const FN = 'bench-api';
const handler = (release) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: ${JSON.stringify(release)} }) });\n`;
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';


/** Total time covered by a set of [start, end] intervals (parallel calls counted once). */
function covered(intervals) {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let current;
  for (const [a, b] of sorted) {
    if (current === undefined || a > current[1]) {
      if (current) total += current[1] - current[0];
      current = [a, b];
    } else current[1] = Math.max(current[1], b);
  }
  return total + (current ? current[1] - current[0] : 0);
}

export async function awsFigures({ runs = 5, workRoot }) {
  const workspace = join(workRoot, 'aws');
  const build = join(workspace, 'build');
  mkdirSync(build, { recursive: true });
  const moto = await startMoto();
  const proxy = await startProxy({ target: moto.endpoint });
  let endpoint;
  let release = 0;
  const rows = [];
  try {
    await createFunction(proxy.endpoint, { name: FN, zipPath: makeZip(build, { 'index.mjs': handler('bootstrap') }) });
    endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'dev', codeRoots: [workspace] });
    writeFileSync(
      join(workspace, 'stage-deploy.yml'),
      `defaults: { function: ${FN}, region: us-east-1 }
stages:
  dev:
    environment: { TABLE: bench-dev }
    smoke: { url: "${endpoint.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 200ms }
  prod:
    extends: dev
    smoke: { url: "${endpoint.url}/health" }
`,
    );
    const env = awsEnv(proxy.endpoint);
    const act = (inputs) => runAction({ inputs, workspace, env });
    const deploy = (code, extra = {}) => act({ stage: 'dev', artifact: makeZip(build, { 'index.mjs': code }).slice(workspace.length + 1), ...extra });
    /** Run and count the AWS calls it made (smoke requests go to the endpoint, not AWS). */
    const counted = async (run) => {
      proxy.reset();
      const result = await run();
      if (result.code !== 0) throw new Error(`bench run failed: ${result.stdout.slice(-600)}`);
      return { result, calls: [...proxy.calls] };
    };
    const describeCalls = (calls) => {
      const counts = {};
      for (const c of calls) counts[c.operation] = (counts[c.operation] ?? 0) + 1;
      return Object.entries(counts)
        .map(([op, n]) => (n > 1 ? `${op}×${n}` : op))
        .join(', ');
    };

    // The first release sets the stage's settings; later ones change only the code.
    await counted(() => deploy(handler(`r${++release}`)));

    // 1. AWS calls per command.
    const codeOnly = await counted(() => deploy(handler(`r${++release}`)));
    rows.push({ figure: 'AWS calls: code-only deploy without a bucket (smoke apart)', value: String(codeOnly.calls.length), target: '≤ 7', met: codeOnly.calls.length <= 7, note: describeCalls(codeOnly.calls) });
    const unchanged = await counted(() => deploy(handler(`r${release}`)));
    rows.push({ figure: 'AWS calls: unchanged redeploy', value: String(unchanged.calls.length), target: '≤ 3', met: unchanged.calls.length <= 3, note: describeCalls(unchanged.calls) });
    writeFileSync(join(workspace, 'stage-deploy.yml'), readStages(workspace).replace('TABLE: bench-dev', 'TABLE: bench-dev-2'));
    const both = await counted(() => deploy(handler(`r${++release}`)));
    rows.push({ figure: 'AWS calls: code and settings deploy', value: String(both.calls.length), target: '—', met: undefined, note: describeCalls(both.calls) });
    // prod has dev's settings (extends, nothing of its own): a promote reuses dev's version.
    writeFileSync(join(workspace, 'stage-deploy.yml'), readStages(workspace).replace('TABLE: bench-dev-2', 'TABLE: bench-dev'));
    await counted(() => deploy(handler(`r${++release}`)));
    const promoted = await counted(() => act({ stage: 'prod', command: 'promote', 'promote-from': 'dev' }));
    if (!/reusing|as it is/.test(promoted.result.stdout)) throw new Error('the promote did not reuse the version');
    rows.push({ figure: 'AWS calls: promote that reuses a version', value: String(promoted.calls.length), target: '—', met: undefined, note: describeCalls(promoted.calls) });
    const rolledBack = await counted(() => act({ stage: 'dev', command: 'rollback' }));
    rows.push({ figure: 'AWS calls: rollback', value: String(rolledBack.calls.length), target: '—', met: undefined, note: describeCalls(rolledBack.calls) });

    // 2. The action's own time: wall time of a code-only deploy minus AWS calls and smoke requests.
    const own = [];
    const firstCall = [];
    for (let i = 0; i < runs; i++) {
      const served = endpoint.requests.length;
      const { result, calls } = await counted(() => deploy(handler(`r${++release}`)));
      const end = result.startedAt + result.durationMs;
      const intervals = [
        ...calls.map((c) => [c.startedAt, c.startedAt + c.durationMs]),
        ...endpoint.requests.slice(served).map((r) => [r.receivedAt, r.answeredAt]),
      ];
      if (intervals.some(([a, b]) => !Number.isFinite(a) || !Number.isFinite(b))) {
        throw new Error(`bench: an interval without times: ${JSON.stringify(intervals)}`);
      }
      own.push(result.durationMs - covered(intervals.map(([a, b]) => [Math.max(a, result.startedAt), Math.min(b, end)])));
      firstCall.push(calls[0].startedAt - result.startedAt);
    }
    rows.push({ figure: "The action's own time, code-only deploy (median)", value: `${Math.round(median(own))} ms`, target: '≤ 250 ms', met: median(own) <= 250, note: `wall time of node dist/index.js minus AWS calls and smoke requests; runs: ${own.map(Math.round).join(', ')} ms` });
    rows.push({ figure: 'Process start to first AWS request (median)', value: `${Math.round(median(firstCall))} ms`, target: '≤ 150 ms', met: median(firstCall) <= 150, note: `runs: ${firstCall.join(', ')} ms` });
    // Where the start-up time goes: Node itself, and evaluating the bundle (the step fails at once
    // without inputs, before any AWS client is used).
    const timed = (args) => {
      const t = performance.now();
      spawnSync(actionNode(), args, { stdio: 'ignore', env: { PATH: process.env.PATH } });
      return performance.now() - t;
    };
    const nodeStart = median(Array.from({ length: runs }, () => timed(['-e', '0'])));
    const bundleLoad = median(Array.from({ length: runs }, () => timed([ACTION_ENTRY])));
    rows.push({ figure: 'Node start alone (node -e 0, median)', value: `${Math.round(nodeStart)} ms`, target: '—', met: undefined });
    rows.push({ figure: 'Loading dist/index.js and failing on no input (median)', value: `${Math.round(bundleLoad)} ms`, target: '—', met: undefined });
    const why =
      `start-up is ${Math.round(nodeStart)} ms of Node and ${Math.round(bundleLoad - nodeStart)} ms of evaluating the bundle ` +
      '(@actions/core with its HTTP client, the Lambda client, zod, yaml); S3, CloudWatch, Logs and GitHub are loaded only when a run needs them. ' +
      'What would close it: V8\'s compile cache (module.enableCompileCache on the runner\'s Node 24), and a deploy path that does not load @actions/core\'s HTTP client';
    const ownRow = rows.find((r) => r.figure.startsWith("The action's own time"));
    if (ownRow && !ownRow.met) ownRow.note += `; ${why}`;
    const firstRow = rows.find((r) => r.figure.startsWith('Process start to first AWS request'));
    if (firstRow && !firstRow.met) firstRow.note += `; ${why}`;
    const size = statSync(ACTION_ENTRY).size;
    rows.push({ figure: 'Size of dist/index.js', value: `${(size / 1024 / 1024).toFixed(2)} MB`, target: '—', met: undefined });

    // 3. Time to safety: from the last failed smoke attempt to the alias restored.
    const safety = [];
    let between = [];
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const served = endpoint.requests.length;
      proxy.reset();
      const result = await deploy(BROKEN);
      if (result.outputs.status !== 'rolled-back') throw new Error(`expected a rollback, got ${result.outputs.status}`);
      const lastFailed = endpoint.requests.slice(served).filter((r) => r.status >= 500).at(-1);
      const restore = proxy.calls.filter((c) => c.operation === 'UpdateAlias').at(-1);
      safety.push(restore.startedAt + restore.durationMs - lastFailed.answeredAt);
      between = proxy.calls.filter((c) => c.startedAt >= lastFailed.answeredAt && c.startedAt <= restore.startedAt);
    }
    rows.push({
      figure: 'Time to safety: last failed smoke attempt → alias restored (median)',
      value: `${Math.round(median(safety))} ms, ${between.length} AWS call${between.length === 1 ? '' : 's'}`,
      target: 'one AWS call, no waiting',
      met: between.length === 1 && between[0].operation === 'UpdateAlias',
      note: `runs: ${safety.map(Math.round).join(', ')} ms; calls: ${describeCalls(between)}`,
    });

    // 4. Waiting on Lambda: the proxy holds the update InProgress; how soon after it completes does the action move on?
    const lag = [];
    proxy.holdInProgress(2000);
    for (let i = 0; i < Math.min(runs, 3); i++) {
      const { calls } = await counted(() => deploy(handler(`r${++release}`)));
      const completed = proxy.lastUpdateCompletedAt(FN);
      const next = calls.find((c) => c.operation === 'PublishVersion');
      lag.push(next.startedAt - completed);
    }
    proxy.holdInProgress(0);
    rows.push({ figure: 'Waiting on Lambda: update complete → action moves on (median)', value: `${Math.round(median(lag))} ms`, target: '≤ 500 ms', met: median(lag) <= 500, note: `update held InProgress 2 s by the proxy; runs: ${lag.map(Math.round).join(', ')} ms` });
  } finally {
    await endpoint?.stop();
    await proxy.stop();
    await moto.stop();
  }
  return rows;
}

function readStages(workspace) {
  return readFileSync(join(workspace, 'stage-deploy.yml'), 'utf8');
}
