/**
 * Two runs never clobber each other (issue 12): every alias write is conditional on the alias
 * being as this run last saw it; a refused write leaves the alias as the other release made it
 * and says what it found; what is published is checked before it takes traffic.
 */
import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import type { AliasState } from '../../../src/model/lambda.js';
import type { RolloutState, SmokeChecker } from '../../../src/model/ports.js';
import type { SmokeResult } from '../../../src/model/results.js';
import type { SmokeSettings, StageSettings } from '../../../src/model/settings.js';
import { describeFailedShift, restoreFromState, shiftAndVerify, type ShiftRequest } from '../../../src/release/rollout.js';
import { Timeline } from '../../../src/release/timeline.js';
import { FakeClock, FakeLambda, fakeArtifact, RecordingLog, stageSettings } from '../fakes.js';

/** The other run's release: version 3 of commit abc1234def, written over whatever was there. */
const otherRelease = (alias: string): AliasState => ({
  name: alias,
  arn: `arn:${alias}`,
  version: '3',
  description: 'stage-deploy {"r":[["3","abc1234def",9],["1","c1",1]]}',
  weights: {},
  revisionId: 'other-run',
});

/** A smoke check that fails, after running `meanwhile` (another run moving the alias). */
class SmokeMeanwhile implements SmokeChecker {
  constructor(
    private readonly meanwhile: () => void,
    private readonly ok = false,
  ) {}
  async check(smoke: SmokeSettings): Promise<SmokeResult> {
    this.meanwhile();
    const status = this.ok ? 200 : 502;
    return {
      ok: this.ok,
      attempts: [{ attempt: 1, method: 'GET', url: smoke.url, status, latencyMs: 5, bodyExcerpt: '', ok: this.ok }],
      summary: `GET ${smoke.url} → ${status} on 1 of 1 attempts`,
    };
  }
}

function world(options: { before: boolean; over?: Partial<StageSettings>; meanwhile?: (lambda: FakeLambda) => void }) {
  const lambda = new FakeLambda();
  lambda.versions.push({ ...lambda.latest, version: '1' }, { ...lambda.latest, version: '2' }, { ...lambda.latest, version: '3' });
  if (options.before) {
    lambda.aliases.set('prod', { name: 'prod', arn: 'arn:prod', version: '1', description: 'stage-deploy {"r":[["1","c1",1]]}', weights: {}, revisionId: 'a0' });
  }
  const log = new RecordingLog();
  const clock = new FakeClock();
  const saved: (RolloutState | null)[] = [];
  const stage = stageSettings('prod', options.over ?? {});
  const deps = {
    lambda,
    smoke: new SmokeMeanwhile(() => options.meanwhile?.(lambda)),
    log,
    timeline: new Timeline(clock),
    clock,
    gateIntervalMs: 10_000,
    state: { save: (s: RolloutState) => saved.push(s), clear: () => saved.push(null) },
  };
  const request: ShiftRequest = {
    settings: stage,
    before: lambda.aliases.get('prod'),
    toVersion: '2',
    traffic: stage.traffic,
    progressive: true,
    description: 'stage-deploy {"r":[["2","c2",2],["1","c1",1]]}',
  };
  return { lambda, log, deps, request, saved };
}

const writes = (lambda: FakeLambda) => lambda.calls.filter((c) => ['updateAlias', 'createAlias', 'deleteAlias'].includes(c));

