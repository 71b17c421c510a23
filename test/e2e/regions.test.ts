/**
 * A stage of two functions in two regions (issue 14, CONTRACT.md "Beyond one zip on one
 * function": `functions`, `regions`, `s3-bucket` per region), end to end through
 * `node dist/index.js` against one moto (which serves every region, by the region each request is
 * signed for) behind the proxy: 4 units, one release.
 * - a deploy releases all 4: each alias on its new version in its own region, the code uploaded
 *   to its region's bucket (signed for that region), `release` lists the 4 with their regions;
 * - a deploy whose code fails only in eu-west-1 (the smoke test of the function there fails):
 *   all 4 aliases go back, in both regions.
 *
 * The stages file has one `smoke.url` per function, not per region, so a function's smoke test
 * requests the same URL for each of its regions: here the worker's URL is an endpoint on its
 * eu-west-1 alias (the api's on its us-east-1 alias); the handler sees its region as AWS_REGION.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, releaseOf, runAction } from '../harness/action.mjs';
import type { AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, lambdaClient, makeZip, s3Client } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const FUNCTIONS = ['regions-api', 'regions-worker'] as const;
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const BUCKETS: Record<(typeof REGIONS)[number], string> = { 'us-east-1': 'regions-code-us', 'eu-west-1': 'regions-code-eu' };
type Fn = (typeof FUNCTIONS)[number];
type Region = (typeof REGIONS)[number];
const CONFIG = 'regions.yml';

/** A handler that answers 200, or 502 when run in `brokenIn` (a region-specific fault). */
const handler = (release: string, brokenIn?: Region) =>
  `export const handler = async () => process.env.AWS_REGION === ${JSON.stringify(brokenIn ?? '')}\n` +
  `  ? { statusCode: 502, body: 'broken in ' + process.env.AWS_REGION }\n` +
  `  : { statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}', region: process.env.AWS_REGION }) };\n`;

let stack: AwsStack | undefined;
let proxy: AwsProxy;
let workspace: string;
let endpoints: Awaited<ReturnType<typeof startEndpoint>>[] = [];

function env() {
  return { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_LOG_RETRY_MS: '50', GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' };
}

/** Writes each function's zip at build/<fn>.zip; returns each one's CodeSha256. */
function build(release: string, code: Partial<Record<Fn, string>> = {}): Record<Fn, string> {
  const shas = {} as Record<Fn, string>;
  for (const fn of FUNCTIONS) {
    const target = join(workspace, 'build', `${fn}.zip`);
    copyFileSync(makeZip(join(workspace, 'build'), { 'index.mjs': `// ${fn}\n${code[fn] ?? handler(release)}` }), target);
    shas[fn] = codeSha256(target);
  }
  return shas;
}

/** Where each unit's alias stands, as `<fn>@<region>` → version (read in each region from moto). */
async function aliases(): Promise<Record<string, string | undefined>> {
  const out: Record<string, string | undefined> = {};
  for (const region of REGIONS) {
    const lambda = lambdaClient(stack?.moto.endpoint ?? '', region);
    try {
      for (const fn of FUNCTIONS) {
        try {
          out[`${fn}@${region}`] = (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: 'dev' }))).FunctionVersion;
        } catch {
          out[`${fn}@${region}`] = undefined;
        }
      }
    } finally {
      lambda.destroy();
    }
  }
  return out;
}

/** The CodeSha256 of a function's version in a region. */
async function shaOf(fn: Fn, region: Region, version: string): Promise<string | undefined> {
  const lambda = lambdaClient(stack?.moto.endpoint ?? '', region);
  try {
    return (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: version }))).CodeSha256;
  } finally {
    lambda.destroy();
  }
}


beforeAll(async () => {
  stack = await startAwsStack('e2e-regions-');
  ({ proxy, workspace } = stack);
  for (const region of REGIONS) {
    const s3 = s3Client(stack.moto.endpoint, region);
    try {
      await s3.send(
        new CreateBucketCommand({ Bucket: BUCKETS[region], ...(region !== 'us-east-1' && { CreateBucketConfiguration: { LocationConstraint: region } }) }),
      );
    } finally {
      s3.destroy();
    }
    for (const fn of FUNCTIONS) {
      await createFunction(stack.moto.endpoint, { name: fn, region, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': `// ${fn} ${region}\n${handler('bootstrap')}` }) });
    }
  }
  const api = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: 'regions-api', alias: 'dev', region: 'us-east-1', codeRoots: [workspace] });
  const worker = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: 'regions-worker', alias: 'dev', region: 'eu-west-1', codeRoots: [workspace] });
  stack.stops.push(api.stop, worker.stop);
  endpoints = [api, worker];
  writeFileSync(
    join(workspace, CONFIG),
    `defaults:
  region: us-east-1
stages:
  dev:
    regions: [us-east-1, eu-west-1]
    s3-bucket: { us-east-1: ${BUCKETS['us-east-1']}, eu-west-1: ${BUCKETS['eu-west-1']} }
    s3-prefix: stage-deploy/
    functions:
      regions-api: { artifact: build/regions-api.zip, smoke: { url: "${api.url}/health", attempts: 1 } }
      regions-worker: { artifact: build/regions-worker.zip, smoke: { url: "${worker.url}/health", attempts: 1 } }
`,
  );
}, 120_000);

