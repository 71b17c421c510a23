// The rules of a weighted alias (same execution role, same dead-letter queue, published versions
// only): the pure check, and deploy / promote / carry-out refusing before the shift with the reason.
import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import { promote } from '../../../src/commands/promote.js';
import { InputError } from '../../../src/model/errors.js';
import type { StageSettings, TrafficStrategy } from '../../../src/model/settings.js';
import { shiftAndVerify } from '../../../src/release/rollout.js';
import { Timeline } from '../../../src/release/timeline.js';
import { isUnpublished, weightedAliasConflict } from '../../../src/release/weighted-alias.js';
import { FakeClock, FakeLambda, FakeSmoke, fakeArtifact, RecordingLog, stageSettings } from '../fakes.js';

const ROLE_A = 'arn:aws:iam::123456789012:role/notes-a';
const ROLE_B = 'arn:aws:iam::123456789012:role/notes-b';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:notes-dlq';
const canary: TrafficStrategy = { kind: 'canary', percent: 10, waitMs: 60_000 };
const linear: TrafficStrategy = { kind: 'linear', percent: 25, intervalMs: 60_000 };

describe('weightedAliasConflict', () => {
  it('allows a split between two published versions with the same role and dead-letter queue', () => {
    expect(weightedAliasConflict(canary, { version: '4', role: ROLE_A }, { role: ROLE_A })).toBeUndefined();
    expect(weightedAliasConflict(linear, { version: '4', role: ROLE_A, deadLetterTarget: DLQ }, { version: '5', role: ROLE_A, deadLetterTarget: DLQ })).toBeUndefined();
  });

  it('checks nothing when nothing is split: all at once, or no live version', () => {
    expect(weightedAliasConflict({ kind: 'all-at-once' }, { version: '$LATEST', role: ROLE_A }, { role: ROLE_B })).toBeUndefined();
    expect(weightedAliasConflict(canary, undefined, { role: ROLE_B })).toBeUndefined();
  });

  it('refuses another execution role, naming both roles, the versions and the way out', () => {
    expect(weightedAliasConflict(canary, { version: '4', role: ROLE_A }, { role: ROLE_B })).toBe(
      `traffic: canary needs both versions to share the execution role: version 4 runs as ${ROLE_A}, the new version as ${ROLE_B}; ` +
        'release all at once (traffic: all-at-once) or keep the role',
    );
    expect(weightedAliasConflict(linear, { version: '4', role: ROLE_A }, { version: '7', role: ROLE_B })).toBe(
      `traffic: linear needs both versions to share the execution role: version 4 runs as ${ROLE_A}, version 7 as ${ROLE_B}; ` +
        'release all at once (traffic: all-at-once) or keep the role',
    );
  });

  it('refuses a dead-letter queue added, removed or changed', () => {
    expect(weightedAliasConflict(canary, { version: '4', role: ROLE_A }, { role: ROLE_A, deadLetterTarget: DLQ })).toBe(
      `traffic: canary needs both versions to share the dead-letter queue: version 4 has none, the new version ${DLQ}; ` +
        'release all at once (traffic: all-at-once) or keep the dead-letter queue',
    );
    expect(weightedAliasConflict(canary, { version: '4', deadLetterTarget: DLQ }, {})).toContain(`version 4 has ${DLQ}, the new version none`);
    expect(weightedAliasConflict(canary, { version: '4', deadLetterTarget: DLQ }, { deadLetterTarget: `${DLQ}-2` })).toContain('share the dead-letter queue');
  });

  it('never splits with $LATEST, on either side', () => {
    expect(weightedAliasConflict(canary, { version: '$LATEST', role: ROLE_A }, { role: ROLE_A })).toBe(
      'traffic: canary needs two published versions, and the alias runs $LATEST, which cannot take a share of traffic; ' +
        'release all at once (traffic: all-at-once), or point the alias at a published version first',
    );
    expect(weightedAliasConflict(canary, { version: '4' }, { version: '$LATEST' })).toBe(
      'traffic: canary needs two published versions, and $LATEST is not one; release all at once (traffic: all-at-once)',
    );
    expect(isUnpublished('$LATEST')).toBe(true);
    expect(isUnpublished('12')).toBe(false);
  });

  it('does not compare a role Lambda did not report', () => {
    expect(weightedAliasConflict(canary, { version: '4' }, { role: ROLE_B })).toBeUndefined();
  });
});

const context = { commit: 'a1b2c3d4e5f60718293a', runId: '77' };
const settings = (over: Partial<StageSettings> = {}): StageSettings => stageSettings('prod', { region: 'us-east-1', ...over }, { attempts: 1 });

/** A function whose alias `prod` runs version 1 (role A), and whose $LATEST then changed `change`. */
async function released(change: { role?: string; deadLetterTarget?: string }) {
  const lambda = new FakeLambda();
  lambda.latest = { ...lambda.latest, role: ROLE_A };
  const deps = { lambda, smoke: new FakeSmoke([true, true, true]), log: new RecordingLog(), clock: new FakeClock() };
  const first = fakeArtifact('one');
  lambda.codeBySource.set(first.zipPath, first.codeSha256);
  expect((await deploy(settings(), first, deps, context)).kind).toBe('released');
  // What IaC does to the function between two releases: its role (or DLQ) changes on $LATEST.
  lambda.latest = { ...lambda.latest, ...change };
  lambda.calls = [];
  return { lambda, deps };
}