describe('the restore is conditional on the alias as this run left it', () => {
  it('passes the revision this run last wrote: put back when nobody moved the alias', async () => {
    const w = world({ before: true });
    let revisionSent: string | undefined;
    const update = w.lambda.updateAlias.bind(w.lambda);
    w.lambda.updateAlias = async (fn, alias, target) => {
      revisionSent = target.revisionId;
      return update(fn, alias, target);
    };
    const written = { revision: '' };
    w.deps.smoke = new SmokeMeanwhile(() => (written.revision = w.lambda.aliases.get('prod')!.revisionId!));
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome).toMatchObject({ ok: false, restored: { to: '1' } });
    expect(revisionSent).toBe(written.revision);
    expect(w.lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
  });

  it('refused when another release moved the alias meanwhile: nothing is overwritten, the message says what it found', async () => {
    const w = world({ before: true, meanwhile: (lambda) => lambda.aliases.set('prod', otherRelease('prod')) });
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.repair).toBeUndefined();
    expect(outcome.restored).toMatchObject({ superseded: true, found: { version: '3' } });
    // The other run's release is live, untouched.
    expect(w.lambda.aliases.get('prod')).toEqual(otherRelease('prod'));
    expect(describeFailedShift(outcome, w.request)).toBe(
      'GET https://prod.example.com/health → 502 on 1 of 1 attempts; another release moved alias prod to version 3 (commit abc1234) ' +
        'while this run checked version 2; version 2 is not live, nothing was put back',
    );
    expect(w.saved.at(-1)).toBeNull();
  });

  it('a first deploy removes only the alias it created: not one another run has moved since', async () => {
    const w = world({ before: false, meanwhile: (lambda) => lambda.aliases.set('prod', otherRelease('prod')) });
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    expect(writes(w.lambda)).toEqual(['createAlias']);
    expect(w.lambda.aliases.get('prod')).toEqual(otherRelease('prod'));
    if (outcome.ok) return;
    expect(describeFailedShift(outcome, w.request)).toContain('another release moved alias prod to version 3 (commit abc1234) while this run checked version 2');
  });

  it('a first deploy still removes the alias it created when nobody touched it', async () => {
    const w = world({ before: false });
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome).toMatchObject({ ok: false, restored: { removed: true } });
    expect(writes(w.lambda)).toEqual(['createAlias', 'deleteAlias']);
    expect(w.lambda.aliases.has('prod')).toBe(false);
  });
});

describe('the shift itself refused', () => {
  it('a canary step refused because the alias moved during the hold: left as found, no restore', async () => {
    const w = world({ before: true, over: { traffic: { kind: 'canary', percent: 10, waitMs: 60_000 } } });
    // The other run moves the alias while this one holds 10%.
    const sleep = w.deps.clock.sleep.bind(w.deps.clock);
    w.deps.clock.sleep = async (ms, signal) => {
      w.lambda.aliases.set('prod', otherRelease('prod'));
      return sleep(ms, signal);
    };
    const outcome = await shiftAndVerify({ ...w.request, traffic: w.request.settings.traffic }, w.deps);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(writes(w.lambda)).toEqual(['updateAlias', 'updateAlias']);
    expect(w.lambda.aliases.get('prod')).toEqual(otherRelease('prod'));
    expect(describeFailedShift(outcome, w.request)).toBe(
      'the shift was refused; another release moved alias prod to version 3 (commit abc1234) while this run shifted to version 2; ' +
        'version 2 is not live, nothing was put back',
    );
  });

  it('a first deploy whose CreateAlias finds the alias already there never deletes it', async () => {
    const w = world({ before: false });
    // Another first deploy won the race after this run read "no alias".
    w.lambda.aliases.set('prod', otherRelease('prod'));
    const outcome = await shiftAndVerify(w.request, w.deps);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(writes(w.lambda)).toEqual(['createAlias']);
    expect(w.lambda.aliases.get('prod')).toEqual(otherRelease('prod'));
    expect(describeFailedShift(outcome, w.request)).toBe(
      'creating the alias was refused; another release created alias prod on version 3 (commit abc1234) while this run created it for version 2; ' +
        'version 2 is not live, nothing was removed',
    );
  });
});

