import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import { promote } from '../../../src/commands/promote.js';
import { formatHistory, parseHistory, returnTo } from '../../../src/release/history.js';
import { rollback } from '../../../src/commands/rollback.js';
import { stageStatus } from '../../../src/commands/status.js';
import { FakeClock, FakeLambda, FakeSmoke, FakeStore, RecordingLog, fakeArtifact, stageSettings } from '../fakes.js';
import type { StageSettings } from '../../../src/model/settings.js';
import { InputError } from '../../../src/model/errors.js';
import { renderStatusTable } from '../../../src/report/status-table.js';
import { statusOf, type ReleaseResult } from '../../../src/model/results.js';
import { planSteps } from '../../../src/report/plan.js';
import { viewOf } from '../../../src/report/summary.js';

const stage = (name: string, over: Partial<StageSettings> = {}): StageSettings => stageSettings(name, { environment: { TABLE: `notes-${name}` }, ...over });
const dev = stage('dev');
const prod = stage('prod', { logLevel: 'ERROR' });

const artifact = (sha: string) => fakeArtifact(sha);

function world(smoke: (boolean | Error)[] = [true]) {
  const lambda = new FakeLambda();
  const log = new RecordingLog();
  const clock = new FakeClock(Date.parse('2026-11-22T10:00:00Z'));
  const deps = { lambda, smoke: new FakeSmoke(smoke), log, store: new FakeStore(), workDir: '/work', clock };
  return { lambda, log, clock, deps };
}
/** The plan lines of a dry run (fails the test for any other outcome). */
function planOf(result: ReleaseResult): string[] {
  expect(result.kind).toBe('dry-run');
  return result.kind === 'dry-run' ? planSteps(result.plan) : [];
}
const ctx = (commit: string) => ({ commit, runId: '1' });

async function deployed(w: ReturnType<typeof world>, settings: StageSettings, sha: string, commit: string) {
  w.lambda.codeBySource.set(`/tmp/${sha}.zip`, `${sha}=`);
  w.clock.advance(60_000);
  const result = await deploy(settings, artifact(sha), w.deps, ctx(commit));
  expect(result.kind).toBe('released');
  expect(statusOf(result)).toBe('deployed');
  return result;
}

