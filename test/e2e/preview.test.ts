/**
 * Previews for pull requests (issue 18, CONTRACT "A preview per pull request"), end to end through
 * `node dist/index.js` as GitHub runs it on a `pull_request` event (the number from the event
 * payload file, GITHUB_EVENT_PATH), against moto behind the proxy with emulateFunctionUrls and
 * requireUrlPermissions (a public URL works only with the permissions the action adds), and the
 * GitHub API stand-in (deployments, the one comment).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListAliasesCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { runAction } from '../harness/action.mjs';
import { startGitHubApi, type GitHubApi } from '../harness/github-api.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv } from '../harness/moto.mjs';

const handler = (release: string, status = 200) =>
  `export const handler = async () => { if (${status} >= 500) console.error('preview broke: ${release}'); return { statusCode: ${status}, body: JSON.stringify({ status: 'ok', release: '${release}' }) }; };\n`;

let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;
let github: GitHubApi;

beforeAll(async () => {
  stack = await startAwsStack('e2e-preview-');
  ({ proxy, workspace } = stack);
  lambda = lambdaClient(proxy.endpoint);
  github = await startGitHubApi();
});

afterAll(async () => {
  lambda?.destroy();
  await github?.stop();
  await stack?.stop();
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.emulateFunctionUrls();
  // A NONE URL answers only once the alias's policy grants public access (urls-auth.html).
  proxy.requireUrlPermissions();
});

/** The payload GitHub writes for a pull_request event: its number is the only one the action reads. */
function eventFile(action: string, number: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'event-'));
  const path = join(dir, 'event.json');
  writeFileSync(path, JSON.stringify({ action, number, pull_request: { number, title: 'pr-999 is not this one', head: { ref: 'pr-777' } } }));
  return path;
}

function run(inputs: Record<string, string>, event?: { action: string; number: number }, env: Record<string, string> = {}) {
  return runAction({
    inputs: { 'github-token': github.token, ...inputs },
    workspace,
    env: {
      ...awsEnv(proxy.endpoint),
      GITHUB_API_URL: github.url,
      GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      ...(event !== undefined && { GITHUB_EVENT_PATH: eventFile(event.action, event.number), GITHUB_EVENT_NAME: 'pull_request' }),
      ...env,
    },
  });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}
async function aliasOf(name: string, alias: string) {
  try {
    return await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }));
  } catch {
    return undefined;
  }
}
async function urlOf(name: string, alias: string) {
  try {
    return await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: alias }));
  } catch {
    return undefined;
  }
}

/** A log line of `version` in the function's log group, as Lambda names its streams (`YYYY/MM/DD/[version]id`). */
async function functionSays(name: string, version: string, line: string) {
  const logs = new CloudWatchLogsClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const group = `/aws/lambda/${name}`;
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const stream = `${day}/[${version}]0123456789abcdef0123456789abcdef`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => undefined);
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message: line }] }));
  logs.destroy();
}

/** The action's own comments on pull request `number`. */
const ownComments = (number: number) => github.comments(number).filter((c) => c.body.startsWith('<!-- stage-deploy preview: pr -->'));

/** A function with a `dev` stage and a `pr` preview stage that extends it. */
async function previewFunction(name: string, preview = '{ url: { auth: NONE }, keep-days: 7 }', smoke = '{ attempts: 2, interval: 100ms }') {
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const config = `${name}.yml`;
  writeFileSync(join(workspace, config), `defaults: { function: ${name} }\nstages:\n  dev: { alias: dev }\n  pr:\n    extends: dev\n    smoke: ${smoke}\n    preview: ${preview}\n`);
  return config;
}

/** A release of the `dev` stage (a plain stage of the same function): its version must outlive every preview. */
async function previewFunctionDev(name: string, config: string): Promise<string> {
  const result = await run({ command: 'deploy', stage: 'dev', config, artifact: zipOf(handler(`dev-${name}`)) });
  expect(result.code, result.stdout).toBe(0);
  return result.outputs.version!;
}

