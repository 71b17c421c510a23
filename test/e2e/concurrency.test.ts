/**
 * The concurrency ring (issue 12): two `node dist/index.js` started at once against the same
 * function, for each pair of commands that people run at the same time, at a few start offsets.
 * One moto and one proxy for the file; a fresh function per pair and offset, so iterations never
 * see each other. The proxy behaves like Lambda (RevisionId and CodeSha256 preconditions,
 * LoggingConfig kept) and holds every update InProgress for a while, which widens the windows in
 * which the two runs interleave.
 *
 * After both runs end, the aliases are read back through the SDK and checked against the
 * invariants in ../harness/ring.ts: every alias ends on a version that holds its own stage's code
 * and settings and passed its checks, or on the version it had before; no green step whose
 * release was silently replaced; the history lists every release that was live.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateAliasCommand,
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runAction, type ActionRun } from '../harness/action.mjs';
import { startProxy, type AwsProxy } from '../harness/aws-proxy.mjs';
import { startEndpoint } from '../harness/endpoint.mjs';
import { codeSha256, createBucket, createFunction, lambdaClient, makeZip } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';
import { ringViolations, type FinalAlias, type RingRun, type StageExpectation } from '../harness/ring.js';

/** Start offsets of the second run (ms after the first): each pair runs once per offset. */
const OFFSETS = [0, 50, 150];
/** How long every UpdateFunctionConfiguration/UpdateFunctionCode stays InProgress during a pair. */
const HOLD_MS = 400;
const BUCKET = 'ring-artifacts';

const SETTINGS: Record<string, Record<string, string>> = {
  dev: { TABLE: 'notes-dev', STAGE_NAME: 'dev', LOG_LEVEL: 'INFO' },
  prod: { TABLE: 'notes-prod', STAGE_NAME: 'prod', LOG_LEVEL: 'ERROR' },
};
const good = (fn: string, release: string) =>
  `// ${fn} ${release}\nexport const handler = async () => ({ statusCode: 200, body: JSON.stringify({ status: 'ok', release: '${release}', table: process.env.TABLE }) });\n`;
const broken = (fn: string, release: string) => `// ${fn} ${release}\ngibberish;\nexport const handler = async () => ({ statusCode: 200, body: '"status":"ok"' });\n`;

let moto: Awaited<ReturnType<typeof startMoto>>;
let proxy: AwsProxy;
let lambda: LambdaClient;
let workspace: string;
let fnCount = 0;
/** One line per pair and offset: how the two steps ended and where the aliases are. */
const outcomes: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startProxy({ target: moto.endpoint });
  proxy.enforceRevisionId();
  proxy.enforceCodeSha256();
  proxy.keepLoggingConfig();
  lambda = lambdaClient(proxy.endpoint);
  workspace = mkdtempSync(join(tmpdir(), 'e2e-ring-'));
  await createBucket(moto.endpoint, BUCKET);
});