describe('deploy and promote refuse an unsplittable canary before anything changes', () => {
  it('deploy: a new role on $LATEST and traffic: canary → InputError, nothing written', async () => {
    const { lambda, deps } = await released({ role: ROLE_B });
    const next = fakeArtifact('two');
    lambda.codeBySource.set(next.zipPath, next.codeSha256);
    const error = await deploy(settings({ traffic: canary }), next, deps, context).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `traffic: canary needs both versions to share the execution role: version 1 runs as ${ROLE_A}, the new version as ${ROLE_B}; ` +
        'release all at once (traffic: all-at-once) or keep the role',
    );
    expect(lambda.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
  });

  it('deploy: the same change all at once goes through (a role change is a release like any other)', async () => {
    const { lambda, deps } = await released({ role: ROLE_B, deadLetterTarget: DLQ });
    const next = fakeArtifact('two');
    lambda.codeBySource.set(next.zipPath, next.codeSha256);
    const result = await deploy(settings({ traffic: { kind: 'all-at-once' } }), next, deps, context);
    expect(result.kind).toBe('released');
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '2', weights: {} });
  });

  it('deploy: a new dead-letter queue and traffic: linear → refused', async () => {
    const { lambda, deps } = await released({ deadLetterTarget: DLQ });
    const next = fakeArtifact('two');
    lambda.codeBySource.set(next.zipPath, next.codeSha256);
    await expect(deploy(settings({ traffic: linear }), next, deps, context)).rejects.toThrow(
      `traffic: linear needs both versions to share the dead-letter queue: version 1 has none, the new version ${DLQ}`,
    );
    expect(lambda.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
  });

  it('deploy: an alias that runs $LATEST is never given a weight', async () => {
    const { lambda, deps } = await released({});
    lambda.aliases.set('prod', { ...lambda.aliases.get('prod')!, version: '$LATEST' });
    const next = fakeArtifact('two');
    lambda.codeBySource.set(next.zipPath, next.codeSha256);
    await expect(deploy(settings({ traffic: canary }), next, deps, context)).rejects.toThrow('the alias runs $LATEST, which cannot take a share of traffic');
    expect(lambda.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
  });

  it('promote: reusing a version with another role is refused, naming that version', async () => {
    const lambda = new FakeLambda();
    lambda.latest = { ...lambda.latest, role: ROLE_A };
    const deps = { lambda, smoke: new FakeSmoke([true, true, true]), log: new RecordingLog(), clock: new FakeClock() };
    const one = fakeArtifact('one');
    const two = fakeArtifact('two');
    lambda.codeBySource.set(one.zipPath, one.codeSha256);
    lambda.codeBySource.set(two.zipPath, two.codeSha256);
    const dev = stageSettings('dev', { region: 'us-east-1' }, { attempts: 1 });
    const prod = settings({ traffic: canary });
    expect((await deploy(dev, one, deps, context)).kind).toBe('released');
    expect((await promote(dev, prod, deps, context)).kind).toBe('released');
    lambda.latest = { ...lambda.latest, role: ROLE_B };
    expect((await deploy(dev, two, deps, context)).kind).toBe('released');
    lambda.calls = [];
    await expect(promote(dev, prod, deps, context)).rejects.toThrow(
      `traffic: canary needs both versions to share the execution role: version 1 runs as ${ROLE_A}, version 2 as ${ROLE_B}`,
    );
    expect(lambda.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
  });

  it('carry-out: a role that changes between the read and the publish → published, not shifted, alias untouched', async () => {
    const { lambda, deps } = await released({});
    const next = fakeArtifact('two');
    lambda.codeBySource.set(next.zipPath, next.codeSha256);
    // Another hand changes the role while this run updates the code.
    const updateCode = lambda.updateCode.bind(lambda);
    lambda.updateCode = async (...args) => {
      const updated = await updateCode(...args);
      lambda.latest = { ...lambda.latest, role: ROLE_B };
      return { ...updated, role: ROLE_B };
    };
    const result = await deploy(settings({ traffic: canary }), next, deps, context);
    expect(result.kind).toBe('not-shifted');
    expect(result.kind === 'not-shifted' && result.error).toBe(
      `prod: version 2 was published but not shifted: traffic: canary needs both versions to share the execution role: ` +
        `version 1 runs as ${ROLE_A}, version 2 as ${ROLE_B}; release all at once (traffic: all-at-once) or keep the role`,
    );
    expect(lambda.calls).not.toContain('updateAlias');
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '1', weights: {} });
  });
});

describe('the rollout never asks for a weight on $LATEST', () => {
  it('an alias on $LATEST with a canary: no alias write, the alias untouched, the reason given', async () => {
    const lambda = new FakeLambda();
    lambda.versions.push({ ...lambda.latest, version: '1' });
    lambda.aliases.set('prod', { name: 'prod', arn: 'arn:prod', version: '$LATEST', description: '', weights: {}, revisionId: 'a0' });
    const clock = new FakeClock();
    const stage = settings({ traffic: canary });
    const outcome = await shiftAndVerify(
      { settings: stage, before: lambda.aliases.get('prod'), toVersion: '1', traffic: canary, progressive: true, description: 'stage-deploy' },
      { lambda, smoke: new FakeSmoke([true]), log: new RecordingLog(), timeline: new Timeline(clock), clock },
    );
    expect(outcome).toMatchObject({ ok: false, restored: { untouched: true } });
    expect(!outcome.ok && outcome.failure).toContain('the alias runs $LATEST, which cannot take a share of traffic');
    expect(lambda.calls.filter((c) => c.endsWith('Alias') && c !== 'getAlias')).toEqual([]);
    expect(lambda.aliases.get('prod')).toMatchObject({ version: '$LATEST', weights: {} });
  });
});
