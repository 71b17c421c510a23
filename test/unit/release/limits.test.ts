/**
 * Lambda's limits, checked before anything changes: the pure checks, and each one refusing a
 * release through the commands (on fakes) with no write to Lambda.
 */
import { describe, expect, it } from 'vitest';

import { deploy } from '../../../src/commands/deploy.js';
import { promote } from '../../../src/commands/promote.js';
import { InputError } from '../../../src/model/errors.js';
import { ALIAS_DESCRIPTION_LIMIT, formatHistory, type HistoryEntry } from '../../../src/release/history.js';
import {
  base64Bytes,
  checkRouting,
  DIRECT_UPLOAD_LIMIT_BYTES,
  environmentBytes,
  ENVIRONMENT_LIMIT_BYTES,
  fitsDirectUpload,
  UNZIPPED_LIMIT_BYTES,
  UPDATE_CODE_REQUEST_LIMIT_BYTES,
} from '../../../src/release/limits.js';
import { FakeClock, FakeLambda, FakeSmoke, fakeArtifact, RecordingLog, stageSettings } from '../fakes.js';

const ctx = { commit: 'c1', runId: '1' };
function world() {
  const lambda = new FakeLambda();
  const deps = { lambda, smoke: new FakeSmoke([true, true, true]), log: new RecordingLog(), clock: new FakeClock(), workDir: '/work' };
  return { lambda, deps };
}
const READS = new Set(['codeStorage', 'downloadCode']);
const writes = (lambda: FakeLambda) => lambda.calls.filter((c) => !c.startsWith('get') && !c.startsWith('list') && !READS.has(c));

describe('the numbers', () => {
  it('a direct upload fits the UpdateFunctionCode request (base64 and the JSON around it) and the 50 MB quota', () => {
    expect(DIRECT_UPLOAD_LIMIT_BYTES).toBe(52_428_030);
    expect(base64Bytes(DIRECT_UPLOAD_LIMIT_BYTES) + 66).toBeLessThan(UPDATE_CODE_REQUEST_LIMIT_BYTES);
    expect(DIRECT_UPLOAD_LIMIT_BYTES).toBeLessThan(50 * 1024 * 1024);
    expect(fitsDirectUpload(DIRECT_UPLOAD_LIMIT_BYTES)).toBe(true);
    expect(fitsDirectUpload(DIRECT_UPLOAD_LIMIT_BYTES + 1)).toBe(false);
    // 50 MiB exactly would be 69,905,068 bytes of base64: one over Lambda's request limit.
    expect(base64Bytes(50 * 1024 * 1024)).toBe(69_905_068);
    expect(fitsDirectUpload(50 * 1024 * 1024)).toBe(false);
    expect(UNZIPPED_LIMIT_BYTES).toBe(262_144_000);
  });

  it('the environment is measured as Lambda measures it: the JSON of the map, in UTF-8 bytes', () => {
    expect(environmentBytes({})).toBe(2);
    expect(environmentBytes({ TABLE: 'notes-dev' })).toBe('{"TABLE":"notes-dev"}'.length);
    expect(environmentBytes({ A: 'é' })).toBe('{"A":""}'.length + 2);
    expect(environmentBytes({ A: 'say "hi"' })).toBe(JSON.stringify({ A: 'say "hi"' }).length);
  });

  it('an alias routes to at most two published versions; the assertion refuses anything else', () => {
    expect(() => checkRouting('3', { '4': 0.1 })).not.toThrow();
    expect(() => checkRouting('3', {})).not.toThrow();
    expect(() => checkRouting('3', { '4': 0.1, '5': 0.1 })).toThrow(/at most two published versions/);
    expect(() => checkRouting('$LATEST', { '4': 0.1 })).toThrow(/at most two published versions/);
    expect(() => checkRouting('3', { $LATEST: 0.1 })).toThrow(/at most two published versions/);
    expect(() => checkRouting('3', { '3': 0.1 })).toThrow(/at most two published versions/);
  });
});

describe('the alias description (the release history) always fits Lambda\'s 256 characters', () => {
  it('whatever the history: many entries with the longest versions, commits and times', () => {
    const longest = (n: number): HistoryEntry => ({
      version: String(9_999_999_000 + n),
      commit: 'f'.repeat(40),
      releasedAt: 4_102_444_800,
      ...(n % 2 === 0 && { rolledBackFrom: String(9_999_999_900 + n) }),
    });
    for (const count of [1, 2, 3, 10, 100]) {
      const text = formatHistory(Array.from({ length: count }, (_, n) => longest(n)));
      expect(text.length).toBeLessThanOrEqual(ALIAS_DESCRIPTION_LIMIT);
    }
  });
});