describe('promote', () => {
  it('publishes dev\'s exact code again with prod\'s settings, and records dev\'s commit', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c0ffee1234');
    w.lambda.calls = [];
    const result = await promote(dev, prod, w.deps, ctx('dispatch999'));
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ command: 'promote', status: 'promoted', version: '2', codeSha256: 'aaa=', commit: 'c0ffee1' });
    expect(w.lambda.versions[1]?.environment).toEqual({ KEEP: 'me', TABLE: 'notes-prod', LOG_LEVEL: 'ERROR' });
    expect(w.lambda.calls).not.toContain('updateCode');
    expect(parseHistory(w.lambda.aliases.get('prod')?.description)[0]).toMatchObject({ version: '2', commit: 'c0ffee1' });
  });

  it('reuses the very version when it already carries the target\'s settings', async () => {
    const w = world();
    const shared = stage('dev', { environment: { TABLE: 'shared' } });
    await deployed(w, shared, 'aaa', 'c1');
    w.lambda.calls = [];
    const result = await promote(shared, stage('prod', { environment: { TABLE: 'shared' } }), w.deps, ctx('x'));
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'promoted', version: '1' });
    expect(w.lambda.calls).not.toContain('publishVersion');
    expect(w.lambda.versions).toHaveLength(1);
  });

  it('says unchanged when the target already runs that code with its settings', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await promote(dev, prod, w.deps, ctx('x'));
    const again = await promote(dev, prod, w.deps, ctx('x'));
    expect(again.kind).toBe('unchanged');
    expect(viewOf(again)).toMatchObject({ status: 'unchanged', version: '2' });
  });

  it('downloads the source version when $LATEST has moved on to other code', async () => {
    const w = world([true, false, true]);
    await deployed(w, dev, 'aaa', 'c1');
    w.lambda.codeBySource.set('/tmp/bbb.zip', 'bbb=');
    const broken = await deploy(dev, artifact('bbb'), w.deps, ctx('c2'));
    expect(broken.kind).toBe('reverted');
    expect(statusOf(broken)).toBe('rolled-back');
    expect(w.lambda.latest.codeSha256).toBe('bbb=');
    const result = await promote(dev, prod, w.deps, ctx('x'));
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'promoted', codeSha256: 'aaa=', upload: { kind: 'direct' } });
    expect(w.lambda.downloads).toEqual([`1 -> /work/${Buffer.from('aaa=', 'base64').toString('hex')}.zip`]);
  });

  it('takes the bytes from the content-addressed S3 object when the target has a bucket holding them', async () => {
    const w = world([true, false, true]);
    await deployed(w, dev, 'aaa', 'c1');
    w.lambda.codeBySource.set('/tmp/bbb.zip', 'bbb=');
    await deploy(dev, artifact('bbb'), w.deps, ctx('c2')); // broken: $LATEST now holds bbb
    const key = `sd/notes-api/${Buffer.from('aaa=', 'base64').toString('hex')}.zip`;
    w.deps.store.objects.add(`artifacts/${key}`);
    w.lambda.codeBySource.set(`s3://artifacts/${key}`, 'aaa=');
    const result = await promote(dev, stage('prod', { s3Bucket: 'artifacts', s3Prefix: 'sd/' }), w.deps, ctx('x'));
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'promoted', codeSha256: 'aaa=', upload: { kind: 's3', bucket: 'artifacts', key, alreadyThere: true } });
    expect(w.lambda.downloads).toEqual([]);
    expect(w.deps.store.uploads).toEqual([]);
  });

  it('a failed smoke test puts the target back', async () => {
    const w = world([true, true, true, false]);
    await deployed(w, dev, 'aaa', 'c1');
    await promote(dev, prod, w.deps, ctx('x'));
    await deployed(w, dev, 'bbb', 'c2');
    const result = await promote(dev, prod, w.deps, ctx('x'));
    expect(result.kind).toBe('reverted');
    expect(viewOf(result)).toMatchObject({ status: 'rolled-back', version: '2', previousVersion: '2', candidateVersion: '4' });
    expect(w.lambda.aliases.get('prod')?.version).toBe('2');
  });

  it('drops a source commit that is no SHA, with a warning, and keeps the target\'s history', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await promote(dev, prod, w.deps, ctx('c1'));
    await deployed(w, dev, 'bbb', 'c2');
    // Something else wrote dev's history: a 220-character "commit".
    const devAlias = w.lambda.aliases.get('dev');
    if (devAlias) devAlias.description = `stage-deploy {"r":[["3","${'z'.repeat(220)}",3],["1","c1",1]]}`;
    w.log.lines = [];
    const result = await promote(dev, prod, w.deps, ctx('feedbeef'));
    expect(result.kind).toBe('released');
    expect(viewOf(result).commit).toBeUndefined();
    expect(w.log.lines).toContain(
      "warn: dev's release history: the commit recorded for version 3 is not a commit SHA (220 characters, expected at most 40 hex digits): recorded as unknown.",
    );
    const history = parseHistory(w.lambda.aliases.get('prod')?.description);
    expect(history.map((r) => [r.version, r.commit])).toEqual([
      ['4', ''],
      ['2', 'c1'],
    ]);
    expect(w.lambda.aliases.get('prod')?.description.length).toBeLessThanOrEqual(256);
  });

  it('records the run\'s commit only when it is a SHA', async () => {
    const w = world();
    w.lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const result = await deploy(dev, artifact('aaa'), w.deps, ctx('not a sha'));
    expect(result.kind).toBe('released');
    expect(parseHistory(w.lambda.aliases.get('dev')?.description)).toEqual([{ version: '1', commit: '', releasedAt: Math.floor(w.clock.now() / 1000) }]);
    expect(w.log.lines.some((l) => l.startsWith("warn: dev's release history: the commit recorded for version 1 is not a commit SHA"))).toBe(true);
  });

  it('refuses a source with no release, or with a split in flight, before any change', async () => {
    const w = world();
    await expect(promote(dev, prod, w.deps, ctx('x'))).rejects.toThrow(
      new InputError('promote-from: stage "dev" has no release to promote (alias dev of notes-api does not exist)'),
    );
    await deployed(w, dev, 'aaa', 'c1');
    const alias = w.lambda.aliases.get('dev');
    if (alias) alias.weights = { '1': 0.1 };
    await expect(promote(dev, prod, w.deps, ctx('x'))).rejects.toThrow('promote-from: stage "dev" has a traffic split in flight (version 1 at 10%)');
  });
});

