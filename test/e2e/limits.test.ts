/**
 * Lambda's limits and the fetch-before-change rule, end to end through `node dist/index.js`
 * against moto behind the proxy, which refuses what Lambda refuses (enforceLambdaLimits) and can
 * make the presigned code URL fail (failCodeDownload, codeLocationAt):
 * - a promote without s3-bucket whose download fails changes nothing on $LATEST, names the host
 *   and the cause, and never shows the presigned URL;
 * - environment variables above 4 KB, a direct upload above the request limit, and code that
 *   unzips above 250 MB are refused before any write, each with one message naming the field;
 * - the release history in the alias description stays within Lambda's 256 characters.
 * (bad-input.test.ts has the plain 50 MB direct-upload refusal.)
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GetAliasCommand, GetFunctionConfigurationCommand, UpdateAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import yazl from 'yazl';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { createFunction, makeZip, snapshotFunction } from '../harness/lambda-fixtures.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;
const WRITES = ['UpdateFunctionConfiguration', 'UpdateFunctionCode', 'PublishVersion', 'CreateAlias', 'UpdateAlias', 'PutObject', 'CreateMultipartUpload'];

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;
let counter = 0;

beforeAll(async () => {
  stack = await startAwsStack('e2e-limits-');
  ({ moto, proxy, workspace, lambda } = stack);
});

afterAll(() => stack?.stop());

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

/** A fresh function and a stages file for it: dev, staging and prod, each with its TABLE. */
async function setUp(extra = '') {
  counter += 1;
  const fn = `limits-${counter}`;
  await createFunction(proxy.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('initial') }), environment: { KEEP: 'me' } });
  const config = `${fn}.yml`;
  writeFileSync(
    join(workspace, config),
    [
      'defaults:',
      `  function: ${fn}`,
      '  region: us-east-1',
      'stages:',
      '  dev: { environment: { TABLE: notes-dev } }',
      '  staging: { environment: { TABLE: notes-staging } }',
      '  prod: { environment: { TABLE: notes-prod } }',
      extra,
    ].join('\n'),
  );
  return { fn, config };
}

function run(config: string, inputs: Record<string, string>) {
  return runAction({ inputs: { config, ...inputs }, workspace, env: awsEnv(proxy.endpoint) });
}
const relative = (path: string) => path.slice(workspace.length + 1);
const writes = () => proxy.calls.filter((c) => WRITES.includes(c.operation) && c.status < 300).map((c) => c.operation);
const errors = (stdout: string) => annotations(stdout).filter((a) => a.kind === 'error').map((a) => a.message);

async function latestOf(fn: string) {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn }));
  return { code: config.CodeSha256, env: config.Environment?.Variables, revision: config.RevisionId };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** dev runs release one (version 1), staging release two, so $LATEST no longer holds dev's code. */
async function devAndStaging(config: string) {
  const one = makeZip(join(workspace, 'build'), { 'index.mjs': handler(`one ${counter}`) });
  const two = makeZip(join(workspace, 'build'), { 'index.mjs': handler(`two ${counter}`) });
  expect((await run(config, { stage: 'dev', artifact: relative(one) })).outputs).toMatchObject({ status: 'deployed', version: '1' });
  expect((await run(config, { stage: 'staging', artifact: relative(two) })).outputs).toMatchObject({ status: 'deployed', version: '2' });
}

