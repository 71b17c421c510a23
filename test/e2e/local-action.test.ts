/**
 * GitHub's own local runner, @github/local-action, drives the action from its TypeScript source:
 * `npx local-action run <repo> src/main.ts <.env> --post src/post.ts`, as a subprocess, against
 * moto (through the proxy) and a local endpoint for the smoke test. local-action runs the source
 * with tsx, stands in for @actions/core (outputs printed as `::set-output name=…::…` and in an
 * "Action Outputs" table, state kept in memory between the main and the post step, setFailed
 * leaving the exit code alone) and reads the inputs from the dotenv file, one per case here.
 *
 * Slow to start: 8 to 17 s a run on a 2-core machine (npx, npm ls, tsx compiling the source; the
 * whole file 55 to 90 s), hence the generous timeouts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv } from '../harness/moto.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * Where local-action is started. It stubs @actions/core at the path `npm ls` gives in its working
 * directory, while Node loads the module at its real path: where node_modules is a symlink (a
 * git worktree sharing another checkout's), start it from the directory that really holds
 * node_modules, or the stand-in is never used. In a plain checkout this is ROOT.
 */
const RUN_FROM = dirname(realpathSync(join(ROOT, 'node_modules')));
const RUN_TIMEOUT_MS = 180_000;

const FN = 'local-action-notes';
const CONFIG = 'local-action.yml';
const GOOD = `export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok' }) });\n`;
const BROKEN = `gibberish;\nexport const handler = async () => ({ statusCode: 200, body: '"ok"' });\n`;

let stack: AwsStack;
/** The dotenv files, RUNNER_TEMP and the job summaries. */
let files: string;
let endpoint: Awaited<ReturnType<typeof startEndpoint>>;

interface LocalRun {
  code: number;
  stdout: string;
  /** The outputs as local-action's stand-in printed them (`::set-output name=…::…`), the last value of each. */
  outputs: Record<string, string>;
  /** What came after local-action's "Running Post Step" banner. */
  post: string;
  summary: string;
  durationMs: number;
}

/**
 * One run of `local-action run` (its bin, as `npx local-action run` starts it): a dotenv file of INPUT_* and the AWS variables, as a
 * user writes it; `onLine` sees each line of output as it comes.
 */
