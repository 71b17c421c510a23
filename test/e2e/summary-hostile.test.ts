/**
 * End to end, the job summary of a release whose function says hostile things: its error line
 * (what the diagnosis shows) and its response body (what the smoke attempts show) carry HTML
 * that would close the summary's blocks, backtick runs, a fake `## ✅ deployed` heading on its
 * own line, mentions and a link; the smoke URL carries a mention too, which reaches the failure
 * line and the deployment status. `node dist/index.js` against moto, a local endpoint and a
 * stand-in GitHub API; the GITHUB_STEP_SUMMARY file is what is checked.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAction } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { startGitHubApi, type GitHubApi } from '../harness/github-api.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';
import { expectInert, HOSTILE, proseLines, TAGS } from '../unit/report/inert.js';

/** Logs the hostile text as the runtime logs an error (one line, the message in JSON), and answers 500 with it. */
const HOSTILE_HANDLER = `const HOSTILE = ${JSON.stringify(HOSTILE)};
export const handler = async () => {
  console.error(new Date().toISOString() + '\\tlocal\\tERROR\\tInvoke Error \\t' + JSON.stringify({ errorType: 'Error', errorMessage: HOSTILE }));
  return { statusCode: 500, headers: { 'content-type': 'text/html' }, body: HOSTILE };
};
`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let github: GitHubApi;
let workspace: string;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.keepLoggingConfig();
  github = await startGitHubApi();
  workspace = mkdtempSync(join(tmpdir(), 'e2e-hostile-'));
  mkdirSync(join(workspace, 'build'));
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await github?.stop();
  await proxy?.stop();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('a failing function with hostile words', () => {
  it('reaches the summary and the deployment status as text only', async () => {
    const fn = 'hostile-api';
    await createFunction(moto.endpoint, {
      name: fn,
      zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': 'export const handler = async () => ({ statusCode: 503, body: "bootstrap" });\n' }),
    });
    const endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: fn, alias: 'dev', codeRoots: [workspace], writeLogs: true });
    stops.push(endpoint.stop);
    writeFileSync(
      join(workspace, 'stages.yml'),
      `stages:\n  dev:\n    function: ${fn}\n    smoke: { url: "${endpoint.url}/health?who=@octocat", attempts: 2, interval: 50ms }\n`,
    );
    const artifact = makeZip(join(workspace, 'build'), { 'index.mjs': HOSTILE_HANDLER });

    const run = await runAction({
      inputs: { stage: 'dev', artifact: artifact.slice(workspace.length + 1), config: 'stages.yml', 'github-token': github.token },
      workspace,
      env: { ...awsEnv(proxy.endpoint), GITHUB_API_URL: github.url, STAGE_DEPLOY_LOG_RETRY_MS: '300' },
    });

    expect(run.code).not.toBe(0);
    expect(run.outputs.status).toBe('rolled-back');
    const summary = run.summary;
    // What GitHub renders holds no live tag, heading, link or mention, and every block closes.
    expectInert(summary);
    // The function's words are there: its error line in a code block no backtick run can close…
    const fenced = /^(`{4,})text\n([\s\S]*?)\n\1$/m.exec(summary);
    expect(fenced?.[2]).toContain(`Error: ${TAGS}`);
    expect(fenced?.[2]).toContain('\n## ✅ deployed\n');
    expect(fenced?.[1]?.length ?? 0).toBeGreaterThan(10);
    // …its body, as code in the attempts table, one row an attempt…
    const rows = summary.split('\n').filter((line) => /^\| [12] \| GET /.test(line));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toMatch(/\| ❌ 500 \| \d+ ms \| `{11}<\/details><\/td><\/tr><\/table><img src=x onerror=alert\(1\)> ``` ````/);
    }
    // …and the mention in the URL inside a code span, where GitHub does not look.
    expect(summary).toMatch(/> \*\*GET `http:\/\/127\.0\.0\.1:\d+\/health\?who=@octocat` → 500 on 2 of 2 attempts; dev rolled back/);
    // The one heading a line starts with outside code is ours.
    expect(proseLines(summary).filter((line) => line.startsWith('#'))).toEqual(['## stage-deploy deploy · dev: ↩️ rolled back', '### What went wrong with version 1']);

    // The deployment status: plain text, the mention broken by a zero-width space.
    const [deployment] = github.deployments;
    const failure = github.statuses(deployment!.id).at(-1);
    expect(failure?.state).toBe('failure');
    expect(failure?.description).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/health\?who=@\u200Boctocat → 500 on 2 of 2 attempts; dev rolled back/);
    expect(failure?.description).not.toMatch(/@octocat/);
  });
});
