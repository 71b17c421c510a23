import type { BodyExpectation, SmokeSettings, StatusExpectation } from '../model/settings.js';
import type { Clock, Log, SmokeChecker } from '../model/ports.js';
import type { SmokeAttempt, SmokeResult } from '../model/results.js';
import { formatDuration, formatMs } from '../report/format.js';

/** How much of a body is kept to judge `expect-body`. */
export const MAX_BODY_BYTES = 64 * 1024;
/** How much of a body goes into `SmokeAttempt.bodyExcerpt`. */
const EXCERPT_BYTES = 300;

export interface HttpSmokeCheckerDeps {
  /** Time between attempts and their latency. */
  clock: Clock;
  fetch?: typeof fetch;
}

/**
 * Replace every secret value in `text` with `***`. Empty secrets are ignored; longer secrets
 * are replaced first (so a secret that contains another is masked whole). The URL-encoded form
 * of a secret is masked too, as secrets travel in query strings.
 */
export function maskSecrets(text: string, secrets: string[]): string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    variants.add(secret);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) variants.add(encoded);
  }
  if (variants.size === 0) return text;
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  let out = text;
  for (const value of ordered) out = out.split(value).join('***');
  return out;
}

/** A configured duration, as a user would write it: `200ms`, `10s`, `1.5s`, `5m`. */
function statusMatches(status: number, expect: StatusExpectation): boolean {
  return expect.codes.includes(status) || expect.classes.includes(Math.floor(status / 100));
}

/** `"ok"` or `/^ok$/i`, for messages. */
function describeBodyExpectation(expect: BodyExpectation): string {
  return expect.kind === 'substring' ? JSON.stringify(expect.text) : `/${expect.source}/${expect.flags}`;
}

function bodyMatches(body: string, expect: BodyExpectation): boolean {
  if (expect.kind === 'substring') return body.includes(expect.text);
  return new RegExp(expect.source, expect.flags).test(body);
}

/** What one try ended with, before it is turned into a SmokeAttempt and words. */
interface Outcome {
  status?: number;
  latencyMs: number;
  body: string;
  ok: boolean;
  /** Unmasked; masked on the way out. */
  problem?: string;
  /** For the summary: `502`, `200 without "ok" in the body`, `no answer (timed out after 10s)`. */
  label: string;
  /** For the attempt's log line, after the arrow. */
  detail: string;
}

export class HttpSmokeChecker implements SmokeChecker {
  private readonly fetch: typeof fetch;
  private readonly clock: Clock;

  constructor(deps: HttpSmokeCheckerDeps) {
    this.fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.clock = deps.clock;
  }

  async check(smoke: SmokeSettings, log: Log): Promise<SmokeResult> {
    const mask = (text: string): string => maskSecrets(text, smoke.secrets);
    const method = smoke.method.toUpperCase();
    const url = mask(smoke.url);
    const total = Math.max(1, Math.floor(smoke.attempts));
    const attempts: SmokeAttempt[] = [];
    const labels: string[] = [];

    for (let n = 1; n <= total; n++) {
      const outcome = await this.tryOnce(smoke, method);
      const attempt: SmokeAttempt = {
        attempt: n,
        method,
        url,
        latencyMs: Math.round(outcome.latencyMs),
        bodyExcerpt: excerpt(mask(outcome.body)),
        ok: outcome.ok,
      };
      if (outcome.status !== undefined) attempt.status = outcome.status;
      if (outcome.problem !== undefined) attempt.problem = mask(outcome.problem);
      attempts.push(attempt);
      labels.push(mask(outcome.label));
      log.info(mask(`smoke ${n}/${total}: ${method} ${url} → ${outcome.detail}`));

      if (outcome.ok) {
        return {
          ok: true,
          attempts,
          summary: mask(`${method} ${url} → ${outcome.status ?? ''} on attempt ${n} of ${total} (${formatMs(outcome.latencyMs)})`),
        };
      }
      if (n < total) await this.clock.sleep(smoke.intervalMs);
    }

    const distinct = new Set(labels);
    const what = distinct.size === 1 ? labels[0]! : labels.join(', ');
    return { ok: false, attempts, summary: mask(`${method} ${url} → ${what} on ${total} of ${total} attempts`) };
  }

