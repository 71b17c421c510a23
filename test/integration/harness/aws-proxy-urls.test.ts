// The proxy's emulation of function URLs (test/harness/aws-proxy.mjs emulateFunctionUrls, issue 15)
// in front of a real moto server: one config per qualifier, served by invoking what the qualifier
// names with a version 2.0 event, an AWS_IAM URL only to a valid SigV4 signature; the action's
// SigV4 signer (src/aws/url-signer.ts) against that verification; and the action's Lambda gateway
// (src/aws/lambda-gateway.ts) reading them (functionUrl, listFunctionUrls).
import {
  AddPermissionCommand,
  CreateAliasCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  PublishVersionCommand,
} from '@aws-sdk/client-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';

import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { functionUrlSigner } from '../../../src/aws/url-signer.js';
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-urls-');
beforeEach(() => aws.proxy.emulateFunctionUrls());

/** The harness's fixed credentials (moto.mjs), whose signatures the proxy verifies. */
const testCredentials = () => Promise.resolve({ accessKeyId: 'testing', secretAccessKey: 'testing' });
/** The action's own signer (src/aws/url-signer.ts), checked against the proxy's verification. */
const testSigner = functionUrlSigner({ region: () => Promise.resolve('us-east-1'), credentials: testCredentials });

let counter = 0;
/** A function whose version 1 is on alias `live`; its handler echoes the request or answers `result`. */
async function aliasedFunction(result?: string) {
  counter += 1;
  const name = `urls-fn-${counter}`;
  const handler =
    result ?? `({ statusCode: 201, headers: { 'X-Seen': event.requestContext.http.method + ' ' + event.rawPath }, body: JSON.stringify({ version: event.version, q: event.rawQueryString, body: event.body ?? null }) })`;
  const zipPath = makeZip(aws.tmp, { 'index.js': `exports.handler = async (event) => ${handler};\n` });
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  const version = await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  await aws.clients.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: version.Version! }));
  return name;
}

describe('aws-proxy: function URLs (emulateFunctionUrls)', () => {
  it('keeps one config per qualifier and lists them all', async () => {
    const name = await aliasedFunction();
    const onAlias = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    const onLatest = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' }));
    expect(onAlias.FunctionUrl).toBe(`${aws.proxy.endpoint}/__url/${name}/live/`);
    expect(onAlias.FunctionArn).toMatch(new RegExp(`:function:${name}:live$`));
    expect(onLatest.FunctionArn).toMatch(new RegExp(`:function:${name}$`));

    const got = await aws.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    expect(got).toMatchObject({ FunctionUrl: onAlias.FunctionUrl, AuthType: 'NONE' });
    const listed = await aws.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }));
    expect(listed.FunctionUrlConfigs?.map((c) => c.AuthType).sort()).toEqual(['AWS_IAM', 'NONE']);

    await aws.clients.lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' }));
    await expect(aws.clients.lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses a URL on a version number and a second URL on the same qualifier', async () => {
    const name = await aliasedFunction();
    await expect(aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: '1', AuthType: 'NONE' }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
    await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    await expect(aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }))).rejects.toMatchObject({
      name: 'ResourceConflictException',
    });
  });

  it('serves the URL by invoking the alias with a 2.0 event and answers with the result\'s status, headers and body', async () => {
    const name = await aliasedFunction();
    const { FunctionUrl } = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    const response = await fetch(`${FunctionUrl!}health?deep=1`, { method: 'POST', body: 'ping' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-seen')).toBe('POST /health');
    expect(await response.json()).toEqual({ version: '2.0', q: 'deep=1', body: 'ping' });
    expect(aws.proxy.invocations.at(-1)).toMatchObject({ functionName: name, version: '1' });
    expect(aws.proxy.functionUrlRequests).toEqual([{ functionName: name, qualifier: 'live', method: 'POST', path: '/health', status: 201 }]);
  });

  it('answers 200 application/json for a result without statusCode, and 502 for a function error', async () => {
    const plain = await aliasedFunction(`({ ok: true })`);
    const plainUrl = (await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: plain, Qualifier: 'live', AuthType: 'NONE' }))).FunctionUrl!;
    const ok = await fetch(plainUrl);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(await ok.json()).toEqual({ ok: true });

    const failing = await aliasedFunction(`{ throw new Error('boom'); }`);
    const failingUrl = (await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: failing, Qualifier: 'live', AuthType: 'NONE' }))).FunctionUrl!;
    expect((await fetch(failingUrl)).status).toBe(502);
  });

  it('answers 403 to an unsigned request at an AWS_IAM URL, and 404 where no URL is configured', async () => {
    const name = await aliasedFunction();
    const { FunctionUrl } = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'AWS_IAM' }));
    expect((await fetch(FunctionUrl!)).status).toBe(403);
    expect((await fetch(`${aws.proxy.endpoint}/__url/${name}/other/`)).status).toBe(404);
    expect(aws.proxy.invocations).toEqual([]);
  });

  it('serves an AWS_IAM URL a request SigV4-signed with the test credentials, and records it as InvokeFunctionUrl', async () => {
    const name = await aliasedFunction();
    const { FunctionUrl } = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'AWS_IAM' }));
    const url = `${FunctionUrl!}health?deep=1&a=b%20c`;
    const headers = await testSigner({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, body: 'ping' });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: 'ping' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ version: '2.0', q: 'deep=1&a=b%20c', body: 'ping' });
    expect(aws.proxy.functionUrlRequests).toEqual([{ functionName: name, qualifier: 'live', method: 'POST', path: '/health', status: 201, authorization: headers.authorization }]);
    expect(aws.proxy.calls.filter((c) => c.operation === 'InvokeFunctionUrl')).toMatchObject([{ service: 'lambda', method: 'POST', path: `/__url/${name}/live/health` }]);
  });

  it('answers 403 Forbidden to a tampered signature, a changed body, a signature for another service and a stale X-Amz-Date', async () => {
    const name = await aliasedFunction();
    const { FunctionUrl } = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'AWS_IAM' }));
    const url = FunctionUrl!;
    const signed = await testSigner({ method: 'POST', url, headers: {}, body: 'ping' });
    const flipped = signed.authorization!.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    const forbidden = async (init: RequestInit, target = url) => {
      const response = await fetch(target, init);
      return { status: response.status, body: await response.text() };
    };
    const no = { status: 403, body: '{"Message":"Forbidden"}' };
    expect(await forbidden({ method: 'POST', headers: { ...signed, authorization: flipped }, body: 'ping' })).toEqual(no);
    expect(await forbidden({ method: 'POST', headers: signed, body: 'pong' })).toEqual(no);
    expect(await forbidden({ method: 'POST', headers: signed, body: 'ping' }, `${url}other`)).toEqual(no);
    const other = await functionUrlSigner({ region: () => Promise.resolve('us-east-1'), credentials: testCredentials })({ method: 'GET', url, headers: {} });
    expect(await forbidden({ headers: { ...other, authorization: other.authorization!.replace('/lambda/', '/execute-api/') } })).toEqual(no);
    const stale = new Date(Date.now() - 20 * 60_000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    expect(await forbidden({ headers: { ...other, 'x-amz-date': stale } })).toEqual(no);
    // The same request, untouched, passes.
    expect((await fetch(url, { method: 'POST', headers: signed, body: 'ping' })).status).toBe(201);
    expect(aws.proxy.invocations).toHaveLength(1);
  });

  it('accepts a well-formed, current signature by an access key it does not know (an assumed role\'s), without verifying it', async () => {
    const name = await aliasedFunction();
    const { FunctionUrl } = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'AWS_IAM' }));
    const sign = functionUrlSigner({
      region: () => Promise.resolve('us-east-1'),
      credentials: () => Promise.resolve({ accessKeyId: 'ASIAROLEKEY', secretAccessKey: 'unknown-to-the-proxy', sessionToken: 'token' }),
    });
    const headers = await sign({ method: 'GET', url: FunctionUrl!, headers: {} });
    expect((await fetch(FunctionUrl!, { headers })).status).toBe(201);
    const unsigned = { ...headers };
    delete unsigned.authorization;
    expect((await fetch(FunctionUrl!, { headers: unsigned })).status).toBe(403);
  });

  it('is off by default: the switch is what serves function URLs', async () => {
    aws.proxy.clearBehaviours();
    const name = await aliasedFunction();
    const created = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    // moto's own URL, not one the proxy serves.
    expect(created.FunctionUrl).not.toContain('/__url/');
    // moto has no ListFunctionUrlConfigs: the proxy answers an empty list without the switch.
    expect((await aws.clients.lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: name }))).FunctionUrlConfigs).toEqual([]);
  });
});