async function localAction(name: string, inputs: Record<string, string>, onLine?: (line: string) => void): Promise<LocalRun> {
  const summaryFile = join(files, `${name}.summary.md`);
  writeFileSync(summaryFile, '');
  const variables: Record<string, string> = {
    ...Object.fromEntries(Object.entries(inputs).map(([input, value]) => [`INPUT_${input.replace(/ /g, '_').toUpperCase()}`, value])),
    ...awsEnv(stack.proxy.endpoint),
    GITHUB_WORKSPACE: stack.workspace,
    RUNNER_TEMP: files,
    GITHUB_STEP_SUMMARY: summaryFile,
    STAGE_DEPLOY_LOG_RETRY_MS: '300',
  };
  const dotenv = join(files, `${name}.env`);
  writeFileSync(dotenv, Object.entries(variables).map(([key, value]) => `${key}=${JSON.stringify(value)}`).join('\n') + '\n');
  const started = performance.now();
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
    // The post entry absolute: local-action resolves it before it knows the action's directory.
    // Its bin run by node, as `npx local-action` runs it, without npm's own start-up: the bin
    // finds tsx on PATH, so the project's node_modules/.bin goes first, as npx puts it.
    const bin = join(RUN_FROM, 'node_modules', '@github', 'local-action', 'bin', 'local-action.js');
    const child = spawn(process.execPath, [bin, 'run', ROOT, 'src/main.ts', dotenv, '--post', join(ROOT, 'src/post.ts')], {
      cwd: RUN_FROM,
      // Nothing of the test's own environment (AWS variables included) but what the tool needs.
      env: { PATH: `${join(RUN_FROM, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let pending = '';
    const take = (chunk: Buffer) => {
      out += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) onLine?.(line);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('close', (exitCode) => done({ code: exitCode ?? 1, stdout: out }));
  });
  const outputs: Record<string, string> = {};
  for (const [, key, value] of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)) outputs[key as string] = value as string;
  const postAt = stdout.indexOf('Running Post Step');
  return {
    code,
    stdout,
    outputs,
    post: postAt < 0 ? '' : stdout.slice(postAt),
    summary: readFileSync(summaryFile, 'utf8'),
    durationMs: performance.now() - started,
  };
}

async function aliasVersion(): Promise<string | undefined> {
  const alias = await stack.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'dev' }));
  return alias.FunctionVersion;
}

function zip(code: string): string {
  return makeZip(join(stack.workspace, 'build'), { 'index.mjs': code }).slice(stack.workspace.length + 1);
}

beforeAll(async () => {
  stack = await startAwsStack('e2e-local-action-');
  files = mkdtempSync(join(tmpdir(), 'e2e-local-action-files-'));
  await createFunction(stack.moto.endpoint, {
    name: FN,
    zipPath: join(stack.workspace, zip('export const handler = async () => ({ statusCode: 503, body: "bootstrap" });\n')),
  });
  endpoint = await startEndpoint({ awsEndpoint: stack.moto.endpoint, functionName: FN, alias: 'dev', codeRoots: [stack.workspace] });
  stack.stops.push(endpoint.stop);
  // A second between smoke attempts: time for the post-step case to arm the proxy once the alias has moved.
  writeFileSync(
    join(stack.workspace, CONFIG),
    `defaults: { function: ${FN}, region: us-east-1 }
stages:
  dev:
    smoke: { url: ${endpoint.url}/health, expect-body: '"status":"ok"', attempts: 3, interval: 1s, timeout: 5s }
`,
  );
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

describe('@github/local-action runs the action from src/main.ts and src/post.ts', () => {
  it('a dry run plans and changes nothing', async () => {
    const run = await localAction('dry-run', { stage: 'dev', artifact: zip(GOOD), config: CONFIG, 'dry-run': 'true' });
    expect(run.stdout).not.toContain('Cannot read properties');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('dry-run: nothing was changed.');
    expect(await stack.lambda.send(new GetAliasCommand({ FunctionName: FN, Name: 'dev' })).catch((error: Error) => error.name)).toBe(
      'ResourceNotFoundException',
    );
    // Measured, for the header's figure: how long local-action takes to start and run.
    console.log(`local-action dry run: ${Math.round(run.durationMs)} ms`);
  }, RUN_TIMEOUT_MS);

  it('a good deploy: outputs deployed / version 1, exit 0, and the post step finds nothing to do', async () => {
    const artifact = zip(GOOD);
    const run = await localAction('deploy', { stage: 'dev', artifact, config: CONFIG });
    expect(run.stdout).not.toContain('Cannot read properties');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({
      status: 'deployed',
      version: '1',
      'previous-version': '',
      'code-sha256': codeSha256(join(stack.workspace, artifact)),
      'alias-arn': `arn:aws:lambda:us-east-1:123456789012:function:${FN}:dev`,
    });
    // local-action's own table of outputs says the same.
    expect(run.stdout).toMatch(/│ 'status'\s+│ 'deployed'\s+│/);
    expect(await aliasVersion()).toBe('1');
    expect(run.summary).toContain('deployed');
    // The github-token input's default reaches the action as text; without GITHUB_REPOSITORY, no statuses (README).
    expect(run.stdout).toContain('No GITHUB_REPOSITORY: deployment statuses skipped.');
    expect(run.post).toContain('stage-deploy post: no shift was left in progress.');
  }, RUN_TIMEOUT_MS);

  it('a broken deploy is rolled back: output rolled-back, a non-zero exit, one error annotation', async () => {
    const run = await localAction('rolled-back', { stage: 'dev', artifact: zip(BROKEN), config: CONFIG });
    expect(run.stdout).not.toContain('Cannot read properties');
    expect(run.code).not.toBe(0);
    expect(run.outputs).toMatchObject({ status: 'rolled-back', version: '1', 'previous-version': '1' });
    expect(run.stdout.match(/^::error/gm)).toHaveLength(1);
    expect(run.stdout).toMatch(/^::error title=stage-deploy: dev rolled back from 2 to 1::GET http:\/\/127\.0\.0\.1:\d+\/health → 502 on 3 of 3 attempts/m);
    expect(await aliasVersion()).toBe('1');
    expect(run.summary).toContain('rolled back');
    // The main step put the alias back itself: nothing left for the post step.
    expect(run.post).toContain('stage-deploy post: no shift was left in progress.');
  }, RUN_TIMEOUT_MS);

  it('the post step puts the alias back when the main step could not (its rollback refused)', async () => {
    let armed = false;
    // Once the alias is on the broken version, the main step's one UpdateAlias to put it back is
    // refused (400, not retried); the post step's own UpdateAlias goes through.
    const run = await localAction('post-step', { stage: 'dev', artifact: zip(BROKEN.replace('gibberish', 'nonsense')), config: CONFIG }, (line) => {
      if (!armed && /Shifted alias dev from version 1 to 3\./.test(line)) {
        armed = true;
        stack.proxy.failOperation('UpdateAlias', { status: 400, type: 'InvalidParameterValueException', message: 'Injected refusal', times: 1 });
      }
    });
    stack.proxy.clearBehaviours();
    expect(armed).toBe(true);
    expect(run.stdout).not.toContain('Cannot read properties');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/^::error title=stage-deploy: dev ROLLBACK FAILED, alias may be on 3::/m);
    expect(run.post).toContain('stage-deploy post: the main step did not finish shifting alias dev of local-action-notes to version 3.');
    expect(run.post).not.toMatch(/^::error/m);
    expect(await aliasVersion()).toBe('1');
  }, RUN_TIMEOUT_MS);
});