describe('command: preview', () => {
  it('creates alias pr-<number> with a function URL, smoke-tests it, moves it on the next push, and restores it after a broken push', async () => {
    const name = 'preview-flow';
    const config = await previewFunction(name);
    const opened = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('one')) }, { action: 'opened', number: 7 });
    expect(opened.code, opened.stdout).toBe(0);
    expect(opened.outputs.status).toBe('deployed');
    const url = await urlOf(name, 'pr-7');
    expect(url?.AuthType).toBe('NONE');
    expect(opened.outputs.url).toBe(url?.FunctionUrl);
    expect((await aliasOf(name, 'pr-7'))?.FunctionVersion).toBe(opened.outputs.version);
    // Smoke-tested through the preview's own URL, after the alias was created.
    expect(proxy.functionUrlRequests.filter((r) => r.qualifier === 'pr-7').map((r) => r.status)).toEqual([200]);
    // Public access is granted on the alias only (urls-auth.html).
    const permissions = proxy.calls.filter((c) => c.operation === 'AddPermission');
    expect(permissions.length).toBe(2);
    expect(permissions.every((c) => c.query.includes('Qualifier=pr-7'))).toBe(true);
    // Nothing else was made: the dev alias does not exist.
    expect(await aliasOf(name, 'dev')).toBeUndefined();
    // One comment with the URL, version, code hash, status and the run; a transient deployment pr-7.
    expect(ownComments(7)).toHaveLength(1);
    const comment = ownComments(7)[0]!;
    expect(comment.body).toContain(`| URL | \`${url?.FunctionUrl}\` |`);
    expect(comment.body).toContain(`| Version | ${opened.outputs.version} |`);
    expect(comment.body).toContain(opened.outputs['code-sha256']);
    expect(comment.body).toContain('| Status | deployed |');
    expect(comment.body).toContain('[The workflow run](https://github.com/acme/notes/actions/runs/4242)');
    const deployment = github.deployments.find((d) => d.environment === 'pr-7');
    expect(deployment).toMatchObject({ transient_environment: true, production_environment: false });
    expect(github.latestState(deployment!.id)).toBe('success');
    expect(github.statuses(deployment!.id).at(-1)?.environment_url).toBe(url?.FunctionUrl);

    const pushed = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('two')) }, { action: 'synchronize', number: 7 });
    expect(pushed.code, pushed.stdout).toBe(0);
    expect(pushed.outputs['previous-version']).toBe(opened.outputs.version);
    expect((await aliasOf(name, 'pr-7'))?.FunctionVersion).toBe(pushed.outputs.version);
    expect((await urlOf(name, 'pr-7'))?.FunctionUrl).toBe(url?.FunctionUrl);
    // The same comment, edited.
    expect(ownComments(7)).toHaveLength(1);
    expect(ownComments(7)[0]!.id).toBe(comment.id);
    expect(ownComments(7)[0]!.body).toContain(`| Version | ${pushed.outputs.version} |`);

    // What Lambda would write for the broken version's runs (moto and the proxy's function URLs write no logs):
    // its own error line in the version's stream, read back by the diagnosis.
    await functionSays(name, String(Number(pushed.outputs.version) + 1), `${new Date().toISOString()}\tlocal\tERROR\tInvoke Error \t${JSON.stringify({ errorType: 'Error', errorMessage: 'preview broke: three @octocat <b>bold</b>' })}`);
    const broken = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('three', 502)) }, { action: 'synchronize', number: 7 });
    expect(broken.code).toBe(1);
    expect(broken.outputs.status).toBe('rolled-back');
    expect((await aliasOf(name, 'pr-7'))?.FunctionVersion).toBe(pushed.outputs.version);
    // Still one comment: it says the check failed, what the function said, and what runs now.
    expect(ownComments(7)).toHaveLength(1);
    const failed = ownComments(7)[0]!.body;
    expect(failed).toContain('| Status | rolled-back |');
    expect(failed).toContain(`| Preview runs | version ${pushed.outputs.version} (put back) |`);
    expect(failed).toContain('**What failed:**');
    expect(failed).toContain('preview broke: three @octocat <b>bold</b>');
    // The function's words sit in a code block: the only place they appear.
    expect(failed.split('```').length).toBeGreaterThan(2);
    expect(failed.split('\n').filter((l) => l.includes('<b>bold</b>')).every((l) => !l.startsWith('**'))).toBe(true);
  });

  it('a first preview whose check fails leaves neither alias nor URL', async () => {
    const name = 'preview-first-broken';
    const config = await previewFunction(name, '{ url: { auth: AWS_IAM } }');
    const result = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('bad', 500)) }, { action: 'opened', number: 3 });
    expect(result.code).toBe(1);
    expect(proxy.functionUrlRequests.filter((r) => r.qualifier === 'pr-3').length).toBe(2);
    // The requests to the AWS_IAM URL were signed.
    expect(proxy.functionUrlRequests.every((r) => r.authorization?.startsWith('AWS4-HMAC-SHA256'))).toBe(true);
    expect(await aliasOf(name, 'pr-3')).toBeUndefined();
    expect(await urlOf(name, 'pr-3')).toBeUndefined();
  });

  it('refuses deploy on a preview stage, preview on a plain stage, and preview without a pull request, before anything changes', async () => {
    const name = 'preview-refusals';
    const config = await previewFunction(name);
    const artifact = zipOf(handler('x'));
    proxy.calls.length = 0;
    const cases: [Record<string, string>, { action: string; number: number } | undefined, string][] = [
      [{ command: 'deploy', stage: 'pr' }, { action: 'opened', number: 4 }, 'command: deploy cannot be used on stage "pr", which has a preview block'],
      [{ command: 'preview', stage: 'dev' }, { action: 'opened', number: 4 }, 'command: preview needs a stage with a preview block, and stage "dev" has none'],
      [{ command: 'preview', stage: 'pr' }, undefined, "command: preview needs the pull request's number, from the event payload"],
    ];
    for (const [inputs, event, message] of cases) {
      const result = await run({ ...inputs, config, artifact }, event);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(message);
    }
    expect(proxy.calls.filter((c) => c.path.includes(name))).toEqual([]);
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases).toEqual([]);
  });
});

