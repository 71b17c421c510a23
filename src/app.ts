/**
 * The composition root: resolves the stage, builds the adapters (AWS per region, HTTP smoke,
 * GitHub deployments) and the clock, and carries out the command. Returns what happened as data;
 * never touches @actions/core or process.env (src/action does, and passes them in).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join, isAbsolute, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { deployImage, describeImage, resolveImage } from './artifact/image.js';
import { prepareArtifact } from './artifact/package.js';
import { RegionServices } from './aws/services.js';
import { HttpSmokeChecker } from './checks/smoke.js';
import { deploy } from './commands/deploy.js';
import { promote } from './commands/promote.js';
import { rollback } from './commands/rollback.js';
import { stageStatus } from './commands/status.js';
import { errorMessage, InputError } from './model/errors.js';
import type { Clock, DeploymentTracker, LambdaGateway, Log, MetricsGateway, RolloutState, RolloutStateStore } from './model/ports.js';
import { isSuccess, statusOf, type ReleaseResult, type StageStatus } from './model/results.js';
import type { ActionInputs, RunContext, StageSettings } from './model/settings.js';
import type { ReleaseDeps } from './release/deps.js';
import { diagnose } from './release/diagnosis.js';
import { housekeeping } from './release/housekeeping.js';
import { isRolloutState } from './release/leftover.js';
import { repairCommand, restoreFromState } from './release/rollout.js';
import { plainText } from './report/markdown.js';
import { listStages, loadStagesFile } from './stages/parse.js';
import { resolveStage, resolveStageUnits } from './stages/resolve.js';
import type { StagesFile } from './stages/schema.js';

/** Everything a run takes from its surroundings, read once by src/action. */
export interface RunEnvironment {
  /** GITHUB_WORKSPACE, or the current directory. */
  workspace: string;
  /** RUNNER_TEMP, or the system's temp directory. */
  tempDir: string;
  /** The step's environment: `${VAR}` in smoke headers, AWS_REGION, the GitHub API's variables. */
  env: Record<string, string | undefined>;
  context: RunContext;
  /** Waits that tests and the benchmark shorten (parsed with a floor by src/action). */
  timing: { gateIntervalMs?: number; logRetryMs?: number };
}

/** Wall time and timers of the machine. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }),
};

/** One unit's release: a function in a region, and what happened to it. */
export interface UnitRelease {
  settings: StageSettings;
  result: ReleaseResult;
}

export type RunOutcome =
  /**
   * `settings` and `result` are the first unit's (the outputs `version`, `previous-version`,
   * `code-sha256` describe it); `units` holds every unit of the stage, the first among them.
   */
  | { kind: 'release'; settings: StageSettings; result: ReleaseResult; units: UnitRelease[] }
  | { kind: 'status'; settings: StageSettings; stages: StageStatus[] };

/** What src/action lends a run: where to log, the clock, the cancel signal and the saved state the post step reads. */
export interface RunPorts {
  log: Log;
  clock: Clock;
  signal?: AbortSignal;
  state?: RolloutStateStore;
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
    // The code inputs and the command: a deploy without code is refused while resolving.
    ...(inputs.artifact !== undefined && { artifact: inputs.artifact }),
    ...(inputs.image !== undefined && { image: inputs.image }),
    command: inputs.command,
  });
}

