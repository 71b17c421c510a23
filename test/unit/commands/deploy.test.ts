import { describe, expect, it } from 'vitest';

import { deploy, DIRECT_UPLOAD_LIMIT_BYTES } from '../../../src/commands/deploy.js';
import { type Artifact, functionBaseName } from '../../../src/model/lambda.js';
import { parseHistory } from '../../../src/release/history.js';
import { FakeClock, FakeLambda, FakeSmoke, FakeStore, fakeArtifact, RecordingLog, stageSettings } from '../fakes.js';
import type { StageSettings } from '../../../src/model/settings.js';
import { InputError } from '../../../src/model/errors.js';
import { artifactKey } from '../../../src/artifact/s3-key.js';
import { isSuccess, statusOf } from '../../../src/model/results.js';
import { planSteps } from '../../../src/report/plan.js';
import { viewOf } from '../../../src/report/summary.js';

const settings = (over: Partial<StageSettings> = {}): StageSettings =>
  stageSettings('dev', { region: 'us-east-1', environment: { TABLE: 'notes-dev' }, ...over }, { attempts: 3 });

const artifact = fakeArtifact;

const context = { commit: 'a1b2c3d4e5f60718293a', runId: '77' };

function setup(smokeOutcomes: (boolean | Error)[] = [true]) {
  const lambda = new FakeLambda();
  const smoke = new FakeSmoke(smokeOutcomes);
  const log = new RecordingLog();
  const store = new FakeStore();
  const clock = new FakeClock(Date.parse('2026-11-22T10:00:00Z'));
  return { lambda, smoke, log, store, clock, deps: { lambda, smoke, log, store, clock } };
}

function withCode(lambda: FakeLambda, ...artifacts: Artifact[]) {
  for (const a of artifacts) lambda.codeBySource.set(a.zipPath, a.codeSha256);
}

