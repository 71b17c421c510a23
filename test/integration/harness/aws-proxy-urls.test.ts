// The proxy's emulation of function URLs (test/harness/aws-proxy.mjs emulateFunctionUrls, issue 15)
// in front of a real moto server: one config per qualifier, served by invoking what the qualifier
// names with a version 2.0 event; and the action's Lambda gateway (src/aws/lambda-gateway.ts)
// reading them (functionUrl, listFunctionUrls).
import {
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
import { createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-urls-');
beforeEach(() => aws.proxy.emulateFunctionUrls());

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