async function versionsOf(name: string) {
  const answer = await lambda.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
  return (answer.Versions ?? []).map((v) => v.Version).filter((v) => v !== '$LATEST');
}

describe('without github-token', () => {
  it('previews all the same, and says the comment is skipped', async () => {
    const name = 'preview-no-token';
    const config = await previewFunction(name, '{}', '{ attempts: 1 }');
    const result = await runAction({
      inputs: { command: 'preview', stage: 'pr', config, artifact: zipOf(handler('x')) },
      workspace,
      env: { ...awsEnv(proxy.endpoint), GITHUB_API_URL: github.url, GITHUB_EVENT_PATH: eventFile('opened', 31), GITHUB_EVENT_NAME: 'pull_request' },
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe('deployed');
    expect(result.stdout).toContain('No github-token: the comment on pull request #31 is skipped.');
    expect(github.comments(31)).toEqual([]);
  });
});

describe('command: remove', () => {
  it('on close deletes the URL, the alias and the versions only it used, marks the deployment inactive and updates the comment; twice is fine', async () => {
    const name = 'preview-remove';
    const config = await previewFunction(name);
    const dev = await previewFunctionDev(name, config);
    const one = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('one')) }, { action: 'opened', number: 21 });
    expect(one.code, one.stdout).toBe(0);
    const two = await run({ command: 'preview', stage: 'pr', config, artifact: zipOf(handler('two')) }, { action: 'synchronize', number: 21 });
    expect(two.code, two.stdout).toBe(0);
    // Another preview that runs the same version as the first push: that version stays.
    await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'pr-22', FunctionVersion: one.outputs.version! }));
    const before = await versionsOf(name);
    expect(before).toEqual(expect.arrayContaining([dev, one.outputs.version, two.outputs.version]));

    proxy.calls.length = 0;
    const closed = await run({ command: 'remove', stage: 'pr', config }, { action: 'closed', number: 21 });
    expect(closed.code, closed.stdout).toBe(0);
    expect(closed.outputs.status).toBe('removed');
    expect(await aliasOf(name, 'pr-21')).toBeUndefined();
    expect(await urlOf(name, 'pr-21')).toBeUndefined();
    const after = await versionsOf(name);
    expect(after).not.toContain(two.outputs.version);
    // Still needed: what pr-22 runs, and dev's version.
    expect(after).toEqual(expect.arrayContaining([one.outputs.version, dev]));
    expect((await aliasOf(name, 'pr-22'))?.FunctionVersion).toBe(one.outputs.version);
    // Only published versions were deleted, each with its number as the qualifier.
    const deletes = proxy.calls.filter((c) => c.operation === 'DeleteFunction');
    expect(deletes.map((c) => c.query)).toEqual([`Qualifier=${two.outputs.version}`]);
    // The deployment is inactive, the one comment says removed.
    const deployments = github.deployments.filter((d) => d.environment === 'pr-21');
    expect(deployments.length).toBeGreaterThan(0);
    expect(deployments.every((d) => github.latestState(d.id) === 'inactive')).toBe(true);
    expect(ownComments(21)).toHaveLength(1);
    expect(ownComments(21)[0]!.body).toContain('Preview pr-21: removed');

    const again = await run({ command: 'remove', stage: 'pr', config }, { action: 'closed', number: 21 });
    expect(again.code, again.stdout).toBe(0);
    expect(again.outputs.status).toBe('unchanged');
    expect(again.stdout).toContain('already gone');
    expect(ownComments(21)).toHaveLength(1);
  });
});

