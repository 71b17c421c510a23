/**
 * End to end: text the action does not control carries workflow commands, planted in every place
 * the action prints from (a function's log lines and error, a smoke response, an alias
 * description's history, the commit, an AWS error message, values of the stages file), and a
 * runner (test/harness/runner-commands.mjs, actions/runner's parsing rules) finds none of them in
 * the step's output; the step's own outputs and state are what they would be anyway.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction, type ActionRun } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv, type startMoto } from '../harness/moto.mjs';
import { ACTION_OWN_COMMANDS, runnerCommands, strayCommands } from '../harness/runner-commands.mjs';

/** Each form the runner would act on, where it would act on it (a line's start, or anywhere). */
const PLANTED = [
  'before ##[set-output name=x]y and ##[add-mask]deployed',
  '::save-state name=rollout::{"functionName":"evil","alias":"prod","to":"1"}',
  '::stop-commands::abc',
  '\r::warning::x',
  '\n::error title=Approve prod now::x',
  '\r\n  ::set-output name=status::deployed',
].join('\n');
/** The same on one line (for values that cannot hold a line break). */
const PLANTED_LINE = 'v ##[set-output name=x]y ##[add-mask]deployed ##[save-state name=rollout]{}';

const LOGGING_BROKEN = `console.log(${JSON.stringify(PLANTED)});
export const handler = async () => {
  console.error(${JSON.stringify(PLANTED)});
  throw new Error(${JSON.stringify(PLANTED)});
};
`;
const BAD_BODY = `export const handler = async () => ({
  statusCode: 500,
  headers: { 'x-note': ${JSON.stringify(PLANTED_LINE)} },
  body: ${JSON.stringify(PLANTED)},
});
`;
const GOOD = 'export const handler = async () => ({ statusCode: 200, body: \'"ok"\' });\n';
const GOOD_TWO = GOOD.replace('"ok"', '"ok, two"');

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stops: AwsStack['stops'];
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-untrusted-', { keepLoggingConfig: true });
  ({ moto, proxy, workspace, lambda, stops } = stack);
});

afterAll(() => stack?.stop());

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.reset();
});

/** A function on moto, its endpoint (writing the function's logs to moto), and its stages file. */
async function setUp(functionName: string, stage = (url: string) => `      url: ${url}/health`) {
  await createFunction(moto.endpoint, {
    name: functionName,
    zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => ({ statusCode: 503 });\n' }),
  });
  const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName, alias: 'dev', codeRoots: [workspace], writeLogs: true });
  stops.push(endpoint.stop);
  const config = `${functionName}.yml`;
  writeFileSync(
    join(workspace, config),
    `stages:
  dev:
    function: ${functionName}
    region: us-east-1
    environment: { NOTE: ${JSON.stringify(PLANTED)}, MODE: ${JSON.stringify(PLANTED_LINE)} }
    smoke:
${stage(endpoint.url)}
      attempts: 2
      interval: 50ms
      timeout: 5s
`,
  );
  return config;
}

/** Runs the action; the harness itself fails the run on a stray command (no add-mask allowed). */
async function act(config: string, inputs: Record<string, string>, files?: Record<string, string>, env: Record<string, string> = {}) {
  const artifact = files ? { artifact: makeZip(join(workspace, 'build'), files).slice(workspace.length + 1) } : {};
  const run = await runAction({
    inputs: { stage: 'dev', config, ...artifact, ...inputs },
    workspace,
    env: { ...awsEnv(proxy.endpoint), STAGE_DEPLOY_LOG_RETRY_MS: '300', ...env },
    commands: { masks: [] },
  });
  return run;
}