describe('deploy', () => {
  it('first deploy: merges settings, updates code, publishes with the precondition, creates the alias', async () => {
    const { lambda, smoke, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    const result = await deploy(settings({ logLevel: 'WARNING' }), a, deps, context);

    expect(result.kind).toBe('released');
    expect(statusOf(result)).toBe('deployed');
    expect(viewOf(result)).toMatchObject({
      status: 'deployed',
      version: '1',
      codeSha256: 'aaa=',
      aliasArn: 'arn:aws:lambda:us-east-1:123456789012:function:notes-api:dev',
      settingsChanged: ['environment.TABLE', 'environment.LOG_LEVEL', 'logging-config'],
      upload: { kind: 'direct', sizeBytes: 1000 },
    });
    expect(result.previousVersion).toBeUndefined();
    // No alias yet: the read through it finds nothing, so $LATEST is read before anything is checked.
    expect(lambda.calls).toEqual(['getAlias', 'getVersion', 'getVersion', 'codeStorage', 'updateConfiguration', 'updateCode', 'publishVersion', 'createAlias']);
    expect(lambda.versions[0]?.environment).toEqual({ KEEP: 'me', TABLE: 'notes-dev', LOG_LEVEL: 'WARNING' });
    expect(lambda.versions[0]?.logging).toEqual({ logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' });
    expect(lambda.versions[0]?.description).toBe('stage-deploy dev: commit a1b2c3d4e5f6 run 77');
    expect(parseHistory(lambda.aliases.get('dev')?.description)).toEqual([
      { version: '1', commit: 'a1b2c3d', releasedAt: Date.parse('2026-11-22T10:00:00Z') / 1000 },
    ]);
    expect(smoke.checks).toHaveLength(1);
    expect(result.steps.map((s) => s.name)).toEqual(['read', 'read', 'upload', 'settings', 'code', 'publish', 'shift', 'smoke']);
  });

  it('unchanged: same code and settings as the alias runs → nothing published, nothing shifted', async () => {
    const { lambda, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    await deploy(settings(), a, deps, context);
    lambda.calls = [];
    const result = await deploy(settings(), a, deps, context);
    expect(result.kind).toBe('unchanged');
    expect(viewOf(result)).toMatchObject({ status: 'unchanged', version: '1', previousVersion: '1', codeSha256: 'aaa=' });
    // The alias and the version it runs (read through the alias), nothing else: $LATEST is not read.
    expect(lambda.calls).toEqual(['getAlias', 'getVersion']);
  });

  it('a changed setting alone is a new release with the same code', async () => {
    const { lambda, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    await deploy(settings(), a, deps, context);
    lambda.calls = [];
    const result = await deploy(settings({ environment: { TABLE: 'notes-v2' } }), a, deps, context);
    expect(result.kind).toBe('released');
    expect(viewOf(result)).toMatchObject({ status: 'deployed', version: '2', previousVersion: '1', settingsChanged: ['environment.TABLE'] });
    expect(lambda.calls).not.toContain('updateCode');
  });

  it('a failed smoke test puts the alias back on the previous version, with its description', async () => {
    const { lambda, deps } = setup([true, false]);
    const a = artifact('aaa');
    const b = artifact('bbb');
    withCode(lambda, a, b);
    await deploy(settings(), a, deps, context);
    const before = lambda.aliases.get('dev');

    const result = await deploy(settings(), b, deps, context);
    expect(result.kind).toBe('reverted');
    expect(isSuccess(result)).toBe(false);
    expect(viewOf(result)).toMatchObject({ status: 'rolled-back', version: '1', previousVersion: '1', candidateVersion: '2', codeSha256: 'aaa=' });
    expect(viewOf(result).error).toBe('GET https://dev.example.com/health → 502 on 1 of 1 attempts; dev rolled back from 2 to 1');
    expect(lambda.aliases.get('dev')).toMatchObject({ version: '1', weights: {}, description: before?.description });
    expect(result.steps.find((s) => s.name === 'smoke')?.ok).toBe(false);
  });

  it('a smoke checker that throws is a failed check: rolled back too', async () => {
    const { lambda, deps } = setup([true, new Error('boom')]);
    const a = artifact('aaa');
    const b = artifact('bbb');
    withCode(lambda, a, b);
    await deploy(settings(), a, deps, context);
    const result = await deploy(settings(), b, deps, context);
    expect(result.kind).toBe('reverted');
    expect(statusOf(result)).toBe('rolled-back');
    expect(viewOf(result).error).toBe('smoke test could not run: boom; dev rolled back from 2 to 1');
    expect(lambda.aliases.get('dev')?.version).toBe('1');
  });

  it('a first deploy that fails its smoke test deletes the alias it created', async () => {
    const { lambda, deps } = setup([false]);
    const a = artifact('aaa');
    withCode(lambda, a);
    const result = await deploy(settings(), a, deps, context);
    expect(result.kind).toBe('reverted');
    expect(statusOf(result)).toBe('rolled-back');
    expect(viewOf(result).version).toBeUndefined();
    expect(viewOf(result).error).toContain('dev rolled back: alias dev removed (first deploy of version 1)');
    expect(lambda.aliases.has('dev')).toBe(false);
  });

  it('when the rollback itself fails, it says so with the command to repair it by hand', async () => {
    const { lambda, deps } = setup([true, false]);
    const a = artifact('aaa');
    const b = artifact('bbb');
    withCode(lambda, a, b);
    await deploy(settings(), a, deps, context);
    // The shift (first UpdateAlias) goes through; the rollback (second) fails.
    lambda.failWhen = (op, count) => op === 'updateAlias' && count === 2;
    const result = await deploy(settings(), b, deps, context);
    expect(result.kind).toBe('stranded');
    expect(statusOf(result)).toBe('failed');
    if (result.kind !== 'stranded') return;
    expect(result.candidateVersion).toBe('2');
    expect(viewOf(result).version).toBe('2');
    expect(result.repair.command).toBe(
      `aws lambda update-alias --function-name notes-api --name dev --function-version 1 --routing-config '{"AdditionalVersionWeights":{}}' --region us-east-1`,
    );
    expect(result.error).toContain('ROLLBACK FAILED');
    expect(result.error).toContain(result.repair.command);
  });

  it('with s3-bucket: uploads to the content-addressed key once, then reuses it', async () => {
    const { lambda, store, deps } = setup();
    const a = artifact('aaa');
    const b = artifact('bbb');
    const s3 = settings({ s3Bucket: 'artifacts', s3Prefix: 'sd/' });
    lambda.codeBySource.set('s3://artifacts/sd/notes-api/aaahex.zip', 'aaa=');
    lambda.codeBySource.set('s3://artifacts/sd/notes-api/bbbhex.zip', 'bbb=');
    const first = await deploy(s3, a, deps, context);
    expect(viewOf(first).upload).toEqual({ kind: 's3', bucket: 'artifacts', key: 'sd/notes-api/aaahex.zip', alreadyThere: false, sizeBytes: 1000 });
    await deploy(s3, b, deps, context);
    const third = await deploy(s3, a, deps, context);
    expect(viewOf(third).upload).toMatchObject({ kind: 's3', alreadyThere: true });
    expect(store.uploads).toEqual(['artifacts/sd/notes-api/aaahex.zip <- /tmp/aaa.zip', 'artifacts/sd/notes-api/bbbhex.zip <- /tmp/bbb.zip']);
  });

  it('refuses, before any change: a missing function, a split in flight, a direct upload above 50 MB', async () => {
    const { lambda, deps } = setup();
    await expect(deploy(settings({ functionName: 'nope' }), artifact('aaa'), deps, context)).rejects.toThrow(
      new InputError('function: "nope" does not exist in us-east-1'),
    );
    await expect(deploy(settings(), artifact('big', { sizeBytes: DIRECT_UPLOAD_LIMIT_BYTES + 1 }), deps, context)).rejects.toThrow(
      `artifact: "build/big.zip" is 50.0 MB, above Lambda's 50 MB direct-upload limit; set s3-bucket to upload it through S3`,
    );
    lambda.aliases.set('dev', { name: 'dev', arn: 'x', version: '1', description: '', weights: { '2': 0.1 } });
    await expect(deploy(settings(), artifact('aaa'), deps, context)).rejects.toThrow(
      'alias: "dev" has a traffic split in flight (version 2 at 10%); wait for it to finish or roll it back before deploying',
    );
    expect(lambda.calls.filter((c) => !c.startsWith('get'))).toEqual([]);
  });

  it('a failure while publishing shifts nothing and says so', async () => {
    const { lambda, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    lambda.failWhen = (op) => op === 'publishVersion';
    const result = await deploy(settings(), a, deps, context);
    expect(result.kind).toBe('not-shifted');
    expect(statusOf(result)).toBe('failed');
    expect(viewOf(result).error).toBe('dev: publishing failed, nothing was shifted: publishVersion failed (injected)');
    expect(lambda.aliases.size).toBe(0);
  });

  it('without a smoke block the release stands, with a warning', async () => {
    const { lambda, log, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    const noSmoke = settings();
    delete noSmoke.smoke;
    const result = await deploy(noSmoke, a, deps, context);
    expect(result.kind).toBe('released');
    expect(statusOf(result)).toBe('deployed');
    expect(log.lines).toContain('warn: Stage dev has no smoke test (smoke.url): version 1 is live without a check.');
  });
});

describe('dry-run', () => {
  it('deploy: resolves, packages, compares and prints the plan; nothing is written', async () => {
    const { lambda, deps } = setup();
    const a = artifact('aaa');
    withCode(lambda, a);
    await deploy(settings(), a, deps, context);
    lambda.calls = [];
    const b = artifact('bbb');
    const result = await deploy(settings({ environment: { TABLE: 'v2' }, s3Bucket: 'artifacts' }), b, { ...deps, dryRun: true }, context);
    expect(result.kind).toBe('dry-run');
    expect(statusOf(result)).toBe('unchanged');
    if (result.kind !== 'dry-run') return;
    expect(result.version).toBe('1');
    expect(planSteps(result.plan)).toEqual([
      'update the settings of $LATEST: environment.TABLE',
      'upload 1 KB to s3://artifacts/notes-api/bbbhex.zip, then update the code',
      'publish a version of notes-api with CodeSha256 bbb=',
      'shift alias dev from version 1 to the new version',
      'smoke-test GET https://dev.example.com/health; on failure, put the alias back',
    ]);
    expect(lambda.calls.every((c) => c.startsWith('get'))).toBe(true);
  });
});

describe('names', () => {
  it('functionBaseName takes names, full and partial ARNs', () => {
    expect(functionBaseName('notes-api')).toBe('notes-api');
    expect(functionBaseName('arn:aws:lambda:us-east-1:123456789012:function:notes-api')).toBe('notes-api');
    expect(functionBaseName('123456789012:function:notes-api')).toBe('notes-api');
  });

  it('artifactKey is <prefix><function>/<sha256>.zip', () => {
    expect(artifactKey(settings({ s3Prefix: 'stage-deploy/' }), 'abchex')).toBe('stage-deploy/notes-api/abchex.zip');
  });
});
