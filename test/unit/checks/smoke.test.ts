import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpSmokeChecker, maskSecrets } from '../../../src/checks/smoke.js';
import type { RequestSigner, SmokeSettings } from '../../../src/model/settings.js';
import type { Log } from '../../../src/model/ports.js';
import { formatMs } from '../../../src/report/format.js';
import { smokeSettings } from '../fakes.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A real HTTP server on 127.0.0.1; `handle` answers the n-th request (1-based). */
async function serve(handle: (req: Received, res: ServerResponse, n: number) => void): Promise<TestServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(r);
      handle(r, res, received.length);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const t: TestServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(t);
  return t;
}

function reply(res: ServerResponse, status: number, body = ''): void {
  res.writeHead(status, { 'content-type': 'text/plain' });
  res.end(body);
}

const settings = (url: string, over: Partial<SmokeSettings> = {}): SmokeSettings => smokeSettings({ url, ...over });

function recorder(): Log & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`WARN ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
}

function checker(): { checker: HttpSmokeChecker; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    checker: new HttpSmokeChecker({
      clock: {
        now: () => performance.now(),
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    }),
  };
}

describe('HttpSmokeChecker', () => {
  it('passes on the first try and does not wait', async () => {
    const server = await serve((_r, res) => reply(res, 200, '{"status":"ok"}'));
    const { checker: c, waits } = checker();
    const log = recorder();
    const result = await c.check(settings(`${server.url}/health`), log);

    expect(result.ok).toBe(true);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toMatchObject({ attempt: 1, method: 'GET', status: 200, ok: true, bodyExcerpt: '{"status":"ok"}' });
    expect(result.summary).toMatch(new RegExp(`^GET ${server.url}/health → 200 on attempt 1 of 3 \\(\\d+ ms\\)$`));
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toMatch(new RegExp(`^smoke 1/3: GET ${server.url}/health → 200 in \\d+ ms ✓$`));
    expect(waits).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('fails 3 of 3 with a 502, waiting between tries but not after the last', async () => {
    const server = await serve((_r, res) => reply(res, 502, 'Bad Gateway'));
    const { checker: c, waits } = checker();
    const log = recorder();
    const result = await c.check(settings(`${server.url}/health`, { intervalMs: 1500 }), log);

    expect(result.ok).toBe(false);
    expect(result.summary).toBe(`GET ${server.url}/health → 502 on 3 of 3 attempts`);
    expect(result.attempts.map((a) => a.status)).toEqual([502, 502, 502]);
    expect(result.attempts.every((a) => a.problem === 'expected 2xx' && a.bodyExcerpt === 'Bad Gateway')).toBe(true);
    expect(waits).toEqual([1500, 1500]);
    expect(log.lines).toHaveLength(3);
    expect(log.lines[1]).toMatch(new RegExp(`^smoke 2/3: GET ${server.url}/health → 502 in \\d+ ms \\(expected 2xx\\)$`));
    expect(server.received).toHaveLength(3);
  });

  it('recovers on attempt 2', async () => {
    const server = await serve((_r, res, n) => (n === 1 ? reply(res, 503, 'warming up') : reply(res, 200, 'ok')));
    const { checker: c, waits } = checker();
    const result = await c.check(settings(`${server.url}/health`), recorder());

    expect(result.ok).toBe(true);
    expect(result.attempts.map((a) => [a.status, a.ok])).toEqual([
      [503, false],
      [200, true],
    ]);
    expect(result.summary).toMatch(new RegExp(`^GET ${server.url}/health → 200 on attempt 2 of 3 \\(\\d+ ms\\)$`));
    expect(waits).toEqual([2000]);
  });

  it('lists each outcome when they differ', async () => {
    const server = await serve((_r, res, n) => (n === 3 ? reply(res, 500) : reply(res, 502)));
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/`), recorder());
    expect(result.summary).toBe(`GET ${server.url}/ → 502, 502, 500 on 3 of 3 attempts`);
  });

  it('checks the body: a substring', async () => {
    const server = await serve((_r, res) => reply(res, 200, '{"status":"degraded"}'));
    const { checker: c } = checker();
    const log = recorder();
    const failed = await c.check(settings(`${server.url}/h`, { expectBody: { kind: 'substring', text: '"ok"' } }), log);
    expect(failed.ok).toBe(false);
    expect(failed.attempts[0]!.problem).toBe('body did not contain "\\"ok\\""');
    expect(failed.summary).toBe(`GET ${server.url}/h → 200 without "\\"ok\\"" in the body on 3 of 3 attempts`);
    expect(log.lines[0]).toContain('→ 200 in ');

    const passed = await c.check(settings(`${server.url}/h`, { expectBody: { kind: 'substring', text: 'degraded' } }), recorder());
    expect(passed.ok).toBe(true);
  });

  it('checks the body: a regular expression', async () => {
    const server = await serve((_r, res) => reply(res, 200, 'Status: OK'));
    const { checker: c } = checker();
    const passed = await c.check(
      settings(`${server.url}/h`, { expectBody: { kind: 'regex', source: '^status:\\s+ok$', flags: 'i' } }),
      recorder(),
    );
    expect(passed.ok).toBe(true);
    const failed = await c.check(
      settings(`${server.url}/h`, { attempts: 1, expectBody: { kind: 'regex', source: '^status:\\s+ok$', flags: '' } }),
      recorder(),
    );
    expect(failed.ok).toBe(false);
    expect(failed.attempts[0]!.problem).toBe('body did not match /^status:\\s+ok$/');
    expect(failed.summary).toBe(`GET ${server.url}/h → 200 with a body not matching /^status:\\s+ok$/ on 1 of 1 attempts`);
  });

  it('judges the status by a list of codes and by class', async () => {
    const server = await serve((_r, res, n) => reply(res, n === 1 ? 204 : 302));
    const { checker: c } = checker();
    const list = await c.check(
      settings(`${server.url}/`, { attempts: 1, expectStatus: { codes: [200, 204], classes: [], text: '[200, 204]' } }),
      recorder(),
    );
    expect(list.ok).toBe(true);

    const server2 = await serve((_r, res) => reply(res, 404, 'nope'));
    const byClass = await c.check(
      settings(`${server2.url}/`, { attempts: 1, expectStatus: { codes: [], classes: [4], text: '4xx' } }),
      recorder(),
    );
    expect(byClass.ok).toBe(true);
    const wrong = await c.check(
      settings(`${server2.url}/`, { attempts: 1, expectStatus: { codes: [200], classes: [], text: '200' } }),
      recorder(),
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.attempts[0]!.problem).toBe('expected 200');
  });

  it('follows a same-origin redirect (relative or absolute), sending the headers there, and judges the final answer', async () => {
    const server = await serve((r, res) => {
      if (r.url === '/old') {
        res.writeHead(302, { location: `${server.url}/newer` });
        res.end();
      } else if (r.url === '/newer') {
        res.writeHead(307, { location: '/newest' });
        res.end();
      } else reply(res, 200, 'moved here');
    });
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/old`, { attempts: 1, headers: { 'x-api-key': 'k-1' }, secrets: ['k-1'] }), recorder());
    expect(result.ok).toBe(true);
    expect(result.attempts[0]).toMatchObject({ status: 200, bodyExcerpt: 'moved here' });
    expect(server.received.map((r) => [r.url, r.headers['x-api-key']])).toEqual([
      ['/old', 'k-1'],
      ['/newer', 'k-1'],
      ['/newest', 'k-1'],
    ]);
  });

  it('does not follow a redirect to another origin: the secret header never reaches it, and the 3xx is the answer', async () => {
    const other = await serve((_r, res) => reply(res, 200, 'ok from elsewhere'));
    const server = await serve((_r, res) => {
      res.writeHead(302, { location: `${other.url}/steal` });
      res.end('go away');
    });
    const { checker: c } = checker();
    const log = recorder();
    const smoke = settings(`${server.url}/health`, { attempts: 2, headers: { authorization: 'Bearer t-2' }, secrets: ['t-2'] });
    const result = await c.check(smoke, log);

    expect(other.received).toEqual([]);
    expect(server.received).toHaveLength(2);
    expect(result.ok).toBe(false);
    expect(result.attempts[0]).toMatchObject({
      status: 302,
      problem: `expected 2xx; redirect to another origin (${other.url}) not followed: the smoke headers go to ${server.url} only`,
    });
    expect(result.summary).toBe(`GET ${server.url}/health → 302 on 2 of 2 attempts`);
    expect(log.lines.join('\n')).not.toContain('t-2');
  });

  it('accepts a cross-origin 3xx that expect-status allows, without following it', async () => {
    const other = await serve((_r, res) => reply(res, 200, 'elsewhere'));
    const server = await serve((_r, res) => {
      res.writeHead(301, { location: `${other.url}/` });
      res.end();
    });
    const { checker: c } = checker();
    const log = recorder();
    const result = await c.check(settings(`${server.url}/`, { attempts: 1, expectStatus: { codes: [301], classes: [], text: '301' } }), log);
    expect(result.ok).toBe(true);
    expect(other.received).toEqual([]);
    expect(log.lines[0]).toContain(`redirect to another origin (${other.url}) not followed`);
  });

  it('follows at most 3 same-origin redirects, then fails the attempt', async () => {
    const server = await serve((r, res) => {
      const n = Number(r.url.slice(1)) || 0;
      res.writeHead(302, { location: `/${n + 1}` });
      res.end();
    });
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/0`, { attempts: 1, expectStatus: { codes: [302], classes: [], text: '302' } }), recorder());
    expect(result.ok).toBe(false);
    expect(server.received.map((r) => r.url)).toEqual(['/0', '/1', '/2', '/3']);
    expect(result.attempts[0]).toMatchObject({ status: 302, problem: 'more than 3 redirects' });
  });

  it('turns a 303 after a POST into a GET without the body', async () => {
    const server = await serve((r, res) => {
      if (r.url === '/submit') {
        res.writeHead(303, { location: '/done' });
        res.end();
      } else reply(res, 200, 'done');
    });
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/submit`, { attempts: 1, method: 'POST', body: '{"a":1}' }), recorder());
    expect(result.ok).toBe(true);
    expect(server.received.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', '/submit', '{"a":1}'],
      ['GET', '/done', ''],
    ]);
  });

  it('runs a catastrophic regex in linear time (RE2): /^(a+)+$/ against 40 a and a b returns promptly', async () => {
    const body = `${'a'.repeat(40)}b`;
    const server = await serve((_r, res) => reply(res, 200, body));
    const { checker: c } = checker();
    const started = performance.now();
    const result = await c.check(
      settings(`${server.url}/`, { attempts: 1, expectBody: { kind: 'regex', source: '^(a+)+$', flags: '' } }),
      recorder(),
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.ok).toBe(false);
    expect(result.attempts[0]!.problem).toBe('body did not match /^(a+)+$/');
  });

  it('stops a slow request at once when the run is cancelled, and tries no more', async () => {
    const server = await serve(() => undefined); // never replies
    const { checker: c, waits } = checker();
    const log = recorder();
    const cancel = new AbortController();
    setTimeout(() => cancel.abort('SIGTERM'), 100);
    const started = performance.now();
    const result = await c.check(settings(`${server.url}/slow`, { attempts: 3, timeoutMs: 30_000 }), log, cancel.signal);

    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]!.problem).toBe('cancelled (SIGTERM)');
    expect(result.summary).toBe(`GET ${server.url}/slow → cancelled (SIGTERM) on attempt 1 of 3`);
    expect(result.cancelled).toBe(true);
    expect(waits).toEqual([]);
  });

  it('stops the wait between attempts when the run is cancelled', async () => {
    const server = await serve((_r, res) => reply(res, 503));
    const c = new HttpSmokeChecker({ clock: { now: () => performance.now(), sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : {}) } });
    const log = recorder();
    const cancel = new AbortController();
    setTimeout(() => cancel.abort('SIGINT'), 200);
    const started = performance.now();
    const result = await c.check(settings(`${server.url}/`, { attempts: 3, intervalMs: 60_000 }), log, cancel.signal);

    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(server.received).toHaveLength(1);
    expect(result.attempts.map((a) => a.problem)).toEqual(['expected 2xx', 'cancelled (SIGINT)']);
    expect(result.summary).toBe(`GET ${server.url}/ → cancelled (SIGINT) before attempt 2 of 3`);
    // Stopped by the cancel: the result says so (a release of several units does not blame this function).
    expect(result.cancelled).toBe(true);
  });

  it('does not start when the run is already cancelled', async () => {
    const server = await serve((_r, res) => reply(res, 200));
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/`), recorder(), AbortSignal.abort('SIGTERM'));
    expect(result.ok).toBe(false);
    expect(server.received).toEqual([]);
  });

  it('ends the smoke phase at its deadline, attempts × (timeout + interval), however the time is spent', async () => {
    const server = await serve((_r, res) => reply(res, 503));
    // A clock whose sleep overruns the interval (10 s instead of 100 ms): the deadline, 2 × (900ms + 100ms), cuts it.
    // (The timeout leaves a loaded machine time to answer the first request.)
    const c = new HttpSmokeChecker({ clock: { now: () => performance.now(), sleep: (_ms, signal) => delay(10_000, undefined, signal ? { signal } : {}) } });
    const started = performance.now();
    const result = await c.check(settings(`${server.url}/`, { attempts: 2, intervalMs: 100, timeoutMs: 900 }), recorder());
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.ok).toBe(false);
    expect(result.attempts.map((a) => a.problem)).toEqual(['expected 2xx', "the smoke test's time limit of 2s ran out"]);
    expect(result.summary).toBe(`GET ${server.url}/ → no answer before attempt 2 of 2`);
    // The deadline is the check's own failure, not a cancel.
    expect(result.cancelled).toBeUndefined();
  });

  it('follows redirects like a normal client', async () => {
    const server = await serve((r, res) => {
      if (r.url === '/old') {
        res.writeHead(301, { location: '/new' });
        res.end();
      } else reply(res, 200, 'moved here');
    });
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/old`, { attempts: 1 }), recorder());
    expect(result.ok).toBe(true);
    expect(result.attempts[0]!.bodyExcerpt).toBe('moved here');
  });

  it('times out on a server that never answers', async () => {
    const server = await serve(() => undefined); // never replies
    const { checker: c, waits } = checker();
    const log = recorder();
    // The interval (slept at once by the test clock) widens the phase's deadline, 2 × (200ms + 300ms),
    // so that a loaded machine still gets both attempts in.
    const result = await c.check(settings(`${server.url}/slow`, { attempts: 2, intervalMs: 300, timeoutMs: 200 }), log);

    expect(result.ok).toBe(false);
    expect(result.attempts.map((a) => a.status)).toEqual([undefined, undefined]);
    expect(result.attempts[0]!.problem).toBe('timed out after 200ms');
    expect(result.attempts[0]!.latencyMs).toBeGreaterThanOrEqual(150);
    expect(log.lines[0]).toBe(`smoke 1/2: GET ${server.url}/slow → no answer after 200ms (timed out)`);
    expect(result.summary).toBe(`GET ${server.url}/slow → no answer on 2 of 2 attempts`);
    expect(waits).toEqual([300]);
  });

  it('reports a refused connection with its code', async () => {
    const server = await serve((_r, res) => reply(res, 200));
    const url = `${server.url}/health`;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const { checker: c } = checker();
    const log = recorder();
    const result = await c.check(settings(url, { attempts: 2 }), log);

    expect(result.ok).toBe(false);
    expect(result.attempts[0]!.problem).toBe('ECONNREFUSED');
    expect(log.lines[0]).toMatch(new RegExp(`^smoke 1/2: GET ${url} → no answer in \\d+ ms \\(ECONNREFUSED\\)$`));
    expect(result.summary).toBe(`GET ${url} → no answer on 2 of 2 attempts`);
  });

  it('masks secrets in log lines, URL and body excerpt', async () => {
    const server = await serve((r, res, n) =>
      reply(res, n === 1 ? 500 : 200, `you sent key=${String(r.headers['x-api-key'])} token in ${r.url}`),
    );
    const secret = 's3cr3t-KEY/value';
    const { checker: c } = checker();
    const log = recorder();
    const result = await c.check(
      settings(`${server.url}/health?token=${encodeURIComponent(secret)}`, {
        headers: { 'x-api-key': secret },
        secrets: [secret, ''],
      }),
      log,
    );

    expect(server.received[0]!.headers['x-api-key']).toBe(secret); // the real value was sent
    expect(result.ok).toBe(true);
    const everything = JSON.stringify(result) + log.lines.join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(encodeURIComponent(secret));
    expect(result.attempts[0]!.bodyExcerpt).toBe('you sent key=*** token in /health?token=***');
    expect(result.attempts[0]!.url).toBe(`${server.url}/health?token=***`);
    expect(log.lines[0]).toContain(`GET ${server.url}/health?token=*** → 500`);
  });

  it('sends the method, headers and body', async () => {
    const server = await serve((r, res) => reply(res, 201, `got ${r.body}`));
    const { checker: c } = checker();
    const result = await c.check(
      settings(`${server.url}/notes`, {
        method: 'post',
        headers: { 'content-type': 'application/json', 'x-smoke': '1' },
        body: '{"text":"hello"}',
      }),
      recorder(),
    );
    expect(result.ok).toBe(true);
    expect(result.summary).toMatch(/^POST .*\/notes → 201 on attempt 1 of 3/);
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      body: '{"text":"hello"}',
      headers: expect.objectContaining({ 'content-type': 'application/json', 'x-smoke': '1' }) as unknown,
    });
  });

  it('keeps only the first 300 bytes of the body as the excerpt', async () => {
    const server = await serve((_r, res) => reply(res, 200, 'é'.repeat(400)));
    const { checker: c } = checker();
    const result = await c.check(settings(`${server.url}/`, { attempts: 1 }), recorder());
    expect(result.attempts[0]!.bodyExcerpt).toBe('é'.repeat(150));
  });

  it('finds the expected body in a large response, keeping at most 64 KB', async () => {
    const server = await serve((_r, res) => reply(res, 200, 'x'.repeat(1000) + 'MARKER' + 'y'.repeat(200_000)));
    const { checker: c } = checker();
    const ok = await c.check(settings(`${server.url}/`, { attempts: 1, expectBody: { kind: 'substring', text: 'MARKER' } }), recorder());
    expect(ok.ok).toBe(true);
    const server2 = await serve((_r, res) => reply(res, 200, 'y'.repeat(200_000) + 'MARKER'));
    const beyond = await c.check(settings(`${server2.url}/`, { attempts: 1, expectBody: { kind: 'substring', text: 'MARKER' } }), recorder());
    expect(beyond.ok).toBe(false);
  });
});

describe('maskSecrets', () => {
  it('masks longer secrets first and ignores empty ones', () => {
    expect(maskSecrets('abc abcdef x', ['abc', 'abcdef', ''])).toBe('*** *** x');
    expect(maskSecrets('nothing', [])).toBe('nothing');
    expect(maskSecrets('a=p%40ss', ['p@ss'])).toBe('a=***');
  });
});

describe('formatMs', () => {
  it('reads well', () => {
    expect(formatMs(41.4)).toBe('41 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(12_345)).toBe('12 s');
  });
});

describe('HttpSmokeChecker: signed requests (an AWS_IAM function URL)', () => {
  /** A signer that records what it signed and answers fake SigV4 headers, a new signature each call. */
  function fakeSigner() {
    const signed: { method: string; url: string; headers: Record<string, string>; body?: string }[] = [];
    const sign: RequestSigner = (request) => {
      signed.push(request);
      const n = signed.length;
      const signature = `${n}`.padStart(64, 'a');
      return Promise.resolve({
        authorization: `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`,
        'x-amz-date': `20260101T00000${n}Z`,
        'x-amz-security-token': `session-token-${n}`,
      });
    };
    return { sign, signed };
  }

  it('signs every attempt and every same-origin redirect hop afresh, replacing a stage header of the same name', async () => {
    const server = await serve((_r, res, n) => {
      if (n === 1) {
        res.writeHead(302, { location: '/next' });
        res.end();
        return;
      }
      reply(res, n === 2 ? 500 : 200, 'ok');
    });
    const { sign, signed } = fakeSigner();
    const { checker: c } = checker();
    const result = await c.check(
      settings(`${server.url}/health`, { method: 'POST', body: 'ping', attempts: 2, headers: { Authorization: 'Bearer user', 'x-check': '1' }, sign }),
      recorder(),
    );
    expect(result.ok).toBe(true);
    expect(signed.map((s) => `${s.method} ${s.url} ${s.body ?? '-'}`)).toEqual([
      `POST ${server.url}/health ping`,
      `GET ${server.url}/next -`,
      `POST ${server.url}/health ping`,
    ]);
    expect(signed[0]!.headers).toEqual({ Authorization: 'Bearer user', 'x-check': '1' });
    expect(server.received.map((r) => [r.headers.authorization?.slice(-2), r.headers['x-amz-security-token'], r.headers['x-check']])).toEqual([
      ['a1', 'session-token-1', '1'],
      ['a2', 'session-token-2', '1'],
      ['a3', 'session-token-3', '1'],
    ]);
  });

  it('never prints a signature or session token, even when the answer echoes them', async () => {
    const server = await serve((r, res, n) =>
      reply(res, n === 1 ? 500 : 200, `auth=${String(r.headers.authorization)} token=${String(r.headers['x-amz-security-token'])}`),
    );
    const { sign } = fakeSigner();
    const { checker: c } = checker();
    const log = recorder();
    const result = await c.check(settings(`${server.url}/`, { attempts: 2, sign }), log);
    expect(result.ok).toBe(true);
    const everything = JSON.stringify(result) + log.lines.join('\n');
    for (const r of server.received) {
      const signature = /Signature=(\w+)/.exec(String(r.headers.authorization))![1]!;
      expect(everything).not.toContain(signature);
      expect(everything).not.toContain(String(r.headers['x-amz-security-token']));
    }
    expect(everything).not.toMatch(/AWS4-HMAC-SHA256|Credential=/);
    expect(result.attempts[0]!.bodyExcerpt).toBe('auth=*** token=***');
  });

  it('fails the attempt with the reason when signing fails (no credentials), without sending it', async () => {
    const server = await serve((_r, res) => reply(res, 200, 'ok'));
    const { checker: c } = checker();
    const sign: RequestSigner = () => Promise.reject(new Error('Could not load credentials from any providers'));
    const result = await c.check(settings(`${server.url}/`, { attempts: 1, sign }), recorder());
    expect(result.ok).toBe(false);
    expect(result.attempts[0]!.problem).toBe('signing the request failed: Could not load credentials from any providers');
    expect(server.received).toEqual([]);
  });

  it('sends no signature without a signer', async () => {
    const server = await serve((_r, res) => reply(res, 200, 'ok'));
    const { checker: c } = checker();
    expect((await c.check(settings(`${server.url}/`, { attempts: 1 }), recorder())).ok).toBe(true);
    expect(server.received[0]!.headers.authorization).toBeUndefined();
  });
});