/** No command but the action's own annotations, none of them planted; outputs and state its own. */
function expectClean(run: ActionRun): void {
  expect(strayCommands(run, { masks: [] })).toEqual([]);
  const commands = [...runnerCommands(run.stdout), ...runnerCommands(run.stderr)];
  for (const command of commands) {
    expect(ACTION_OWN_COMMANDS).toContain(command.command);
    // An annotation of the action's own making: not one a planted line opened.
    expect(command.properties.title ?? '').not.toBe('Approve prod now');
  }
  // The outputs are the action's seven, and none of them is a planted value.
  expect(Object.keys(run.outputs).sort()).toEqual(['alias-arn', 'code-sha256', 'previous-version', 'release', 'status', 'url', 'version'].filter((k) => k in run.outputs));
  expect(run.outputs).not.toHaveProperty('x');
  // `url` is the smoke URL as the stages file wrote it (the user's own value, checked where a test plants one); the others are the action's.
  for (const [key, value] of Object.entries(run.outputs)) if (key !== 'url') expect(value).not.toMatch(/^y$|evil|::|##\[/);
  if (run.outputs.url) expect(run.outputs.url).toMatch(/^https?:\/\/[^\s]*$/);
  // The state is the action's own: the post-step flag, and the signed rollout (state, MAC, key id).
  expect(Object.keys(run.state).filter((k) => !['isPost', 'rollout', 'rolloutMac', 'rolloutKey'].includes(k))).toEqual([]);
  expect(run.state.rollout ?? '').not.toContain('evil');
}

/** The log line that shows a planted mark, defused (the source really was printed). */
const defused = (run: ActionRun) => run.stdout.includes('#\u00B7#[set-output') || run.stdout.includes(':\u00B7:save-state');

describe('untrusted text in the log carries no workflow command', () => {
  it("a function's log lines and error message, and a commit string, in a rolled-back deploy", async () => {
    const config = await setUp('untrusted-logs');
    const first = await act(config, {}, { 'index.mjs': GOOD }, { GITHUB_SHA: PLANTED });
    expectClean(first);
    expect(first.outputs).toMatchObject({ status: 'deployed', version: '1' });

    const run = await act(config, {}, { 'index.mjs': LOGGING_BROKEN }, { GITHUB_SHA: `\n::save-state name=rollout::x ${PLANTED}` });
    expectClean(run);
    expect(run.code).not.toBe(0);
    expect(run.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    // The function's own lines reached the log (diagnosis), defused.
    expect(defused(run)).toBe(true);
    expect(annotations(run.stdout).filter((a) => a.kind === 'error')).toHaveLength(1);
  });

  // The body and headers are judged and kept for the job summary; whatever of them reaches the log
  // (the attempt lines, the annotation) must carry no command.
  it('a smoke response body and header that carry commands', async () => {
    const config = await setUp('untrusted-body');
    const run = await act(config, {}, { 'index.mjs': BAD_BODY });
    expectClean(run);
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toMatch(/rolled-back|failed/);
  });

  it('an alias description whose history holds commands, in a status run and a deploy', async () => {
    const config = await setUp('untrusted-history');
    expectClean(await act(config, {}, { 'index.mjs': GOOD }));
    const description = `stage-deploy ${JSON.stringify({ r: [['1', PLANTED.slice(0, 150), 1_700_000_000]] })}`;
    await lambda.send(new UpdateAliasCommand({ FunctionName: 'untrusted-history', Name: 'dev', Description: description }));

    const status = await act(config, { command: 'status' });
    expectClean(status);
    expect(status.code).toBe(0);
    expect(status.outputs).toMatchObject({ status: 'unchanged', version: '1' });
    // A commit that is no SHA is read as unknown (history.ts): the planted text never reaches the log at all.
    expect(defused(status)).toBe(false);
    expect(status.stdout).not.toContain('set-output name=x');

    const deploy = await act(config, {}, { 'index.mjs': GOOD_TWO });
    expectClean(deploy);
    expect(deploy.outputs).toMatchObject({ status: 'deployed', version: '2', 'previous-version': '1' });

    const after = await act(config, { command: 'status' });
    expectClean(after);
  });

  it('an AWS error message that carries commands', async () => {
    const config = await setUp('untrusted-aws');
    proxy.failOperation('PublishVersion', { status: 400, type: 'InvalidParameterValueException', message: PLANTED });
    const run = await act(config, {}, { 'index.mjs': GOOD });
    expectClean(run);
    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('failed');
    // The message is in the error annotation, escaped into one command line.
    const error = annotations(run.stdout).find((a) => a.kind === 'error');
    expect(error?.message).toContain('::save-state name=rollout::');
  });

  it('stages-file values (environment, smoke URL and expected body) in a dry-run plan and a deploy', async () => {
    const config = await setUp('untrusted-values', (url) => `      url: ${url}/health?note=##[add-mask]deployed\n      expect-body: ${JSON.stringify(PLANTED_LINE)}`);
    const dry = await act(config, { 'dry-run': 'true' }, { 'index.mjs': GOOD });
    expectClean(dry);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry-run: nothing was changed.');

    const run = await act(config, {}, { 'index.mjs': GOOD });
    expectClean(run);
    expect(run.code).not.toBe(0); // the body does not hold the planted expect-body
    expect(defused(run)).toBe(true);
    // The url output is the stage's own smoke.url, unchanged: written to the output file, never to the log as a command.
    expect(run.outputs.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/health\?note=##\[add-mask\]deployed$/);
  });

  it('a value the stages file rejects, quoted back in the error', async () => {
    const config = 'untrusted-bad.yml';
    writeFileSync(join(workspace, config), `stages:\n  dev:\n    function: f\n    log-level: ${JSON.stringify(PLANTED)}\n    smoke: { url: ${JSON.stringify(`http://x/${PLANTED_LINE}`)} }\n`);
    const run = await act(config, {}, { 'index.mjs': GOOD });
    expectClean(run);
    expect(run.code).not.toBe(0);
    expect(run.outputs).toEqual({ status: 'failed', release: '[]' });
  });
});
