// Lambda's function states and code storage in the release logic (issue 13), with plain fakes:
// a version that is Inactive is refused before anything changes, a Pending one is waited for,
// and the account's code storage is read only when a release publishes.
import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import { promote } from '../../../src/commands/promote.js';
import { rollback } from '../../../src/commands/rollback.js';
import { InputError } from '../../../src/model/errors.js';
import type { StageSettings } from '../../../src/model/settings.js';
import { statusOf } from '../../../src/model/results.js';
import { CODE_STORAGE_WARN_RATIO, codeStorageWarning } from '../../../src/release/code-storage.js';
import { renderSummary } from '../../../src/report/summary.js';
import { FakeClock, FakeLambda, FakeSmoke, FakeStore, RecordingLog, fakeArtifact, stageSettings } from '../fakes.js';

const GB = 1024 ** 3;
const dev = stageSettings('dev', { environment: { TABLE: 'notes-dev' } });

function world() {
  const lambda = new FakeLambda();
  const log = new RecordingLog();
  const clock = new FakeClock();
  const deps = { lambda, smoke: new FakeSmoke([true]), log, store: new FakeStore(), workDir: '/work', clock };
  return { lambda, log, deps };
}

async function release(w: ReturnType<typeof world>, settings: StageSettings, sha: string) {
  w.lambda.codeBySource.set(`/tmp/${sha}.zip`, `${sha}=`);
  const result = await deploy(settings, fakeArtifact(sha), w.deps, { commit: `${sha}1234567`, runId: '1' });
  expect(result.kind).toBe('released');
  return result;
}

/** Version `n` as Lambda reports it after weeks without a call. */
function makeInactive(w: ReturnType<typeof world>, version: string) {
  const found = w.lambda.versions.find((v) => v.version === version);
  if (!found) throw new Error(`no version ${version}`);
  Object.assign(found, { state: 'Inactive', stateReasonCode: 'Idle', stateReason: 'The function is inactive.' });
}

const WRITES = ['updateConfiguration', 'updateCode', 'publishVersion', 'createAlias', 'updateAlias', 'deleteAlias', 'deleteVersion', 'invokeVersion'];
const writes = (w: ReturnType<typeof world>) => w.lambda.calls.filter((c) => WRITES.includes(c));

describe('a version Lambda made Inactive', () => {
  it('rollback to it is refused before any change, naming the version and how to re-activate it', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    makeInactive(w, '1');
    w.lambda.calls = [];
    const refused = rollback(dev, undefined, w.deps);
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toThrow(
      /^to-version: not given, and dev's release before 2: version 1 of notes-api is Inactive \(Idle\): .*Nothing was changed\..*aws lambda wait published-version-active --function-name notes-api --qualifier 1/,
    );
    expect(writes(w)).toEqual([]);
    expect(w.lambda.aliases.get('dev')?.version).toBe('2');
    // The action never invokes it to wake it up.
    expect(w.lambda.invocations).toEqual([]);
  });

  it('an explicit to-version names the field', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    makeInactive(w, '1');
    await expect(rollback(dev, '1', w.deps)).rejects.toThrow(/^to-version: "1": version 1 of notes-api is Inactive/);
  });

  it('promote that would reuse it is refused; one that publishes the code again is not', async () => {
    const w = world();
    const shared = stageSettings('dev', { environment: { TABLE: 'shared' } });
    await release(w, shared, 'aaa');
    makeInactive(w, '1');
    w.lambda.calls = [];
    await expect(promote(shared, stageSettings('prod', { environment: { TABLE: 'shared' } }), w.deps, { commit: 'x', runId: '1' })).rejects.toThrow(
      /^promote-from: "dev" \(its version 1, reused as it is\): version 1 of notes-api is Inactive/,
    );
    expect(writes(w)).toEqual([]);

    const published = await promote(shared, stageSettings('prod', { environment: { TABLE: 'prod' } }), w.deps, { commit: 'x', runId: '1' });
    expect(published.kind).toBe('released');
    expect(statusOf(published)).toBe('promoted');
  });

  it('a canary that would keep traffic on it and return to it is refused; all at once goes', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    makeInactive(w, '1');
    w.lambda.calls = [];
    const canary = { ...dev, traffic: { kind: 'canary' as const, percent: 0.1, waitMs: 1000 } };
    await expect(deploy(canary, fakeArtifact('bbb'), w.deps, { commit: 'c', runId: '1' })).rejects.toThrow(
      /^traffic: canary \(it keeps traffic on version 1, what alias dev runs, and returns to it if a check fails\): version 1 of notes-api is Inactive/,
    );
    expect(writes(w)).toEqual([]);

    const result = await release(w, dev, 'bbb');
    expect(result.kind).toBe('released');
  });
});