describe('the post step', () => {
  it('a restore refused because the alias moved after it was judged is left alone with a warning', async () => {
    const lambda = new FakeLambda();
    lambda.aliases.set('prod', { name: 'prod', arn: 'arn:prod', version: '2', description: 'd2', weights: {}, revisionId: 'mine' });
    const state: RolloutState = {
      functionName: 'notes-api',
      alias: 'prod',
      toVersion: '2',
      toDescription: 'd2',
      before: { version: '1', weights: {}, description: 'd1' },
    };
    // Another run writes between this step's read and its UpdateAlias.
    const get = lambda.getAlias.bind(lambda);
    let reads = 0;
    lambda.getAlias = async (fn, alias) => {
      const found = await get(fn, alias);
      if (++reads === 1) lambda.aliases.set('prod', otherRelease('prod'));
      return found;
    };
    const log = new RecordingLog();
    expect(await restoreFromState(state, lambda, log)).toBe('refused');
    expect(lambda.aliases.get('prod')).toEqual(otherRelease('prod'));
    expect(log.lines.join('\n')).toContain('another release moved alias prod to version 3 (commit abc1234) while this run checked version 2');
  });
});

describe('what is published is checked before it takes traffic', () => {
  it('settings changed on $LATEST by another release before PublishVersion: not shifted, the settings named', async () => {
    const lambda = new FakeLambda();
    lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    // dev and prod of one function deployed at the same moment: prod's settings land between
    // this run's update and its publish.
    const publish = lambda.publishVersion.bind(lambda);
    lambda.publishVersion = async (fn, options) => {
      lambda.latest = { ...lambda.latest, environment: { ...lambda.latest.environment, TABLE: 'notes-prod' }, memorySize: 512 };
      return publish(fn, options);
    };
    const log = new RecordingLog();
    const stage = stageSettings('dev', { environment: { TABLE: 'notes-dev' }, memorySize: 256 });
    const result = await deploy(stage, fakeArtifact('aaa'), { lambda, smoke: new SmokeMeanwhile(() => {}, true), log, clock: new FakeClock() }, { commit: 'c1', runId: '1' });
    expect(result.kind).toBe('not-shifted');
    if (result.kind !== 'not-shifted') return;
    expect(result.error).toBe(
      'dev: publishing failed, nothing was shifted: another release of notes-api changed $LATEST at the same time: ' +
        'version 1 has environment.TABLE=notes-prod, not notes-dev; memory-size=512, not 256',
    );
    expect(writes(lambda)).toEqual([]);
    expect(lambda.aliases.has('dev')).toBe(false);
  });

  it('a publish that carries exactly the intended code and settings goes on', async () => {
    const lambda = new FakeLambda();
    lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const stage = stageSettings('dev', { environment: { TABLE: 'notes-dev' } });
    const result = await deploy(stage, fakeArtifact('aaa'), { lambda, smoke: new SmokeMeanwhile(() => {}, true), log: new RecordingLog(), clock: new FakeClock() }, { commit: 'c1', runId: '1' });
    expect(result.kind).toBe('released');
  });
});

describe("$LATEST's writes are conditional on the revision read", () => {
  it("fails the release, publishing nothing, when another run changed $LATEST's settings after it was read", async () => {
    const lambda = new FakeLambda();
    lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const settings = stageSettings('dev', { environment: { TABLE: 'notes-dev' } });
    const result = await deploy(settings, fakeArtifact('aaa'), {
      lambda,
      smoke: new SmokeMeanwhile(() => undefined, true),
      log: new RecordingLog(),
      clock: new FakeClock(),
      // Just before the first write: prod's release of the same function changes $LATEST.
      beforeChange: async () => {
        lambda.latest = { ...lambda.latest, environment: { TABLE: 'notes-prod' }, revisionId: 'prod-run' };
      },
    }, { commit: '', runId: '' });
    expect(result.kind).toBe('not-shifted');
    expect('error' in result && result.error).toMatch(/^dev: publishing failed, nothing was shifted: PreconditionFailedException/);
    // prod's change is not overwritten, and nothing was published or shifted.
    expect(lambda.latest.environment).toEqual({ TABLE: 'notes-prod' });
    expect(lambda.versions).toEqual([]);
    expect(lambda.aliases.size).toBe(0);
  });
});
