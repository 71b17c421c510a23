import type { BodyExpectation, RequestSigner, SmokeSettings, StatusExpectation } from '../model/settings.js';
import type { Clock, Log, SmokeChecker } from '../model/ports.js';
import type { SmokeAttempt, SmokeResult } from '../model/results.js';
import { formatDuration, formatMs } from '../report/format.js';
import { bodyRegexMatches } from './body-regex.js';

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
  return bodyRegexMatches(expect.source, expect.flags, body);
}

/** Same-origin redirects followed per attempt; the answer after the last is judged as it is. */
export const MAX_REDIRECTS = 3;
/** setTimeout's limit (2^31-1 ms); longer timers fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

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
  /** Set when no further attempt may start: the run was cancelled, or the smoke phase's time ran out. */
  stop?: 'cancelled' | 'deadline';
}

/** Why an attempt's signal fired: checked in this order, as a cancel also aborts the others. */
interface Signals {
  cancel: AbortSignal | undefined;
  deadline: AbortSignal;
  deadlineMs: number;
}

export class HttpSmokeChecker implements SmokeChecker {
  private readonly fetch: typeof fetch;
  private readonly clock: Clock;

  constructor(deps: HttpSmokeCheckerDeps) {
    this.fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.clock = deps.clock;
  }

  /**
   * Up to `attempts` tries, `interval` apart, each cut off at `timeout`. The whole phase has a
   * deadline of attempts × (timeout + interval); `signal` (the run's cancel) stops the request in
   * flight and the wait between tries at once.
   */
  async check(smoke: SmokeSettings, log: Log, signal?: AbortSignal): Promise<SmokeResult> {
    // The signed headers' secret values (smoke.sign), masked as the stage's own secrets are: a
    // handler that echoes its request puts them in the body.
    const signatures: string[] = [];
    const mask = (text: string): string => maskSecrets(text, [...smoke.secrets, ...signatures]);
    const method = smoke.method.toUpperCase();
    const url = mask(smoke.url);
    const total = Math.max(1, Math.floor(smoke.attempts));
    const attempts: SmokeAttempt[] = [];
    const labels: string[] = [];
    const deadlineMs = total * (smoke.timeoutMs + smoke.intervalMs);
    const signals: Signals = { cancel: signal, deadline: AbortSignal.timeout(Math.min(Math.max(1, deadlineMs), MAX_TIMER_MS)), deadlineMs };
    const phase = signal === undefined ? signals.deadline : AbortSignal.any([signal, signals.deadline]);

    for (let n = 1; n <= total; n++) {
      const outcome = phase.aborted ? stopped(signals, 0) : await this.tryOnce(smoke, method, signals, phase, signatures);
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
      if (outcome.stop !== undefined) {
        return {
          ok: false,
          attempts,
          summary: mask(`${method} ${url} → ${outcome.label} on attempt ${n} of ${total}`),
          ...(outcome.stop === 'cancelled' && { cancelled: true as const }),
        };
      }
      if (n < total) {
        try {
          await this.clock.sleep(smoke.intervalMs, phase);
        } catch {
          const why = stopped(signals, 0);
          attempts.push({ attempt: n + 1, method, url, latencyMs: 0, bodyExcerpt: '', ok: false, problem: mask(why.problem ?? why.label) });
          log.info(mask(`smoke ${n + 1}/${total}: ${method} ${url} → ${why.detail}`));
          return {
            ok: false,
            attempts,
            summary: mask(`${method} ${url} → ${why.label} before attempt ${n + 1} of ${total}`),
            ...(why.stop === 'cancelled' && { cancelled: true as const }),
          };
        }
      }
    }

    const distinct = new Set(labels);
    const what = distinct.size === 1 ? labels[0]! : labels.join(', ');
    return { ok: false, attempts, summary: mask(`${method} ${url} → ${what} on ${total} of ${total} attempts`) };
  }