describe('SdkLambdaGateway: function URLs', () => {
  it('reads the alias\'s URL, undefined when it has none, and lists URLs with their qualifier', async () => {
    const name = await aliasedFunction();
    const gateway = new SdkLambdaGateway(aws.clients.lambda);
    expect(await gateway.functionUrl(name, 'live')).toBeUndefined();
    await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'NONE' }));
    expect(await gateway.functionUrl(name, 'live')).toEqual({ url: `${aws.proxy.endpoint}/__url/${name}/live/`, authType: 'NONE', qualifier: 'live' });
    const listed = await gateway.listFunctionUrls(name);
    expect(listed.map((u) => u.qualifier).sort()).toEqual(['$LATEST', 'live']);
  });
});

describe('aws-proxy: requireUrlPermissions (a NONE URL needs public access in the resource-based policy)', () => {
  it('answers 403 until both statements are on the qualifier; a statement id twice is a conflict; the action\'s gateway grants it', async () => {
    aws.proxy.requireUrlPermissions();
    const name = await aliasedFunction();
    const created = await aws.clients.lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: name, Qualifier: 'live', AuthType: 'NONE' }));
    const url = created.FunctionUrl!;
    expect((await fetch(url)).status).toBe(403);
    // Only InvokeFunctionUrl: not enough since October 2025 (urls-auth.html).
    await aws.clients.lambda.send(
      new AddPermissionCommand({ FunctionName: name, Qualifier: 'live', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }),
    );
    expect((await fetch(url)).status).toBe(403);
    await expect(
      aws.clients.lambda.send(new AddPermissionCommand({ FunctionName: name, Qualifier: 'live', StatementId: 'url', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' })),
    ).rejects.toMatchObject({ name: 'ResourceConflictException' });

    // The action's gateway: both statements on the alias, and a second call is fine.
    const other = await aliasedFunction();
    const gateway = new SdkLambdaGateway(aws.clients.lambda);
    const made = await gateway.createFunctionUrl(other, 'live', 'NONE');
    expect((await fetch(made.url)).status).toBe(403);
    await gateway.allowPublicUrl(other, 'live');
    await gateway.allowPublicUrl(other, 'live');
    expect((await fetch(made.url)).status).toBe(201);
    expect(await gateway.deleteFunctionUrl(other, 'live')).toBe(true);
    expect(await gateway.deleteFunctionUrl(other, 'live')).toBe(false);
  });
});