/** A zip of one entry of `size` bytes: random and stored (incompressible), or zeros, deflated. */
async function bigZip(name: string, size: number, kind: 'random' | 'zeros') {
  const zip = new yazl.ZipFile();
  zip.addBuffer(kind === 'random' ? randomBytes(size) : Buffer.alloc(size), 'blob.bin', { compress: kind === 'zeros' });
  zip.addBuffer(Buffer.from(handler('big')), 'index.mjs');
  zip.end();
  const path = join(workspace, 'build', name);
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

describe('promote without s3-bucket: fetch before change', () => {
  it('a presigned URL that answers 403 leaves $LATEST untouched, names the host, and shows no secret', async () => {
    const { fn, config } = await setUp();
    await devAndStaging(config);
    const before = await latestOf(fn);
    const aliasesBefore = (await snapshotFunction(moto.endpoint, fn)).aliases;
    proxy.reset();
    proxy.failCodeDownload(403);
    const result = await run(config, { stage: 'prod', command: 'promote', 'promote-from': 'dev' });

    expect(result.code).not.toBe(0);
    expect(result.outputs.status).toBe('failed');
    const host = new URL(proxy.endpoint).host;
    expect(errors(result.stdout)).toEqual([
      `prod: publishing failed, nothing was shifted: could not download the code of ${fn}'s version 1 from ${host}: HTTP 403 Forbidden (AccessDenied)`,
    ]);
    expect(proxy.counts().DownloadCode).toBe(1);
    // Nothing written: $LATEST keeps staging's code and settings, no version, no alias.
    expect(writes()).toEqual([]);
    expect(await latestOf(fn)).toEqual(before);
    expect(before.env).toEqual({ KEEP: 'me', TABLE: 'notes-staging' });
    expect((await snapshotFunction(moto.endpoint, fn)).aliases).toEqual(aliasesBefore);
    for (const text of [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)]) {
      expect(text).not.toContain('presigned-secret');
      expect(text).not.toContain('X-Amz-Signature');
      expect(text).not.toContain('/__code/');
    }
  });

  it('an unreachable code host says why (ECONNREFUSED), not a bare "fetch failed"', async () => {
    const { fn, config } = await setUp();
    await devAndStaging(config);
    const port = await closedPort();
    proxy.reset();
    proxy.codeLocationAt(`http://127.0.0.1:${port}`);
    const result = await run(config, { stage: 'prod', command: 'promote', 'promote-from': 'dev' });

    expect(result.outputs.status).toBe('failed');
    expect(errors(result.stdout)[0]).toMatch(
      new RegExp(`could not download the code of ${fn}'s version 1 from 127\\.0\\.0\\.1:${port}: fetch failed: connect ECONNREFUSED`),
    );
    expect(writes()).toEqual([]);
    expect(`${result.stdout}${result.stderr}${result.summary}`).not.toContain('presigned-secret');
  });

  it('when the download works, the code is fetched before the first write to $LATEST', async () => {
    const { config } = await setUp();
    await devAndStaging(config);
    proxy.reset();
    const result = await run(config, { stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(result.outputs).toMatchObject({ status: 'promoted', version: '3' });
    const order = proxy.calls.map((c) => c.operation);
    expect(order.indexOf('DownloadCode')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('DownloadCode')).toBeLessThan(order.indexOf('UpdateFunctionConfiguration'));
    expect(order.indexOf('UpdateFunctionConfiguration')).toBeLessThan(order.indexOf('UpdateFunctionCode'));
  });
});

describe('Lambda\'s limits, refused before anything changes', () => {
  it('environment variables above 4 KB (with the function\'s own, kept): one message naming environment; Lambda would have refused', async () => {
    const big = 'v'.repeat(4100);
    const { fn, config } = await setUp(`  big: { environment: { BLOB: ${big} } }`);
    proxy.enforceLambdaLimits();
    const before = await latestOf(fn);
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler('env') });
    const result = await run(config, { stage: 'big', artifact: relative(zip) });

    expect(result.code).not.toBe(0);
    expect(result.outputs.status ?? 'failed').toBe('failed');
    const [message] = errors(result.stdout);
    expect(message).toMatch(
      new RegExp(
        `^environment: stage "big" would give ${fn} 4,123 bytes of environment variables \\(measured as Lambda does: the JSON of the map, ` +
          `including 1 variable already on ${fn} that stage-deploy keeps\\), above Lambda's 4 KB \\(4,096 bytes\\) limit; largest: BLOB 4,109 bytes, KEEP 11 bytes\\. Shorten the values`,
      ),
    );
    expect(writes()).toEqual([]);
    // Refused by the action, not by "Lambda" (the proxy answers 400 to more than 4 KB).
    expect(proxy.calls.filter((c) => c.status === 400 || c.status === 413)).toEqual([]);
    expect(await latestOf(fn)).toEqual(before);
  });

  it('a direct upload between Lambda\'s request limit and 50 MiB is refused naming s3-bucket (Lambda would answer 413)', async () => {
    const { fn, config } = await setUp();
    proxy.enforceLambdaLimits();
    // 52,428,300 bytes of incompressible data: under 50 MiB, but its base64 is above 69,905,067 bytes.
    const zip = await bigZip('near-limit.zip', 52_428_300, 'random');
    const result = await run(config, { stage: 'dev', artifact: relative(zip) });

    expect(result.code).not.toBe(0);
    expect(errors(result.stdout)).toEqual([
      'artifact: "build/near-limit.zip" is 50.0 MB, above Lambda\'s 50 MB direct-upload limit; set s3-bucket to upload it through S3',
    ]);
    expect(writes()).toEqual([]);
    expect((await latestOf(fn)).env).toEqual({ KEEP: 'me' });
  });

  it('code that unzips to 250 MB or more is refused naming the artifact and the size', async () => {
    const { config } = await setUp();
    const zip = await bigZip('huge-unzipped.zip', 262_144_000, 'zeros');
    const result = await run(config, { stage: 'dev', artifact: relative(zip) });

    expect(result.code).not.toBe(0);
    expect(errors(result.stdout)[0]).toMatch(
      /^artifact: "build\/huge-unzipped\.zip" unzips to 262,144,\d{3} bytes \(250\.0 MB\), at or above Lambda's 250 MB \(262,144,000 bytes\) unzipped limit/,
    );
    expect(writes()).toEqual([]);
  });

  it('a long release history is trimmed to Lambda\'s 256 characters, which the proxy enforces', async () => {
    const { fn, config } = await setUp();
    const zip = makeZip(join(workspace, 'build'), { 'index.mjs': handler('h1') });
    expect((await run(config, { stage: 'dev', artifact: relative(zip) })).outputs).toMatchObject({ status: 'deployed', version: '1' });
    // A history as long as Lambda allows, written behind the action's back.
    const entries = Array.from({ length: 20 }, (_, i) => `["${1000 + i}","abcdef${i % 10}",1763790000]`);
    let description = '';
    for (let n = entries.length; n > 0; n--) {
      description = `stage-deploy {"r":[["1","",0],${entries.slice(0, n).join(',')}]}`;
      if (description.length <= 256) break;
    }
    expect(description.length).toBeGreaterThan(230);
    await lambda.send(new UpdateAliasCommand({ FunctionName: fn, Name: 'dev', FunctionVersion: '1', Description: description }));
    proxy.enforceLambdaLimits();
    proxy.reset();
    const next = makeZip(join(workspace, 'build'), { 'index.mjs': handler('h2') });
    const result = await run(config, { stage: 'dev', artifact: relative(next) });

    expect(errors(result.stdout)).toEqual([]);
    expect(result.outputs).toMatchObject({ status: 'deployed', version: '2' });
    expect(proxy.calls.filter((c) => c.status === 400)).toEqual([]);
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'dev' }));
    expect(alias.Description?.length).toBeLessThanOrEqual(256);
    expect(alias.Description).toMatch(/^stage-deploy \{"r":\[\["2",[^\]]*\],\["1","",0\],\["1000",/);
  });
});
