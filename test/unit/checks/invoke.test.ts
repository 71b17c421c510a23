import type { Clock, LambdaGateway, Log } from '../../../src/model/ports.js';
import { describe, expect, it } from 'vitest';
import { apiGatewayEvent, invokeCheck, readProxyResult } from '../../../src/checks/invoke.js';
import type { InvokeResult } from '../../../src/model/lambda.js';
import type { SmokeSettings } from '../../../src/model/settings.js';
import { smokeSettings } from '../fakes.js';

const settings = (over: Partial<SmokeSettings> = {}): SmokeSettings => smokeSettings({ invoke: true, ...over });

function recorder(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}

/** A LambdaGateway whose invokeVersion answers `answer` (or throws it) and remembers its calls. */
function fakeLambda(answer: InvokeResult | Error) {
  const calls: { functionName: string; version: string; event: unknown }[] = [];
  const lambda = {
    async invokeVersion(functionName: string, version: string, event: unknown): Promise<InvokeResult> {
      calls.push({ functionName, version, event });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as Partial<LambdaGateway> as LambdaGateway;
  return { lambda, calls };
}

const proxyResult = (statusCode: number, body: string, extra: object = {}): InvokeResult => ({
  payload: JSON.stringify({ statusCode, headers: { 'content-type': 'application/json' }, body, ...extra }),
});

const clock: Clock = { now: () => performance.now(), sleep: async () => {} };

describe('apiGatewayEvent', () => {
  it('turns a smoke block into a REST proxy event (payload 1.0)', () => {
    const event = apiGatewayEvent(
      settings({
        url: 'https://dev.api.example.com/notes/search?q=milk&tag=a&tag=b',
        method: 'post',
        headers: { 'x-api-key': 'k-123', 'content-type': 'application/json' },
        body: '{"text":"hi"}',
      }),
      { stage: 'dev', requestId: 'req-1' },
    );
    expect(event).toEqual({
      resource: '/{proxy+}',
      path: '/notes/search',
      httpMethod: 'POST',
      headers: { host: 'dev.api.example.com', 'x-api-key': 'k-123', 'content-type': 'application/json' },
      multiValueHeaders: {
        host: ['dev.api.example.com'],
        'x-api-key': ['k-123'],
        'content-type': ['application/json'],
      },
      queryStringParameters: { q: 'milk', tag: 'b' },
      multiValueQueryStringParameters: { q: ['milk'], tag: ['a', 'b'] },
      pathParameters: { proxy: 'notes/search' },
      stageVariables: null,
      requestContext: {
        resourcePath: '/{proxy+}',
        httpMethod: 'POST',
        path: '/notes/search',
        stage: 'dev',
        requestId: 'req-1',
        protocol: 'HTTP/1.1',
        domainName: 'dev.api.example.com',
        identity: { sourceIp: '127.0.0.1' },
      },
      body: '{"text":"hi"}',
      isBase64Encoded: false,
    });
  });

  it('has null query parameters without a query, and no body for a GET (as the HTTP check sends none)', () => {
    const event = apiGatewayEvent(settings({ body: 'ignored' })) as Record<string, unknown>;
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.httpMethod).toBe('GET');
    expect(event.path).toBe('/notes/health');
    expect((event.requestContext as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a Host header the smoke block sets, and maps the root path to resource /', () => {
    const event = apiGatewayEvent(settings({ url: 'http://127.0.0.1:8080/', headers: { Host: 'api.example.com' } })) as Record<
      string,
      unknown
    >;
    expect(event.headers).toEqual({ Host: 'api.example.com' });
    expect(event.resource).toBe('/');
    expect(event.path).toBe('/');
    expect(event.pathParameters).toBeNull();
  });
});

describe('readProxyResult', () => {
  it('reads statusCode and body, decoding a base64 body', () => {
    expect(readProxyResult('{"statusCode":201,"body":"made"}')).toEqual({ ok: true, status: 201, body: 'made' });
    expect(readProxyResult(JSON.stringify({ statusCode: 200, body: Buffer.from('"ok"').toString('base64'), isBase64Encoded: true }))).toEqual({
      ok: true,
      status: 200,
      body: '"ok"',
    });
    expect(readProxyResult('{"statusCode":204}')).toEqual({ ok: true, status: 204, body: '' });
  });

  it('refuses what API Gateway calls a malformed proxy response', () => {
    expect(readProxyResult('"ok"').ok).toBe(false);
    expect(readProxyResult('not json').ok).toBe(false);
    expect(readProxyResult('null').ok).toBe(false);
    expect(readProxyResult('{"body":"ok"}').ok).toBe(false);
    expect(readProxyResult('{"statusCode":200,"body":{"a":1}}').ok).toBe(false);
  });
});

describe('invokeCheck', () => {
  it('passes on 200 with the expected body, invoking the version once with the proxy event', async () => {
    const { lambda, calls } = fakeLambda(proxyResult(200, '{"status":"ok"}'));
    const log = recorder();
    const result = await invokeCheck(lambda, 'notes-api', '8', settings({ expectBody: { kind: 'substring', text: '"ok"' } }), log, clock);

    expect(result.ok).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ functionName: 'notes-api', version: '8', event: { httpMethod: 'GET', path: '/notes/health' } });
    expect(result.attempts).toEqual([
      expect.objectContaining({ attempt: 1, method: 'GET', url: 'notes-api:8 /notes/health', status: 200, ok: true, bodyExcerpt: '{"status":"ok"}' }),
    ]);
    expect(result.attempts[0]?.problem).toBeUndefined();
    expect(result.summary).toMatch(/^invoke notes-api:8 \(GET \/notes\/health\) → 200 in \d+ ms$/);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^info invoke: notes-api version 8 \(GET \/notes\/health\) → 200 in \d+ ms ✓$/);
  });

  it('fails on a status the smoke block does not expect', async () => {
    const { lambda } = fakeLambda(proxyResult(503, 'busy'));
    const log = recorder();
    const result = await invokeCheck(lambda, 'notes-api', '8', settings(), log, clock);

    expect(result.ok).toBe(false);
    expect(result.attempts[0]).toMatchObject({ status: 503, ok: false, problem: 'expected 2xx', bodyExcerpt: 'busy' });
    expect(result.summary).toBe('invoke notes-api:8 → 503');
    expect(log.lines[0]).toMatch(/^warn invoke: notes-api version 8 \(GET \/notes\/health\) → 503 in \d+ ms \(expected 2xx\)$/);
  });

  it('honours an explicit list of statuses', async () => {
    const { lambda } = fakeLambda(proxyResult(204, ''));
    const expectStatus = { codes: [200], classes: [], text: '200' };
    const result = await invokeCheck(lambda, 'notes-api', '8', settings({ expectStatus }), recorder(), clock);
    expect(result.ok).toBe(false);
    expect(result.attempts[0]?.problem).toBe('expected 200');
  });

  it('fails when the body does not match, with the HTTP check’s words', async () => {
    const { lambda } = fakeLambda(proxyResult(200, '{"status":"degraded"}'));
    const substring = await invokeCheck(lambda, 'notes-api', '8', settings({ expectBody: { kind: 'substring', text: '"ok"' } }), recorder(), clock);
    expect(substring.ok).toBe(false);
    expect(substring.attempts[0]?.problem).toBe('body did not contain "\\"ok\\""');
    expect(substring.summary).toBe('invoke notes-api:8 → 200 without "\\"ok\\"" in the body');

    const regex = await invokeCheck(
      lambda,
      'notes-api',
      '8',
      settings({ expectBody: { kind: 'regex', source: '^ok$', flags: 'i' } }),
      recorder(),
      clock,
    );
    expect(regex.ok).toBe(false);
    expect(regex.summary).toBe('invoke notes-api:8 → 200 with a body not matching /^ok$/i');
  });

  it('fails on a FunctionError, with the error in the summary and the log', async () => {
    const { lambda } = fakeLambda({
      functionError: 'Unhandled',
      payload: JSON.stringify({
        errorType: 'ReferenceError',
        errorMessage: 'gibberish is not defined',
        trace: ['ReferenceError: gibberish is not defined'],
      }),
    });
    const log = recorder();
    const result = await invokeCheck(lambda, 'notes-api', '8', settings(), log, clock);

    expect(result.ok).toBe(false);
    expect(result.attempts[0]).toMatchObject({
      ok: false,
      problem: 'FunctionError Unhandled: ReferenceError: gibberish is not defined',
    });
    expect(result.attempts[0]?.status).toBeUndefined();
    expect(result.summary).toBe('invoke notes-api:8 → FunctionError (ReferenceError: gibberish is not defined)');
    expect(log.lines).toEqual([
      'warn invoke: notes-api version 8 (GET /notes/health) → FunctionError Unhandled: ReferenceError: gibberish is not defined',
    ]);
  });

  it('judges a payload that is not a proxy result as API Gateway does: 502 Malformed Lambda proxy response', async () => {
    const { lambda } = fakeLambda({ payload: '"ok"' });
    const log = recorder();
    const result = await invokeCheck(lambda, 'notes-api', '8', settings({ expectBody: { kind: 'substring', text: 'ok' } }), log, clock);

    expect(result.ok).toBe(false);
    expect(result.attempts[0]?.status).toBe(502);
    expect(result.attempts[0]?.problem).toMatch(/^Malformed Lambda proxy response: .*\(expected 2xx\)$/);
    expect(result.attempts[0]?.bodyExcerpt).toBe('"ok"');
    expect(result.summary).toBe('invoke notes-api:8 → 502 (Malformed Lambda proxy response)');
    expect(log.lines[0]).toMatch(/^warn invoke: .* → 502 in \d+ ms \(Malformed Lambda proxy response: /);
  });

  it('fails, without throwing, when the Invoke call itself fails', async () => {
    const denied = Object.assign(new Error('not authorized to perform: lambda:InvokeFunction'), { name: 'AccessDeniedException' });
    const { lambda } = fakeLambda(denied);
    const result = await invokeCheck(lambda, 'notes-api', '8', settings(), recorder(), clock);
    expect(result.ok).toBe(false);
    expect(result.summary).toBe('invoke notes-api:8 → Invoke failed: AccessDeniedException: not authorized to perform: lambda:InvokeFunction');
  });

  it('sends the secret header to the function but masks it everywhere it reports', async () => {
    const secret = 's3cr3t-key';
    const { lambda, calls } = fakeLambda(proxyResult(401, `bad key ${secret}`));
    const log = recorder();
    const result = await invokeCheck(
      lambda,
      'notes-api',
      '8',
      settings({ url: `https://dev.api.example.com/notes/health?key=${secret}`, headers: { 'x-api-key': secret }, secrets: [secret] }),
      log,
      clock,
    );

    expect((calls[0]?.event as { headers: Record<string, string> }).headers['x-api-key']).toBe(secret);
    expect(result.ok).toBe(false);
    const reported = JSON.stringify({ result, lines: log.lines });
    expect(reported).not.toContain(secret);
    expect(reported).toContain('***');
    expect(result.attempts[0]?.bodyExcerpt).toBe('bad key ***');
    expect(result.attempts[0]?.url).toBe('notes-api:8 /notes/health?key=***');
  });

  it('masks secrets in a FunctionError message', async () => {
    const secret = 'hunter2';
    const { lambda } = fakeLambda({
      functionError: 'Unhandled',
      payload: JSON.stringify({ errorType: 'Error', errorMessage: `bad key hunter2` }),
    });
    const log = recorder();
    const result = await invokeCheck(lambda, 'notes-api', '8', settings({ headers: { 'x-api-key': secret }, secrets: [secret] }), log, clock);
    expect(result.summary).toBe('invoke notes-api:8 → FunctionError (Error: bad key ***)');
    expect(JSON.stringify({ result, lines: log.lines })).not.toContain(secret);
  });
});
