/**
 * Function URLs (issue 15), end to end through `node dist/index.js`, against moto behind the
 * proxy with emulateFunctionUrls (moto ignores a function URL's qualifier and serves nothing):
 * - a stage without smoke.url whose alias has a function URL is smoke-tested through it, and the
 *   `url` output is that URL; a release whose handler answers 502 there is rolled back;
 * - an AWS_IAM function URL is smoke-tested with SigV4-signed requests (the proxy verifies the
 *   signature), and a broken release behind one is rolled back; the signature, even echoed by the
 *   function, appears in no log line, output or summary;
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

});

describe('an AWS_IAM function URL: signed smoke requests', () => {
  /** A handler that echoes the request's Authorization and token: the action must mask them. */
  const echoing = (release: string, status = 200) =>
    `export const handler = async (event) => ({ statusCode: ${status}, body: 'auth=' + event.headers.authorization + ' token=' + (event.headers['x-amz-security-token'] ?? '-') + ' status=ok release=${release}' });\n`;

  /** Every Authorization header (and its signature) the smoke test sent appears nowhere the action writes. */
  function expectNoSignatureIn(result: Awaited<ReturnType<typeof run>>) {
    const signed = proxy.functionUrlRequests.map((r) => r.authorization).filter((a): a is string => a !== undefined);
    expect(signed.length).toBeGreaterThan(0);
    const everything = [result.stdout, result.stderr, result.summary, JSON.stringify(result.outputs)].join('\n');
    for (const authorization of signed) {
      expect(everything).not.toContain(authorization);
      expect(everything).not.toContain(/Signature=(\w+)/.exec(authorization)![1]!);
    }
    expect(everything).not.toContain('AWS4-HMAC-SHA256');
  }

  it('smoke-tests the alias\'s AWS_IAM URL with a SigV4-signed request and outputs it as url', async () => {
    const name = 'url-iam';
    const { config, url } = await releasedWithUrl(name, '', 'AWS_IAM');
    proxy.functionUrlRequests.length = 0;
    const result = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(echoing('v2')) });
    expect(result.code, result.stdout).toBe(0);
    expect(result.outputs.status).toBe('deployed');
    expect(result.outputs.url).toBe(url);
    expect(result.stdout).toContain(`smoke test through the function URL of alias live of ${name} (AuthType AWS_IAM: requests signed with SigV4): ${url}`);
    // The proxy verified the signature (the harness's test key) before invoking the new version.
    expect(proxy.functionUrlRequests).toMatchObject([{ functionName: name, qualifier: 'live', method: 'GET', path: '/', status: 200 }]);
    expect(proxy.functionUrlRequests[0]!.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=testing\/\d{8}\/us-east-1\/lambda\/aws4_request, SignedHeaders=host;/);
    expect(proxy.invocations.at(-1)).toMatchObject({ functionName: name, version: result.outputs.version });
    expectNoSignatureIn(result);
  });

  it('rolls back a broken release behind an AWS_IAM URL; the echoed signature is masked in the summary', async () => {
    const name = 'url-iam-broken';
    const { config, url } = await releasedWithUrl(name, '    smoke: { attempts: 2, interval: 100ms, expect-status: 200 }\n', 'AWS_IAM');
    const before = await aliasVersion(name, 'live');
    proxy.functionUrlRequests.length = 0;
    const result = await run({ command: 'deploy', stage: 'prod', config, artifact: zipOf(echoing('v2-broken', 502)) });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('rolled-back');
    expect(result.outputs.url).toBe(url);
    expect(await aliasVersion(name, 'live')).toBe(before);
    // Both attempts were signed and reached the function (a bad signature would be a 403), which answered 502.
    expect(proxy.functionUrlRequests.map((r) => [r.status, r.authorization?.startsWith('AWS4-HMAC-SHA256 ')])).toEqual([
      [502, true],
      [502, true],
    ]);
    expect(result.summary).toContain('auth=*** token=-');
    expectNoSignatureIn(result);
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
