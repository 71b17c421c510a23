/**
 * A release of several functions as one (issue 14, the engine), in-process through runCommand with
 * the units built directly (one StageSettings per function), against moto behind the proxy and a
 * local endpoint per function that runs whichever version its alias points at. The fake clock
 * moves only when slept on. The tests run in order and build on each other's releases.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanUp, loadConfig, resolveSettings, runCommand, type RunEnvironment, type RunOutcome } from '../../src/app.js';
import type { Clock, Log, RolloutState, RolloutStateStore } from '../../src/model/ports.js';
import { statusOf } from '../../src/model/results.js';
import type { ActionInputs, StageSettings } from '../../src/model/settings.js';
import { parseHistory } from '../../src/release/history.js';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto, useAwsEnv } from '../harness/moto.mjs';

const FUNCTIONS = ['grp-api', 'grp-worker', 'grp-cron'] as const;
const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BROKEN = `export const handler = async () => ({ statusCode: 502, body: 'broken' });\n`;
const CONFIG = 'stages.yml';

class FakeClock implements Clock {
  private time = Date.now();
  onSleep?: () => Promise<void>;
  now(): number {
    return this.time;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.time += ms;
    await this.onSleep?.();
    // Let the other units' requests run while this one "waits".
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  }
}

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), error: (m) => lines.push(`error: ${m}`) };
}

/** A state store as main.ts keeps one: the last thing saved (a list for several units). */
function keptState(): RolloutStateStore & { saved: string; history: string[] } {
  const store = {
    saved: '',
    history: [] as string[],
    save: (state: RolloutState) => {
      store.saved = JSON.stringify(state);
      store.history.push(store.saved);
    },
    clear: () => {
      store.saved = '';
      store.history.push('');
    },
    saveUnits: (states: RolloutState[]) => {
      store.saved = states.length === 0 ? '' : JSON.stringify(states);
      store.history.push(store.saved);
    },
  };
  return store;
}

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let restoreEnv: () => void;
const endpoints = new Map<string, Awaited<ReturnType<typeof startEndpoint>>>();

function environment(): RunEnvironment {
  return {
    workspace,
    tempDir: join(workspace, 'tmp'),
    env: { ...awsEnv(proxy.endpoint) },
    context: { commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', runId: '77' },
    timing: { gateIntervalMs: 1000 },
  };
}

function inputs(stage: string, extra: Partial<ActionInputs> = {}): ActionInputs {
  return { stage, command: 'deploy', config: CONFIG, configRequired: true, overrides: {}, dryRun: false, force: false, ...extra };
}

/** Each function's zip under the workspace (relative path, as a per-function `artifact` key gives it). */
function zips(code: Partial<Record<(typeof FUNCTIONS)[number], string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const fn of FUNCTIONS) {
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': code[fn] ?? handler('one') });
    out[fn] = zip.slice(workspace.length + 1);
  }
  return out;
}

/** The stage's units as part 1's resolveStageUnits will give them: the stage's settings with each function's own over them. */
async function units(stage: string, artifacts: Record<string, string> = {}): Promise<StageSettings[]> {
  const env = environment();
  // The stage's own settings: read as status reads them (a deploy without code is refused while resolving; each unit gets its artifact below).
  const base = resolveSettings(inputs(stage, { command: 'status' }), await loadConfig(inputs(stage), env), env);
  return FUNCTIONS.map((fn) => ({
    ...base,
    functionName: fn,
    ...(artifacts[fn] !== undefined && { artifact: artifacts[fn] }),
    ...(base.smoke !== undefined && { smoke: { ...base.smoke, url: `${endpoints.get(`${fn}:${base.alias}`)?.url ?? ''}/health` } }),
  }));
}

async function run(input: ActionInputs, target: StageSettings[], ports: { clock?: Clock; log?: Log; state?: RolloutStateStore; signal?: AbortSignal } = {}) {
  const env = environment();
  const outcome: RunOutcome = await runCommand(input, await loadConfig(input, env), target, env, {
    log: ports.log ?? recordingLog(),
    clock: ports.clock ?? new FakeClock(),
    ...(ports.state && { state: ports.state }),
    ...(ports.signal && { signal: ports.signal }),
  });
  if (outcome.kind !== 'release') throw new Error('expected a release');
  return outcome;
}

async function aliasOf(fn: string, alias: string) {
  const a = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, description: a.Description ?? '' };
}