describe('a version that is Pending', () => {
  it('rollback waits for it to be Active before the alias moves', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    Object.assign(w.lambda.versions[0]!, { state: 'Pending', stateReasonCode: 'Restoring' });
    w.lambda.calls = [];
    const result = await rollback(dev, undefined, w.deps);
    expect(result.kind).toBe('released');
    expect(w.lambda.calls.indexOf('waitForVersionActive')).toBeGreaterThanOrEqual(0);
    expect(w.lambda.calls.indexOf('waitForVersionActive')).toBeLessThan(w.lambda.calls.indexOf('updateAlias'));
    expect(w.log.lines).toContain('info: version 1 of notes-api is Pending (Restoring): waiting for it to be Active before it takes traffic.');
  });

  it('one that ends Failed is not shifted to', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    Object.assign(w.lambda.versions[0]!, { state: 'Pending' });
    w.lambda.failActivation.set('1', 'EniLimitExceeded');
    w.lambda.calls = [];
    await expect(rollback(dev, undefined, w.deps)).rejects.toThrow(/version 1 of notes-api Active: it is Failed: EniLimitExceeded/);
    expect(writes(w)).toEqual([]);
  });

  it('a dry run says it would wait, and does not', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    Object.assign(w.lambda.versions[0]!, { state: 'Pending' });
    w.lambda.calls = [];
    const result = await rollback(dev, undefined, { ...w.deps, dryRun: true });
    expect(result.kind).toBe('dry-run');
    expect(w.lambda.calls).not.toContain('waitForVersionActive');
  });
});

describe('code storage', () => {
  it('above 80% of the limit: a warning in the log and in the summary, naming keep-versions', async () => {
    const w = world();
    w.lambda.storage = { usedBytes: 0.85 * 75 * GB, limitBytes: 75 * GB };
    const result = await release(w, dev, 'aaa');
    const warning = 'Lambda code storage in this region is 85% full (63.8 GB of 75.0 GB); every published version counts, and at the limit publishing fails with CodeStorageExceededException: set keep-versions on stage dev to delete the versions no alias uses.';
    expect(w.log.lines).toContain(`warn: ${warning}`);
    expect(result).toMatchObject({ codeStorageWarning: warning });
    expect(renderSummary(result)).toContain(`> [!WARNING]\n> ${warning}`);
    // Read before the first write.
    expect(w.lambda.calls.indexOf('codeStorage')).toBeLessThan(w.lambda.calls.indexOf('updateConfiguration'));
  });

  it('at 50%: nothing said', async () => {
    const w = world();
    w.lambda.storage = { usedBytes: 0.5 * 75 * GB, limitBytes: 75 * GB };
    const result = await release(w, dev, 'aaa');
    expect(w.log.lines.filter((l) => l.includes('code storage'))).toEqual([]);
    expect(result).not.toHaveProperty('codeStorageWarning');
    expect(renderSummary(result)).not.toContain('[!WARNING]');
  });

  it('a failed read (AccessDenied) never fails the release: one info line', async () => {
    const w = world();
    w.lambda.storage = Object.assign(new Error('User is not authorized to perform: lambda:GetAccountSettings'), { name: 'AccessDeniedException' });
    const result = await release(w, dev, 'aaa');
    expect(result.kind).toBe('released');
    expect(w.log.lines.filter((l) => l.includes('GetAccountSettings'))).toEqual([
      'info: Code storage not checked: GetAccountSettings failed (AccessDeniedException); lambda:GetAccountSettings lets the action warn before it fills up.',
    ]);
    expect(w.log.lines.filter((l) => l.startsWith('warn:'))).toEqual([]);
  });

  it('is read only when a release publishes: not on an unchanged redeploy, not on a rollback or a promote that reuses', async () => {
    const w = world();
    await release(w, dev, 'aaa');
    await release(w, dev, 'bbb');
    w.lambda.calls = [];
    const again = await deploy(dev, fakeArtifact('bbb'), w.deps, { commit: 'c', runId: '1' });
    expect(again.kind).toBe('unchanged');
    await rollback(dev, undefined, w.deps);
    const shared = stageSettings('dev', { environment: { TABLE: 'notes-dev' } });
    await promote(shared, stageSettings('prod', { environment: { TABLE: 'notes-dev' } }), w.deps, { commit: 'x', runId: '1' });
    expect(w.lambda.calls).not.toContain('codeStorage');
  });

  it('the advice with keep-versions already set, and the threshold itself', () => {
    const limitBytes = 100 * GB;
    expect(codeStorageWarning({ usedBytes: CODE_STORAGE_WARN_RATIO * limitBytes, limitBytes }, dev)).toBeUndefined();
    expect(codeStorageWarning({ usedBytes: 0.81 * limitBytes, limitBytes }, { ...dev, keepVersions: 10 })).toMatch(
      /81% full .*: lower keep-versions \(now 10\), or delete versions, functions and layers no longer used\.$/,
    );
    expect(codeStorageWarning({ usedBytes: 5, limitBytes: 0 }, dev)).toBeUndefined();
  });
});
