/**
 * The composition root (src/app.ts), in-process: loadConfig → resolveSettings → runCommand with a
 * fake clock, against a real moto (behind the proxy, which keeps LoggingConfig as Lambda does) and
 * a local endpoint that runs whichever version an alias points at. The fake clock moves only when
 * slept on, so a canary held 5 minutes finishes at once while its traffic points show the hold.
 * The tests run in order and build on each other's releases, like a stage's history.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetAliasCommand, UpdateAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cleanUp, loadConfig, resolveSettings, runCommand, type RunEnvironment, type RunOutcome } from '../../src/app.js';
import type { ActionInputs } from '../../src/model/settings.js';
import type { Clock, Log, RolloutState, RolloutStateStore } from '../../src/model/ports.js';
import { statusOf, type ReleaseResult } from '../../src/model/results.js';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, lambdaClient, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto, useAwsEnv } from '../harness/moto.mjs';

const FN = 'app-notes';
const ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FN}`;
const handler = (release: string) =>
  `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;
const BROKEN = `gibberish;\nexport const handler = async () => ({ statusCode: 200, body: '{"status":"ok"}' });\n`;
const CONFIG = 'stages.yml';
const FIVE_MINUTES = 5 * 60_000;

/** Time that moves only when slept on; `onSleep` runs at each sleep (to look at the world mid-hold, or let I/O settle). */
class FakeClock implements Clock {
  readonly slept: number[] = [];
  readonly startedAt: number;
  onSleep?: () => Promise<void>;
  private time: number;

  constructor(start = Date.now()) {
    this.time = start;
    this.startedAt = start;
  }

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    this.slept.push(ms);
    this.time += ms;
    await this.onSleep?.();
  }
}

function recordingLog(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
  };
}

function recordingState(): RolloutStateStore & { calls: (['save', RolloutState] | ['clear'])[] } {
  const calls: (['save', RolloutState] | ['clear'])[] = [];
  return { calls, save: (state) => calls.push(['save', structuredClone(state)]), clear: () => calls.push(['clear']) };
}

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let restoreEnv: () => void;
let devEndpoint: Awaited<ReturnType<typeof startEndpoint>>;
let prodEndpoint: Awaited<ReturnType<typeof startEndpoint>>;

function environment(): RunEnvironment {
  return {
    workspace,
    tempDir: join(workspace, 'tmp'),
    env: { ...awsEnv(proxy.endpoint) },
    context: { commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', runId: '4242' },
    timing: {},
  };
}

/** A zip of one handler under the workspace (relative path, as the artifact input gives it). */
function artifact(code: string): { path: string; sha: string } {
  const zip = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return { path: zip.slice(workspace.length + 1), sha: codeSha256(zip) };
}

function inputs(stage: string, extra: Partial<ActionInputs> = {}): ActionInputs {
  return { stage, command: 'deploy', config: CONFIG, configRequired: true, overrides: {}, dryRun: false, force: false, ...extra };
}

/** The whole of what src/action does with the app, minus @actions/core. */
async function runApp(input: ActionInputs, ports: { clock: Clock; log?: Log; state?: RolloutStateStore }): Promise<RunOutcome> {
  const env = environment();
  const file = await loadConfig(input, env);
  const settings = resolveSettings(input, file, env);
  return runCommand(input, file, settings, env, { log: ports.log ?? recordingLog(), clock: ports.clock, ...(ports.state && { state: ports.state }) });
}

async function release(input: ActionInputs, ports: { clock: Clock; log?: Log; state?: RolloutStateStore }): Promise<ReleaseResult> {
  const outcome = await runApp(input, ports);
  if (outcome.kind !== 'release') throw new Error(`expected a release, got ${outcome.kind}`);
  return outcome.result;
}

async function aliasOf(name: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: FN, Name: name }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {}, description: answer.Description ?? '' };
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.keepLoggingConfig();
  // The app's SDK clients read the endpoint and credentials from the process, as on a runner.
  restoreEnv = useAwsEnv(proxy.endpoint);
  workspace = mkdtempSync(join(tmpdir(), 'app-workspace-'));
  mkdirSync(join(workspace, 'build'));
  mkdirSync(join(workspace, 'tmp'));
  lambda = lambdaClient(moto.endpoint);
  await createFunction(proxy.endpoint, { name: FN, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  devEndpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'dev', codeRoots: [workspace], writeLogs: true });
  prodEndpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: FN, alias: 'prod', codeRoots: [workspace] });
  writeFileSync(
    join(workspace, CONFIG),
    `defaults:
  function: ${FN}
  region: us-east-1
stages:
  dev:
    smoke: { url: "${devEndpoint.url}/health", expect-body: '"status":"ok"', attempts: 3, interval: 2s, timeout: 5s }
  prod:
    environment: { STAGE: prod }
    traffic: canary 10% 5m
    smoke: { url: "${prodEndpoint.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 2s, timeout: 5s }
`,
  );
});