describe('refused before any change', () => {
  it('deploy: environment variables above 4 KB, counting the function\'s own variables that are kept', async () => {
    const w = world();
    w.lambda.latest = { ...w.lambda.latest, environment: { KEEP: 'k'.repeat(2000) } };
    const settings = stageSettings('dev', { environment: { BIG: 'b'.repeat(2100) } });
    const error = await deploy(settings, fakeArtifact('aaa'), w.deps, ctx).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    const bytes = environmentBytes({ KEEP: 'k'.repeat(2000), BIG: 'b'.repeat(2100) });
    expect(bytes).toBeGreaterThan(ENVIRONMENT_LIMIT_BYTES);
    expect((error as Error).message).toBe(
      `environment: stage "dev" would give notes-api ${bytes.toLocaleString('en-US')} bytes of environment variables ` +
        '(measured as Lambda does: the JSON of the map, including 1 variable already on notes-api that stage-deploy keeps), ' +
        "above Lambda's 4 KB (4,096 bytes) limit; largest: BIG 2,108 bytes, KEEP 2,009 bytes. " +
        'Shorten the values or move them out of the environment (e.g. to SSM Parameter Store)',
    );
    expect(writes(w.lambda)).toEqual([]);
  });

  it('deploy: a dry run is refused the same way', async () => {
    const w = world();
    const settings = stageSettings('dev', { environment: { BIG: 'b'.repeat(4100) } });
    await expect(deploy(settings, fakeArtifact('aaa'), { ...w.deps, dryRun: true }, ctx)).rejects.toThrow(/^environment: stage "dev" would give/);
  });

  it('deploy: exactly 4 KB passes', async () => {
    const w = world();
    w.lambda.latest = { ...w.lambda.latest, environment: {} };
    w.lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const value = 'v'.repeat(ENVIRONMENT_LIMIT_BYTES - '{"BIG":""}'.length);
    const result = await deploy(stageSettings('dev', { environment: { BIG: value } }), fakeArtifact('aaa'), w.deps, ctx);
    expect(result.kind).toBe('released');
  });

  it('deploy: code that unzips to 250 MB or more, with or without a bucket', async () => {
    const w = world();
    const artifact = { ...fakeArtifact('aaa'), unzippedBytes: UNZIPPED_LIMIT_BYTES };
    await expect(deploy(stageSettings('dev'), artifact, w.deps, ctx)).rejects.toThrow(
      new InputError(
        'artifact: "build/aaa.zip" unzips to 262,144,000 bytes (250.0 MB), at or above Lambda\'s 250 MB (262,144,000 bytes) ' +
          'unzipped limit; make the package smaller or use a container image',
      ),
    );
    await expect(deploy(stageSettings('dev', { s3Bucket: 'b' }), artifact, w.deps, ctx)).rejects.toThrow(/unzipped limit/);
    expect(writes(w.lambda)).toEqual([]);
  });

  it('promote without a bucket: source code too large for a direct upload names s3-bucket', async () => {
    const w = world();
    w.lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const dev = stageSettings('dev', { environment: { TABLE: 'dev' } });
    expect((await deploy(dev, fakeArtifact('aaa'), w.deps, ctx)).kind).toBe('released');
    w.lambda.versions[0] = { ...w.lambda.versions[0]!, codeSize: DIRECT_UPLOAD_LIMIT_BYTES + 1 };
    w.lambda.latest = { ...w.lambda.latest, codeSha256: 'other=' };
    w.lambda.calls = [];
    await expect(promote(dev, stageSettings('prod', { environment: { TABLE: 'prod' } }), w.deps, ctx)).rejects.toThrow(
      new InputError(
        's3-bucket: not set for stage "prod", and the code of version 1 that dev runs is 50.0 MB, above Lambda\'s 50 MB ' +
          'direct-upload limit; set s3-bucket for prod to promote it through S3',
      ),
    );
    expect(writes(w.lambda)).toEqual([]);
    expect(w.lambda.downloads).toEqual([]);
  });
});

describe('fetch before change', () => {
  it('promote: a failed download leaves $LATEST untouched (no settings, no code written) and says what failed', async () => {
    const w = world();
    w.lambda.codeBySource.set('/tmp/aaa.zip', 'aaa=');
    const dev = stageSettings('dev', { environment: { TABLE: 'dev' } });
    expect((await deploy(dev, fakeArtifact('aaa'), w.deps, ctx)).kind).toBe('released');
    w.lambda.latest = { ...w.lambda.latest, codeSha256: 'other=' };
    const latestBefore = { ...w.lambda.latest };
    w.lambda.failWhen = (op) => op === 'downloadCode';
    w.lambda.calls = [];
    const result = await promote(dev, stageSettings('prod', { environment: { TABLE: 'prod' } }), w.deps, ctx);
    expect(result.kind).toBe('not-shifted');
    if (result.kind !== 'not-shifted') return;
    expect(result.error).toBe('prod: publishing failed, nothing was shifted: downloadCode failed (injected)');
    expect(result.settingsChanged).toEqual([]);
    expect(writes(w.lambda)).toEqual([]);
    expect(w.lambda.calls).toContain('downloadCode');
    expect(w.lambda.latest).toEqual(latestBefore);
  });
});
