/**
 * One run of the action: resolve the stage, check the input, build the adapters and carry out
 * the command. Returns what happened as data; never touches @actions/core (main.ts does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { prepareArtifact } from './artifact/package.js';
import { RegionServices } from './aws/services.js';
import { deploy } from './commands/deploy.js';
import { diagnose } from './release/diagnosis.js';
import { housekeeping } from './release/housekeeping.js';
import { promote } from './commands/promote.js';
import { isSuccess, type ReleaseResult } from './model/results.js';
import { rollback } from './commands/rollback.js';
import { HttpSmokeChecker } from './checks/smoke.js';
import { listStages, loadStagesFile, resolveStage, type StagesFile } from './stages/stages-file.js';
import { stageStatus } from './commands/status.js';
import type { StageSettings } from "./model/settings.js";
import type { Log } from "./model/ports.js";
import type { DeploymentTracker } from "./model/ports.js";
import type { MetricsGateway } from "./model/ports.js";
import { InputError } from "./model/errors.js";
import type { RolloutStateStore } from "./model/ports.js";
import type { StageStatus } from "./model/results.js";
import type { ReleaseDeps } from "./release/deps.js";
import type { RunContext } from "./model/settings.js";
import type { ActionInputs } from "./model/settings.js";

export interface RunEnvironment {
  /** GITHUB_WORKSPACE, or the current directory. */
  workspace: string;
  /** RUNNER_TEMP, or the system's temp directory. */
  tempDir: string;
  env: Record<string, string | undefined>;
  context: RunContext;
}

export type RunOutcome =
  | { kind: 'release'; settings: StageSettings; result: ReleaseResult }
  | { kind: 'status'; settings: StageSettings; stages: StageStatus[] };

export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || tmpdir(),
    env,
    context: { commit: env.GITHUB_SHA ?? '', runId: env.GITHUB_RUN_ID ?? '' },
  };
}

/** The stages file, when there is one. */
export async function loadConfig(inputs: ActionInputs, environment: RunEnvironment): Promise<StagesFile | undefined> {
  const path = isAbsolute(inputs.config) ? inputs.config : resolve(environment.workspace, inputs.config);
  return loadStagesFile(path, inputs.configRequired, inputs.config);
}

/** The stage the inputs name: stages file (when there is one) with the inputs over it. */
export function resolveSettings(inputs: ActionInputs, file: StagesFile | undefined, environment: RunEnvironment): StageSettings {
  return resolveStage({
    ...(file !== undefined && { file }),
    fileName: inputs.config,
    stage: inputs.stage,
    overrides: inputs.overrides,
    env: environment.env,
    // status sends no smoke request, so it needs none of the secrets.
    unsetVariables: inputs.command === 'status' ? 'keep' : 'error',
  });
}

/** What main.ts lends a release: the cancel signal and the saved state that the post step reads. */
export interface RunControls {
  signal?: AbortSignal;
  state?: RolloutStateStore;
}

