// Invoke through the aws-proxy in front of moto: moto runs functions only in Docker, so the proxy
// answers Invoke itself by running the version's handler in a fresh Node process. The functions
// are created and updated THROUGH the proxy, which learns each version's code from the uploads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/app.js';
import { SdkLambdaGateway } from '../../../src/aws/lambda-gateway.js';
import { apiGatewayEvent, invokeCheck } from '../../../src/checks/invoke.js';
import { startProxy, type AwsProxy } from '../../harness/aws-proxy.mjs';
import { codeSha256, createFunction, lambdaClient, makeZip } from '../../harness/lambda-fixtures.mjs';
import { startMoto } from '../../harness/moto.mjs';
import type { SmokeSettings } from '../../../src/model/settings.js';
import type { Log } from '../../../src/model/ports.js';

const GOOD = `exports.handler = async (event) => {
  console.log('serving', event.httpMethod, event.path);
  console.error('checked key of', event.path);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      status: 'ok',
      path: event.path,
      key: event.headers['x-api-key'],
      version: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      greeting: process.env.GREETING,
    }),
  };
};
`;
const BROKEN = `gibberish;\nexports.handler = async () => ({ statusCode: 200, body: 'ok' });\n`;
const THROWS = `exports.handler = async () => { throw new TypeError('no table configured'); };\n`;
const NOT_PROXY = `exports.handler = async () => 'ok';\n`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let client: LambdaClient;
let gateway: SdkLambdaGateway;
let tmp: string;

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

function withoutBodyCheck(settings: SmokeSettings): SmokeSettings {
  const { expectBody: _ignored, ...rest } = settings;
  return rest;
}

function smoke(over: Partial<SmokeSettings> = {}): SmokeSettings {
  return {
    url: 'https://dev.api.example.com/notes/health?verbose=1',
    method: 'GET',
    headers: { 'x-api-key': 'k-secret-1' },
    secrets: ['k-secret-1'],
    expectStatus: { codes: [], classes: [2], text: '2xx' },
    expectBody: { kind: 'substring', text: '"status":"ok"' },
    attempts: 3,
    intervalMs: 1000,
    timeoutMs: 5000,
    invoke: true,
    ...over,
  };
}

let counter = 0;
/** A function through the proxy: version 1 from `first`, then each of `more` as the next version. */
async function functionWithVersions(first: string, ...more: string[]) {
  counter += 1;
  const name = `invoke-fn-${counter}`;
  const zips = [first, ...more].map((code) => makeZip(tmp, { 'index.js': code }));
  await createFunction(proxy.endpoint, { name, zipPath: zips[0]!, environment: { GREETING: 'hello' } });
  await gateway.publishVersion(name, { codeSha256: codeSha256(zips[0]!), description: 'v1' });
  for (const zip of zips.slice(1)) {
    await gateway.updateCode(name, { kind: 'zip-file', zipPath: zip });
    await gateway.publishVersion(name, { codeSha256: codeSha256(zip), description: 'next' });
  }
  return name;
}

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  client = lambdaClient(proxy.endpoint);
  gateway = new SdkLambdaGateway(client, { waiter: { minDelaySeconds: 1, maxDelaySeconds: 2, maxWaitSeconds: 30 } });
  tmp = mkdtempSync(join(tmpdir(), 'invoke-'));
});