  private async tryOnce(smoke: SmokeSettings, method: string): Promise<Outcome> {
    const timeoutText = formatDuration(smoke.timeoutMs);
    const init: RequestInit = {
      method,
      headers: smoke.headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(smoke.timeoutMs),
    };
    if (smoke.body !== undefined && method !== 'GET' && method !== 'HEAD') init.body = smoke.body;

    const started = this.clock.now();
    let response: Response;
    try {
      response = await this.fetch(smoke.url, init);
    } catch (err) {
      const latencyMs = this.clock.now() - started;
      if (isTimeout(err)) {
        return {
          latencyMs,
          body: '',
          ok: false,
          problem: `timed out after ${timeoutText}`,
          label: 'no answer',
          detail: `no answer after ${timeoutText} (timed out)`,
        };
      }
      const reason = describeFetchError(err);
      return {
        latencyMs,
        body: '',
        ok: false,
        problem: reason,
        label: 'no answer',
        detail: `no answer in ${formatMs(latencyMs)} (${reason})`,
      };
    }

    const status = response.status;
    let body: string;
    try {
      body = await readCapped(response, MAX_BODY_BYTES);
    } catch (err) {
      const latencyMs = this.clock.now() - started;
      const reason = isTimeout(err) ? `timed out after ${timeoutText} reading the body` : `reading the body failed: ${describeFetchError(err)}`;
      return { status, latencyMs, body: '', ok: false, problem: reason, label: `${status} (${reason})`, detail: `${status}, then ${reason}` };
    }
    const latencyMs = this.clock.now() - started;
    const timing = `${status} in ${formatMs(latencyMs)}`;
    const verdict = judgeResponse(status, body, smoke);
    if (verdict.problem !== undefined) {
      return { status, latencyMs, body, ok: false, problem: verdict.problem, label: verdict.label, detail: `${timing} (${verdict.problem})` };
    }
    return { status, latencyMs, body, ok: true, label: verdict.label, detail: `${timing} ✓` };
  }
}

/** How an answer fares against `expect-status` and `expect-body`. */
export interface ResponseVerdict {
  ok: boolean;
  /** Why it failed: `expected 2xx`, `body did not contain "ok"`; unmasked. */
  problem?: string;
  /** For a summary: `502`, `200 without "ok" in the body`; unmasked. */
  label: string;
}

/** Judge a status and body by the smoke block's `expect-status` and `expect-body`. */
export function judgeResponse(
  status: number,
  body: string,
  smoke: Pick<SmokeSettings, 'expectStatus' | 'expectBody'>,
): ResponseVerdict {
  if (!statusMatches(status, smoke.expectStatus)) {
    return { ok: false, problem: `expected ${smoke.expectStatus.text}`, label: String(status) };
  }
  if (smoke.expectBody) {
    const expected = describeBodyExpectation(smoke.expectBody);
    let matched: boolean;
    try {
      matched = bodyMatches(body, smoke.expectBody);
    } catch (err) {
      const problem = `expect-body ${expected} is not a valid regular expression: ${(err as Error).message}`;
      return { ok: false, problem, label: `${status} (${problem})` };
    }
    if (!matched) {
      const substring = smoke.expectBody.kind === 'substring';
      const problem = substring ? `body did not contain ${expected}` : `body did not match ${expected}`;
      const label = substring ? `${status} without ${expected} in the body` : `${status} with a body not matching ${expected}`;
      return { ok: false, problem, label };
    }
  }
  return { ok: true, label: String(status) };
}

/** Read at most `cap` bytes of the body as UTF-8 text, then let go of the rest. */
async function readCapped(response: Response, cap: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  try {
    while (kept < cap) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = cap - kept;
      const piece = value.byteLength > room ? value.subarray(0, room) : value;
      chunks.push(piece);
      kept += piece.byteLength;
    }
  } finally {
    if (kept >= cap) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** The first EXCERPT_BYTES bytes of `text` (UTF-8), without a broken character at the end. */
export function excerpt(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= EXCERPT_BYTES) return text;
  return new TextDecoder('utf-8').decode(bytes.subarray(0, EXCERPT_BYTES)).replace(/\uFFFD+$/, '');
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  if (name === 'TimeoutError') return true;
  const cause = (err as { cause?: unknown } | undefined)?.cause;
  return cause !== undefined && cause !== err && isTimeout(cause);
}

/** `ECONNREFUSED`, `ENOTFOUND api.example.com`, or the message when there is no code. */
function describeFetchError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current; depth++) {
    const e = current as { code?: unknown; hostname?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof e.code === 'string' && e.code !== '') {
      return e.code === 'ENOTFOUND' && typeof e.hostname === 'string' ? `ENOTFOUND ${e.hostname}` : e.code;
    }
    // An AggregateError (happy eyeballs) holds the per-address errors.
    if (Array.isArray(e.errors) && e.errors.length > 0) {
      current = e.errors[0];
      continue;
    }
    current = e.cause;
  }
  const message = (err as Error | undefined)?.message;
  const cause = (err as { cause?: { message?: string } } | undefined)?.cause?.message;
  return cause ? `${message ?? 'error'}: ${cause}` : (message ?? String(err));
}
