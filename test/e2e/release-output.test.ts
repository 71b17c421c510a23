/**
 * The `release` output end to end, through `node dist/index.js` against moto behind the proxy:
 * JSON with every function and region of the release, read back as a workflow would
 * (`fromJSON`). A one-function stage gives an array of one, whose values are the other outputs';
 * `status` gives the stage's aliases; bad input gives `[]`. With several functions (the stages
 * file's `functions`), one entry per function, one summary table, and one closing line; a failed
 * check names the function and every alias goes back.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, releaseOf, runAction } from '../harness/action.mjs';
import type { AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const ok = (name: string) => `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${name}' }) });\n`;
const BROKEN = 'export const handler = async () => ({ statusCode: 502, body: "broken" });\n';

let stack: AwsStack | undefined;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
const urls: Record<string, string> = {};

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_LOG_RETRY_MS: '50', GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } });
}
function zipOf(code: string): { path: string; sha: string } {
  const path = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return { path: path.slice(workspace.length + 1), sha: codeSha256(path) };
}
async function aliasVersion(fn: string, alias: string) {
  return (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).FunctionVersion;
}

const MULTI = (api: string, worker: string) => `defaults:
  region: us-east-1
stages:
  dev:
    functions:
      notes-api: { artifact: ${api}, smoke: { url: "${urls['notes-api']}/health", attempts: 1 } }
      notes-worker: { artifact: ${worker}, smoke: { url: "${urls['notes-worker']}/health", attempts: 1 } }
`;

beforeAll(async () => {
  stack = await startAwsStack('e2e-release-output-');
  ({ proxy, workspace, lambda } = stack);
  for (const fn of ['notes-api', 'notes-worker']) {
    await createFunction(stack.moto.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': `// ${fn}\n${ok('bootstrap')}` }) });
    const endpoint = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: fn, alias: 'dev', codeRoots: [workspace] });
    stack.stops.push(endpoint.stop);
    urls[fn] = endpoint.url;
  }
  // No region in the file: the SDK's default (AWS_REGION) is used, and the output names it.
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:\n  function: notes-api\nstages:\n  dev:\n    smoke: { url: "${urls['notes-api']}/health", attempts: 1 }\n`,
  );
});

afterAll(() => stack?.stop());

describe('the release output of a one-function stage', () => {
  it('is an array of one, with the region actually used and the values of the other outputs', async () => {
    const one = zipOf(ok('one'));
    const result = await run({ stage: 'dev', artifact: one.path });
    expect(result.code, result.stdout).toBe(0);
    expect(releaseOf(result.outputs)).toEqual([{ function: 'notes-api', region: 'us-east-1', version: '1', 'previous-version': '', 'code-sha256': one.sha }]);
    expect(result.outputs.version).toBe('1');
    expect(result.outputs['code-sha256']).toBe(one.sha);
    // The one-function summary is as it was.
    expect(result.summary).toContain('| Function | `notes-api` |');
  });

  it('says where the alias stayed when the release was rolled back', async () => {
    const broken = zipOf(BROKEN);
    const result = await run({ stage: 'dev', artifact: broken.path });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const [entry] = releaseOf(result.outputs);
    expect(entry).toMatchObject({ function: 'notes-api', region: 'us-east-1', version: '1', 'previous-version': '1' });
    expect(entry?.['code-sha256']).not.toBe(broken.sha);
    expect(await aliasVersion('notes-api', 'dev')).toBe('1');
  });

  it('status: the stage acted on, as its aliases stand', async () => {
    const result = await run({ stage: 'dev', command: 'status' });
    expect(result.code, result.stdout).toBe(0);
    expect(releaseOf(result.outputs)).toEqual([
      { function: 'notes-api', region: 'us-east-1', version: '1', 'previous-version': '', 'code-sha256': result.outputs['code-sha256'] },
    ]);
  });

  it('is an empty array on bad input', async () => {
    const result = await run({ stage: 'qa', artifact: 'build/none.zip' });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(releaseOf(result.outputs)).toEqual([]);
  });
});

describe('the release output and report of a stage of several functions', () => {
  it('lists every function, with one summary table and one closing line', async () => {
    const api = zipOf(ok('api-2'));
    const worker = zipOf(`// worker\n${ok('worker-1')}`);
    writeFileSync(join(workspace, 'multi.yml'), MULTI(api.path, worker.path));
    const before = await aliasVersion('notes-api', 'dev');
    const result = await run({ stage: 'dev', config: 'multi.yml' });
    expect(result.code, result.stdout).toBe(0);
    const entries = releaseOf(result.outputs);
    expect(entries.map((e) => [e.function, e.region, e['code-sha256']])).toEqual([
      ['notes-api', 'us-east-1', api.sha],
      ['notes-worker', 'us-east-1', worker.sha],
    ]);
    expect(entries[0]?.['previous-version']).toBe(before);
    expect(entries[1]?.['previous-version']).toBe('');
    // The other outputs describe the first function.
    expect(result.outputs.version).toBe(entries[0]?.version);
    expect(result.outputs.status).toBe('deployed');
    expect(result.summary).toContain('| Function | Region | What happened | Version | Code | Checks |');
    expect(result.summary).toContain('| `notes-worker` | us-east-1 | ✅ deployed | — → 1 |');
    expect(result.stdout).toMatch(/dev: deployed 2 functions: notes-api \d+ → \d+, notes-worker \(new\) → 1\./);
  });

  it('a failed check names the function, and every alias goes back', async () => {
    const api = zipOf(ok('api-3'));
    const worker = zipOf(`// worker\n${BROKEN}`);
    writeFileSync(join(workspace, 'multi.yml'), MULTI(api.path, worker.path));
    const before = { api: await aliasVersion('notes-api', 'dev'), worker: await aliasVersion('notes-worker', 'dev') };
    const result = await run({ stage: 'dev', config: 'multi.yml' });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    const [error] = annotations(result.stdout).filter((a) => a.kind === 'error');
    expect(error?.title).toBe('stage-deploy: dev rolled back, all 2 functions (notes-worker failed)');
    expect(error?.message).toMatch(/^notes-worker: .*every alias went back: notes-api /);
    expect(releaseOf(result.outputs).map((e) => e.version)).toEqual([before.api, before.worker]);
    expect(await aliasVersion('notes-api', 'dev')).toBe(before.api);
    expect(await aliasVersion('notes-worker', 'dev')).toBe(before.worker);
  });
});