describe('command: prune', () => {
  it('removes only the previews whose last release is older than keep-days; a dry run lists them first', async () => {
    const name = 'preview-prune';
    const config = await previewFunction(name, '{ keep-days: 7 }', '{ url: https://example.invalid/, attempts: 1 }');
    const dev = await previewFunctionDev(name, config);
    const now = Math.floor(Date.now() / 1000);
    // A new version each time: a new configuration, then PublishVersion (Lambda publishes only a change).
    let n = 0;
    const version = async () => {
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: { N: String(++n) } } }));
      return (await lambda.send(new PublishVersionCommand({ FunctionName: name }))).Version!;
    };
    const history = (v: string, daysAgo: number) => `stage-deploy ${JSON.stringify({ r: [[v, 'abc1234', now - daysAgo * 86_400]] })}`;
    const made: Record<string, string> = {};
    for (const [alias, days] of [['pr-1', 30], ['pr-2', 2], ['pr-3', 8], ['review-4', 40], ['pr-x', 40]] as const) {
      made[alias] = await version();
      await lambda.send(new CreateAliasCommand({ FunctionName: name, Name: alias, FunctionVersion: made[alias], Description: history(made[alias]!, days) }));
    }

    const dry = await run({ command: 'prune', stage: 'pr', config, 'dry-run': 'true' });
    expect(dry.code, dry.stdout).toBe(0);
    expect(dry.stdout).toContain('would remove pr-1');
    expect(dry.stdout).toContain('would remove pr-3');
    expect(dry.stdout).not.toContain('would remove pr-2');
    expect((await lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases).toHaveLength(6);

    const pruned = await run({ command: 'prune', stage: 'pr', config });
    expect(pruned.code, pruned.stdout).toBe(0);
    const left = ((await lambda.send(new ListAliasesCommand({ FunctionName: name }))).Aliases ?? []).map((a) => a.Name).sort();
    expect(left).toEqual(['dev', 'pr-2', 'pr-x', 'review-4']);
    const versions = await versionsOf(name);
    expect(versions).not.toContain(made['pr-1']);
    expect(versions).not.toContain(made['pr-3']);
    expect(versions).toEqual(expect.arrayContaining([dev, made['pr-2'], made['review-4'], made['pr-x']]));

    // status: the stages, and the live previews apart (pr-2 only: pr-x and review-4 are not of the pattern).
    const status = await run({ command: 'status', stage: 'dev', config });
    expect(status.code, status.stdout).toBe(0);
    const [stagesPart = '', previewsPart = ''] = status.stdout.split('Previews:');
    expect(stagesPart).toContain(`dev → ${dev}`);
    expect(stagesPart).not.toMatch(/\| pr \|/);
    expect(previewsPart).toContain(`pr-2 → ${made['pr-2']}`);
    expect(previewsPart).toContain('PR 2');
    expect(previewsPart).toContain('2 days');
    expect(previewsPart).not.toContain('pr-x');
    expect(status.summary).toContain('### Previews');
  });
});
