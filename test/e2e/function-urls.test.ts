/**
 * Function URLs (issue 15), end to end through `node dist/index.js`, against moto behind the
 * proxy with emulateFunctionUrls (moto ignores a function URL's qualifier and serves nothing):
 * - a stage without smoke.url whose alias has a function URL is smoke-tested through it, and the
 *   `url` output is that URL; a release whose handler answers 502 there is rolled back;
 * - a smoke block without url on an AWS_IAM function URL is refused before anything changes;
 * - a stage of several functions checks each through its own alias's URL;
 * - `status` warns of a function URL on $LATEST (it bypasses the stage).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateFunctionUrlConfigCommand, GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv } from '../harness/moto.mjs';

const handler = (release: string, status = 200) =>
  `export const handler = async () => ({ statusCode: ${status}, body: JSON.stringify({ status: 'ok', release: '${release}' }) });\n`;

let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stack: AwsStack | undefined;

beforeAll(async () => {
  stack = await startAwsStack('e2e-function-urls-');
  ({ proxy, workspace } = stack);
  // Through the proxy: it keeps the function URL configs (emulateFunctionUrls).
  lambda = lambdaClient(proxy.endpoint);
});

afterAll(async () => {
  lambda?.destroy();
  await stack?.stop();
});

beforeEach(() => {
  proxy.clearBehaviours();
  proxy.emulateFunctionUrls();
});

function run(inputs: Record<string, string>) {
  return runAction({ inputs, workspace, env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' } });
}
function zipOf(code: string) {
  return makeZip(join(workspace, 'build'), { 'index.mjs': code }).slice(workspace.length + 1);
}
async function aliasVersion(name: string, alias: string) {
  return (await lambda.send(new GetAliasCommand({ FunctionName: name, Name: alias }))).FunctionVersion;
}

/** A function released once to alias `live` (no smoke test: no URL yet), then given a function URL there. */
async function releasedWithUrl(name: string, stage: string, authType: 'NONE' | 'AWS_IAM' = 'NONE') {
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const config = `${name}.yml`;
  writeFileSync(join(workspace, config), `stages:\n  prod:\n    function: ${name}\n    alias: live\n${stage}`);
  const first = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(handler('v1')) });
  expect(first.code, first.stdout).toBe(0);
  expect(first.stdout).toContain('no smoke test');
  const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: authType }));
  return { config, url: created.FunctionUrl! };
}

describe('smoke test through the alias\'s function URL', () => {
  it('smoke-tests the function URL when there is no smoke.url, and outputs it as url', async () => {
    const name = 'url-good';
    const { config, url } = await releasedWithUrl(name, '');
    proxy.functionUrlRequests.length = 0;
    const result = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(handler('v2')) });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe('deployed');
    expect(result.outputs.url).toBe(url);
    expect(result.stdout).toContain(`smoke test through the function URL of alias live of ${name}: ${url}`);
    expect(proxy.functionUrlRequests).toEqual([{ functionName: name, qualifier: 'live', method: 'GET', path: '/', status: 200 }]);
    // The request reached the new version through the alias.
    expect(proxy.invocations.at(-1)).toMatchObject({ functionName: name, version: result.outputs.version });
    // The URL is read with the alias as qualifier, before anything changes.
    const calls = proxy.calls.filter((c) => c.path.includes(name));
    const read = calls.findIndex((c) => c.operation === 'GetFunctionUrlConfig');
    expect(read).toBeGreaterThanOrEqual(0);
    expect(calls[read]?.query).toBe('Qualifier=live');
    expect(calls.findIndex((c) => c.method !== 'GET')).toBeGreaterThan(read);
  });

  it('rolls back a release whose handler answers 502 at the function URL, with the smoke block\'s settings', async () => {
    const name = 'url-broken';
    const { config, url } = await releasedWithUrl(name, '    smoke: { attempts: 2, interval: 100ms, expect-status: 200 }\n');
    const before = await aliasVersion(name, 'live');
    proxy.functionUrlRequests.length = 0;
    const result = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(handler('v2-broken', 502)) });
    expect(result.code).toBe(1);
    expect(result.outputs.url).toBe(url);
    expect(await aliasVersion(name, 'live')).toBe(before);
    expect(proxy.functionUrlRequests.map((r) => r.status)).toEqual([502, 502]);
    expect(annotations(result.stdout).filter((a) => a.kind === 'error').map((a) => a.message).join('\n')).toContain('502');
  });

  it('refuses a smoke block without url on an AWS_IAM function URL, before anything changes', async () => {
    const name = 'url-iam';
    const { config } = await releasedWithUrl(name, '    smoke: { attempts: 1 }\n', 'AWS_IAM');
    const before = await aliasVersion(name, 'live');
    proxy.reset();
    const result = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(handler('v2')) });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('smoke.url: not set for stage prod, and the function URL of alias live of url-iam uses AuthType AWS_IAM');
    expect(proxy.calls.filter((c) => c.method !== 'GET' && c.method !== 'HEAD')).toEqual([]);
    expect(await aliasVersion(name, 'live')).toBe(before);
  });
});

describe('several functions in one release', () => {
  it('smoke-tests each function through its own alias\'s URL; url is the first function\'s', async () => {
    const names = ['url-multi-a', 'url-multi-b'];
    const urls: string[] = [];
    for (const name of names) {
      await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
      writeFileSync(join(workspace, `${name}.yml`), `stages:\n  prod:\n    function: ${name}\n    alias: live\n`);
      expect((await run({ command: 'deploy', stage: 'prod', config: `${name}.yml`, artifact: zipOf(handler(`${name}-v1`)) })).code).toBe(0);
      urls.push((await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }))).FunctionUrl!);
    }
    const config = 'url-multi.yml';
    const artifacts = names.map((name) => zipOf(handler(`${name}-v2`)));
    writeFileSync(
      join(workspace, config),
      `stages:\n  prod:\n    alias: live\n    smoke: { attempts: 1 }\n    functions:\n${names.map((name, i) => `      ${name}: { artifact: ${artifacts[i]} }`).join('\n')}\n`,
    );
    proxy.functionUrlRequests.length = 0;
    const result = await run({ command: 'deploy', stage: 'prod', config });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.url).toBe(urls[0]);
    expect(proxy.functionUrlRequests.map((r) => `${r.functionName} ${r.qualifier} ${r.status}`).sort()).toEqual(names.map((name) => `${name} live 200`));
  });
});

describe('status: a function URL that bypasses the stage', () => {
  it('warns of a function URL on $LATEST', async () => {
    const name = 'url-latest';
    const { config } = await releasedWithUrl(name, '');
    const latest = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    const result = await run({ command: 'status', stage: 'prod', config });
    expect(result.code, result.stdout).toBe(0);
    const warnings = annotations(result.stdout).filter((a) => a.kind === 'warning').map((a) => a.message);
    expect(warnings).toContain(
      `function URL on $LATEST (unqualified) of ${name} bypasses the stage's alias: ${latest.FunctionUrl!} (delete it, or put it on the alias)`,
    );
    // The alias's own URL is no misconfiguration.
    expect(warnings.filter((w) => w.includes('/live/'))).toEqual([]);
    expect(result.summary).toMatch(/\| ⚠️ function URL on .*LATEST.* of url-latest bypasses the stage/);
  });
});
