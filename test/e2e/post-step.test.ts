/**
 * The post step end to end (`node dist/index.js` with STATE_* variables, as the runner runs it):
 * it acts only on what its own main step left. Two stages, dev and prod, on one function; forged
 * `rollout` states (another alias, another function, a version never shifted, `before: null` for
 * an alias the step did not create), each without and with a valid MAC, change nothing and only
 * warn; a canary killed mid-shift (SIGKILL) is still put back.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAliasCommand, GetAliasCommand, PublishVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { keyFile, macOf } from '../../src/action/state.js';
import type { RolloutState } from '../../src/model/ports.js';
import { annotations, runAction } from '../harness/action.mjs';
import { createFunction, lambdaClient, makeZip, snapshotFunction, type FunctionSnapshot } from '../harness/lambda-fixtures.mjs';
import { awsEnv, startMoto } from '../harness/moto.mjs';

const handler = (release: string) => `export const handler = async () => ({ statusCode: 200, body: '${release}' });\n`;
const FN = 'post-step-notes';
const VICTIM = 'post-step-other';
const CONFIG = 'post-step.yml';

let moto: Awaited<ReturnType<typeof startMoto>>;
let lambda: LambdaClient;
let workspace: string;
/** RUNNER_TEMP, shared by a main step and its post step as on a runner. */
let runnerTemp: string;
/** The state the killed main step left (the legitimate one). */
let killedState: Record<string, string>;

function env() {
  return { ...awsEnv(moto.endpoint), STAGE_DEPLOY_GATE_INTERVAL_MS: '300', RUNNER_TEMP: runnerTemp };
}

function deploy(stage: string, code: string, extra: Partial<Parameters<typeof runAction>[0]> = {}) {
  const zip = makeZip(join(workspace, 'build'), { 'index.mjs': code });
  return runAction({ inputs: { stage, artifact: zip.slice(workspace.length + 1), config: CONFIG }, workspace, env: env(), ...extra });
}

/** The post step of a deploy to `stage`: the same inputs (the artifact is not read), the given state. */
function postStep(stage: string, state: Record<string, string>) {
  return runAction({ inputs: { stage, artifact: 'build/unused.zip', config: CONFIG }, workspace, env: env(), state: { isPost: 'true', ...state } });
}

async function aliasOf(fn: string, name: string) {
  const a = await lambda.send(new GetAliasCommand({ FunctionName: fn, Name: name }));
  return { version: a.FunctionVersion, weights: a.RoutingConfig?.AdditionalVersionWeights ?? {}, description: a.Description ?? '' };
}

/** A state signed with a key the test makes and keeps in RUNNER_TEMP: as if the attacker had the key. */
function signed(state: unknown): Record<string, string> {
  const keyId = randomBytes(16).toString('hex');
  const key = randomBytes(32);
  writeFileSync(keyFile(runnerTemp, keyId), key, { mode: 0o600 });
  const payload = JSON.stringify(state);
  return { rollout: payload, rolloutKey: keyId, rolloutMac: macOf(key, keyId, payload) };
}

/** The same state, unsigned: no key id, no MAC (as a `save-state` command in printed text plants it). */
function unsigned(state: unknown): Record<string, string> {
  return { rollout: JSON.stringify(state) };
}

beforeAll(async () => {
  moto = await startMoto();
  lambda = lambdaClient(moto.endpoint);
  workspace = mkdtempSync(join(tmpdir(), 'e2e-post-step-'));
  runnerTemp = mkdtempSync(join(tmpdir(), 'e2e-post-step-runner-'));
  mkdirSync(join(workspace, 'build'));
  writeFileSync(
    join(workspace, CONFIG),
    `defaults: { function: ${FN}, region: us-east-1 }
stages:
  dev: { alias: dev, traffic: canary 50% 30s }
  prod: { alias: prod }
`,
  );
  await createFunction(moto.endpoint, { name: FN, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('bootstrap') }) });
  // Another function with an alias dev that no step of this job created.
  await createFunction(moto.endpoint, { name: VICTIM, zipPath: makeZip(join(workspace, 'build'), { 'index.mjs': handler('victim') }) });
  const published = await lambda.send(new PublishVersionCommand({ FunctionName: VICTIM }));
  await lambda.send(new CreateAliasCommand({ FunctionName: VICTIM, Name: 'dev', FunctionVersion: published.Version, Description: 'not ours' }));

  // prod released (version 1), dev released (version 2: its own publish); then dev's next release
  // (version 3) is killed mid-canary.
  expect((await deploy('prod', handler('one'))).outputs).toMatchObject({ status: 'deployed', version: '1' });
  expect((await deploy('dev', handler('one'))).outputs).toMatchObject({ status: 'deployed', version: '2' });
  const killed = await deploy('dev', handler('two'), { killWhen: { pattern: /^Step 1\/2/, signal: 'SIGKILL' } });
  expect(killed.code).not.toBe(0);
  expect(await aliasOf(FN, 'dev')).toMatchObject({ version: '2', weights: { '3': 0.5 } });
  killedState = killed.state;
  expect(JSON.parse(killedState.rollout ?? '{}')).toMatchObject({ functionName: FN, alias: 'dev', toVersion: '3', before: { version: '2' } });
});

