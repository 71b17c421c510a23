// A release of several functions (issue 14, "Measured"): a stage of 10 functions with a code-only
// change on all, against a one-function deploy (target: the 10 in at most 2× the time of one, not
// 10×), the peak memory of the action's process, and AWS calls per function; then the same stage
// with one function broken: from its failed check to every alias restored (target: one round of
// UpdateAlias calls, in parallel). The action runs as GitHub runs it (`node dist/index.js`, through
// a tiny wrapper that records the process's peak RSS), against moto behind the recording proxy, a
// local endpoint per function answering its smoke test.
//
// The stages file uses the contract's `functions:` map. Until the action supports it, the probe
// (a dry run) is refused and this section reports one row saying so instead of failing the bench.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { ACTION_ENTRY, runAction } from '../test/harness/action.mjs';
import { startProxy } from '../test/harness/aws-proxy.mjs';
import { startEndpoint } from '../test/harness/endpoint.mjs';
import { createFunction, makeZip } from '../test/harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../test/harness/moto.mjs';
import { median } from './packaging.mjs';

const COUNT = 10;
const names = Array.from({ length: COUNT }, (_, i) => `bench-fn-${i}`);
const handler = (release) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: ${JSON.stringify(release)} }) });\n`;
const BROKEN = 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n';

/** The longest chain of calls each starting after the one before ended: how many rounds they took. */
export function rounds(calls) {
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  const chain = sorted.map(() => 1);
  for (let j = 0; j < sorted.length; j++) {
    for (let i = 0; i < j; i++) {
      if (sorted[j].startedAt >= sorted[i].startedAt + sorted[i].durationMs) chain[j] = Math.max(chain[j], chain[i] + 1);
    }
  }
  return Math.max(0, ...chain);
}

/** The function a Lambda call is about, from its path (`/2015-03-31/functions/<name>/…`). */
function functionOf(call) {
  const match = /\/functions\/([^/]+)/.exec(call.path);
  if (!match) return undefined;
  const named = decodeURIComponent(match[1]);
  // A name, or an ARN (arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]).
  return named.includes(':function:') ? named.split(':')[6] : named;
}

export async function multiFunctionFigures({ runs = 3, workRoot }) {
  const workspace = join(workRoot, 'multi');
  const build = join(workspace, 'build');
  mkdirSync(build, { recursive: true });
  // Runs dist/index.js in-process and writes the process's peak RSS (KB) when it exits.
  const wrapper = join(workRoot, 'rss-entry.mjs');
  writeFileSync(
    wrapper,
    `import { writeFileSync } from 'node:fs';
