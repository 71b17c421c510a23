/**
 * promote, status and rollback of a stage of several functions (issue 14: "promote, rollback and
 * status work on the whole stage"), end to end through `node dist/index.js` against moto behind
 * the proxy, with an endpoint per function's alias (the handler sees its version's environment):
 * - promote dev → prod (the same two functions, another alias): every prod alias ends on a version
 *   with dev's exact CodeSha256; promoted again, the stage is `unchanged` with no publish; a
 *   promote whose code fails prod's smoke test in one function puts every prod alias back;
 * - status: one row per function (and region) of each stage, in the summary and the log;
 * - rollback after a release that changed only one function: every function returns to the
 *   stage's previous release (the one it ran then), not each to its own previous version.
 * The tests run in order and build on each other's releases.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetAliasCommand, GetFunctionConfigurationCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import type { AwsProxy } from '../harness/aws-proxy.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const FUNCTIONS = ['cmd-api', 'cmd-worker'] as const;
type Fn = (typeof FUNCTIONS)[number];
const CONFIG = 'commands.yml';

/** A handler that answers 200, or 502 when its version's environment says STAGE=`brokenIn`. */
const handler = (fn: Fn, release: string, brokenIn?: string) =>
  `// ${fn}\nexport const handler = async () => process.env.STAGE === ${JSON.stringify(brokenIn ?? '')}\n` +
  `  ? { statusCode: 502, body: 'broken in ' + process.env.STAGE }\n` +
  `  : { statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}' }) };\n`;

let stack: AwsStack | undefined;
let proxy: AwsProxy;
let lambda: LambdaClient;
let workspace: string;

function run(inputs: Record<string, string>) {
  return runAction({
    inputs: { config: CONFIG, ...inputs },
    workspace,
    env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_LOG_RETRY_MS: '50', GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' },
  });
}

/** Writes each function's zip at build/<fn>.zip; returns each one's CodeSha256. */
function build(code: Record<Fn, string>): Record<Fn, string> {
  const shas = {} as Record<Fn, string>;
  for (const fn of FUNCTIONS) {
    const target = join(workspace, 'build', `${fn}.zip`);
    copyFileSync(makeZip(join(workspace, 'build'), { 'index.mjs': code[fn] }), target);
    shas[fn] = codeSha256(target);
  }
  return shas;
}

/** Each function's alias: its version and that version's CodeSha256. */
async function stageOf(alias: string): Promise<Record<Fn, { version: string; sha: string }>> {
  const out = {} as Record<Fn, { version: string; sha: string }>;
  for (const fn of FUNCTIONS) {
    const version = (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: alias }))).FunctionVersion ?? '';
    const sha = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: version }))).CodeSha256 ?? '';
    out[fn] = { version, sha };
  }
  return out;
}

const shasOf = (stage: Record<Fn, { sha: string }>) => Object.fromEntries(FUNCTIONS.map((fn) => [fn, stage[fn].sha]));
const versionsOf = (stage: Record<Fn, { version: string }>) => Object.fromEntries(FUNCTIONS.map((fn) => [fn, stage[fn].version]));

beforeAll(async () => {
  stack = await startAwsStack('e2e-multi-commands-');
  ({ proxy, lambda, workspace } = stack);
  const urls: Record<string, string> = {};
  for (const fn of FUNCTIONS) {
    await createFunction(proxy.endpoint, { name: fn, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler(fn, 'bootstrap') }) });
    for (const alias of ['dev', 'prod']) {
      const endpoint = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: fn, alias, codeRoots: [workspace] });
      stack.stops.push(endpoint.stop);
      urls[`${fn}:${alias}`] = `${endpoint.url}/health`;
    }
  }
  const smoke = (fn: Fn, alias: string) => `smoke: { url: "${urls[`${fn}:${alias}`] ?? ''}", attempts: 1 }`;
  writeFileSync(
    join(workspace, CONFIG),
    `defaults:
  region: us-east-1
stages:
  dev:
    environment: { STAGE: dev }
    functions:
${FUNCTIONS.map((fn) => `      ${fn}: { artifact: build/${fn}.zip, ${smoke(fn, 'dev')} }`).join('\n')}
  prod:
    environment: { STAGE: prod }
    functions:
${FUNCTIONS.map((fn) => `      ${fn}: { ${smoke(fn, 'prod')} }`).join('\n')}
`,
  );
}, 120_000);

afterAll(() => stack?.stop());