export async function runCommand(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  settings: StageSettings,
  environment: RunEnvironment,
  log: Log,
  controls: RunControls = {},
): Promise<RunOutcome> {
  const gateways = new GatewayCache(environment);

  if (inputs.command === 'status') {
    const others = (file ? listStages(file) : []).filter((stage) => stage !== settings.stage);
    const all = [settings, ...others.map((stage) => resolveOther(inputs, file, stage, environment))];
    const stages = await Promise.all(
      all.map(async (s) => stageStatus(s, gateways.region(s.region).lambda, await gateways.region(s.region).metrics())),
    );
    return { kind: 'status', settings, stages };
  }

  const workDir = await mkdtemp(join(environment.tempDir, 'stage-deploy-'));
  let tracker: DeploymentTracker | undefined;
  let begun = false;
  const services = gateways.region(settings.region);
  // CloudWatch only when the stage has gates; S3 only with a bucket (each loads its SDK module).
  const gated = settings.alarms.length > 0 || settings.maxErrorRate !== undefined;
  const metrics = gated && inputs.command !== 'rollback' ? await services.metrics() : undefined;
  if (metrics !== undefined) await checkAlarmsExist(settings, metrics);
  const deps: ReleaseDeps = {
    lambda: services.lambda,
    ...(settings.s3Bucket !== undefined && { store: await services.store() }),
    smoke: new HttpSmokeChecker(),
    log,
    workDir,
    dryRun: inputs.dryRun,
    ...(metrics !== undefined && { metrics }),
    force: inputs.force,
    ...(controls.signal !== undefined && { signal: controls.signal }),
    ...(controls.state !== undefined && { state: controls.state }),
    ...gateTiming(environment.env),
    beforeChange: async () => {
      begun = true;
      // GitHub's client is loaded only when a release is about to change something.
      if (inputs.githubToken) tracker = (await import('./github/deployments.js')).createDeploymentTracker(environment.env, inputs.githubToken, log);
      else log.info('No github-token: deployment statuses skipped.');
      await tracker?.begin({
        environment: settings.stage,
        ref: environment.context.commit || 'HEAD',
        description: `stage-deploy ${inputs.command} to ${settings.stage}`,
        ...(settings.smoke !== undefined && { environmentUrl: settings.smoke.url }),
        payload: { stage: settings.stage, function: settings.functionName, alias: settings.alias, command: inputs.command },
      });
    },
  };
  let result: ReleaseResult | undefined;
  try {
    result = await releaseCommand(inputs, file, settings, environment, deps);
    if (inputs.force && settings.alarms.length > 0) result.forced = true;
    if (!isSuccess(result) && result.candidateVersion !== undefined && result.plan === undefined) {
      const until = new Date();
      result.diagnosis = await diagnose(
        { settings, version: result.candidateVersion, since: new Date(until.getTime() - result.durationMs - 60_000), until },
        { logs: await services.logReader(), metrics: await services.metrics(), log, ...diagnosisTiming(environment.env) },
      );
    }
    if (result.status === 'deployed' || result.status === 'promoted') {
      result.housekeeping = await housekeeping(
        settings,
        { lambda: deps.lambda, ...(settings.logRetentionDays !== undefined && { logs: await services.logGroups() }) },
        log,
      );
    }
    return { kind: 'release', settings, result };
  } finally {
    if (begun && tracker !== undefined) {
      await tracker.end({
        state: result !== undefined && isSuccess(result) ? 'success' : 'failure',
        description: result?.error ?? (result ? `${result.status}: ${settings.alias} → version ${result.version ?? '—'}` : 'stage-deploy did not finish'),
        ...(settings.smoke !== undefined && { environmentUrl: settings.smoke.url }),
      });
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

async function releaseCommand(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  settings: StageSettings,
  environment: RunEnvironment,
  deps: ReleaseDeps,
): Promise<ReleaseResult> {
  switch (inputs.command) {
    case 'deploy': {
      if (deps.workDir === undefined) throw new Error('no work directory');
      const artifact = await prepareArtifact(inputs.artifact ?? '', { workDir: deps.workDir, baseDir: environment.workspace });
      deps.log.info(`Artifact ${inputs.artifact}: ${artifact.source.kind}, ${artifact.sizeBytes} bytes, CodeSha256 ${artifact.codeSha256}.`);
      return deploy(settings, artifact, deps, environment.context);
    }
    case 'promote': {
      const from = inputs.promoteFrom ?? '';
      const source = resolveOther(inputs, file, from, environment, 'promote-from');
      if ((source.region ?? '') !== (settings.region ?? '')) {
        throw new InputError(
          `promote-from: ${JSON.stringify(from)} is in ${source.region ?? 'the default region'} and ${settings.stage} in ` +
            `${settings.region ?? 'the default region'}; promote within one region`,
        );
      }
      return promote(source, settings, deps, environment.context);
    }
    case 'rollback':
      return rollback(settings, inputs.toVersion, deps);
    default:
      throw new Error(`unexpected command ${inputs.command}`);
  }
}

/**
 * Another stage of the file (the source of a promote, a stage in status): its own settings,
 * without the inputs that override the stage acted on. Without a file, the inputs' function.
 */
function resolveOther(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  stage: string,
  environment: RunEnvironment,
  field = 'stage',
): StageSettings {
  try {
    return resolveStage({
      ...(file !== undefined && { file }),
      fileName: inputs.config,
      stage,
      overrides: file
        ? {}
        : {
            ...(inputs.overrides.functionName !== undefined && { functionName: inputs.overrides.functionName }),
            ...(inputs.overrides.region !== undefined && { region: inputs.overrides.region }),
          },
      env: environment.env,
      unsetVariables: 'keep',
    });
  } catch (error) {
    if (error instanceof InputError && field !== 'stage') throw new InputError(error.message.replace(/^stage:/, `${field}:`));
    throw error;
  }
}

/** One set of services per region, each built on first use. */
class GatewayCache {
  private readonly byRegion = new Map<string, RegionServices>();

  constructor(private readonly environment: RunEnvironment) {}

  region(region: string | undefined): RegionServices {
    if (region === undefined && !this.environment.env.AWS_REGION && !this.environment.env.AWS_DEFAULT_REGION) {
      throw new InputError('region: not set; give the region input, region in the stages file, or AWS_REGION');
    }
    const key = region ?? '';
    let found = this.byRegion.get(key);
    if (found === undefined) {
      found = new RegionServices({ ...(region !== undefined && { region }) });
      this.byRegion.set(key, found);
    }
    return found;
  }
}

/** Every alarm a stage names must exist: a typo would otherwise be a gate that never closes. */
async function checkAlarmsExist(settings: StageSettings, metrics: MetricsGateway): Promise<void> {
  if (settings.alarms.length === 0) return;
  const found = new Set((await metrics.alarmStates(settings.alarms)).map((a) => a.name));
  const missing = settings.alarms.filter((name) => !found.has(name));
  if (missing.length > 0) {
    throw new InputError(
      `stages.${settings.stage}.alarms: ${missing.map((m) => JSON.stringify(m)).join(', ')} ${missing.length > 1 ? 'are not CloudWatch alarms' : 'is not a CloudWatch alarm'}` +
        `${settings.region ? ` in ${settings.region}` : ''}`,
    );
  }
}

/**
 * How often the gates are read during a held step: every 10 s, or STAGE_DEPLOY_GATE_INTERVAL_MS
 * (for tests and the benchmark, which hold steps for seconds, not minutes).
 */
function gateTiming(env: Record<string, string | undefined>): { gateIntervalMs?: number } {
  const value = Number(env.STAGE_DEPLOY_GATE_INTERVAL_MS);
  return Number.isFinite(value) && value > 0 ? { gateIntervalMs: value } : {};
}

/** How long to wait for a failed version's logs to arrive: 4 tries 2 s apart, or STAGE_DEPLOY_LOG_RETRY_MS apart. */
function diagnosisTiming(env: Record<string, string | undefined>): { logRetryMs?: number } {
  const value = Number(env.STAGE_DEPLOY_LOG_RETRY_MS);
  return Number.isFinite(value) && value >= 0 && env.STAGE_DEPLOY_LOG_RETRY_MS !== undefined ? { logRetryMs: value } : {};
}