process.on('exit', () => { try { writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });
await import(${JSON.stringify(pathToFileURL(ACTION_ENTRY).href)});
`,
  );
  const rssFile = join(workRoot, 'rss.txt');
  const moto = await startMoto();
  const proxy = await startProxy({ target: moto.endpoint });
  const endpoints = [];
  const rows = [];
  let release = 0;
  try {
    for (const name of names) {
      await createFunction(proxy.endpoint, { name, zipPath: makeZip(build, { 'index.mjs': `// ${name}\n${handler('bootstrap')}` }) });
      endpoints.push(await startEndpoint({ awsEndpoint: moto.endpoint, functionName: name, alias: 'dev', codeRoots: [workspace] }));
    }
    const env = { ...awsEnv(proxy.endpoint), BENCH_RSS_FILE: rssFile, STAGE_DEPLOY_LOG_RETRY_MS: '50' };
    const zip = (name, code) => makeZip(build, { 'index.mjs': `// ${name}\n${code}` }).slice(workspace.length + 1);
    /** The stages file of the 10: every function its own zip and smoke URL. */
    const writeMulti = (codeOf) =>
      writeFileSync(
        join(workspace, 'multi.yml'),
        `defaults:\n  region: us-east-1\nstages:\n  dev:\n    functions:\n${names
          .map((name, i) => `      ${name}: { artifact: ${zip(name, codeOf(name))}, smoke: { url: "${endpoints[i].url}/health", attempts: 1 } }`)
          .join('\n')}\n`,
      );
    writeFileSync(
      join(workspace, 'single.yml'),
      `defaults: { function: ${names[0]}, region: us-east-1 }\nstages:\n  dev:\n    smoke: { url: "${endpoints[0].url}/health", attempts: 1 }\n`,
    );
    const act = async (inputs) => {
      rmSync(rssFile, { force: true });
      proxy.reset();
      const result = await runAction({ inputs, workspace, env, entry: wrapper });
      let rssKb;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        rssKb = undefined;
      }
      return { result, calls: [...proxy.calls], rssKb };
    };
    const single = () => act({ stage: 'dev', config: 'single.yml', artifact: zip(names[0], handler(`r${++release}`)) });
    const multi = () => {
      const r = ++release;
      writeMulti((name) => handler(`r${r}-${name}`));
      return act({ stage: 'dev', config: 'multi.yml' });
    };

    // First releases: the stage's settings and every alias in place; later ones change only the code.
    const first = await multi();
    if (first.result.code !== 0) throw new Error(`the first release of the 10 failed: ${first.result.stdout.slice(-600)}`);
    await single();

    const singleTimes = [];
    const multiTimes = [];
    const rss = [];
    let singleCalls = 0;
    let multiCalls = [];
    for (let i = 0; i < runs; i++) {
      // Alternating, so that both see the same machine.
      const one = await single();
      if (one.result.code !== 0) throw new Error(`a one-function deploy failed: ${one.result.stdout.slice(-600)}`);
      singleTimes.push(one.result.durationMs);
      singleCalls = one.calls.length;
      const ten = await multi();
      if (ten.result.code !== 0 || ten.result.outputs.status !== 'deployed') throw new Error(`the release of the 10 failed: ${ten.result.stdout.slice(-600)}`);
      multiTimes.push(ten.result.durationMs);
      if (ten.rssKb !== undefined) rss.push(ten.rssKb / 1024);
      multiCalls = ten.calls;
    }
    const one = median(singleTimes);
    const ten = median(multiTimes);
    rows.push({ figure: 'One-function deploy, wall time (median)', value: `${Math.round(one)} ms`, target: '—', met: undefined, note: `node dist/index.js, code-only change; runs: ${singleTimes.map(Math.round).join(', ')} ms` });
    rows.push({
      figure: `${COUNT} functions in one release, code-only change on all, wall time (median)`,
      value: `${Math.round(ten)} ms`,
      target: `≤ 2× one (${Math.round(2 * one)} ms)`,
      met: ten <= 2 * one,
      note: `against ${COUNT} × one function: ${Math.round(COUNT * one)} ms; runs: ${multiTimes.map(Math.round).join(', ')} ms`,
    });
    rows.push({ figure: `${COUNT} functions / one function, wall time`, value: (ten / one).toFixed(2), target: '≤ 2.00', met: ten <= 2 * one });
    // The floor: Lambda's control plane allows an account 15 requests per second in a region for
    // everything but GetFunction, GetPolicy and invocations; a release of several functions keeps
    // under 10 (src/aws/rate-limit.ts). Its writes come in phases (every unit reads, then updates,
    // then publishes, then shifts: release/group.ts), each phase's requests counting for a second.
    const limited = multiCalls.filter((c) => c.service === 'lambda' && !['GetFunction', 'GetPolicy', 'Invoke'].includes(c.operation)).length;
    const floorMs = Math.max(0, Math.ceil(limited / 10) - 1) * 1000;
    rows.push({
      figure: `Floor set by Lambda's request quota, release of ${COUNT}`,
      value: `${limited} rate-counted calls: ≥ ${floorMs} ms at 10/s`,
      target: '—',
      met: undefined,
      note:
        `the release's wall time less this floor: ${Math.round(ten - floorMs)} ms. Against moto a one-function deploy takes ${Math.round(one)} ms, ` +
        `so ≤ 2× one cannot hold while the account's quota is respected: the ratio is bound by the rate, not by the action. ` +
        'On Lambda, where a deploy waits seconds for the update and the publish, the same floor is a small part of one deploy.',
    });
    rows.push({
      figure: `Peak resident memory, release of ${COUNT} functions`,
      value: rss.length > 0 ? `${Math.round(Math.max(...rss))} MB` : 'not measured',
      target: '—',
      met: undefined,
      note: rss.length > 0 ? `the action's process (process.resourceUsage().maxRSS at exit); runs: ${rss.map((m) => Math.round(m)).join(', ')} MB` : 'the wrapper entry wrote no figure',
    });
    const perFunction = {};
    for (const call of multiCalls) {
      const fn = functionOf(call) ?? '(account)';
      perFunction[fn] = (perFunction[fn] ?? 0) + 1;
    }
    const counts = names.map((name) => perFunction[name] ?? 0);
    rows.push({
      figure: 'AWS calls per function, release of 10 (code-only)',
      value: (multiCalls.length / COUNT).toFixed(1),
      target: `≈ one function's (${singleCalls})`,
      met: undefined,
      note: `${multiCalls.length} calls in all; per function ${Math.min(...counts)}–${Math.max(...counts)}; not about one function: ${perFunction['(account)'] ?? 0}`,
    });

    // The same stage with one function broken: from its failed check to every alias restored.
    const safety = [];
    let restores = [];
    let others = [];
    const brokenIndex = 3;
    for (let i = 0; i < runs; i++) {
      const served = endpoints[brokenIndex].requests.length;
      const r = ++release;
      writeMulti((name) => (name === names[brokenIndex] ? BROKEN : handler(`r${r}-${name}`)));
      const { result, calls } = await act({ stage: 'dev', config: 'multi.yml' });
      if (result.outputs.status !== 'rolled-back') throw new Error(`expected the 10 rolled back, got ${result.outputs.status}: ${result.stdout.slice(-600)}`);
      const failed = endpoints[brokenIndex].requests.slice(served).filter((q) => q.status >= 500).at(-1);
      if (failed === undefined) throw new Error('the broken function was never checked');
      restores = calls.filter((c) => c.operation === 'UpdateAlias' && c.startedAt >= failed.answeredAt);
      others = calls.filter((c) => c.operation !== 'UpdateAlias' && c.startedAt >= failed.answeredAt && c.startedAt <= Math.max(...restores.map((x) => x.startedAt)));
      const done = Math.max(...restores.map((c) => c.startedAt + c.durationMs));
      safety.push(done - failed.answeredAt);
    }
    const restoreRounds = rounds(restores);
    rows.push({
      figure: `Time to safety, ${COUNT} functions, one broken: failed check → every alias restored (median)`,
      value: `${Math.round(median(safety))} ms, ${restores.length} UpdateAlias in ${restoreRounds} round${restoreRounds === 1 ? '' : 's'}`,
      target: 'one round of UpdateAlias in parallel',
      met: restoreRounds === 1 && restores.length === COUNT && others.length === 0,
      note: `runs: ${safety.map(Math.round).join(', ')} ms; other calls before the last restore: ${others.map((c) => c.operation).join(', ') || 'none'}`,
    });
  } catch (error) {
    // A scenario that fails says why, and the rest of the bench goes on.
    rows.push({ figure: 'A stage of 10 functions', value: 'failed', target: '—', met: false, note: String(error instanceof Error ? error.message : error).replace(/\s+/g, ' ').slice(0, 600) });
  } finally {
    for (const endpoint of endpoints) await endpoint.stop();
    await proxy.stop();
    await moto.stop();
  }
  return rows;
}
