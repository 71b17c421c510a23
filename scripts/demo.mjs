// npm run demo: the whole loop in one command. Starts moto (a real AWS API server) and a local
// endpoint that runs whichever Lambda version the alias points at, then runs the action as a
// GitHub runner would (node dist/index.js): a good deploy, then a broken one that is rolled back.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runAction } from '../test/harness/action.mjs';
import { startProxy } from '../test/harness/aws-proxy.mjs';
import { startEndpoint } from '../test/harness/endpoint.mjs';
import { createFunction, makeZip } from '../test/harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../test/harness/moto.mjs';

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const say = (s = '') => console.log(s);

const moto = await startMoto();
// In front of moto: keeps what Lambda keeps and moto drops (LoggingConfig), answers like Lambda.
const proxy = await startProxy({ target: moto.endpoint });
proxy.keepLoggingConfig();
const workspace = mkdtempSync(join(tmpdir(), 'stage-deploy-demo-'));
const build = join(workspace, 'build');
mkdirSync(build);
let endpoint;
try {
  say(bold(`moto (AWS API) on ${moto.endpoint}`));
  await createFunction(moto.endpoint, {
    name: 'notes-api',
    zipPath: makeZip(build, { 'index.mjs': 'export const handler = async () => ({ statusCode: 503, body: "not yet" });\n' }),
    environment: { TABLE: 'notes' },
  });
  // The endpoint also writes what the Lambda runtime would log into moto's CloudWatch Logs.
  endpoint = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: 'notes-api', alias: 'dev', codeRoots: [workspace], writeLogs: true });
  say(bold(`endpoint (API Gateway stand-in for alias dev) on ${endpoint.url}`));
  writeFileSync(
    join(workspace, 'stage-deploy.yml'),
    `defaults:
  function: notes-api
  region: us-east-1
stages:
  dev:
    log-level: INFO
    environment: { TABLE: notes-dev }
    smoke: { url: "${endpoint.url}/notes/health", expect-body: '"ok"', attempts: 3, interval: 500ms }
`,
  );

  const step = async (title, files) => {
    say();
    say(bold(`── ${title}`));
    const zip = makeZip(build, files);
    const run = await runAction({ inputs: { stage: 'dev', artifact: zip.slice(workspace.length + 1) }, workspace, env: awsEnv(proxy.endpoint) });
    for (const line of run.stdout.split('\n')) if (line.trim()) say(`   ${line}`);
    say(`   → exit code ${run.code}; outputs ${JSON.stringify(run.outputs)}`);
    return run;
  };

  await step('1. A good release: publish, shift dev, smoke-test', {
    'index.mjs': 'export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: "ok", level: process.env.LOG_LEVEL }) });\n',
  });
  await step('2. A broken release (ReferenceError on load): the smoke test sees 502, dev is rolled back', {
    'index.mjs': 'gibberish;\nexport const handler = async () => ({ statusCode: 200, body: "ok" });\n',
  });
  const broken = endpoint.requests.find((r) => r.status === 502);
  if (broken) say(`   what the function printed: ${broken.stderr.trim().split('\n').at(-1)}`);

  say();
  const health = await fetch(`${endpoint.url}/notes/health`);
  say(bold(`── 3. After the rollback, dev answers ${health.status} ${await health.text()} (version ${endpoint.requests.at(-1)?.version})`));
} finally {
  await endpoint?.stop();
  await proxy.stop();
  await moto.stop();
  rmSync(workspace, { recursive: true, force: true });
}
