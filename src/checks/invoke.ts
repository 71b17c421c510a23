/**
 * The invoke check (`smoke.invoke: true`): before a new version takes traffic, invoke it directly
 * with the API Gateway proxy event the smoke request would become, and judge the proxy result
 * by the same `expect-status` and `expect-body` as the HTTP smoke check. One invocation, no
 * retries: a version that fails on a direct call does not improve by being asked again.
 * Pure except for the LambdaGateway it is given; every secret is masked in what it logs or returns.
 */
import { randomUUID } from 'node:crypto';
import { excerpt, judgeResponse, maskSecrets, MAX_BODY_BYTES } from './smoke.js';
import type { SmokeSettings } from '../model/settings.js';
import type { Clock, LambdaGateway, Log } from '../model/ports.js';
import type { SmokeAttempt, SmokeResult } from '../model/results.js';
import { formatMs } from '../report/format.js';
/** What API Gateway answers when the Lambda result is not a proxy result. */
const MALFORMED_PROXY_RESPONSE = 'Malformed Lambda proxy response';
const INTERNAL_SERVER_ERROR_BODY = '{"message": "Internal server error"}';

export interface ApiGatewayEventOptions {
  /** requestContext.stage; default `stage-deploy`. */
  stage?: string;
  /** requestContext.requestId; default a random UUID. */
  requestId?: string;
}

/**
 * The API Gateway REST proxy event (payload version 1.0, resource `/{proxy+}`) for the smoke
 * request: method, path and query of the smoke URL, its headers plus `host`. As the HTTP check
 * does, a GET or HEAD carries no body.
 */
export function apiGatewayEvent(smoke: SmokeSettings, options: ApiGatewayEventOptions = {}): object {
  const url = new URL(smoke.url);
  const method = smoke.method.toUpperCase();
  const path = url.pathname || '/';
  const root = path === '/';
  const resource = root ? '/' : '/{proxy+}';

  const headers: Record<string, string> = {};
  if (!Object.keys(smoke.headers).some((name) => name.toLowerCase() === 'host')) headers.host = url.host;
  Object.assign(headers, smoke.headers);
  const multiValueHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]]));

  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [name, value] of url.searchParams) {
    query[name] = value; // API Gateway keeps the last value of a repeated parameter
    (multiQuery[name] ??= []).push(value);
  }
  const hasQuery = Object.keys(query).length > 0;
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1];
  const body = smoke.body !== undefined && method !== 'GET' && method !== 'HEAD' ? smoke.body : null;

  return {
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters: root ? null : { proxy: path.slice(1) },
    stageVariables: null,
    requestContext: {
      resourcePath: resource,
      httpMethod: method,
      path,
      stage: options.stage ?? 'stage-deploy',
      requestId: options.requestId ?? randomUUID(),
      protocol: 'HTTP/1.1',
      domainName: url.hostname,
      identity: { sourceIp: '127.0.0.1', ...(userAgent !== undefined && { userAgent }) },
    },
    body,
    isBase64Encoded: false,
  };
}

/** A proxy result as API Gateway reads it, or why it is not one. */
type ProxyAnswer = { ok: true; status: number; body: string } | { ok: false; reason: string };

/** Read a handler's payload as API Gateway reads a Lambda proxy result. */
export function readProxyResult(payload: string): ProxyAnswer {
  let result: unknown;
  try {
    result = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'the payload is not JSON' };
  }
  if (result === null || typeof result !== 'object' || Array.isArray(result)) {
    return { ok: false, reason: 'the payload is not an object with a statusCode' };
  }
  const { statusCode, body, isBase64Encoded } = result as Record<string, unknown>;
  const status = typeof statusCode === 'string' && /^\d{3}$/.test(statusCode) ? Number(statusCode) : statusCode;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    return { ok: false, reason: 'the payload has no numeric statusCode' };
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    return { ok: false, reason: 'the body is not a string' };
  }
  const text = typeof body === 'string' ? (isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body) : '';
  return { ok: true, status, body: text };
}