describe('rollback', () => {
  it('returns to the release before the current one, then further back, never forth', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    await deployed(w, dev, 'ccc', 'c3');
    const first = await rollback(dev, undefined, w.deps);
    expect(first.kind).toBe('released');
    expect(viewOf(first)).toMatchObject({ command: 'rollback', status: 'rolled-back', previousVersion: '3', version: '2', codeSha256: 'bbb=' });
    const second = await rollback(dev, undefined, w.deps);
    expect(second.kind).toBe('released');
    expect(viewOf(second)).toMatchObject({ status: 'rolled-back', previousVersion: '2', version: '1', codeSha256: 'aaa=' });
    await expect(rollback(dev, undefined, w.deps)).rejects.toThrow(
      'to-version: not given, and dev has no earlier release recorded; give the version to return to',
    );
  });

  it('goes to a given version, and refuses one that does not exist or is already live', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    await expect(rollback(dev, '9', w.deps)).rejects.toThrow('to-version: "9" is not a published version of notes-api');
    await expect(rollback(dev, '2', w.deps)).rejects.toThrow('to-version: "2" is what dev runs already');
    expect(w.lambda.aliases.get('dev')?.version).toBe('2');
    const result = await rollback(dev, '1', w.deps);
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'rolled-back', version: '1' });
  });

  it('a rollback whose smoke test fails goes back to where it was and fails', async () => {
    const w = world([true, true, false]);
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    const result = await rollback(dev, undefined, w.deps);
    expect(result.kind).toBe('reverted');
    expect(viewOf(result)).toMatchObject({ status: 'failed', version: '2' });
    expect(viewOf(result).error).toContain('dev rolled back from 1 to 2');
    expect(w.lambda.aliases.get('dev')?.version).toBe('2');
  });

  it('deploy 1, 2, 3; rollback → 2; rollback → 1; deploy 4; rollback → 1, and the history keeps every release', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    await deployed(w, dev, 'ccc', 'c3');
    expect(viewOf(await rollback(dev, undefined, w.deps))).toMatchObject({ previousVersion: '3', version: '2' });
    expect(viewOf(await rollback(dev, undefined, w.deps))).toMatchObject({ previousVersion: '2', version: '1' });
    await deployed(w, dev, 'ddd', 'c4');
    w.clock.advance(60_000);
    const last = await rollback(dev, undefined, w.deps);
    expect(viewOf(last)).toMatchObject({ previousVersion: '4', version: '1', commit: 'c1' });
    const history = parseHistory(w.lambda.aliases.get('dev')?.description);
    expect(history.map((r) => [r.version, r.rolledBackFrom])).toEqual([
      ['1', '4'],
      ['4', undefined],
      ['1', '2'],
      ['2', '3'],
      ['3', undefined],
      ['2', undefined],
      ['1', undefined],
    ]);
    // The rollback entry: the commit of the version returned to, the time of the rollback.
    expect(history[0]).toMatchObject({ commit: 'c1', releasedAt: Math.floor(w.clock.now() / 1000) });
  });

  it('with a split in flight (a canary stopped mid-shift), stays on the stable primary and clears the split', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    await deployed(w, dev, 'ccc', 'c3');
    // As a canary of version 3 killed at 10% leaves it: the primary still 2, the description as before the shift.
    const alias = w.lambda.aliases.get('dev');
    if (alias) {
      alias.version = '2';
      alias.weights = { '3': 0.1 };
      alias.description = formatHistory([
        { version: '2', commit: 'c2', releasedAt: 2 },
        { version: '1', commit: 'c1', releasedAt: 1 },
      ]);
    }
    const result = await rollback(dev, undefined, w.deps);
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'rolled-back', previousVersion: '2', version: '2', codeSha256: 'bbb=' });
    expect(w.log.lines).toContain('info: Rolling dev back to version 2: clearing the traffic split (3).');
    expect(w.lambda.aliases.get('dev')).toMatchObject({ version: '2', weights: {} });
    const history = parseHistory(w.lambda.aliases.get('dev')?.description);
    expect(history.map((r) => [r.version, r.rolledBackFrom])).toEqual([
      ['2', '3'],
      ['2', undefined],
      ['1', undefined],
    ]);
    // The next plain rollback goes on to 1, not to the canary.
    expect(viewOf(await rollback(dev, undefined, w.deps))).toMatchObject({ previousVersion: '2', version: '1' });
  });

  it('refuses a to-version published with other settings, naming them, before any change; force: true goes, loudly', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await promote(dev, prod, w.deps, ctx('c1'));
    await deployed(w, dev, 'bbb', 'c2');
    await promote(dev, prod, w.deps, ctx('c2'));
    expect(w.lambda.aliases.get('prod')?.version).toBe('4');
    w.lambda.calls = [];
    await expect(rollback(prod, '3', w.deps)).rejects.toThrow(
      new InputError(`to-version: "3" was published with other settings than prod's: environment.TABLE; force: true rolls back anyway`),
    );
    expect(w.lambda.calls.every((c) => c.startsWith('get'))).toBe(true);
    expect(w.lambda.aliases.get('prod')?.version).toBe('4');
    // prod's own earlier release carries prod's settings: no refusal.
    expect(viewOf(await rollback(prod, '2', { ...w.deps, dryRun: true }))).toMatchObject({ status: 'unchanged' });
    const forced = await rollback(prod, '3', { ...w.deps, force: true });
    expect(viewOf(forced)).toMatchObject({ status: 'rolled-back', version: '3' });
    expect(w.log.lines).toContain(
      `warn: to-version: "3" was published with other settings than prod's: environment.TABLE. Rolling back anyway (force: true): prod will run version 3 with its settings, not prod's.`,
    );
  });

  it('refuses a stage never released', async () => {
    const w = world();
    await expect(rollback(dev, undefined, w.deps)).rejects.toThrow('stage: "dev" has no release to roll back (alias dev of notes-api does not exist)');
  });

  it('history after a rollback: a new entry for the target, marked with the release left; nothing dropped', () => {
    const h = [
      { version: '3', commit: 'c3', releasedAt: 3 },
      { version: '2', commit: 'c2', releasedAt: 2 },
      { version: '1', commit: 'c1', releasedAt: 1 },
    ];
    expect(returnTo(h, { version: '3', weights: {} }, { version: '1', commit: 'c1', releasedAt: 9 })).toEqual([
      { version: '1', commit: 'c1', releasedAt: 9, rolledBackFrom: '3' },
      ...h,
    ]);
    // Staying on the primary of a split: the version the split was shifting to is the one left.
    expect(returnTo(h, { version: '3', weights: { '4': 0.1 } }, { version: '3', commit: 'c3', releasedAt: 9 })[0]).toEqual({
      version: '3',
      commit: 'c3',
      releasedAt: 9,
      rolledBackFrom: '4',
    });
  });
});

