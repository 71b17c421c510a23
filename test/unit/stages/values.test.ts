/** The value checks of src/stages/values.ts: traffic, error rate, alarms, variable names, smoke URL, status, body and headers. */
import { describe, expect, it } from 'vitest';
import { expectInputError, resolve, devWith, smokeWith } from './fixtures.js';

describe('traffic, alarms and error rate', () => {
  it.each([
    ['all-at-once', { kind: 'all-at-once' }],
    ['canary 10% 5m', { kind: 'canary', percent: 10, waitMs: 300_000 }],
    ['Canary  5 %  30s', { kind: 'canary', percent: 5, waitMs: 30_000 }],
    ['canary 99% 1h', { kind: 'canary', percent: 99, waitMs: 3_600_000 }],
    ['linear 10% every 1m', { kind: 'linear', percent: 10, intervalMs: 60_000 }],
    ['linear 100% every 90', { kind: 'linear', percent: 100, intervalMs: 90_000 }],
  ])('reads traffic %j', (traffic, expected) => {
    expect(resolve(devWith(`{ traffic: "${traffic}" }`), 'dev').traffic).toEqual(expected);
  });

  it.each([
    ['canary 10%', 'stages.dev.traffic: "canary 10%" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['blue-green', 'stages.dev.traffic: "blue-green" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['canary 10% 5 minutes', 'stages.dev.traffic: "canary 10% 5 minutes" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['linear 10% 1m', 'stages.dev.traffic: "linear 10% 1m" is not a traffic strategy (use all-at-once, "canary 10% 5m" or "linear 10% every 1m")'],
    ['canary 100% 5m', 'stages.dev.traffic: "canary 100% 5m" is not a traffic strategy (the canary percent must be from 1 to 99)'],
    ['canary 0% 5m', 'stages.dev.traffic: "canary 0% 5m" is not a traffic strategy (the canary percent must be from 1 to 99)'],
    ['linear 101% every 1m', 'stages.dev.traffic: "linear 101% every 1m" is not a traffic strategy (the linear step must be from 1 to 100 percent)'],
    ['canary 10% 0s', 'stages.dev.traffic: "canary 10% 0s" is not a traffic strategy (the wait must be longer than 0s)'],
    ['canary 10% 1200h', 'stages.dev.traffic: "canary 10% 1200h" is not a traffic strategy (the wait must be at most 6h)'],
    ['linear 10% every 7h', 'stages.dev.traffic: "linear 10% every 7h" is not a traffic strategy (the wait must be at most 6h)'],
  ])('rejects traffic %j', (traffic, message) => {
    expectInputError(() => resolve(devWith(`{ traffic: "${traffic}" }`), 'dev'), message);
  });

  it('bounds bake at 6h (a timer past 2^31-1 ms would fire at once)', () => {
    expect(resolve(devWith('{ bake: 6h }'), 'dev').bakeMs).toBe(21_600_000);
    expectInputError(() => resolve(devWith('{ bake: 1200h }'), 'dev'), 'stages.dev.bake: "1200h" is not a bake time (use from 0s up to 6h)');
  });

  it('reads alarms, max-error-rate and bake', () => {
    expect(resolve(devWith('{ alarms: [a, b], max-error-rate: 0.05, bake: 90 }'), 'dev')).toMatchObject({
      alarms: ['a', 'b'],
      maxErrorRate: 0.05,
      bakeMs: 90_000,
    });
    expect(resolve(devWith('{ alarms: one, max-error-rate: "2.5%" }'), 'dev')).toMatchObject({ alarms: ['one'], maxErrorRate: 0.025 });
    expect(resolve(devWith('{ max-error-rate: 0 }'), 'dev').maxErrorRate).toBe(0);
    expectInputError(() => resolve(devWith('{ max-error-rate: lots }'), 'dev'), 'stages.dev.max-error-rate: "lots" is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ max-error-rate: 5 }'), 'dev'), 'stages.dev.max-error-rate: 5 is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ max-error-rate: 101% }'), 'dev'), 'stages.dev.max-error-rate: "101%" is not an error rate (use 1% or 0.01)');
    expectInputError(() => resolve(devWith('{ alarms: [a, ""] }'), 'dev'), 'stages.dev.alarms[1]: "" is not an alarm name');
    expectInputError(() => resolve(devWith('{ bake: forever }'), 'dev'), 'stages.dev.bake: "forever" is not a duration (use 500ms, 2s or 5m)');
  });
});