/** `ReferenceError: gibberish is not defined`, from a FunctionError payload. */
function describeFunctionError(payload: string): string {
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown } | null;
    if (parsed && typeof parsed === 'object') {
      const type = typeof parsed.errorType === 'string' ? parsed.errorType : undefined;
      const message = typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined;
      if (type !== undefined || message !== undefined) return [type, message].filter((p) => p !== undefined && p !== '').join(': ');
    }
  } catch {
    // not JSON: the payload as it is
  }
  return excerpt(payload).replace(/\s+/g, ' ').trim() || 'no details';
}

/** The first MAX_BODY_BYTES bytes of a body, as the HTTP check keeps them to judge. */
function capped(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  return bytes.length <= MAX_BODY_BYTES ? body : new TextDecoder('utf-8').decode(bytes.subarray(0, MAX_BODY_BYTES));
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}

/**
 * Invoke `version` of the function once with the smoke request as an API Gateway proxy event,
 * and judge the answer as the HTTP smoke check judges a response. A FunctionError, a payload
 * that is not a proxy result (API Gateway's 502) or a failed Invoke call fails the check.
 */
export async function invokeCheck(
  lambda: LambdaGateway,
  functionName: string,
  version: string,
  smoke: SmokeSettings,
  log: Log,
  clock: Clock,
): Promise<SmokeResult> {
  const mask = (text: string): string => maskSecrets(text, smoke.secrets);
  const method = smoke.method.toUpperCase();
  const url = new URL(smoke.url);
  const target = `${url.pathname || '/'}${url.search}`;
  const request = `${method} ${target}`;
  const qualified = `${functionName}:${version}`;
  const event = apiGatewayEvent(smoke);

  const now = (): number => clock.now();
  const started = now();
  let status: number | undefined;
  let body = '';
  let ok = false;
  let problem: string | undefined;
  let label: string;
  let detail: string;

  try {
    const answer = await lambda.invokeVersion(functionName, version, event);
    const latency = formatMs(now() - started);
    if (answer.functionError !== undefined) {
      const error = describeFunctionError(answer.payload);
      body = answer.payload;
      problem = `FunctionError ${answer.functionError}: ${error}`;
      label = `FunctionError (${error})`;
      detail = problem;
    } else {
      const read = readProxyResult(answer.payload);
      if (read.ok) {
        status = read.status;
        body = capped(read.body);
        const verdict = judgeResponse(status, body, smoke);
        ok = verdict.ok;
        problem = verdict.problem;
        label = verdict.label;
        detail = `${status} in ${latency}${problem !== undefined ? ` (${problem})` : ' ✓'}`;
      } else {
        // API Gateway answers 502 to a result it cannot read; judged like any 502.
        status = 502;
        body = INTERNAL_SERVER_ERROR_BODY;
        const verdict = judgeResponse(status, body, smoke);
        ok = verdict.ok;
        const malformed = `${MALFORMED_PROXY_RESPONSE}: ${read.reason}`;
        problem = verdict.ok ? undefined : `${malformed} (${verdict.problem ?? 'failed'})`;
        label = `502 (${MALFORMED_PROXY_RESPONSE})`;
        detail = `502 in ${latency} (${malformed}${verdict.ok ? ') ✓' : `; ${verdict.problem ?? 'failed'})`}`;
        if (!ok) body = answer.payload;
      }
    }
  } catch (error) {
    problem = `Invoke failed: ${errorText(error)}`;
    label = problem;
    detail = `${problem} after ${formatMs(now() - started)}`;
  }

  const latencyMs = Math.round(now() - started);
  const attempt: SmokeAttempt = {
    attempt: 1,
    method,
    url: mask(`${qualified} ${target}`),
    latencyMs,
    bodyExcerpt: excerpt(mask(body)),
    ok,
  };
  if (status !== undefined) attempt.status = status;
  if (problem !== undefined) attempt.problem = mask(problem);

  const line = mask(`invoke: ${functionName} version ${version} (${request}) → ${detail}`);
  if (ok) log.info(line);
  else log.warn(line);

  const summary = ok
    ? `invoke ${qualified} (${request}) → ${status ?? ''} in ${formatMs(latencyMs)}`
    : `invoke ${qualified} → ${label}`;
  return { ok, attempts: [attempt], summary: mask(summary) };
}
