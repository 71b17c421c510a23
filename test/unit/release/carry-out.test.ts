/**
 * Carrying out a plan: the traffic, the checks and the history are the plan's, whatever the
 * stage's strategy says. Driven through the commands, on fakes and a fake clock.
 */
import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import { rollback } from '../../../src/commands/rollback.js';
import { parseHistory } from '../../../src/release/history.js';
import { FakeClock, FakeLambda, FakeSmoke, fakeArtifact, RecordingLog, stageSettings } from '../fakes.js';

const canaryStage = stageSettings('dev', { traffic: { kind: 'canary', percent: 10, waitMs: 60_000 } }, { invoke: true });

const artifact = (sha: string) => fakeArtifact(sha);

function world() {
  const lambda = new FakeLambda();
  for (const sha of ['aaa', 'bbb']) lambda.codeBySource.set(`/tmp/${sha}.zip`, `${sha}=`);
  const log = new RecordingLog();
  const clock = new FakeClock();
  const deps = { lambda, smoke: new FakeSmoke([true]), log, clock, gateIntervalMs: 10_000 };
  return { lambda, log, clock, deps };
}
const ctx = (commit: string) => ({ commit, runId: '1' });

describe('carrying out a plan', () => {
  it('a first release goes all at once, whatever the strategy, and says why', async () => {
    const w = world();
    const result = await deploy(canaryStage, artifact('aaa'), w.deps, ctx('c1'));
    expect(result.kind).toBe('released');
    if (result.kind !== 'released') return;
    expect(result.checks.traffic.map((p) => p.percent)).toEqual([100]);
    expect(w.lambda.calls.filter((c) => c.endsWith('Alias') && !c.startsWith('get'))).toEqual(['createAlias']);
    expect(w.log.lines).toContain('info: First release of alias dev: no earlier version to split traffic with, so all at once.');
    expect(w.clock.sleeps).toEqual([]);
  });

  it('a later release follows the stage\'s strategy, held on the fake clock, and records the time it shifted', async () => {
    const w = world();
    await deploy(canaryStage, artifact('aaa'), w.deps, ctx('c1'));
    const start = w.clock.now();
    const result = await deploy(canaryStage, artifact('bbb'), w.deps, ctx('c2'));
    expect(result.kind).toBe('released');
    if (result.kind !== 'released') return;
    expect(result.checks.traffic.map((p) => p.percent)).toEqual([10, 100]);
    expect(result.checks.traffic[1]!.atMs - result.checks.traffic[0]!.atMs).toBe(60_000);
    expect(result.checks.invoke?.ok).toBe(true);
    // Six gate intervals of 10 s, on the fake clock only.
    expect(w.clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
    expect(w.clock.now() - start).toBe(60_000);
    // The release time is the clock's when the history is written, before the hold.
    expect(parseHistory(w.lambda.aliases.get('dev')?.description)[0]).toEqual({ version: '2', commit: 'c2', releasedAt: start / 1000 });
  });

  it('a rollback moves all at once, with no invoke check and no hold, and returns the history', async () => {
    const w = world();
    await deploy(canaryStage, artifact('aaa'), w.deps, ctx('c1'));
    await deploy(canaryStage, artifact('bbb'), w.deps, ctx('c2'));
    w.clock.sleeps = [];
    w.lambda.invocations = [];
    const result = await rollback(canaryStage, undefined, w.deps);
    expect(result.kind).toBe('released');
    if (result.kind !== 'released') return;
    expect(result.version).toBe('1');
    expect(result.checks.traffic.map((p) => p.percent)).toEqual([100]);
    expect(result.checks.invoke).toBeUndefined();
    expect(w.lambda.invocations).toEqual([]);
    expect(w.clock.sleeps).toEqual([]);
    // History only grows: the rollback is a new entry, marked with the release it left.
    expect(parseHistory(w.lambda.aliases.get('dev')?.description).map((r) => [r.version, r.rolledBackFrom])).toEqual([
      ['1', '2'],
      ['2', undefined],
      ['1', undefined],
    ]);
  });
});

describe('the fake clock', () => {
  it('moves only when slept on or advanced; a sleep on an aborted signal rejects and moves nothing', async () => {
    const clock = new FakeClock(1_000);
    expect(clock.now()).toBe(1_000);
    await clock.sleep(250);
    clock.advance(50);
    expect(clock.now()).toBe(1_300);
    const aborted = new AbortController();
    aborted.abort(new Error('SIGTERM'));
    await expect(clock.sleep(10_000, aborted.signal)).rejects.toThrow('SIGTERM');
    const later = new AbortController();
    const pending = clock.sleep(10_000, later.signal);
    later.abort('SIGINT');
    await expect(pending).rejects.toThrow('aborted (SIGINT)');
    expect(clock.now()).toBe(1_300);
  });
});
