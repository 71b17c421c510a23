/**
 * A release of several units (group.ts with rollout.ts): no smoke test runs before every alias is
 * on its new version, so that a function's smoke test, which may go through the others, sees the
 * whole release. One unit's alias write is held back; the other's smoke test waits for it.
 */
import { describe, expect, it } from 'vitest';

import { ReleaseGroup } from '../../../src/release/group.js';
import { shiftAndVerify, type ShiftRequest } from '../../../src/release/rollout.js';
import { Timeline } from '../../../src/release/timeline.js';
import { FakeClock, FakeLambda, FakeSmoke, RecordingLog, stageSettings } from '../fakes.js';

function unit(name: string, group: ReleaseGroup, smoke: boolean[] = [true]) {
  const lambda = new FakeLambda(name);
  lambda.versions.push({ ...lambda.latest, version: '1' }, { ...lambda.latest, version: '2' });
  lambda.aliases.set('dev', { name: 'dev', arn: `arn:${name}:dev`, version: '1', description: '', weights: {}, revisionId: 'a0' });
  const clock = new FakeClock();
  const member = group.member(name);
  const checker = new FakeSmoke(smoke);
  const settings = stageSettings('dev', { functionName: name }, { url: `https://dev.example.com/${name}` });
  const request: ShiftRequest = { settings, before: lambda.aliases.get('dev'), toVersion: '2', traffic: settings.traffic, progressive: true, description: 'd' };
  const deps = { lambda, smoke: checker, log: new RecordingLog(), timeline: new Timeline(clock), clock, signal: member.signal, group: member };
  return { lambda, checker, member, run: () => shiftAndVerify(request, deps).finally(() => member.leave()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the smoke tests of a release of several units', () => {
  it('wait until every alias is on its new version', async () => {
    const group = new ReleaseGroup(['api', 'worker']);
    const api = unit('api', group);
    const worker = unit('worker', group);
    // The worker's alias write hangs until let go.
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const update = worker.lambda.updateAlias.bind(worker.lambda);
    worker.lambda.updateAlias = async (...args) => {
      await held;
      return update(...args);
    };
    const runs = Promise.all([api.run(), worker.run()]);
    await tick();
    expect(api.lambda.aliases.get('dev')?.version).toBe('2');
    expect(api.checker.checks).toEqual([]);
    letGo();
    const [a, w] = await runs;
    expect(a.ok && w.ok).toBe(true);
    expect(api.checker.checks).toHaveLength(1);
    expect(worker.checker.checks).toHaveLength(1);
  });

  it('do not run when another unit fails its shift: every alias goes back', async () => {
    const group = new ReleaseGroup(['api', 'worker']);
    const api = unit('api', group);
    const worker = unit('worker', group);
    worker.lambda.failWhen = (op) => op === 'updateAlias';
    const [a, w] = await Promise.all([api.run(), worker.run()]);
    expect(a.ok || w.ok).toBe(false);
    expect(api.checker.checks).toEqual([]);
    expect(api.lambda.aliases.get('dev')?.version).toBe('1');
    expect(worker.lambda.aliases.get('dev')?.version).toBe('1');
  });
});