describe('environment', () => {
  it('checks environment variable names', () => {
    expectInputError(
      () => resolve(devWith('{ environment: { my-var: x } }'), 'dev'),
      'stages.dev.environment: "my-var" is not a variable name (letters, digits and _, starting with a letter)',
    );
    expectInputError(
      () => resolve(devWith('{ environment: { AWS_REGION: x } }'), 'dev'),
      'stages.dev.environment.AWS_REGION: "AWS_REGION" is reserved by Lambda (it sets this variable itself)',
    );
  });
});

describe('smoke: url, status and body', () => {
  it('requires an http(s) url', () => {
    expectInputError(() => resolve(devWith('{ smoke: { url: "ftp://x" } }'), 'dev'), 'stages.dev.smoke.url: "ftp://x" is not an http(s) URL');
    expectInputError(() => resolve(devWith('{ smoke: { url: "not a url" } }'), 'dev'), 'stages.dev.smoke.url: "not a url" is not an http(s) URL');
  });

  it.each([
    ['a line feed', 'https://x.example/a\nHost: evil', '"https://x.example/a\\nHost: evil"'],
    ['a carriage return', 'https://x.example/a\rb', '"https://x.example/a\\rb"'],
    ['a tab', 'https://x.exa\tmple/', '"https://x.exa\\tmple/"'],
    ['a NUL', 'https://x.example/\u0000', '"https://x.example/\\u0000"'],
    ['an escape (C0)', 'https://x.example/\u001b[2J', '"https://x.example/\\u001b[2J"'],
    ['a C1 control', 'https://x.example/\u0085', '"https://x.example/\u0085"'],
    ['DEL', 'https://x.example/\u007f', '"https://x.example/\u007f"'],
  ])('refuses a url with %s, naming the field and the value escaped', (_what, url, shown) => {
    const run = () => resolve(devWith(`{ smoke: { url: ${JSON.stringify(url)} } }`), 'dev');
    expectInputError(run, `stages.dev.smoke.url: ${shown} is not a smoke URL (it contains a control character)`);
  });

  it('refuses a url with a user name or password', () => {
    const why = 'is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})';
    expectInputError(() => resolve(devWith('{ smoke: { url: "https://user:pass@x.example/h" } }'), 'dev'), `stages.dev.smoke.url: "https://user:pass@x.example/h" ${why}`);
    expectInputError(() => resolve(devWith('{ smoke: { url: "https://user@x.example/h" } }'), 'dev'), `stages.dev.smoke.url: "https://user@x.example/h" ${why}`);
  });

  it('checks the smoke-url input the same way, naming the input', () => {
    expectInputError(
      () => resolve(devWith('{ smoke: { url: "https://x.example/" } }'), 'dev', { smokeUrl: 'https://x.example/a\rb' }),
      'smoke-url: "https://x.example/a\\rb" is not a smoke URL (it contains a control character)',
    );
    expectInputError(
      () => resolve(devWith('{}'), 'dev', { smokeUrl: 'https://u:p@x.example/' }),
      'smoke-url: "https://u:p@x.example/" is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})',
    );
  });

  it.each([
    ['200', { codes: [200], classes: [], text: '200' }],
    ['"204"', { codes: [204], classes: [], text: '204' }],
    ['[200, 204]', { codes: [200, 204], classes: [], text: '[200, 204]' }],
    ['"2xx"', { codes: [], classes: [2], text: '2xx' }],
    ['"5XX"', { codes: [], classes: [5], text: '5xx' }],
    ['["2xx", 404]', { codes: [404], classes: [2], text: '[2xx, 404]' }],
  ])('reads expect-status %s', (status, expected) => {
    expect(resolve(smokeWith(`expect-status: ${status}`), 'dev').smoke?.expectStatus).toEqual(expected);
  });

  it.each([
    ['"2xz"', '"2xz"'],
    ['600', '600'],
    ['99', '99'],
    ['[]', '[]'],
    ['[200, "abc"]', '[200,"abc"]'],
    ['"6xx"', '"6xx"'],
    ['200.5', '200.5'],
  ])('rejects expect-status %s', (status, shown) => {
    expectInputError(
      () => resolve(smokeWith(`expect-status: ${status}`), 'dev'),
      `stages.dev.smoke.expect-status: ${shown} is not a status (use 200, [200, 204] or "2xx")`,
    );
  });

  it('reads expect-body as a substring or a /regex/', () => {
    expect(resolve(smokeWith('expect-body: ok'), 'dev').smoke?.expectBody).toEqual({ kind: 'substring', text: 'ok' });
    expect(resolve(smokeWith('expect-body: "/\\"status\\":\\\\s*\\"ok\\"/i"'), 'dev').smoke?.expectBody).toEqual({
      kind: 'regex',
      source: '"status":\\s*"ok"',
      flags: 'i',
    });
    expect(resolve(smokeWith("expect-body: '/a/b/'"), 'dev').smoke?.expectBody).toEqual({ kind: 'regex', source: 'a/b', flags: '' });
    const re2 = 'expect-body uses RE2: no backreferences or lookaround';
    expectInputError(
      () => resolve(smokeWith("expect-body: '/(/'"), 'dev'),
      `stages.dev.smoke.expect-body: "/(/" is not a valid regular expression (missing closing ): \`(\`; ${re2})`,
    );
    expectInputError(
      () => resolve(smokeWith("expect-body: '/a/q'"), 'dev'),
      'stages.dev.smoke.expect-body: "/a/q" is not a valid regular expression (unsupported flag "q": use i, m or s)',
    );
    expectInputError(
      () => resolve(smokeWith("expect-body: '/a/gy'"), 'dev'),
      'stages.dev.smoke.expect-body: "/a/gy" is not a valid regular expression (unsupported flag "g", "y": use i, m or s)',
    );
  });

  it('keeps the flags i, m and s', () => {
    expect(resolve(smokeWith("expect-body: '/^ok.$/ims'"), 'dev').smoke?.expectBody).toEqual({ kind: 'regex', source: '^ok.$', flags: 'ims' });
  });

  it.each([
    ['a backreference', '/(a)\\1/', 'invalid escape sequence: `\\1`'],
    ['a lookahead', '/(?=a)b/', 'invalid or unsupported Perl syntax: `(?=`'],
    ['a negative lookahead', '/(?!a)b/', 'invalid or unsupported Perl syntax: `(?!`'],
  ])('refuses %s, which RE2 cannot run in linear time', (_what, pattern, why) => {
    expectInputError(
      () => resolve(smokeWith(`expect-body: '${pattern}'`), 'dev'),
      `stages.dev.smoke.expect-body: ${JSON.stringify(pattern)} is not a valid regular expression (${why}; expect-body uses RE2: no backreferences or lookaround)`,
    );
  });

  it('accepts a pattern that backtracks catastrophically in JavaScript: RE2 runs it in linear time', () => {
    expect(resolve(smokeWith("expect-body: '/^(a+)+$/'"), 'dev').smoke?.expectBody).toEqual({ kind: 'regex', source: '^(a+)+$', flags: '' });
  });
});