describe('promote of a stage of two functions', () => {
  it("every prod alias ends on a version with dev's exact code", async () => {
    const shas = build({ 'cmd-api': handler('cmd-api', 'r1'), 'cmd-worker': handler('cmd-worker', 'r1') });
    const deployed = await run({ stage: 'dev' });
    expect(deployed.code, deployed.stdout).toBe(0);
    const dev = await stageOf('dev');
    expect(shasOf(dev)).toEqual(shas);

    const promoted = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(promoted.code, promoted.stdout).toBe(0);
    expect(promoted.outputs.status).toBe('promoted');
    const prod = await stageOf('prod');
    expect(shasOf(prod)).toEqual(shas);
    const entries = JSON.parse(promoted.outputs.release ?? '[]') as { function: string; 'code-sha256': string; version: string }[];
    expect(entries.map((e) => [e.function, e['code-sha256'], e.version])).toEqual(FUNCTIONS.map((fn) => [fn, shas[fn], prod[fn].version]));
  });

  it('promoted again, the stage is unchanged, with no publish and no alias moved', async () => {
    const before = await stageOf('prod');
    proxy.reset();
    const again = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs.status).toBe('unchanged');
    expect(proxy.counts().PublishVersion ?? 0).toBe(0);
    expect(proxy.calls.filter((c) => c.operation === 'UpdateFunctionCode' || c.operation === 'UpdateFunctionConfiguration')).toEqual([]);
    expect(await stageOf('prod')).toEqual(before);
  });

  it("one function failing prod's smoke test puts every prod alias back", async () => {
    // The worker of r2 fails only where STAGE is prod: dev passes, the promote does not.
    const shas = build({ 'cmd-api': handler('cmd-api', 'r2'), 'cmd-worker': handler('cmd-worker', 'r2', 'prod') });
    const deployed = await run({ stage: 'dev' });
    expect(deployed.code, deployed.stdout).toBe(0);
    expect(shasOf(await stageOf('dev'))).toEqual(shas);
    const before = await stageOf('prod');

    const promoted = await run({ stage: 'prod', command: 'promote', 'promote-from': 'dev' });
    expect(promoted.code).toBe(1);
    expect(promoted.outputs.status).toBe('rolled-back');
    expect(await stageOf('prod')).toEqual(before);
    const [error] = annotations(promoted.stdout).filter((a) => a.kind === 'error');
    expect(error?.title).toBe('stage-deploy: prod rolled back, all 2 functions (cmd-worker failed)');
  });
});

describe('status of a stage of two functions', () => {
  it('shows one row per function of each stage, in the summary and the log', async () => {
    const dev = await stageOf('dev');
    const prod = await stageOf('prod');
    const status = await run({ stage: 'prod', command: 'status' });
    expect(status.code, status.stdout).toBe(0);
    for (const [stage, aliases] of [['prod', prod], ['dev', dev]] as const) {
      for (const fn of FUNCTIONS) {
        const row = new RegExp(`^\\| ${stage} \\| \`${fn}\` \\(us-east-1\\) \\| ${stage} → ${aliases[fn].version} \\|`, 'm');
        expect(status.summary).toMatch(row);
        expect(status.stdout).toMatch(row);
      }
    }
    const rows = status.summary.split('\n').filter((line) => /^\| (dev|prod) \|/.test(line));
    expect(rows).toHaveLength(4);
    // The release output: the stage acted on, every function.
    const entries = JSON.parse(status.outputs.release ?? '[]') as { function: string; region: string; version: string }[];
    expect(entries.map((e) => [e.function, e.region, e.version])).toEqual(FUNCTIONS.map((fn) => [fn, 'us-east-1', prod[fn].version]));
  });
});

describe('rollback of a stage of two functions', () => {
  it('after a release that changed only one function, every function returns to the previous release', async () => {
    // The stage's previous release is r2 (both changed); release r3 changes only the api.
    const previous = await stageOf('dev');
    build({ 'cmd-api': handler('cmd-api', 'r3'), 'cmd-worker': handler('cmd-worker', 'r2', 'prod') });
    const deployed = await run({ stage: 'dev' });
    expect(deployed.code, deployed.stdout).toBe(0);
    const r3 = await stageOf('dev');
    expect(r3['cmd-api'].version).not.toBe(previous['cmd-api'].version);
    expect(r3['cmd-worker']).toEqual(previous['cmd-worker']);

    proxy.reset();
    const back = await run({ stage: 'dev', command: 'rollback' });
    expect(back.code, back.stdout).toBe(0);
    expect(back.outputs.status).toBe('rolled-back');
    // The api returns to r2's version; the worker, which ran r2 in both releases, stays (not back to r1).
    expect(versionsOf(await stageOf('dev'))).toEqual(versionsOf(previous));
    expect(proxy.counts().PublishVersion ?? 0).toBe(0);
    const entries = JSON.parse(back.outputs.release ?? '[]') as { function: string; version: string; 'previous-version': string }[];
    expect(entries.map((e) => [e.function, e['previous-version'], e.version])).toEqual([
      ['cmd-api', r3['cmd-api'].version, previous['cmd-api'].version],
      ['cmd-worker', previous['cmd-worker'].version, previous['cmd-worker'].version],
    ]);
  });
});
