// The aws-proxy's emulation of what Lambda refuses and moto accepts (enforceLambdaLimits: the 4 KB
// environment, 256-character descriptions), and of a presigned code URL that fails
// (failCodeDownload, codeLocationAt); then SdkLambdaGateway.downloadCode against those failures:
// host only in the message, the cause named, the presigned query nowhere.
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  GetFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { useProxiedMoto } from '../../harness/proxied-moto.js';
import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { codeSha256, createFunction, makeZip } from '../../harness/lambda-fixtures.mjs';
const aws = useProxiedMoto('aws-proxy-limits-');

let counter = 0;
/** A fresh function created through the proxy (so the proxy knows its code), with version 1 published. */
async function freshFunction() {
  counter += 1;
  const name = `limits-fn-${counter}`;
  const zipPath = makeZip(aws.tmp, { 'index.mjs': `export const handler = async () => '${name}';\n` });
  await createFunction(aws.proxy.endpoint, { name, zipPath });
  await aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name }));
  return { name, zipPath };
}

/** Variables whose JSON (`{"A":"xxx…"}`) is exactly `bytes` long. */
function variablesOf(bytes: number): Record<string, string> {
  return { A: 'x'.repeat(bytes - '{"A":""}'.length) };
}

async function refusal(promise: Promise<unknown>) {
  const error = (await promise.then(
    () => undefined,
    (e: unknown) => e,
  )) as (Error & { $metadata?: { httpStatusCode?: number } }) | undefined;
  return error === undefined ? undefined : { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('enforceLambdaLimits', () => {
  it('refuses environment variables above 4 KB (the JSON of the map) as Lambda does; 4,096 bytes pass', async () => {
    const { name } = await freshFunction();
    aws.proxy.enforceLambdaLimits();
    const over = await refusal(aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: variablesOf(4097) } })));
    expect(over).toEqual({
      name: 'InvalidParameterValueException',
      status: 400,
      message: expect.stringMatching(
        /^Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit\. String measured: \{"A":"x+"\}$/,
      ),
    });
    expect(aws.proxy.calls.find((c) => c.operation === 'UpdateFunctionConfiguration')?.status).toBe(400);
    expect(await refusal(aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: variablesOf(4096) } })))).toBeUndefined();
  });

  it('is off by default: moto alone takes more than 4 KB of environment', async () => {
    const { name } = await freshFunction();
    expect(await refusal(aws.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, Environment: { Variables: variablesOf(5000) } })))).toBeUndefined();
  });

  it('refuses a description above 256 characters on CreateAlias, UpdateAlias and PublishVersion with a ValidationException', async () => {
    const { name } = await freshFunction();
    aws.proxy.enforceLambdaLimits();
    aws.proxy.reset();
    const long = 'd'.repeat(257);
    const expected = {
      name: 'ValidationException',
      status: 400,
      message: `1 validation error detected: Value '${long}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 256`,
    };
    expect(await refusal(aws.clients.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '1', Description: long })))).toEqual(expected);
    expect(await refusal(aws.clients.lambda.send(new CreateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '1', Description: long.slice(1) })))).toBeUndefined();
    expect(await refusal(aws.clients.lambda.send(new UpdateAliasCommand({ FunctionName: name, Name: 'dev', FunctionVersion: '1', Description: long })))).toEqual(expected);
    expect(await refusal(aws.clients.lambda.send(new PublishVersionCommand({ FunctionName: name, Description: long })))).toEqual(expected);
    expect(aws.proxy.counts()).toMatchObject({ CreateAlias: 2, UpdateAlias: 1, PublishVersion: 1 });
  });

  it('refuses an UpdateFunctionCode request of 69,905,067 bytes or more with 413 RequestEntityTooLargeException', async () => {
    const { name } = await freshFunction();
    aws.proxy.enforceLambdaLimits();
    // 52,428,800 bytes of zip become 69,905,068 bytes of base64, before the JSON around them.
    const zip = Buffer.alloc(52_428_800);
    expect(await refusal(aws.clients.lambda.send(new UpdateFunctionCodeCommand({ FunctionName: name, ZipFile: zip })))).toEqual({
      name: 'RequestEntityTooLargeException',
      status: 413,
      message: 'Request must be smaller than 69905067 bytes for the UpdateFunctionCode operation',
    });
  });
});

describe('a presigned code URL that fails', () => {
  it('failCodeDownload answers the code URL with S3\'s 403 AccessDenied (or the given status), and GetFunction still points at it', async () => {
    const { name, zipPath } = await freshFunction();
    aws.proxy.failCodeDownload();
    const answer = await aws.clients.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    const location = answer.Code?.Location ?? '';
    expect(location).toMatch(new RegExp(`^${aws.proxy.endpoint}/__code/[0-9a-f]{64}\\?X-Amz-Signature=presigned-secret$`));
    const refused = await fetch(location);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
    expect(aws.proxy.calls.find((c) => c.operation === 'DownloadCode')?.status).toBe(403);

    aws.proxy.failCodeDownload(500);
    expect((await fetch(location)).status).toBe(500);

    aws.proxy.clearBehaviours();
    const served = await fetch(location);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).length).toBeGreaterThan(0);
    expect(codeSha256(zipPath)).toBe(answer.Configuration?.CodeSha256);
  });

  it('codeLocationAt points Code.Location at another origin', async () => {
    const { name } = await freshFunction();
    aws.proxy.codeLocationAt('http://127.0.0.1:9/');
    const answer = await aws.clients.lambda.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '1' }));
    expect(answer.Code?.Location).toMatch(/^http:\/\/127\.0\.0\.1:9\/__code\/[0-9a-f]{64}\?X-Amz-Signature=presigned-secret$/);
  });
});

describe('SdkLambdaGateway.downloadCode when the presigned URL fails', () => {
  const gateway = () => new SdkLambdaGateway(aws.clients.lambda);

  it('names the function, version, host and HTTP status (and S3\'s code), never the presigned path or query', async () => {
    const { name } = await freshFunction();
    aws.proxy.failCodeDownload();
    const host = new URL(aws.proxy.endpoint).host;
    const error = await gateway().downloadCode(name, '1', join(aws.tmp, 'x.zip')).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toBe(`could not download the code of ${name}'s version 1 from ${host}: HTTP 403 Forbidden (AccessDenied)`);

    aws.proxy.failCodeDownload(500);
    const five = await gateway().downloadCode(name, '1', join(aws.tmp, 'x.zip')).then(() => undefined, (e: unknown) => e as Error);
    expect(five?.message).toBe(`could not download the code of ${name}'s version 1 from ${host}: HTTP 500 Internal Server Error (InternalError)`);
  });

  it('says why a host cannot be reached (the cause, not a bare "fetch failed")', async () => {
    const { name } = await freshFunction();
    const port = await closedPort();
    aws.proxy.codeLocationAt(`http://127.0.0.1:${port}`);
    const error = await gateway().downloadCode(name, '1', join(aws.tmp, 'y.zip')).then(() => undefined, (e: unknown) => e as Error);
    expect(error?.message).toMatch(new RegExp(`^could not download the code of ${name}'s version 1 from 127\\.0\\.0\\.1:${port}: fetch failed: .*ECONNREFUSED`));
    expect(error?.message).not.toContain('presigned-secret');
    expect(error?.message).not.toContain('__code');
    expect(JSON.stringify(error)).not.toContain('presigned-secret');
  });

  it('still downloads when nothing fails', async () => {
    const { name, zipPath } = await freshFunction();
    expect(await gateway().downloadCode(name, '1', join(aws.tmp, 'z.zip'))).toBe(codeSha256(zipPath));
  });
});