afterAll(async () => {
  lambda?.destroy();
  await moto?.stop();
  if (workspace) rmSync(workspace, { recursive: true, force: true });
  if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
});

describe('the post step acts only on what its own main step left', () => {
  let prodBefore: Awaited<ReturnType<typeof aliasOf>>;
  let fnBefore: FunctionSnapshot;
  let victimBefore: FunctionSnapshot;
  const forged: [string, string, () => unknown, RegExp][] = [];

  beforeAll(async () => {
    prodBefore = await aliasOf(FN, 'prod');
    fnBefore = await snapshotFunction(moto.endpoint, FN);
    victimBefore = await snapshotFunction(moto.endpoint, VICTIM);
  });

  // Each forged state is one the alias check alone would act on: only the other checks stop it.
  forged.push(
    [
      'another alias (prod, while the step is dev)',
      'dev',
      () => ({ functionName: FN, alias: 'prod', region: 'us-east-1', toVersion: '1', toDescription: prodBefore.description, before: { version: '2', weights: {}, description: 'forged' } }),
      /names alias prod of post-step-notes in us-east-1, not this step's alias dev of post-step-notes in us-east-1; nothing was changed/,
    ],
    [
      'another function',
      'dev',
      () => ({ functionName: VICTIM, alias: 'dev', region: 'us-east-1', toVersion: '1', toDescription: 'not ours', before: null }),
      /names alias dev of post-step-other in us-east-1, not this step's alias dev of post-step-notes/,
    ],
    [
      'a version that was never shifted',
      'dev',
      // The real state with another version in it (prod's, never shifted on dev).
      () => ({ ...(JSON.parse(killedState.rollout ?? '{}') as RolloutState), toVersion: '1' }),
      /alias dev of post-step-notes left alone: it is on version 2 \(50% on 3\), not as the shift from version 2 to 1 left it/,
    ],
    [
      'before: null for an alias the step did not create',
      'prod',
      () => ({ functionName: FN, alias: 'prod', region: 'us-east-1', toVersion: '1', toDescription: 'forged', before: null }),
      /alias prod of post-step-notes left alone: it is on version 1, not as the first release of version 1 created it/,
    ],
  );

  async function expectNothingChanged() {
    expect(await aliasOf(FN, 'prod')).toEqual(prodBefore);
    expect(await snapshotFunction(moto.endpoint, FN)).toEqual(fnBefore);
    expect(await snapshotFunction(moto.endpoint, VICTIM)).toEqual(victimBefore);
  }

  it.each(forged.map(([what, stage, state, message]) => ({ what, stage, state, message })))(
    'a forged state naming $what: without a MAC, then with a valid one, only warnings',
    async ({ stage, state, message }) => {
      const bare = await postStep(stage, unsigned(state()));
      expect(bare.code).toBe(0);
      expect(annotations(bare.stdout)).toEqual([
        {
          kind: 'warning',
          message: "stage-deploy post: the saved rollout state is not one this step's main step signed (no key id was saved with it); nothing was changed.",
        },
      ]);
      await expectNothingChanged();

      // A valid MAC with the real key id but another key: the MAC does not verify.
      const withRealId = { ...signed(state()), rolloutKey: killedState.rolloutKey ?? '' };
      const wrongKey = await postStep(stage, withRealId);
      expect(annotations(wrongKey.stdout).map((a) => a.message)).toEqual([
        "stage-deploy post: the saved rollout state is not one this step's main step signed (its MAC does not verify); nothing was changed.",
      ]);
      await expectNothingChanged();

      const mac = await postStep(stage, signed(state()));
      expect(mac.code).toBe(0);
      const found = annotations(mac.stdout);
      expect(found.every((a) => a.kind === 'warning')).toBe(true);
      expect(found.map((a) => a.message).join('\n')).toMatch(message);
      await expectNothingChanged();
    },
  );

  it('a state whose key file is gone is not acted on', async () => {
    const state = signed({ functionName: FN, alias: 'dev', region: 'us-east-1', toVersion: '2', toDescription: 'x', before: null });
    rmSync(keyFile(runnerTemp, state.rolloutKey ?? ''));
    const post = await postStep('dev', state);
    expect(annotations(post.stdout).map((a) => a.message)).toEqual([
      "stage-deploy post: the saved rollout state is not one this step's main step signed (its key file is missing); nothing was changed.",
    ]);
    await expectNothingChanged();
  });

  it('the legitimate state: the canary killed mid-shift is put back, prod untouched, the key file removed', async () => {
    const post = await postStep('dev', killedState);
    expect(post.code).toBe(0);
    expect(post.stdout).toContain(`::warning::Put alias dev of ${FN} back on version 2: the release of version 3 did not finish.`);
    expect(await aliasOf(FN, 'dev')).toMatchObject({ version: '2', weights: {} });
    expect(await aliasOf(FN, 'prod')).toEqual(prodBefore);
    expect(readdirSync(runnerTemp).filter((f) => f.includes(killedState.rolloutKey ?? '?'))).toEqual([]);
  });
});