afterAll(async () => {
  client?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('invokeVersion through the proxy', () => {
  it('runs a good version and returns its proxy result, with the version’s environment', async () => {
    const name = await functionWithVersions(GOOD, BROKEN);
    const event = apiGatewayEvent(smoke());

    const answer = await gateway.invokeVersion(name, '1', event);

    expect(answer.functionError).toBeUndefined();
    const result = JSON.parse(answer.payload) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      status: 'ok',
      path: '/notes/health',
      key: 'k-secret-1',
      version: '1',
      greeting: 'hello',
    });
    const call = proxy.calls.filter((c) => c.operation === 'Invoke').at(-1);
    expect(call).toMatchObject({ service: 'lambda', method: 'POST', status: 200 });
    expect(call?.query).toContain('Qualifier=1');
    expect(proxy.invocations.at(-1)).toMatchObject({ functionName: name, version: '1' });
    expect(proxy.invocations.at(-1)?.functionError).toBeUndefined();
    expect(proxy.invocations.at(-1)?.stderr).toContain('checked key of /notes/health');
  });

  it('reports a version that fails to load as FunctionError Unhandled, with Lambda’s error payload', async () => {
    const name = await functionWithVersions(GOOD, BROKEN);

    const answer = await gateway.invokeVersion(name, '2', apiGatewayEvent(smoke()));

    expect(answer.functionError).toBe('Unhandled');
    expect(answer.payload).toContain('gibberish is not defined');
    expect(JSON.parse(answer.payload)).toEqual({
      errorType: 'ReferenceError',
      errorMessage: 'gibberish is not defined',
      trace: expect.any(Array) as unknown,
    });
    expect(proxy.invocations.at(-1)).toMatchObject({ functionName: name, version: '2', functionError: 'Unhandled' });
    expect(proxy.invocations.at(-1)?.stderr).toContain('gibberish is not defined');
    // Version 1 of the same function still runs its own code.
    expect((await gateway.invokeVersion(name, '1', apiGatewayEvent(smoke()))).functionError).toBeUndefined();
  });

  it('reports a handler that throws as FunctionError Unhandled', async () => {
    const name = await functionWithVersions(THROWS);
    const answer = await gateway.invokeVersion(name, '1', {});
    expect(answer.functionError).toBe('Unhandled');
    expect(JSON.parse(answer.payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no table configured' });
  });

  it('answers with the executed version, through an alias too', async () => {
    const name = await functionWithVersions(GOOD, GOOD.replace("'ok'", "'ok-2'"));
    await client.send(new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }));

    const direct = await client.send(
      new InvokeCommand({ FunctionName: name, Qualifier: '2', Payload: new TextEncoder().encode(JSON.stringify(apiGatewayEvent(smoke()))) }),
    );
    expect(direct.StatusCode).toBe(200);
    expect(direct.ExecutedVersion).toBe('2');
    expect(new TextDecoder().decode(direct.Payload)).toContain('ok-2');

    const viaAlias = await client.send(new InvokeCommand({ FunctionName: name, Qualifier: 'live', Payload: new TextEncoder().encode('{}') }));
    expect(viaAlias.ExecutedVersion).toBe('1');
  });

  it('answers 404 ResourceNotFoundException for a version that does not exist', async () => {
    const name = await functionWithVersions(GOOD);
    await expect(gateway.invokeVersion(name, '42', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    const call = proxy.calls.filter((c) => c.operation === 'Invoke').at(-1);
    expect(call?.status).toBe(404);
  });
});

describe('invokeCheck through the proxy', () => {
  it('passes a good version and fails a broken one, before either takes traffic', async () => {
    const name = await functionWithVersions(GOOD, BROKEN);
    const lines: string[] = [];
    const log: Log = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };

    const good = await invokeCheck(gateway, name, '1', smoke(), log, systemClock);
    expect(good.ok).toBe(true);
    expect(good.attempts).toHaveLength(1);
    expect(good.attempts[0]).toMatchObject({ status: 200, ok: true });
    expect(good.summary).toMatch(new RegExp(`^invoke ${name}:1 \\(GET /notes/health\\?verbose=1\\) → 200 in \\d+`));

    const broken = await invokeCheck(gateway, name, '2', smoke(), log, systemClock);
    expect(broken.ok).toBe(false);
    expect(broken.attempts[0]?.problem).toBe('FunctionError Unhandled: ReferenceError: gibberish is not defined');
    expect(broken.summary).toBe(`invoke ${name}:2 → FunctionError (ReferenceError: gibberish is not defined)`);
    expect(lines.at(-1)).toBe(
      `invoke: ${name} version 2 (GET /notes/health?verbose=1) → FunctionError Unhandled: ReferenceError: gibberish is not defined`,
    );
    // The secret header reached the handler (it echoes it) but no report shows it.
    expect(JSON.stringify({ good, broken, lines })).not.toContain('k-secret-1');
  });

  it('fails a version whose answer is not a proxy result (API Gateway’s 502)', async () => {
    const name = await functionWithVersions(NOT_PROXY);
    const result = await invokeCheck(gateway, name, '1', withoutBodyCheck(smoke()), silent, systemClock);
    expect(result.ok).toBe(false);
    expect(result.attempts[0]?.status).toBe(502);
    expect(result.summary).toBe(`invoke ${name}:1 → 502 (Malformed Lambda proxy response)`);
  });
});