describe('dry-run', () => {
  it('promote prints whether it would reuse or publish, and changes nothing', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    w.lambda.calls = [];
    const result = await promote(dev, prod, { ...w.deps, dryRun: true }, ctx('x'));
    expect(statusOf(result)).toBe('unchanged');
    expect(planOf(result)).toEqual([
      'update the settings of $LATEST: environment.TABLE, environment.LOG_LEVEL, logging-config',
      'code: $LATEST holds it already, nothing to upload',
      'publish a version of notes-api with CodeSha256 aaa=',
      'create alias prod on the new version',
      'smoke-test GET https://prod.example.com/health; on failure, put the alias back',
    ]);
    expect(w.lambda.calls.every((c) => c.startsWith('get'))).toBe(true);
    expect(w.lambda.aliases.has('prod')).toBe(false);
    // A dry run says what it would do, not what it is doing.
    expect(w.log.lines.some((line) => line.startsWith('info: Would promote dev (version 1, code aaa'))).toBe(true);
    expect(w.log.lines.some((line) => line.includes('Promoting'))).toBe(false);
  });

  it('rollback prints the move it would make, and changes nothing', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c1');
    await deployed(w, dev, 'bbb', 'c2');
    const result = await rollback(dev, undefined, { ...w.deps, dryRun: true });
    expect(viewOf(result)).toMatchObject({ status: 'unchanged', version: '2' });
    expect(planOf(result)).toEqual(['shift alias dev from version 2 to version 1', 'smoke-test GET https://dev.example.com/health; on failure, put the alias back']);
    expect(w.lambda.aliases.get('dev')?.version).toBe('2');
    expect(w.log.lines).toContain('info: Would roll dev back from version 2 to 1.');
    expect(w.log.lines.some((line) => line.includes('Rolling'))).toBe(false);
  });
});

describe('status', () => {
  it('reports each stage: version, code, commit, release time, earlier releases, splits', async () => {
    const w = world();
    await deployed(w, dev, 'aaa', 'c0ffee1');
    await deployed(w, dev, 'bbb', 'beef002');
    const alias = w.lambda.aliases.get('dev');
    if (alias) alias.weights = { '1': 0.25 };
    w.lambda.calls = [];
    const [d, p] = await Promise.all([stageStatus(dev, w), stageStatus(prod, w)]);
    // status only reads.
    // Reads only (get…, and listFunctionUrls for the function URLs that bypass an alias).
    expect(w.lambda.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list'))).toEqual([]);
    expect(d).toMatchObject({ stage: 'dev', version: '2', codeSha256: 'bbb=', release: { version: '2', commit: 'beef002' }, weights: { '1': 0.25 } });
    expect(d.earlier.map((r) => r.version)).toEqual(['1']);
    expect(p).toMatchObject({ stage: 'prod', problem: 'not released yet (no alias)' });
    const table = renderStatusTable([d, p]);
    expect(table).toContain('| dev | `notes-api` | dev → 2 | `bbb=…` | `beef002` | 2026-11-22 ');
    expect(table).toContain('| 1: 25% | 1 |');
    expect(table).toContain('| prod | `notes-api` | prod: not released yet (no alias) |');
  });
});