  /**
   * One attempt: the request, same-origin redirects (at most MAX_REDIRECTS), the body, all
   * within `timeout`. A redirect to another origin is not followed (the stage's headers carry
   * secrets): that 3xx is the answer. With `smoke.sign`, every request (the first and each hop)
   * is signed afresh; the secret values of its signed headers are added to `signatures`.
   */
  private async tryOnce(smoke: SmokeSettings, method: string, signals: Signals, phase: AbortSignal, signatures: string[]): Promise<Outcome> {
    const timeoutText = formatDuration(smoke.timeoutMs);
    const timeout = AbortSignal.timeout(smoke.timeoutMs);
    const attemptSignal = AbortSignal.any([phase, timeout]);
    let currentMethod = method;
    let body = smoke.body !== undefined && method !== 'GET' && method !== 'HEAD' ? smoke.body : undefined;
    let url = new URL(smoke.url);
    let note: string | undefined;
    let refused = false;

    const started = this.clock.now();
    let response: Response;
    try {
      for (let hops = 0; ; hops++) {
        const headers = smoke.sign === undefined ? smoke.headers : await signedHeaders(smoke, smoke.sign, currentMethod, url, body, signatures);
        const init: RequestInit = { method: currentMethod, headers, redirect: 'manual', signal: attemptSignal };
        if (body !== undefined) init.body = body;
        response = await this.fetch(url.href, init);
        if (!REDIRECT_STATUSES.has(response.status)) break;
        const location = response.headers.get('location');
        if (location === null) break;
        let next: URL;
        try {
          next = new URL(location, url);
        } catch {
          note = `redirect to an invalid Location ${JSON.stringify(location)} not followed`;
          break;
        }
        if (next.origin !== url.origin) {
          note = `redirect to another origin (${next.origin}) not followed: the smoke headers go to ${url.origin} only`;
          break;
        }
        if (hops >= MAX_REDIRECTS) {
          note = `more than ${MAX_REDIRECTS} redirects`;
          refused = true;
          break;
        }
        await response.body?.cancel().catch(() => undefined);
        // As fetch does: 303 (and 301/302 after a POST) become a GET without a body.
        if (response.status === 303 || ((response.status === 301 || response.status === 302) && currentMethod === 'POST')) {
          if (currentMethod !== 'HEAD') currentMethod = 'GET';
          body = undefined;
        }
        url = next;
      }
    } catch (err) {
      const latencyMs = this.clock.now() - started;
      if (phase.aborted) return stopped(signals, latencyMs);
      if (timeout.aborted || isTimeout(err)) {
        return {
          latencyMs,
          body: '',
          ok: false,
          problem: `timed out after ${timeoutText}`,
          label: 'no answer',
          detail: `no answer after ${timeoutText} (timed out)`,
        };
      }
      const reason = err instanceof SigningError ? err.message : describeFetchError(err);
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
    let text: string;
    try {
      text = await readCapped(response, MAX_BODY_BYTES);
    } catch (err) {
      const latencyMs = this.clock.now() - started;
      if (phase.aborted) return { ...stopped(signals, latencyMs), status };
      const reason = timeout.aborted || isTimeout(err) ? `timed out after ${timeoutText} reading the body` : `reading the body failed: ${describeFetchError(err)}`;
      return { status, latencyMs, body: '', ok: false, problem: reason, label: `${status} (${reason})`, detail: `${status}, then ${reason}` };
    }
    const latencyMs = this.clock.now() - started;
    const timing = `${status} in ${formatMs(latencyMs)}`;
    if (refused) {
      const problem = note ?? 'too many redirects';
      return { status, latencyMs, body: text, ok: false, problem, label: `${status} (${problem})`, detail: `${timing} (${problem})` };
    }
    const verdict = judgeResponse(status, text, smoke);
    if (verdict.problem !== undefined) {
      const problem = note === undefined ? verdict.problem : `${verdict.problem}; ${note}`;
      return { status, latencyMs, body: text, ok: false, problem, label: verdict.label, detail: `${timing} (${problem})` };
    }
    return { status, latencyMs, body: text, ok: true, label: verdict.label, detail: note === undefined ? `${timing} ✓` : `${timing} ✓ (${note})` };
  }
}

/** The signer failed (no credentials, STS refused): the attempt fails with this message as its reason. */
class SigningError extends Error {
  override name = 'SigningError';
}

/** Signed headers whose values are secrets (the signature, the session token): masked in every log and summary. */
const SECRET_SIGNED_HEADERS = ['authorization', 'x-amz-security-token'];

/**
 * The stage's headers with the signer's added; a header of the stage's that the signer sets
 * (`Authorization`, in any case) gives way to it. The secret values are pushed to `signatures`.
 */
async function signedHeaders(
  smoke: SmokeSettings,
  sign: RequestSigner,
  method: string,
  url: URL,
  body: string | undefined,
  signatures: string[],
): Promise<Record<string, string>> {
  let added: Record<string, string>;
  try {
    added = await sign({ method, url: url.href, headers: smoke.headers, ...(body !== undefined && { body }) });
  } catch (err) {
    throw new SigningError(`signing the request failed: ${(err as Error | undefined)?.message ?? String(err)}`, { cause: err });
  }
  for (const [name, value] of Object.entries(added)) {
    if (!SECRET_SIGNED_HEADERS.includes(name.toLowerCase())) continue;
    signatures.push(value);
    const signature = /Signature=([0-9a-fA-F]+)/.exec(value)?.[1];
    if (signature !== undefined) signatures.push(signature);
  }
  const replaced = new Set(Object.keys(added).map((name) => name.toLowerCase()));
  const kept = Object.entries(smoke.headers).filter(([name]) => !replaced.has(name.toLowerCase()));
  return { ...Object.fromEntries(kept), ...added };
}

/** The outcome of an attempt cut short by the cancel or the smoke phase's deadline. */
function stopped(signals: Signals, latencyMs: number): Outcome {
  if (signals.cancel?.aborted) {
    const reason = signals.cancel.reason;
    const why = `cancelled (${typeof reason === 'string' ? reason : 'signal'})`;
    return { latencyMs, body: '', ok: false, problem: why, label: why, detail: `no answer: ${why}`, stop: 'cancelled' };
  }
  const why = `the smoke test's time limit of ${formatDuration(signals.deadlineMs)} ran out`;
  return { latencyMs, body: '', ok: false, problem: why, label: 'no answer', detail: `no answer: ${why}`, stop: 'deadline' };
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