afterAll(async () => {
  await devEndpoint?.stop();
  await prodEndpoint?.stop();
  lambda?.destroy();
  restoreEnv?.();
  await proxy?.stop();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe("app: a stage's life through runCommand", () => {
  const one = () => artifact(handler('one'));
  /** The rollout state the canary saved (a real one, for cleanUp). */
  let canaryState: RolloutState | undefined;
  let prodVersion: string | undefined;
  let canaryVersion: string | undefined;

  it('loadConfig and resolveSettings read the stages file from the workspace', async () => {
    const env = environment();
    // A deploy names its code (resolving refuses one without): the artifact is not read here.
    const input = inputs('prod', { artifact: 'build/function.zip' });
    const file = await loadConfig(input, env);
    const settings = resolveSettings(input, file, env);
    expect(settings).toMatchObject({
      stage: 'prod',
      functionName: FN,
      alias: 'prod',
      region: 'us-east-1',
      environment: { STAGE: 'prod' },
      traffic: { kind: 'canary', percent: 10, waitMs: FIVE_MINUTES },
    });
    expect(settings.smoke?.url).toBe(`${prodEndpoint.url}/health`);
  });

  it('a first deploy of a zip is released: version 1, smoke-tested through the endpoint, state saved then cleared', async () => {
    const zip = one();
    const clock = new FakeClock();
    const state = recordingState();
    const log = recordingLog();
    const result = await release(inputs('dev', { artifact: zip.path }), { clock, state, log });

    expect(result.kind).toBe('released');
    if (result.kind !== 'released') return;
    expect(statusOf(result)).toBe('deployed');
    expect(result).toMatchObject({
      command: 'deploy',
      stage: 'dev',
      functionName: FN,
      alias: 'dev',
      version: '1',
      codeSha256: zip.sha,
      aliasArn: `${ARN}:dev`,
      commit: expect.stringMatching(/^a1b2c3d/),
    });
    expect(result.previousVersion).toBeUndefined();
    expect(result.checks.smoke?.ok).toBe(true);
    expect(result.checks.smoke?.attempts).toHaveLength(1);
    expect(result.checks.traffic).toEqual([{ atMs: 0, percent: 100 }]);
    // The smoke test really reached version 1 through the alias.
    expect(devEndpoint.requests.at(-1)).toMatchObject({ path: '/health', version: '1', status: 200 });
    expect(await aliasOf('dev')).toMatchObject({ version: '1', weights: {} });
    // No github-token: the deployment tracker is skipped, and the log says so.
    expect(log.lines).toContain('No github-token: deployment statuses skipped.');
    // The post step's state: saved before the alias moved (a first release: nothing before), cleared after.
    expect(state.calls).toEqual([
      ['save', { functionName: FN, alias: 'dev', region: 'us-east-1', toVersion: '1', toDescription: expect.any(String), before: null }],
      ['clear'],
    ]);
    // A good first attempt sleeps on nothing.
    expect(clock.slept).toEqual([]);
  });

  it('the same zip again is unchanged: nothing in AWS moves', async () => {
    const zip = one();
    const before = await snapshotFunction(moto.endpoint, FN);
    const state = recordingState();
    const result = await release(inputs('dev', { artifact: zip.path }), { clock: new FakeClock(), state });

    expect(result.kind).toBe('unchanged');
    expect(statusOf(result)).toBe('unchanged');
    expect(result).toMatchObject({ version: '1', previousVersion: '1', codeSha256: zip.sha, aliasArn: `${ARN}:dev` });
    expect(state.calls).toEqual([]);
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });

  it('a dry run of new code plans the release and changes nothing', async () => {
    const zip = artifact(handler('dry'));
    const before = await snapshotFunction(moto.endpoint, FN);
    const served = devEndpoint.requests.length;
    const result = await release(inputs('dev', { artifact: zip.path, dryRun: true }), { clock: new FakeClock() });

    expect(result.kind).toBe('dry-run');
    if (result.kind !== 'dry-run') return;
    expect(statusOf(result)).toBe('unchanged');
    expect(result.version).toBe('1');
    expect(result.previousVersion).toBe('1');
    expect(result.plan).toBeDefined();
    // Read back: no new version, the alias where it was, $LATEST untouched; no smoke request sent.
    const after = await snapshotFunction(moto.endpoint, FN);
    expect(after).toEqual(before);
    expect(after.versions.map((v) => v.Version)).toEqual(['$LATEST', '1']);
    expect(after.aliases.map((a) => [a.Name, a.FunctionVersion])).toEqual([['dev', '1']]);
    expect(after.latest.CodeSha256).not.toBe(zip.sha);
    expect(devEndpoint.requests.length).toBe(served);
  });

  it('a failing smoke test reverts: alias back on 1, the failure diagnosed from the logs', async () => {
    const zip = artifact(BROKEN);
    const clock = new FakeClock();
    // The endpoint writes the run's logs after answering; let them land whenever the app waits.
    clock.onSleep = () => devEndpoint.flush();
    const state = recordingState();
    const result = await release(inputs('dev', { artifact: zip.path }), { clock, state });

    expect(result.kind).toBe('reverted');
    if (result.kind !== 'reverted') return;
    expect(statusOf(result)).toBe('rolled-back');
    expect(result.candidateVersion).toBe('2');
    expect(result.version).toBe('1');
    expect(result.previousVersion).toBe('1');
    expect(result.error).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health → 502 on 3 of 3 attempts; dev rolled back from 2 to 1$/);
    expect(result.checks?.smoke?.attempts.map((a) => a.status)).toEqual([502, 502, 502]);
    expect(result.checks?.traffic.map((p) => p.percent)).toEqual([100, 0]);
    // The retries waited on the fake clock: two intervals of 2 s.
    expect(clock.slept.slice(0, 2)).toEqual([2000, 2000]);
    // Read back: the alias is on 1 again; version 2 was published and reached.
    expect(await aliasOf('dev')).toMatchObject({ version: '1', weights: {} });
    expect(devEndpoint.requests.filter((r) => r.version === '2').map((r) => r.status)).toEqual([502, 502, 502]);
    // Why: the candidate's own error line, from CloudWatch Logs.
    expect(result.diagnosis).toMatchObject({ version: '2', logGroup: `/aws/lambda/${FN}` });
    expect(result.diagnosis?.lines[0]).toContain('ReferenceError: gibberish is not defined');
    expect(state.calls).toEqual([
      ['save', { functionName: FN, alias: 'dev', region: 'us-east-1', toVersion: '2', toDescription: expect.any(String), before: { version: '1', weights: {}, description: expect.any(String) } }],
      ['clear'],
    ]);
  });

  it('prod: a first release goes all at once, whatever its canary', async () => {
    const result = await release(inputs('prod', { artifact: one().path }), { clock: new FakeClock() });
    expect(result.kind).toBe('released');
    expect(result.previousVersion).toBeUndefined();
    expect(result.kind === 'released' && result.checks.traffic).toEqual([{ atMs: 0, percent: 100 }]);
    prodVersion = result.kind === 'released' ? result.version : undefined;
    // prod's own environment makes its own version.
    expect(prodVersion).toBe('3');
    expect(await aliasOf('prod')).toMatchObject({ version: '3', weights: {} });
  });

  it('a canary 10% 5m finishes at once on the fake clock; its traffic points show the 5-minute hold', async () => {
    const zip = artifact(handler('two'));
    const clock = new FakeClock();
    const state = recordingState();
    const log = recordingLog();
    let midHold: Awaited<ReturnType<typeof aliasOf>> | undefined;
    clock.onSleep = async () => {
      midHold ??= await aliasOf('prod');
    };
    const started = performance.now();
    const result = await release(inputs('prod', { artifact: zip.path }), { clock, state, log });
    const realMs = performance.now() - started;

    expect(result.kind).toBe('released');
    if (result.kind !== 'released') return;
    canaryVersion = result.version;
    expect(canaryVersion).toBe('4');
    expect(result.previousVersion).toBe(prodVersion);
    expect(result.codeSha256).toBe(zip.sha);
    expect(result.checks.traffic).toEqual([
      { atMs: 0, percent: 10 },
      { atMs: FIVE_MINUTES, percent: 100 },
    ]);
    expect(result.steps.find((s) => s.name === 'hold 10%')).toMatchObject({ durationMs: FIVE_MINUTES, ok: true });
    // Five minutes of fake time in gate-interval sleeps, in well under a minute of real time.
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBe(FIVE_MINUTES);
    expect(clock.now() - clock.startedAt).toBe(FIVE_MINUTES);
    expect(realMs).toBeLessThan(30_000);
    expect(log.lines).toContain('Traffic plan for version 4: 10% for 5m, then 100%.');
    // During the hold the alias really was split 90/10.
    expect(midHold).toMatchObject({ version: prodVersion, weights: { '4': 0.1 } });
    expect(await aliasOf('prod')).toMatchObject({ version: '4', weights: {} });
    expect(prodEndpoint.requests.at(-1)).toMatchObject({ version: '4', status: 200 });
    expect(state.calls.map((c) => c[0])).toEqual(['save', 'clear']);
    canaryState = state.calls[0]?.[0] === 'save' ? state.calls[0][1] : undefined;
    expect(canaryState).toMatchObject({ functionName: FN, alias: 'prod', toVersion: '4', before: { version: prodVersion, weights: {} } });
  });

  it('status reports both stages of the file, the named one first', async () => {
    const outcome = await runApp(inputs('dev', { command: 'status' }), { clock: new FakeClock() });
    expect(outcome.kind).toBe('status');
    if (outcome.kind !== 'status') return;
    expect(outcome.stages.map((s) => [s.stage, s.alias, s.version, s.aliasArn])).toEqual([
      ['dev', 'dev', '1', `${ARN}:dev`],
      ['prod', 'prod', '4', `${ARN}:prod`],
    ]);
    expect(outcome.stages[1]?.earlier.map((r) => r.version)).toEqual([prodVersion]);
    expect(outcome.stages.every((s) => s.problem === undefined)).toBe(true);
  });

  const prodTarget = { functionName: FN, alias: 'prod', region: 'us-east-1' };

  it('cleanUp puts the alias back from the state a dead run saved', async () => {
    expect(canaryState).toBeDefined();
    const saved = canaryState as RolloutState;
    // As if the run died mid-canary: prod back on the old version with 10% on the new one.
    await lambda.send(
      new UpdateAliasCommand({
        FunctionName: FN,
        Name: 'prod',
        FunctionVersion: saved.before?.version,
        RoutingConfig: { AdditionalVersionWeights: { [saved.toVersion]: 0.1 } },
        Description: saved.before?.description,
      }),
    );
    const log = recordingLog();
    const outcome = await cleanUp(JSON.stringify(saved), prodTarget, log);
    expect(outcome).toBe('restored');
    expect(await aliasOf('prod')).toEqual({ version: prodVersion, weights: {}, description: saved.before?.description });
    expect(log.lines.some((l) => l.includes(`did not finish shifting alias prod of ${FN} to version 4`))).toBe(true);
    // Run again, there is nothing left to undo.
    expect(await cleanUp(JSON.stringify(saved), prodTarget, recordingLog())).toBe('nothing to do');
    // Another stage's post step does not act on it.
    const other = recordingLog();
    expect(await cleanUp(JSON.stringify(saved), { ...prodTarget, alias: 'dev' }, other)).toBe('refused');
    expect(other.lines.join('\n')).toContain("not this step's alias dev");
  });

  it("cleanUp with no saved state (main finished) says so and touches nothing", async () => {
    const before = await snapshotFunction(moto.endpoint, FN);
    const log = recordingLog();
    expect(await cleanUp('', prodTarget, log)).toBe('no shift in progress');
    expect(log.lines).toEqual([]);
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(before);
  });
});