export async function runCommand(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  settings: StageSettings,
  environment: RunEnvironment,
  ports: RunPorts,
): Promise<RunOutcome> {
  const { log, clock } = ports;
  const gateways = new GatewayCache(environment, log);

  if (inputs.command === 'status') {
    const others = (file ? listStages(file) : []).filter((stage) => stage !== settings.stage);
    // One row per function and region of each stage: the stage acted on with the inputs over it,
    // the others as the file has them (status reads only, so `${VAR}`s may be unset).
    const unitsOf = (stage: string, overrides: ActionInputs['overrides']): StageSettings[] =>
      resolveStageUnits({ ...(file !== undefined && { file }), fileName: inputs.config, stage, overrides, env: environment.env, unsetVariables: 'keep' });
    const own = unitsOf(settings.stage, inputs.overrides);
    const STATUS_PARALLEL_ROWS = 4;
    const all = [...(own.length > 1 ? own : [settings]), ...others.flatMap((stage) => unitsOf(stage, {}))];
    // A few rows at a time: each row is a handful of Lambda reads, and a stage of many functions
    // must not burst past the account's control-plane rate.
    const stages: StageStatus[] = new Array<StageStatus>(all.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < all.length; i = next++) {
        const s = all[i] as StageSettings;
        stages[i] = await stageStatus(s, { lambda: gateways.region(s.region).lambda, metrics: await gateways.region(s.region).metrics(), clock });
      }
    };
    await Promise.all(Array.from({ length: Math.min(STATUS_PARALLEL_ROWS, all.length) }, worker));
    return { kind: 'status', settings, stages };
  }

  const workDir = await mkdtemp(join(environment.tempDir, 'stage-deploy-'));
  let tracker: DeploymentTracker | undefined;
  const services = gateways.region(settings.region);
  // CloudWatch only when the stage has gates; S3 only with a bucket (each loads its SDK module).
  const gated = settings.alarms.length > 0 || settings.maxErrorRate !== undefined;
  const metrics = gated && inputs.command !== 'rollback' ? await services.metrics() : undefined;
  if (metrics !== undefined) await checkAlarmsExist(settings, metrics);
  const deps: ReleaseDeps = {
    lambda: services.lambda,
    ...(settings.s3Bucket !== undefined && { store: await services.store() }),
    images: services.images,
    smoke: new HttpSmokeChecker({ clock }),
    log,
    clock,
    workDir,
    dryRun: inputs.dryRun,
    ...(metrics !== undefined && { metrics }),
    force: inputs.force,
    ...(ports.signal !== undefined && { signal: ports.signal }),
    ...(ports.state !== undefined && { state: ports.state }),
    ...(environment.timing.gateIntervalMs !== undefined && { gateIntervalMs: environment.timing.gateIntervalMs }),
    beforeChange: async () => {
      // GitHub's client is loaded only when a release is about to change something.
      if (inputs.githubToken === undefined) {
        log.info('No github-token: deployment statuses skipped.');
        return;
      }
      tracker = (await import('./github/deployments.js')).createDeploymentTracker(environment.env, inputs.githubToken, log);
      await tracker?.begin({
        environment: settings.stage,
        ref: environment.context.commit || 'HEAD',
        description: plainText(`stage-deploy ${inputs.command} to ${settings.stage}`),
        ...(settings.smoke !== undefined && { environmentUrl: settings.smoke.url }),
        payload: { stage: settings.stage, function: settings.functionName, alias: settings.alias, command: inputs.command },
      });
    },
  };
  let result: ReleaseResult | undefined;
  try {
    result = await releaseCommand(inputs, file, settings, environment, deps);
    if (result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') {
      if (result.candidateVersion !== undefined) {
        const until = new Date(clock.now());
        const diagnosis = await diagnose(
          { settings, version: result.candidateVersion, since: new Date(until.getTime() - result.durationMs - 60_000), until },
          {
            logs: await services.logReader(),
            metrics: await services.metrics(),
            log,
            clock,
            ...(environment.timing.logRetryMs !== undefined && { logRetryMs: environment.timing.logRetryMs }),
          },
        );
        result = { ...result, diagnosis };
      }
    } else if (result.kind === 'released' && result.command !== 'rollback') {
      const report = await housekeeping(
        settings,
        { lambda: deps.lambda, ...(settings.logRetentionDays !== undefined && { logs: await services.logGroups() }) },
        log,
      );
      result = { ...result, housekeeping: report };
    }
    return { kind: 'release', settings, result, units: [{ settings, result }] };
  } finally {
    if (tracker !== undefined) {
      await tracker.end({
        state: result !== undefined && isSuccess(result) ? 'success' : 'failure',
        description: deploymentDescription(result, settings),
        ...(settings.smoke !== undefined && { environmentUrl: settings.smoke.url }),
      });
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * The GitHub deployment status's description: the failure, or where the alias ended. Plain text
 * (the tracker cuts it to GitHub's 140 characters): one line, no control characters, no mention.
 */
function deploymentDescription(result: ReleaseResult | undefined, settings: StageSettings): string {
  if (result === undefined) return 'stage-deploy did not finish';
  if ('error' in result) return plainText(result.error);
  return plainText(`${statusOf(result)}: ${settings.alias} → version ${result.version ?? '—'}`);
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
      // A container-image function: the tag resolved to its digest once (ECR), before any change.
      const image = deployImage(inputs, settings);
      if (image !== undefined && deps.images !== undefined) {
        const code = await resolveImage('image', image, settings.region || environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined, deps.images);
        deps.log.info(describeImage(code));
        return deploy(settings, code, deps, environment.context);
      }
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
    case 'status':
      throw new Error('status is not a release');
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

  constructor(
    private readonly environment: RunEnvironment,
    /** Where the Lambda gateway says that it waits on Lambda. */
    private readonly log?: Log,
  ) {}

  region(region: string | undefined): RegionServices {
    const env = this.environment.env;
    if (region === undefined && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
      throw new InputError('region: not set; give the region input, region in the stages file, or AWS_REGION');
    }
    const key = region ?? '';
    let found = this.byRegion.get(key);
    if (found === undefined) {
      const log = this.log;
      found = new RegionServices(
        { ...(region !== undefined && { region }), pathStyleS3: endpointOverridden(env) },
        log === undefined ? {} : { progress: (message) => log.info(message) },
      );
      this.byRegion.set(key, found);
    }
    return found;
  }
}

/** An endpoint override (an emulator): S3 then needs path-style addressing on a host name. */
function endpointOverridden(env: Record<string, string | undefined>): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
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

export type CleanUpOutcome = 'no shift in progress' | 'restored' | 'nothing to do' | 'refused' | 'failed';

/** The alias the post step's own stage names (re-resolved from its own inputs). */
export interface CleanUpTarget {
  functionName: string;
  alias: string;
  region?: string;
}

/**
 * The post step (`post-if: always()`): when the main step did not finish a shift (the job was
 * cancelled, the runner lost the process, the step timed out), the saved rollout state says so,
 * and the alias is put back where it was. It acts only on its own stage's alias (`target`, from
 * its own inputs), and only when the alias is as the shift left it (release/leftover.ts); src/action
 * has already checked the state's MAC. It never fails the job: it reports.
 */
export async function cleanUp(
  savedState: string,
  target: CleanUpTarget,
  log: Log,
  lambdaFor: (region: string | undefined) => LambdaGateway = (region) => new RegionServices({ ...(region !== undefined && { region }) }).lambda,
): Promise<CleanUpOutcome> {
  if (!savedState) return 'no shift in progress';
  let state: RolloutState;
  try {
    const parsed: unknown = JSON.parse(savedState);
    if (!isRolloutState(parsed)) throw new Error('not a rollout state');
    state = parsed;
  } catch {
    log.warn('stage-deploy post: the saved rollout state cannot be read; nothing was changed. Check the alias by hand.');
    return 'failed';
  }
  if (state.functionName !== target.functionName || state.alias !== target.alias || (state.region ?? '') !== (target.region ?? '')) {
    log.warn(
      `stage-deploy post: the saved rollout state names alias ${state.alias} of ${state.functionName}${state.region ? ` in ${state.region}` : ''}, ` +
        `not this step's alias ${target.alias} of ${target.functionName}${target.region ? ` in ${target.region}` : ''}; nothing was changed.`,
    );
    return 'refused';
  }
  log.warn(`stage-deploy post: the main step did not finish shifting alias ${state.alias} of ${state.functionName} to version ${state.toVersion}.`);
  try {
    return await restoreFromState(state, lambdaFor(state.region), log);
  } catch (error) {
    log.error(
      `stage-deploy post: could not put alias ${state.alias} back (${errorMessage(error)}). ` +
        `Repair it by hand: ${repairCommand(state, state.before)}`,
    );
    return 'failed';
  }
}