afterAll(async () => {
  if (outcomes.length > 0) console.log(`concurrency ring outcomes:\n${outcomes.join('\n')}`);
  lambda?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

interface Fixture {
  fn: string;
  build: string;
  config: string;
  endpoints: Record<string, Awaited<ReturnType<typeof startEndpoint>>>;
  zip: (code: string) => { path: string; sha: string };
}

/** A fresh function (created through the proxy, so it can serve the code), an endpoint per stage and a stages file. */
async function fixture(pair: string, stagesExtra: { defaults?: string; prod?: string } = {}): Promise<Fixture> {
  const fn = `ring-${pair}-${++fnCount}`;
  const build = join(workspace, fn);
  mkdirSync(build);
  const zip = (code: string) => {
    const path = makeZip(build, { 'index.mjs': code });
    return { path, sha: codeSha256(path) };
  };
  await createFunction(proxy.endpoint, { name: fn, zipPath: zip(good(fn, 'seed')).path, environment: SETTINGS.dev! });
  const endpoints: Fixture['endpoints'] = {};
  for (const stage of ['dev', 'prod']) {
    endpoints[stage] = await startEndpoint({ awsEndpoint: moto.endpoint, functionName: fn, alias: stage, codeRoots: [build] });
  }
  const smoke = (stage: string) => `{ url: "${endpoints[stage]!.url}/health", expect-body: '"status":"ok"', attempts: 2, interval: 100ms }`;
  const config = `${fn}.yml`;
  writeFileSync(
    join(workspace, config),
    `defaults: { function: ${fn}, region: us-east-1${stagesExtra.defaults ?? ''} }
stages:
  dev:
    log-level: INFO
    environment: { TABLE: notes-dev, STAGE_NAME: dev }
    smoke: ${smoke('dev')}
  prod:
    log-level: ERROR
    environment: { TABLE: notes-prod, STAGE_NAME: prod }
    smoke: ${smoke('prod')}
${stagesExtra.prod ? `    ${stagesExtra.prod}\n` : ''}`,
  );
  return { fn, build, config, endpoints, zip };
}

/**
 * A release made before the pair, through the SDK (faster than a run): `$LATEST` gets the code
 * and the stage's variables, a version is published, and the alias points at it with a history.
 */
async function seed(f: Fixture, stage: string, code: string, history: string[] = []): Promise<string> {
  const { path } = f.zip(code);
  await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: f.fn, ZipFile: readFileSync(path) }));
  await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: f.fn, Environment: { Variables: SETTINGS[stage] } }));
  const { Version } = await lambda.send(new PublishVersionCommand({ FunctionName: f.fn, Description: `seed ${stage}` }));
  const version = Version!;
  const releases = [version, ...history].map((v) => [v, '5eed000', 1763700000]);
  const description = `stage-deploy ${JSON.stringify({ r: releases })}`;
  try {
    await lambda.send(new GetAliasCommand({ FunctionName: f.fn, Name: stage }));
    await lambda.send(new UpdateAliasCommand({ FunctionName: f.fn, Name: stage, FunctionVersion: version, Description: description }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    await lambda.send(new CreateAliasCommand({ FunctionName: f.fn, Name: stage, FunctionVersion: version, Description: description }));
  }
  return version;
}

async function aliasVersion(fn: string, stage: string): Promise<string | undefined> {
  try {
    return (await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: stage }))).FunctionVersion;
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

async function finalAlias(fn: string, stage: string): Promise<FinalAlias> {
  try {
    const alias = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: stage }));
    const version = alias.FunctionVersion!;
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn, Qualifier: version }));
    return {
      stage,
      version,
      description: alias.Description ?? '',
      weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
      codeSha256: config.CodeSha256,
      environment: config.Environment?.Variables ?? {},
    };
  } catch (error) {
    if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
    return { stage, version: undefined, description: '', weights: {}, codeSha256: undefined, environment: {} };
  }
}

interface Step {
  label: string;
  command: RingRun['command'];
  stage: string;
  inputs: Record<string, string>;
  sha: string;
}

function deployStep(f: Fixture, label: string, stage: string, code: string, sha: string): Step {
  return { label, command: 'deploy', stage, sha, inputs: { stage, artifact: f.zip(code).path.slice(workspace.length + 1), config: f.config } };
}