async function versionsOf(alias: string): Promise<(string | undefined)[]> {
  return Promise.all(FUNCTIONS.map(async (fn) => (await aliasOf(fn, alias)).version));
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  restoreEnv = useAwsEnv(proxy.endpoint);
  workspace = mkdtempSync(join(tmpdir(), 'group-release-'));
  mkdirSync(join(workspace, 'build'));
  mkdirSync(join(workspace, 'tmp'));
  lambda = lambdaClient(moto.endpoint);
  for (const fn of FUNCTIONS) {
    await createFunction(proxy.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
    for (const alias of ['dev', 'prod']) endpoints.set(`${fn}:${alias}`, await startEndpoint({ awsEndpoint: moto.endpoint, functionName: fn, alias, codeRoots: [workspace] }));
  }
  writeFileSync(
    join(workspace, CONFIG),
    `defaults:
  function: grp-api
  region: us-east-1
stages:
  dev:
    smoke: { url: "http://127.0.0.1:9/health", attempts: 2, interval: 1s, timeout: 5s }
  prod:
    traffic: canary 10% 5m
    smoke: { url: "http://127.0.0.1:9/health", attempts: 2, interval: 1s, timeout: 5s }
`,
  );
}, 60_000);

afterAll(async () => {
  for (const endpoint of endpoints.values()) await endpoint.stop();
  lambda?.destroy();
  restoreEnv?.();
  await proxy?.stop();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('a stage of three functions released as one', () => {
  it('deploys all three: every alias created on version 1, each smoke-tested, one result per unit', async () => {
    const state = keptState();
    const outcome = await run(inputs('dev'), await units('dev', zips({})), { state });
    expect(outcome.units.map((u) => [u.settings.functionName, u.result.kind, u.result.kind === 'released' ? u.result.version : undefined])).toEqual([
      ['grp-api', 'released', '1'],
      ['grp-worker', 'released', '1'],
      ['grp-cron', 'released', '1'],
    ]);
    expect(statusOf(outcome.result)).toBe('deployed');
    expect(await versionsOf('dev')).toEqual(['1', '1', '1']);
    // The saved state held every shift in progress at once, and is empty at the end.
    expect(state.history.some((s) => s.startsWith('[') && (JSON.parse(s) as unknown[]).length === 3)).toBe(true);
    expect(state.saved).toBe('');
    // One release: the same release time in every alias's history.
    const times = await Promise.all(FUNCTIONS.map(async (fn) => parseHistory((await aliasOf(fn, 'dev')).description)[0]?.releasedAt));
    expect(new Set(times).size).toBe(1);
  });

  it('an all-unchanged stage is unchanged, with no publish and no alias write', async () => {
    proxy.reset();
    const outcome = await run(inputs('dev'), await units('dev', zips({})));
    expect(outcome.units.map((u) => u.result.kind)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(statusOf(outcome.result)).toBe('unchanged');
    expect(proxy.counts().PublishVersion ?? 0).toBe(0);
    expect(proxy.counts().UpdateAlias ?? 0).toBe(0);
  });

  it("one function's failing smoke test puts every alias back, the first function's result says the stage failed", async () => {
    proxy.reset();
    const state = keptState();
    const outcome = await run(inputs('dev'), await units('dev', zips({ 'grp-api': handler('two'), 'grp-worker': BROKEN, 'grp-cron': handler('two') })), { state });
    expect(await versionsOf('dev')).toEqual(['1', '1', '1']);
    const [api, worker, cron] = outcome.units.map((u) => u.result);
    expect(worker?.kind).toBe('reverted');
    expect(api?.kind).toBe('reverted');
    expect(cron?.kind).toBe('reverted');
    expect(statusOf(outcome.result)).toBe('rolled-back');
    expect(outcome.result.kind === 'reverted' && outcome.result.error).toMatch(/grp-worker failed: .*502/);
    // Every alias moved to version 2 and back: one shift and one restore each.
    const aliasWrites = proxy.calls.filter((c) => c.operation === 'UpdateAlias');
    expect(aliasWrites).toHaveLength(6);
    expect(state.saved).toBe('');
  });

  it("one function's publish failing shifts none: no alias is written at all", async () => {
    proxy.reset();
    proxy.failOperationFor('PublishVersion', 'grp-cron');
    const outcome = await run(inputs('dev'), await units('dev', zips({ 'grp-api': handler('three'), 'grp-worker': handler('three'), 'grp-cron': handler('three') })));
    expect(await versionsOf('dev')).toEqual(['1', '1', '1']);
    expect(proxy.calls.filter((c) => c.operation === 'UpdateAlias' || c.operation === 'CreateAlias')).toEqual([]);
    expect(outcome.units.map((u) => u.result.kind)).toEqual(['not-shifted', 'not-shifted', 'not-shifted']);
    expect(statusOf(outcome.result)).toBe('failed');
    expect(outcome.units[2]?.result.kind === 'not-shifted' && outcome.units[2].result.error).toMatch(/CodeStorageExceeded|maximum total code size/);
    expect(outcome.units[0]?.result.kind === 'not-shifted' && outcome.units[0].result.error).toMatch(/grp-cron failed/);
  });

  it('bad input in one function is refused before anything changes in any', async () => {
    proxy.reset();
    const target = await units('dev', zips({ 'grp-api': handler('four') }));
    (target[1] as StageSettings).functionName = 'grp-missing';
    await expect(run(inputs('dev'), target)).rejects.toThrow(/grp-missing/);
    const writes = proxy.calls.filter((c) => c.method !== 'GET' && c.operation !== 'Invoke');
    expect(writes).toEqual([]);
  });

  it('a release that changes only one function records the release in every alias; rollback returns to the previous release, not to older versions', async () => {
    // Release 2: all three change (versions 2 each... ), then release 3 changes only grp-api.
    const release2 = await run(inputs('dev'), await units('dev', zips({ 'grp-api': handler('r2'), 'grp-worker': handler('r2'), 'grp-cron': handler('r2') })));
    expect(statusOf(release2.result)).toBe('deployed');
    const r2 = await versionsOf('dev');
    const release3 = await run(inputs('dev'), await units('dev', zips({ 'grp-api': handler('r3'), 'grp-worker': handler('r2'), 'grp-cron': handler('r2') })));
    expect(release3.units.map((u) => u.result.kind)).toEqual(['released', 'unchanged', 'unchanged']);
    const r3 = await versionsOf('dev');
    expect(r3.slice(1)).toEqual(r2.slice(1));
    expect(r3[0]).not.toBe(r2[0]);
    // The unchanged aliases recorded release 3 too: the same release time as grp-api's entry.
    const heads = await Promise.all(FUNCTIONS.map(async (fn) => parseHistory((await aliasOf(fn, 'dev')).description)[0]));
    expect(new Set(heads.map((h) => h?.releasedAt)).size).toBe(1);

    proxy.reset();
    const back = await run(inputs('dev', { command: 'rollback' }), await units('dev'));
    expect(statusOf(back.result)).toBe('rolled-back');
    expect(await versionsOf('dev')).toEqual(r2);
    expect(back.units.map((u) => u.result.kind)).toEqual(['released', 'unchanged', 'unchanged']);
  });

  it('to-version is refused for a stage of several functions, naming them', async () => {
    await expect(run(inputs('dev', { command: 'rollback', toVersion: '1' }), await units('dev'))).rejects.toThrow(/to-version: "1" names one version.*grp-api, grp-worker, grp-cron/);
  });

  it('a canary moves all three step by step together; a cancel mid-hold puts every alias back', async () => {
    // prod's first release (all at once: nothing to split with), then a canary of new code.
    expect(statusOf((await run(inputs('prod'), await units('prod', zips({ 'grp-api': handler('c1'), 'grp-worker': handler('c1'), 'grp-cron': handler('c1') })))).result)).toBe('deployed');
    const before = await versionsOf('prod');
    const c2 = zips({ 'grp-api': handler('c2'), 'grp-worker': handler('c2'), 'grp-cron': handler('c2') });
    const clock = new FakeClock();
    const cancel = new AbortController();
    const state = keptState();
    let midShift: string[] = [];
    let sawSplit: Record<string, number>[] = [];
    clock.onSleep = async () => {
      if (cancel.signal.aborted) return;
      // Every alias holds 10% before any of them goes further.
      const aliases = await Promise.all(FUNCTIONS.map((fn) => aliasOf(fn, 'prod')));
      // Several units sleep at once: a look that ends after another one cancelled would take the
      // state as the restore is emptying it.
      if (cancel.signal.aborted) return;
      if (aliases.every((a) => Object.keys(a.weights).length === 1)) {
        sawSplit = aliases.map((a) => a.weights);
        midShift = [state.saved];
        cancel.abort('SIGTERM');
      }
    };
    const outcome = await run(inputs('prod'), await units('prod', c2), { clock, state, signal: cancel.signal });
    expect(sawSplit).toHaveLength(3);
    expect(sawSplit.every((w) => Object.values(w)[0] === 0.1)).toBe(true);
    expect(outcome.units.map((u) => u.result.kind)).toEqual(['reverted', 'reverted', 'reverted']);
    expect(await versionsOf('prod')).toEqual(before);
    // What the post step would have had: all three shifts in progress.
    expect((JSON.parse(midShift[0] ?? '[]') as RolloutState[]).map((s) => s.functionName).sort()).toEqual([...FUNCTIONS].sort());
  });

  it("the post step puts back every alias a killed group left, each only when it is as its shift left it", async () => {
    // A completed canary left as the last step leaves it: the saved list of three, taken mid-shift.
    const clock = new FakeClock();
    const state = keptState();
    let saved = '';
    clock.onSleep = async () => {
      if (state.saved.startsWith('[') && (JSON.parse(state.saved) as unknown[]).length === 3) saved ||= state.saved;
    };
    const before = await versionsOf('prod');
    const outcome = await run(inputs('prod'), await units('prod', zips({ 'grp-api': handler('c3'), 'grp-worker': handler('c3'), 'grp-cron': handler('c3') })), { clock, state });
    expect(statusOf(outcome.result)).toBe('deployed');
    const after = await versionsOf('prod');
    expect(after).not.toEqual(before);
    // As if the run had died after the last step: the post step restores all three.
    const targets = FUNCTIONS.map((fn) => ({ functionName: fn, alias: 'prod', region: 'us-east-1' }));
    const log = recordingLog();
    expect(await cleanUp(saved, targets, log)).toBe('restored');
    expect(await versionsOf('prod')).toEqual(before);
    // A list naming another alias changes nothing.
    const foreign = JSON.stringify([...(JSON.parse(saved) as RolloutState[]), { ...(JSON.parse(saved) as RolloutState[])[0], alias: 'dev' }]);
    expect(await cleanUp(foreign, targets, log)).toBe('refused');
  });
});

describe("a stage of ten functions and Lambda's control-plane rate", () => {
  const TEN = Array.from({ length: 10 }, (_, i) => `grp-rate-${i}`);

  /** The most requests that count against the quota (all but GetFunction and Invoke) that reached the proxy within any one second. */
  function peakPerSecond(): number {
    const times = proxy.calls
      .filter((c) => c.service === 'lambda' && !['GetFunction', 'Invoke', 'DownloadCode'].includes(c.operation))
      .map((c) => c.startedAt)
      .sort((a, b) => a - b);
    let peak = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      peak = Math.max(peak, i - j + 1);
    }
    return peak;
  }

  it('deploys ten functions at once without more than 15 (the quota; 10 is the action\'s own bound) such requests in any second', async () => {
    for (const fn of TEN) await createFunction(proxy.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
    const env = environment();
    const base = resolveSettings(inputs('dev', { command: 'status' }), await loadConfig(inputs('dev'), env), env);
    const { smoke: _smoke, ...plain } = base;
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler('rate') }).slice(workspace.length + 1);
    const target = TEN.map((fn) => ({ ...plain, functionName: fn, artifact: zip }));
    // Each run on its own (a run's limiter knows its own requests): a first release, then new code on all ten.
    proxy.reset();
    const first = await run(inputs('dev'), target);
    expect(first.units.map((u) => u.result.kind)).toEqual(TEN.map(() => 'released'));
    const firstPeak = peakPerSecond();
    proxy.reset();
    const zip2 = makeZip(join(workspace, 'build'), { 'index.mjs': handler('rate 2') }).slice(workspace.length + 1);
    const second = await run(inputs('dev'), target.map((t) => ({ ...t, artifact: zip2 })));
    expect(second.units.map((u) => u.result.kind)).toEqual(TEN.map(() => 'released'));
    const counted = proxy.calls.filter((c) => c.service === 'lambda' && !['GetFunction', 'Invoke'].includes(c.operation)).length;
    // Enough requests that, unbounded, they would come far faster than 15 a second against moto
    // (reads go through GetFunction, which the quota leaves out: about 4 counted calls a function).
    expect(counted).toBeGreaterThan(30);
    expect(Math.max(firstPeak, peakPerSecond())).toBeLessThanOrEqual(10);
  }, 120_000);
});