afterAll(() => stack?.stop());

describe('a stage of two functions in two regions, one release', () => {
  it('deploys all 4 units: each alias on its new version in its region, the code in its region\'s bucket', async () => {
    const shas = build('one');
    proxy.reset();
    const run = await runAction({ inputs: { stage: 'dev', config: CONFIG }, workspace, env: env() });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('deployed');

    const entries = releaseOf(run.outputs);
    expect(entries.map((e) => [e.function, e.region, e.version, e['previous-version'], e['code-sha256']])).toEqual([
      ['regions-api', 'us-east-1', '1', '', shas['regions-api']],
      ['regions-api', 'eu-west-1', '1', '', shas['regions-api']],
      ['regions-worker', 'us-east-1', '1', '', shas['regions-worker']],
      ['regions-worker', 'eu-west-1', '1', '', shas['regions-worker']],
    ]);
    expect(await aliases()).toEqual({
      'regions-api@us-east-1': '1',
      'regions-worker@us-east-1': '1',
      'regions-api@eu-west-1': '1',
      'regions-worker@eu-west-1': '1',
    });
    for (const region of REGIONS) for (const fn of FUNCTIONS) expect(await shaOf(fn, region, '1')).toBe(shas[fn]);

    // Each region's code went to that region's bucket, in a request signed for that region.
    const puts = proxy.calls.filter((c) => c.service === 's3' && (c.operation === 'PutObject' || c.operation === 'CreateMultipartUpload'));
    const uploaded = puts.map((c) => `${c.region} ${c.path.split('/')[1]} ${c.path.split('/')[3]}`).sort();
    expect(uploaded).toEqual(
      REGIONS.flatMap((region) => FUNCTIONS.map((fn) => `${region} ${BUCKETS[region]} ${fn}`)).sort(),
    );
    // Each function's UpdateFunctionCode names its own region's bucket, and is sent to that region.
    const updates = proxy.calls.filter((c) => c.operation === 'UpdateFunctionCode');
    expect(updates.map((c) => `${c.region} ${String(c.requestBody?.S3Bucket)}`).sort()).toEqual(
      REGIONS.flatMap((region) => FUNCTIONS.map(() => `${region} ${BUCKETS[region]}`)).sort(),
    );
    for (const region of REGIONS) {
      const s3 = s3Client(stack?.moto.endpoint ?? '', region);
      try {
        const keys = ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKETS[region] }))).Contents ?? []).map((o) => o.Key?.split('/')[1]).sort();
        expect(keys).toEqual([...FUNCTIONS]);
      } finally {
        s3.destroy();
      }
    }
    expect(run.stdout).toMatch(
      /dev: deployed 2 functions in 2 regions: regions-api \(us-east-1\) \(new\) → 1, regions-api \(eu-west-1\) \(new\) → 1, regions-worker \(us-east-1\) \(new\) → 1, regions-worker \(eu-west-1\) \(new\) → 1\./,
    );
    expect(run.summary).toContain('| `regions-worker` | eu-west-1 | ✅ deployed | — → 1 |');
    // No smoke test ran before every alias (in both regions) was on the release.
    const aliasWrites = proxy.calls.filter((c) => c.operation === 'CreateAlias' || c.operation === 'UpdateAlias');
    expect(aliasWrites.map((c) => c.region).sort()).toEqual(['eu-west-1', 'eu-west-1', 'us-east-1', 'us-east-1']);
    const lastWritten = Math.max(...aliasWrites.map((c) => c.startedAt + c.durationMs));
    const smokes = endpoints.flatMap((e) => e.requests);
    expect(smokes.length).toBe(4);
    for (const request of smokes) expect(request.receivedAt).toBeGreaterThanOrEqual(lastWritten);
    for (const request of smokes) expect(request.status).toBe(200);
  });

  it('a release that fails only in eu-west-1 puts all 4 aliases back, in both regions', async () => {
    build('two', { 'regions-worker': handler('two', 'eu-west-1') });
    const before = await aliases();
    const run = await runAction({ inputs: { stage: 'dev', config: CONFIG }, workspace, env: env() });
    expect(run.code).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    // The new versions were published and shifted to in both regions before the checks ran.
    for (const region of REGIONS) for (const fn of FUNCTIONS) expect(await shaOf(fn, region, '2')).toBeDefined();
    expect(await aliases()).toEqual(before);
    const entries = releaseOf(run.outputs);
    expect(entries.map((e) => [e.function, e.region, e.version])).toEqual([
      ['regions-api', 'us-east-1', '1'],
      ['regions-api', 'eu-west-1', '1'],
      ['regions-worker', 'us-east-1', '1'],
      ['regions-worker', 'eu-west-1', '1'],
    ]);
    const [error] = annotations(run.stdout).filter((a) => a.kind === 'error');
    expect(error?.title).toMatch(/^stage-deploy: dev rolled back, all 2 functions in 2 regions \(regions-worker \((us-east-1|eu-west-1)\) failed\)$/);
  });
});