function start(step: Step, onLine?: (line: string) => void): Promise<ActionRun> {
  return runAction({
    inputs: step.inputs,
    workspace,
    env: { ...awsEnv(proxy.endpoint), GITHUB_SHA: step.sha, STAGE_DEPLOY_GATE_INTERVAL_MS: '200', STAGE_DEPLOY_LOG_RETRY_MS: '50' },
    ...(onLine && { onLine }),
  });
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * Runs A, and B `offset` ms later (or `offset` ms after A prints a line matching `after`), with
 * updates held InProgress; returns what the invariants need.
 */
async function race(
  f: Fixture,
  a: Step,
  b: Step,
  offset: number,
  expectations: Omit<StageExpectation, 'answered200' | 'before'>[],
  after?: RegExp,
) {
  const before: Record<string, string | undefined> = {};
  for (const e of expectations) before[e.stage] = await aliasVersion(f.fn, e.stage);
  proxy.holdInProgress(HOLD_MS);
  let results: ActionRun[];
  try {
    let go: () => void = () => undefined;
    const trigger = after ? new Promise<void>((done) => (go = done)) : Promise.resolve();
    const first = start(a, after ? (line) => after.test(line) && go() : undefined).finally(() => go());
    const second = trigger.then(() => sleep(offset)).then(() => start(b));
    results = await Promise.all([first, second]);
  } finally {
    proxy.holdInProgress(0);
  }
  const runs: RingRun[] = [a, b].map((step, i) => ({
    label: step.label,
    command: step.command,
    stage: step.stage,
    code: results[i]!.code,
    outputs: results[i]!.outputs,
  }));
  const finals: FinalAlias[] = [];
  for (const e of expectations) finals.push(await finalAlias(f.fn, e.stage));
  const full: StageExpectation[] = expectations.map((e) => ({
    ...e,
    before: before[e.stage],
    answered200: f.endpoints[e.stage]!.requests.filter((r) => r.status === 200 && r.version !== undefined).map((r) => r.version!),
  }));
  for (const endpoint of Object.values(f.endpoints)) await endpoint.stop();
  const violations = ringViolations(runs, finals, full);
  const errorLine = (r: ActionRun) => /^::error[^:]*::(.*)$/m.exec(r.stdout)?.[1]?.slice(0, 200);
  outcomes.push(
    `${f.fn} +${offset}ms: ` +
      runs.map((r, i) => `${r.label} → exit ${r.code} ${r.outputs.status ?? '?'} v${r.outputs.version ?? '-'}${errorLine(results[i]!) ? ` (${errorLine(results[i]!)})` : ''}`).join('; ') +
      ` | ` +
      finals.map((x) => `${x.stage}→${x.version ?? '-'} ${x.description}`).join('; ') +
      (violations.length ? `\n    VIOLATIONS:\n    - ${violations.join('\n    - ')}` : ''),
  );
  return { runs, violations };
}

describe.each(OFFSETS)('two runs at once, the second %i ms after the first', (offset) => {
  it('deploy × deploy: the same stage, different code', async () => {
    const f = await fixture('dd');
    await seed(f, 'dev', good(f.fn, 'seed-dev'));
    const a = deployStep(f, 'A deploy dev', 'dev', good(f.fn, 'a'), 'aaaaaaa000000000000000000000000000000000');
    const b = deployStep(f, 'B deploy dev', 'dev', good(f.fn, 'b'), 'bbbbbbb000000000000000000000000000000000');
    const { violations } = await race(f, a, b, offset, [
      { stage: 'dev', allowedCode: [f.zip(good(f.fn, 'a')).sha, f.zip(good(f.fn, 'b')).sha], settings: SETTINGS.dev! },
    ]);
    expect(violations.join('\n')).toBe('');
  });

  it('deploy dev × deploy prod: one function, different settings, through S3', async () => {
    const f = await fixture('dp', { defaults: `, s3-bucket: ${BUCKET}` });
    await seed(f, 'prod', good(f.fn, 'seed-prod'));
    await seed(f, 'dev', good(f.fn, 'seed-dev'));
    // Half the offsets ship the same build to both stages (only the settings differ), half not.
    const same = offset !== 50;
    const devCode = good(f.fn, 'x');
    const prodCode = same ? devCode : good(f.fn, 'y');
    const a = deployStep(f, 'A deploy dev', 'dev', devCode, 'aaaaaaa000000000000000000000000000000000');
    const b = deployStep(f, 'B deploy prod', 'prod', prodCode, 'bbbbbbb000000000000000000000000000000000');
    const { violations } = await race(f, a, b, offset, [
      { stage: 'dev', allowedCode: [f.zip(devCode).sha], settings: SETTINGS.dev! },
      { stage: 'prod', allowedCode: [f.zip(prodCode).sha], settings: SETTINGS.prod! },
    ]);
    expect(violations.join('\n')).toBe('');
  });

  it('failing deploy × good deploy: the broken release never stays, the good one is not undone', async () => {
    const f = await fixture('fg');
    await seed(f, 'dev', good(f.fn, 'seed-dev'));
    const bad = deployStep(f, 'deploy dev (broken)', 'dev', broken(f.fn, 'bad'), 'aaaaaaa000000000000000000000000000000000');
    const fine = deployStep(f, 'deploy dev (good)', 'dev', good(f.fn, 'good'), 'bbbbbbb000000000000000000000000000000000');
    // At 150 ms the good deploy goes first and the broken one starts 150 ms after the good one
    // begins its code update: it reads the alias before the good release is shifted to.
    const goodFirst = offset === 150;
    const [a, b] = goodFirst ? [fine, bad] : [bad, fine];
    a.label = `A ${a.label}`;
    b.label = `B ${b.label}`;
    const { runs, violations } = await race(
      f,
      a,
      b,
      offset,
      [{ stage: 'dev', allowedCode: [f.zip(good(f.fn, 'good')).sha], settings: SETTINGS.dev! }],
      goodFirst ? /^Updating code of / : undefined,
    );
    expect(runs.find((r) => r.label.endsWith('(broken)'))!.code).not.toBe(0);
    expect(violations.join('\n')).toBe('');
  });

  it('first deploy × first deploy: both create the alias', async () => {
    const f = await fixture('ff');
    // Half the offsets ship the same build twice: both publish the same version and both reach
    // CreateAlias; the other half ship different builds.
    const codeA = good(f.fn, 'a');
    const codeB = offset === 50 ? good(f.fn, 'b') : codeA;
    const a = deployStep(f, 'A first deploy dev', 'dev', codeA, 'aaaaaaa000000000000000000000000000000000');
    const b = deployStep(f, 'B first deploy dev', 'dev', codeB, 'bbbbbbb000000000000000000000000000000000');
    const { violations } = await race(f, a, b, offset, [
      { stage: 'dev', allowedCode: [f.zip(codeA).sha, f.zip(codeB).sha], settings: SETTINGS.dev! },
    ]);
    expect(violations.join('\n')).toBe('');
  });

  it('canary × rollback: a rollback while a canary holds its split', async () => {
    const f = await fixture('cr', { prod: 'traffic: canary 50% 1s' });
    const one = await seed(f, 'prod', good(f.fn, 'one'));
    await seed(f, 'prod', good(f.fn, 'two'), [one]);
    const a = deployStep(f, 'A canary prod', 'prod', good(f.fn, 'three'), 'aaaaaaa000000000000000000000000000000000');
    const b: Step = { label: 'B rollback prod', command: 'rollback', stage: 'prod', sha: 'bbbbbbb000000000000000000000000000000000', inputs: { stage: 'prod', command: 'rollback', config: f.config } };
    // The rollback starts once the canary holds its split (plus the offset).
    const { violations } = await race(
      f,
      a,
      b,
      offset,
      [{ stage: 'prod', allowedCode: ['one', 'two', 'three'].map((r) => f.zip(good(f.fn, r)).sha), settings: SETTINGS.prod! }],
      /^Step 1\//,
    );
    expect(violations.join('\n')).toBe('');
  });

  it('promote × deploy: dev → prod while dev gets a new release', async () => {
    const f = await fixture('pd');
    await seed(f, 'prod', good(f.fn, 'zero'));
    await seed(f, 'dev', good(f.fn, 'one'));
    const a: Step = { label: 'A promote dev → prod', command: 'promote', stage: 'prod', sha: 'aaaaaaa000000000000000000000000000000000', inputs: { stage: 'prod', command: 'promote', 'promote-from': 'dev', config: f.config } };
    const b = deployStep(f, 'B deploy dev', 'dev', good(f.fn, 'two'), 'bbbbbbb000000000000000000000000000000000');
    const { violations } = await race(f, a, b, offset, [
      // prod may run what dev ran before or after the deploy, with prod's settings.
      { stage: 'prod', allowedCode: ['one', 'two'].map((r) => f.zip(good(f.fn, r)).sha), settings: SETTINGS.prod! },
      { stage: 'dev', allowedCode: [f.zip(good(f.fn, 'two')).sha], settings: SETTINGS.dev! },
    ]);
    expect(violations.join('\n')).toBe('');
  });
});

// The case the restore's RevisionId exists for: a broken release is live and its (slow) smoke test
// is still running when a good release of the same stage shifts the alias; then the broken one's
// check fails and it puts the alias back. Without the condition, that restore would put the alias
// on the version before both and silently undo the good, green release.
it('a failing release restores while a good one has shifted since: the good one stays live', async () => {
  const f = await fixture('fr');
  // One slow attempt: the broken version answers after 2.5 s, by which time the good release is live.
  const path = join(workspace, f.config);
  writeFileSync(path, readFileSync(path, 'utf8').replaceAll('attempts: 2, interval: 100ms', 'attempts: 1, timeout: 10s'));
  await seed(f, 'dev', good(f.fn, 'seed-dev'));
  const slowBroken = `// ${f.fn} slow\nexport const handler = async () => { await new Promise((r) => setTimeout(r, 2500)); throw new Error('slow and broken'); };\n`;
  const a = deployStep(f, 'A deploy dev (slow, broken)', 'dev', slowBroken, 'aaaaaaa000000000000000000000000000000000');
  const b = deployStep(f, 'B deploy dev (good)', 'dev', good(f.fn, 'good'), 'bbbbbbb000000000000000000000000000000000');
  const { runs, violations } = await race(
    f,
    a,
    b,
    0,
    [{ stage: 'dev', allowedCode: [f.zip(good(f.fn, 'good')).sha], settings: SETTINGS.dev! }],
    /^Shifted alias dev /,
  );
  expect(runs[0]!.code).not.toBe(0);
  expect(runs[1]!.outputs.status).toBe('deployed');
  expect(violations.join('\n')).toBe('');
});
