/**
 * The smoke test's safety end to end, through `node dist/index.js` against moto: a redirect to
 * another origin never carries the stage's secret header there, a catastrophic `expect-body`
 * regex cannot hang the run, and SIGTERM during a slow smoke request puts the alias back.
 * The smoke URL is a local server of the test's own (the smoke test only needs an HTTP answer).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { GetAliasCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { annotations, runAction } from '../harness/action.mjs';
import { type AwsProxy } from '../harness/aws-proxy.mjs';
import { createFunction, makeZip } from '../harness/lambda-fixtures.mjs';
import { startAwsStack, type AwsStack } from '../harness/aws-stack.mjs';
import { awsEnv } from '../harness/moto.mjs';

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;
const SECRET = 'e2e-secret-4f1c9a';

let proxy: AwsProxy;
let workspace: string;
let lambda: LambdaClient;
let stops: AwsStack['stops'];
let stack: AwsStack | undefined;
let fnCount = 0;

interface Seen {
  url: string;
  headers: IncomingMessage['headers'];
}

/** A local HTTP server on 127.0.0.1 (each on its own port: its own origin). */
async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    handle(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

beforeAll(async () => {
  stack = await startAwsStack('e2e-smoke-safety-');
  ({ proxy, workspace, lambda, stops } = stack);
});

afterAll(() => stack?.stop());

/** A function with version 1 live on `prod`, and a stages file whose prod stage has `smoke`. */
async function setUp(smoke: string) {
  const name = `smoke-safety-${++fnCount}`;
  await createFunction(proxy.endpoint, { name, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  const config = `${name}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${name}, region: us-east-1 }
stages:
  first: { alias: prod }
  prod:
    alias: prod
    smoke: ${smoke}
`,
  );
  const first = await deploy(config, 'first', handler('one'));
  expect(first.outputs).toMatchObject({ status: 'deployed', version: '1' });
  return { name, config };
}

function deploy(config: string, stage: string, code: string, extra: Partial<Parameters<typeof runAction>[0]> = {}, inputs: Record<string, string> = {}) {
  const zip = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return runAction({
    inputs: { stage, artifact: zip.slice(workspace.length + 1), config, ...inputs },
    workspace,
    env: { ...awsEnv(proxy.endpoint), SMOKE_TOKEN: SECRET },
    ...extra,
  });
}

async function alias(name: string) {
  const answer = await lambda.send(new GetAliasCommand({ FunctionName: name, Name: 'prod' }));
  return { version: answer.FunctionVersion, weights: answer.RoutingConfig?.AdditionalVersionWeights ?? {} };
}

describe('smoke safety', () => {
  it('a redirect to another origin is not followed: the secret never reaches it, and the release rolls back', async () => {
    const other = await serve((_req, res) => res.writeHead(200).end('ok'));
    const app = await serve((_req, res) => res.writeHead(302, { location: `${other.url}/collect` }).end());
    const { name, config } = await setUp(`{ url: "${app.url}/health", headers: { authorization: "Bearer \${SMOKE_TOKEN}" }, attempts: 2, interval: 100ms }`);

    const result = await deploy(config, 'prod', handler('two'));
    expect(result.code).not.toBe(0);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(other.seen).toEqual([]);
    expect(app.seen.map((s) => s.headers.authorization)).toEqual([`Bearer ${SECRET}`, `Bearer ${SECRET}`]);
    expect(result.stdout).toContain(`redirect to another origin (${other.url}) not followed`);
    expect(result.stdout.replace(`::add-mask::${SECRET}`, '')).not.toContain(SECRET);
    expect(result.summary).not.toContain(SECRET);
    expect(annotations(result.stdout).find((a) => a.kind === 'error')?.message).toBe(
      `GET ${app.url}/health → 302 on 2 of 2 attempts; prod rolled back from 2 to 1`,
    );
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('a catastrophic expect-body regex does not hang the run: it ends promptly, the alias on the old version', async () => {
    const app = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`${'a'.repeat(40)}b`));
    const { name, config } = await setUp(`{ url: "${app.url}/health", expect-body: '/^(a+)+$/', attempts: 1 }`);

    const result = await deploy(config, 'prod', handler('two'));
    expect(result.durationMs).toBeLessThan(30_000);
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(result.stdout).toContain('body did not match /^(a+)+$/');
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('SIGTERM during a slow smoke request: the request is aborted, the alias put back, the status not deployed', async () => {
    // Never answered: the request would wait for its 60 s timeout. SIGTERM comes 1.5 s after the shift.
    const app = await serve(() => undefined);
    const { name, config } = await setUp(`{ url: "${app.url}/health", attempts: 3, timeout: 60s, interval: 1s }`);

    let shiftedAt = 0;
    const result = await deploy(config, 'prod', handler('two'), {
      onLine: (line) => {
        if (line.startsWith('Shifted alias prod') && shiftedAt === 0) shiftedAt = Date.now();
      },
      killWhen: { pattern: /^Shifted alias prod from version 1 to 2/, signal: 'SIGTERM', afterMs: 1500 },
    });
    const killedAt = shiftedAt + 1500;
    expect(app.seen).toHaveLength(1);
    expect(result.stdout).toMatch(/^smoke 1\/3: GET .* → no answer: cancelled \(SIGTERM\)$/m);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('SIGTERM received');
    expect(result.outputs.status).not.toBe('deployed');
    expect(result.outputs).toMatchObject({ status: 'rolled-back', version: '1' });
    expect(result.stdout).toContain('cancelled (SIGTERM); prod rolled back from 2 to 1');
    // It did not wait for the 60 s request timeout.
    expect(shiftedAt).toBeGreaterThan(0);
    expect(result.startedAt + result.durationMs - killedAt).toBeLessThan(15_000);
    expect(result.state.rollout).toBe('');
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });

  it('a smoke URL with a control character or a password is refused before anything in AWS changes', async () => {
    const { name, config } = await setUp('{ url: "https://x.example/health" }');
    proxy.reset();
    const withPassword = await deploy(config, 'prod', handler('two'), {}, { 'smoke-url': 'https://user:pass@x.example/health' });
    expect(withPassword.code).not.toBe(0);
    expect(withPassword.stdout).toContain(
      '::error::smoke-url: "https://user:pass@x.example/health" is not a smoke URL (it has a user name or password: send credentials in smoke.headers from ${VAR})',
    );
    writeFileSync(
      join(workspace, config),
      `defaults: { function: ${name}, region: us-east-1 }\nstages:\n  prod: { alias: prod, smoke: { url: "https://x.example/a\\r\\nX-Injected: 1" } }\n`,
    );
    const withControl = await deploy(config, 'prod', handler('three'));
    expect(withControl.code).not.toBe(0);
    expect(withControl.stdout).toContain(
      '::error::stages.prod.smoke.url: "https://x.example/a\\r\\nX-Injected: 1" is not a smoke URL (it contains a control character)',
    );
    expect(proxy.counts().UpdateFunctionCode).toBeUndefined();
    expect(proxy.counts().PublishVersion).toBeUndefined();
    expect(proxy.counts().UpdateAlias).toBeUndefined();
    expect(await alias(name)).toEqual({ version: '1', weights: {} });
  });
});