describe('smoke: headers', () => {
  it('expands ${VAR} in header values from the environment and records the values as secrets', () => {
    const smoke = resolve(
      smokeWith('headers: { x-api-key: "${KEY}", authorization: "Bearer ${TOKEN}", x-twice: "${KEY}${KEY}", x-plain: 42 }'),
      'dev',
      {},
      { KEY: 'k-1', TOKEN: 't-2' },
    ).smoke;
    expect(smoke?.headers).toEqual({ 'x-api-key': 'k-1', authorization: 'Bearer t-2', 'x-twice': 'k-1k-1', 'x-plain': '42' });
    expect(smoke?.secrets).toEqual(['k-1', 't-2']);
  });

  it('leaves text that is not a ${VAR} alone', () => {
    const smoke = resolve(smokeWith('headers: { x-a: "$HOME and ${not valid} and $", x-b: plain }'), 'dev', {}, { HOME: '/h' }).smoke;
    expect(smoke?.headers).toEqual({ 'x-a': '$HOME and ${not valid} and $', 'x-b': 'plain' });
    expect(smoke?.secrets).toEqual([]);
  });

  it('names a missing variable without revealing any secret', () => {
    const run = () =>
      resolve(smokeWith('headers: { x-token: "${TOKEN}", x-api-key: "${SMOKE_API_KEY}" }'), 'dev', {}, { TOKEN: 'do-not-print', SMOKE_API_KEY: undefined });
    expectInputError(run, "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment");
    expect(() => run()).not.toThrow(/do-not-print/);
  });

  it('treats an empty variable as not set (an unset GitHub secret is empty)', () => {
    expectInputError(
      () => resolve(smokeWith('headers: { x-api-key: "${SMOKE_API_KEY}" }'), 'dev', {}, { SMOKE_API_KEY: '' }),
      "stages.dev.smoke.headers.x-api-key: ${SMOKE_API_KEY} is not set in the step's environment",
    );
  });

  it('refuses bad header names and values with line breaks', () => {
    expectInputError(() => resolve(smokeWith('headers: { "bad name": x }'), 'dev'), 'stages.dev.smoke.headers: "bad name" is not a header name');
    expectInputError(
      () => resolve(smokeWith('headers: { x-a: "${V}" }'), 'dev', {}, { V: 'a\r\nX-Injected: 1' }),
      'stages.dev.smoke.headers.x-a: a header value cannot contain a line break',
    );
  });
});
