/**
 * The composition root: resolves the stage, builds the adapters (AWS per region, HTTP smoke,
 * GitHub deployments) and the clock, and carries out the command. Returns what happened as data;
 * never touches @actions/core or process.env (src/action does, and passes them in).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

import { deployImage, describeImage, resolveImage } from './artifact/image.js';
import { prepareArtifact } from './artifact/package.js';
import type { Artifact, ImageCode } from './model/lambda.js';
import { RequestRateLimiter } from './aws/rate-limit.js';
import { assumeRoleCredentials, AssumeRoleError, roleSessionName } from './aws/assume-role.js';
import type { CredentialsProvider } from './aws/client-config.js';
import { RegionServices } from './aws/services.js';
import { HttpSmokeChecker } from './checks/smoke.js';
import { withFunctionUrlSmoke } from './release/function-url.js';
import { dropUrlOfRemovedAlias, PreviewUrl, previewSettings, previewSmoke } from './release/preview.js';
import type { PreviewRemoval } from './commands/preview-remove.js';
import { deploy } from './commands/deploy.js';
import { promote } from './commands/promote.js';
import { rollback } from './commands/rollback.js';
import { previewStatuses, stageStatus } from './commands/status.js';
import { errorMessage, InputError } from './model/errors.js';
import { inGroup, type Clock, type DeploymentTracker, type LambdaGateway, type Log, type MetricsGateway, type RolloutState, type RolloutStateStore } from './model/ports.js';
import { isSuccess, statusOf, type PreviewStatus, type ReleaseResult, type StageStatus } from './model/results.js';
import type { ActionInputs, PreviewSettings, ReleaseCommand, StageSettings, StageUnit } from './model/settings.js';
import type { ReleaseDeps } from './release/deps.js';
import { diagnose } from './release/diagnosis.js';
import { GroupStopped, groupStateStore, ReleaseGroup } from './release/group.js';
import { groupRollbackTargets, recordUnchanged } from './release/group-history.js';
import { formatHistory, parseHistory, recordedCommit, type HistoryEntry } from './release/history.js';
import { housekeeping } from './release/housekeeping.js';
import { isRolloutState } from './release/leftover.js';
import { repairCommand, restoreFromState } from './release/rollout.js';
import { plainText } from './report/markdown.js';
import { previewMarker, renderPreviewComment, type PreviewCommentView } from './report/preview-comment.js';
import { listStages } from './stages/parse.js';
import { resolveStage, resolveStageUnits } from './stages/resolve.js';
import type { StagesFile } from './stages/schema.js';
import type { RunEnvironment } from './config.js';

// What src/action reads before the stage is acted on, kept in ./config.ts (no AWS there).
export { loadConfig, resolveSettings, resolveUnits, type RunEnvironment } from './config.js';

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
  | { kind: 'release'; settings: StageSettings; result: ReleaseResult; units: UnitRelease[]; /** A preview's function URL. */ url?: string }
  | { kind: 'status'; settings: StageSettings; stages: StageStatus[]; previews: PreviewStatus[] }
  /** remove and prune (commands/preview-remove.ts): the previews removed (in a dry run, that would be). */
  | { kind: 'removal'; settings: StageSettings; removed: PreviewRemoval[]; dryRun: boolean };

/** What src/action lends a run: where to log, the clock, the cancel signal and the saved state the post step reads. */
export interface RunPorts {
  log: Log;
  clock: Clock;
  signal?: AbortSignal;
  state?: RolloutStateStore;
}

/**
 * Carry out the command on the stage: `target` is its one unit (its settings), or every unit
 * (resolveUnits). Several units are released as one (runGroup below); one is released as it
 * always was.
 */
export async function runCommand(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  target: StageSettings | readonly StageUnit[],
  environment: RunEnvironment,
  ports: RunPorts,
): Promise<RunOutcome> {
  const units: readonly StageUnit[] = Array.isArray(target) ? target : [target as StageSettings];
  const settings = units[0];
  if (settings === undefined) throw new Error('a stage without units');
  const { log, clock } = ports;
  const gateways = new GatewayCache(environment, log, units.length > 1);

  if (inputs.command === 'status') {
    const others = (file ? listStages(file) : []).filter((stage) => stage !== settings.stage);
    // One row per function and region of each stage: the stage acted on with the inputs over it,
    // the others as the file has them (status reads only, so `${VAR}`s may be unset).
    const unitsOf = (stage: string, overrides: ActionInputs['overrides']): StageSettings[] =>
      resolveStageUnits({ ...(file !== undefined && { file }), fileName: inputs.config, stage, overrides, env: environment.env, unsetVariables: 'keep' });
    const own = unitsOf(settings.stage, inputs.overrides);
    const STATUS_PARALLEL_ROWS = 4;
    const listed = [...(own.length > 1 ? own : [settings]), ...others.flatMap((stage) => unitsOf(stage, {}))];
    // A preview stage has no alias of its own: its live previews are listed apart (issue 18).
    const all = listed.filter((s) => s.preview === undefined);
    const previews = (
      await Promise.all(
        listed
          .filter((s) => s.preview !== undefined)
          .map(async (s) => {
            try {
              return await previewStatuses(s, { lambda: gateways.region(s.region, s.role).lambda, clock });
            } catch (error) {
              log.warn(`Previews of stage ${s.stage} could not be listed: ${errorMessage(error)}`);
              return [];
            }
          }),
      )
    ).flat();
    // A few rows at a time: each row is a handful of Lambda reads, and a stage of many functions
    // must not burst past the account's control-plane rate.
    const stages: StageStatus[] = new Array<StageStatus>(all.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < all.length; i = next++) {
        const s = all[i] as StageSettings;
        // Each stage read with its own role (a stage in another account): one that cannot be assumed is that row's problem.
        const services = gateways.region(s.region, s.role);
        stages[i] = await stageStatus(s, { lambda: services.lambda, metrics: await services.metrics(), clock });
      }
    };
    await Promise.all(Array.from({ length: Math.min(STATUS_PARALLEL_ROWS, all.length) }, worker));
    return { kind: 'status', settings, stages, previews };
  }

  // Each unit's role is assumed before the first call to Lambda: one that cannot be is refused here.
  await gateways.assumeRoles(units);
  if (inputs.command === 'remove' || inputs.command === 'prune') return runRemoval(inputs, settings, environment, ports, gateways);
  // Function URLs (issue 15): a unit without smoke.url is smoke-tested through its alias's
  // function URL, read for every unit before anything changes; an AWS_IAM URL's requests are
  // signed with the credentials of the unit's Lambda client.
  const released = await Promise.all(
    units.map((unit) => {
      const services = gateways.region(unit.region, unit.role);
      // A preview with `preview.url` is smoke-tested through the URL it is given (release/preview.ts).
      if (inputs.command === 'preview' && unit.preview?.url !== undefined) return Promise.resolve(previewSettings(unit));
      return withFunctionUrlSmoke(unit, services.lambda, log, services.urlSigner());
    }),
  );
  if (units.length > 1) return runGroup(inputs, file, released, environment, ports, gateways);
  return runOne(inputs, file, released[0] as StageSettings, environment, ports, gateways);
}

/** One unit's release, as it always was. */
async function runOne(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  settings: StageSettings,
  environment: RunEnvironment,
  ports: RunPorts,
  gateways: GatewayCache,
): Promise<RunOutcome> {
  const { log, clock } = ports;
  const workDir = await mkdtemp(join(environment.tempDir, 'stage-deploy-'));
  let tracker: DeploymentTracker | undefined;
  const services = gateways.region(settings.region, settings.role);
  // CloudWatch only when the stage has gates; S3 only with a bucket (each loads its SDK module).
  const gated = settings.alarms.length > 0 || settings.maxErrorRate !== undefined;
  const metrics = gated && inputs.command !== 'rollback' ? await services.metrics() : undefined;
  if (metrics !== undefined) await checkAlarmsExist(settings, metrics);
  // A preview's function URL (release/preview.ts): made when its smoke test asks, or after the release.
  const previewUrl = inputs.command === 'preview' && settings.preview?.url !== undefined ? new PreviewUrl(settings, services.lambda, log) : undefined;
  const deps: ReleaseDeps = {
    lambda: services.lambda,
    ...(settings.s3Bucket !== undefined && { store: await services.store() }),
    images: services.images,
    ...(settings.provisionedConcurrency !== undefined && { capacity: services.capacity }),
    smoke: previewUrl === undefined ? new HttpSmokeChecker({ clock }) : previewSmoke(new HttpSmokeChecker({ clock }), previewUrl, services.urlSigner()),
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
      // A preview's environment is its alias (`pr-{number}`), transient: gone when the preview is removed.
      const preview = settings.preview !== undefined;
      await tracker?.begin({
        environment: preview ? settings.alias : settings.stage,
        ref: environment.context.commit || 'HEAD',
        description: plainText(`stage-deploy ${inputs.command} to ${preview ? settings.alias : settings.stage}`),
        ...(settings.smoke?.url && { environmentUrl: settings.smoke.url }),
        payload: { stage: settings.stage, function: settings.functionName, alias: settings.alias, command: inputs.command },
        ...(preview && { transient: true }),
      });
    },
  };
  let result: ReleaseResult | undefined;
  let url: string | undefined;
  try {
    result = await releaseCommand(inputs, file, settings, environment, deps, gateways);
    if (result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') {
      if (result.candidateVersion !== undefined) {
        const until = new Date(clock.now());
        const candidate = result.candidateVersion;
        const since = new Date(until.getTime() - result.durationMs - 60_000);
        const diagnosis = await inGroup(log, `What version ${candidate} of ${settings.functionName} logged`, async () =>
          diagnose(
            { settings, version: candidate, since, until },
            {
              logs: await services.logReader(),
              metrics: await services.metrics(),
              log,
              clock,
              ...(environment.timing.logRetryMs !== undefined && { logRetryMs: environment.timing.logRetryMs }),
            },
          ),
        );
        result = { ...result, diagnosis };
      }
    } else if (result.kind === 'released' && result.command !== 'rollback') {
      const tidy = async () =>
        housekeeping(settings, { lambda: deps.lambda, ...(settings.logRetentionDays !== undefined && { logs: await services.logGroups() }) }, log);
      // A group only when there is housekeeping to do (keep-versions, log-retention-days).
      const report = settings.keepVersions !== undefined || settings.logRetentionDays !== undefined ? await inGroup(log, 'Housekeeping', tidy) : await tidy();
      result = { ...result, housekeeping: report };
    }
    url = previewUrl === undefined || inputs.dryRun ? undefined : await previewUrlAfter(previewUrl, settings, result, services.lambda, log);
    return { kind: 'release', settings, result, units: [{ settings, result }], ...(url !== undefined && { url }) };
  } finally {
    const environmentUrl = url ?? (settings.smoke?.url || undefined);
    if (tracker !== undefined) {
      await tracker.end({
        state: result !== undefined && isSuccess(result) ? 'success' : 'failure',
        description: deploymentDescription(result, settings),
        ...(environmentUrl !== undefined && { environmentUrl }),
      });
    }
    if (inputs.command === 'preview' && result !== undefined && !inputs.dryRun) {
      await previewComment(inputs, environment, settings, log, { ...previewView(result), ...(url !== undefined && { url }), at: new Date(clock.now()).toISOString() });
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * remove (the pull request's preview) and prune (every preview older than keep-days): each
 * removed preview's deployment is marked inactive and its comment says so.
 */
async function runRemoval(inputs: ActionInputs, settings: StageSettings, environment: RunEnvironment, ports: RunPorts, gateways: GatewayCache): Promise<RunOutcome> {
  const { log, clock } = ports;
  const lambda = gateways.region(settings.region, settings.role).lambda;
  const { removePreview, prunePreviews } = await import('./commands/preview-remove.js');
  let removed: PreviewRemoval[];
  let numbers: Map<string, number>;
  if (inputs.command === 'remove') {
    removed = [await removePreview(settings, settings.alias, lambda, log, { dryRun: inputs.dryRun })];
    numbers = new Map([[settings.alias, settings.preview?.pullRequest ?? 0]]);
  } else {
    ({ removed, numbers } = await prunePreviews(settings, lambda, log, clock, inputs.dryRun));
  }
  if (!inputs.dryRun) {
    for (const removal of removed) {
      const number = numbers.get(removal.alias);
      if (number === undefined || number === 0) continue;
      const target = { ...settings, alias: removal.alias, preview: { ...(settings.preview as PreviewSettings), pullRequest: number } };
      if (inputs.githubToken !== undefined) {
        const tracker = (await import('./github/deployments.js')).createDeploymentTracker(environment.env, inputs.githubToken, log);
        await tracker?.deactivate(removal.alias, plainText(`preview ${removal.alias} removed`));
      }
      await previewComment(inputs, environment, target, log, { status: 'removed', at: new Date(clock.now()).toISOString() });
    }
  }
  return { kind: 'removal', settings, removed, dryRun: inputs.dryRun };
}

/** What the preview's comment says of a release (report/preview-comment.ts). */
function previewView(result: ReleaseResult): Omit<PreviewCommentView, 'stage' | 'alias' | 'at'> {
  const failed = 'error' in result;
  const version = failed && 'candidateVersion' in result ? result.candidateVersion : result.version;
  return {
    status: statusOf(result),
    ...(version !== undefined && { version }),
    ...('codeSha256' in result && result.codeSha256 !== undefined && { codeSha256: result.codeSha256 }),
    ...(failed && { error: result.error }),
    // A failed check put the alias back: it runs what it ran before (`version` of a reverted result).
    ...(result.kind === 'reverted' && result.version !== undefined && { restoredVersion: result.version }),
    ...('diagnosis' in result && result.diagnosis !== undefined && { diagnosis: result.diagnosis }),
  };
}

/**
 * Write the preview's one comment on its pull request (github/comment.ts), with the run's link;
 * without a token, a warning says it is skipped (as deployments are).
 */
async function previewComment(
  inputs: ActionInputs,
  environment: RunEnvironment,
  settings: StageSettings,
  log: Log,
  view: Omit<PreviewCommentView, 'stage' | 'alias'>,
): Promise<void> {
  const number = settings.preview?.pullRequest;
  if (number === undefined) return;
  if (inputs.githubToken === undefined) {
    log.warn(`No github-token: the comment on pull request #${number} is skipped.`);
    return;
  }
  const { createPullRequestComment } = await import('./github/comment.js');
  const { workflowRunUrl } = await import('./github/deployments.js');
  const runUrl = workflowRunUrl(environment.env);
  const body = renderPreviewComment({ ...view, stage: settings.stage, alias: settings.alias, ...(runUrl !== undefined && { runUrl }) });
  await createPullRequestComment(environment.env, inputs.githubToken, log)?.upsert(number, previewMarker(settings.stage), body);
}

/**
 * A preview's URL once the release is over: made now when no smoke test asked for it (an
 * unchanged preview, a `smoke.url`); deleted when a first preview was put back (its alias is gone).
 */
async function previewUrlAfter(url: PreviewUrl, settings: StageSettings, result: ReleaseResult, lambda: LambdaGateway, log: Log): Promise<string | undefined> {
  if (isSuccess(result)) return (await url.ensure()).url;
  if (result.previousVersion === undefined && url.asked) await dropUrlOfRemovedAlias(settings, lambda, log);
  return undefined;
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

/**
 * A deploy's code for one unit: its container image, the tag resolved to its digest once (ECR)
 * before any change, or its artifact packaged (once per path when several units share one).
 */
async function deployCode(
  unit: StageUnit,
  inputs: ActionInputs,
  deps: ReleaseDeps,
  workDir: string,
  environment: RunEnvironment,
  artifacts = new Map<string, Promise<Artifact>>(),
): Promise<Artifact | ImageCode> {
  const image = deployImage(inputs, unit);
  if (image !== undefined && deps.images !== undefined) {
    const code = await resolveImage('image', image, unit.region || environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined, deps.images);
    deps.log.info(describeImage(code));
    return code;
  }
  const path = unit.artifact ?? inputs.artifact ?? '';
  let prepared = artifacts.get(path);
  if (prepared === undefined) {
    prepared = prepareArtifact(path, { workDir, baseDir: environment.workspace });
    artifacts.set(path, prepared);
  }
  const artifact = await prepared;
  deps.log.info(`Artifact ${path}: ${artifact.source.kind}, ${artifact.sizeBytes} bytes, CodeSha256 ${artifact.codeSha256}.`);
  return artifact;
}

async function releaseCommand(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  settings: StageSettings,
  environment: RunEnvironment,
  deps: ReleaseDeps,
  gateways: GatewayCache,
): Promise<ReleaseResult> {
  switch (inputs.command) {
    case 'deploy':
    case 'preview': {
      // A preview is a deploy to the pull request's alias (settings.alias, from the stage's preview block).
      if (deps.workDir === undefined) throw new Error('no work directory');
      const workDir = deps.workDir;
      const code = await inGroup(deps.log, `Package the code of ${settings.functionName}`, () => deployCode(settings, inputs, deps, workDir, environment));
      return deploy(settings, code, deps, environment.context);
    }
    case 'promote': {
      const from = inputs.promoteFrom ?? '';
      const source = resolveOther(inputs, file, from, environment, 'promote-from');
      if (source.preview !== undefined) {
        throw new InputError(`promote-from: ${JSON.stringify(from)} is a preview stage (one alias per pull request): promote from a stage with one alias`);
      }
      if ((source.region ?? '') !== (settings.region ?? '')) {
        throw new InputError(
          `promote-from: ${JSON.stringify(from)} is in ${source.region ?? 'the default region'} and ${settings.stage} in ` +
            `${settings.region ?? 'the default region'}; promote within one region`,
        );
      }
      // Across accounts (in one region): the source is read with its own role.
      await gateways.assumeRoles([source]);
      return promote(source, settings, withSourceLambda(deps, source, settings, gateways), environment.context);
    }
    case 'rollback':
      return rollback(settings, inputs.toVersion, deps);
    case 'status':
    case 'remove':
    case 'prune':
      throw new Error(`${inputs.command} is not a release`);
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
  private readonly limiters: RequestRateLimiter[] = [];

  private newLimiter(): RequestRateLimiter {
    const limiter = new RequestRateLimiter();
    this.limiters.push(limiter);
    return limiter;
  }

  constructor(
    private readonly environment: RunEnvironment,
    /** Where the Lambda gateway says that it waits on Lambda. */
    private readonly log?: Log,
    /** A release of several units: each region's Lambda requests go through one limiter (aws/rate-limit.ts). */
    private readonly limited = false,
  ) {}

  /** Every region's limiter lets requests go at once from now on (a failed release restores its aliases). */
  openLimiters(): void {
    for (const limiter of this.limiters) limiter.open();
  }

  region(region: string | undefined, role?: string): RegionServices {
    const env = this.environment.env;
    if (region === undefined && !env.AWS_REGION && !env.AWS_DEFAULT_REGION) {
      throw new InputError('region: not set; give the region input, region in the stages file, or AWS_REGION');
    }
    const key = `${region ?? ''}|${role ?? ''}`;
    let found = this.byRegion.get(key);
    if (found === undefined) {
      const log = this.log;
      const credentials = role === undefined ? undefined : this.credentials(role, region);
      found = new RegionServices(
        { ...(region !== undefined && { region }), pathStyleS3: endpointOverridden(env), ...(credentials !== undefined && { credentials }) },
        log === undefined ? {} : { progress: (message) => log.info(message) },
        this.limited ? this.newLimiter() : undefined,
      );
      this.byRegion.set(key, found);
    }
    return found;
  }

  // A stage's `role` (issue 15): one set of assumed credentials per role, shared by its regions.
  private readonly roles = new Map<string, CredentialsProvider>();

  /** The credentials of `role`, assumed (STS, in the first region that asks) on first use and refreshed before they expire. */
  private credentials(role: string, region: string | undefined): CredentialsProvider {
    let provider = this.roles.get(role);
    if (provider === undefined) {
      const env = this.environment.env;
      provider = assumeRoleCredentials(role, roleSessionName(env.GITHUB_REPOSITORY, env.GITHUB_RUN_ID), {
        ...(region !== undefined && { region }),
      });
      this.roles.set(role, provider);
    }
    return provider;
  }

  /**
   * Assume each stage's role now, before the first call to Lambda: a role that cannot be assumed
   * is refused, naming `stages.<stage>.role` and the ARN, before anything changes.
   */
  async assumeRoles(stages: readonly StageSettings[]): Promise<void> {
    const seen = new Set<string>();
    for (const stage of stages) {
      if (stage.role === undefined || seen.has(stage.role)) continue;
      seen.add(stage.role);
      try {
        await this.credentials(stage.role, stage.region)();
      } catch (error) {
        if (!(error instanceof AssumeRoleError)) throw error;
        throw new InputError(`stages.${stage.stage}.role: ${JSON.stringify(stage.role)} ${error.reason}`);
      }
    }
  }
}

/** An endpoint override (an emulator): S3 then needs path-style addressing on a host name. */
function endpointOverridden(env: Record<string, string | undefined>): boolean {
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/** A promote's deps with the source stage's own Lambda when it is read with another role (a stage in another account). */
function withSourceLambda(deps: ReleaseDeps, source: StageSettings, target: StageSettings, gateways: GatewayCache): ReleaseDeps {
  if ((source.role ?? '') === (target.role ?? '')) return deps;
  const services = gateways.region(source.region, source.role);
  return { ...deps, sourceLambda: services.lambda, sourceImages: services.images };
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
  /** The stage's `role`: the alias is put back with it (a stage in another account). */
  role?: string;
  /** The stage's name, for a message about its role. */
  stage?: string;
}

/** Where a saved state and a target name the same alias: function, alias, region, and the role it is reached with. */
function sameAlias(state: RolloutState, target: CleanUpTarget): boolean {
  return (
    state.functionName === target.functionName &&
    state.alias === target.alias &&
    (state.region ?? '') === (target.region ?? '') &&
    (state.role ?? '') === (target.role ?? '')
  );
}

/** An alias as messages name it: `alias prod of notes in us-east-1 (role arn:…)`. */
function aliasName(a: { functionName: string; alias: string; region?: string; role?: string }): string {
  return `alias ${a.alias} of ${a.functionName}${a.region ? ` in ${a.region}` : ''}${a.role ? ` (role ${a.role})` : ''}`;
}

/**
 * Why the post step could not put an alias back, and how to do it by hand: a role that can no
 * longer be assumed is named as the main step names it (`stages.<stage>.role: "<arn>" cannot be
 * assumed …`), and the hand repair says whose credentials it takes.
 */
function restoreFailure(state: RolloutState, target: CleanUpTarget | undefined, error: unknown): string {
  const why =
    error instanceof AssumeRoleError
      ? `stages.${target?.stage ?? '<stage>'}.role: ${JSON.stringify(error.roleArn)} ${error.reason}; nothing was changed`
      : errorMessage(error);
  const as = state.role !== undefined ? ` with role ${state.role}'s credentials` : '';
  return `stage-deploy post: could not put alias ${state.alias} of ${state.functionName} back (${why}). Repair it by hand${as}: ${repairCommand(state, state.before)}`;
}

/** The post step's Lambda for a region, with the stage's role assumed when it has one. */
function postLambda(region: string | undefined, role?: string): LambdaGateway {
  const credentials = role === undefined ? undefined : assumeRoleCredentials(role, 'stage-deploy-post', { ...(region !== undefined && { region }) });
  return new RegionServices({ ...(region !== undefined && { region }), ...(credentials !== undefined && { credentials }) }).lambda;
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
  target: CleanUpTarget | readonly CleanUpTarget[],
  log: Log,
  lambdaFor: (region: string | undefined, role?: string) => LambdaGateway = postLambda,
): Promise<CleanUpOutcome> {
  if (!savedState) return 'no shift in progress';
  if (savedState.trimStart().startsWith('[') || Array.isArray(target)) return cleanUpUnits(savedState, Array.isArray(target) ? target : [target], log, lambdaFor);
  const single = target as CleanUpTarget;
  let state: RolloutState;
  try {
    const parsed: unknown = JSON.parse(savedState);
    if (!isRolloutState(parsed)) throw new Error('not a rollout state');
    state = parsed;
  } catch {
    log.warn('stage-deploy post: the saved rollout state cannot be read; nothing was changed. Check the alias by hand.');
    return 'failed';
  }
  if (!sameAlias(state, single)) {
    log.warn(`stage-deploy post: the saved rollout state names ${aliasName(state)}, not this step's ${aliasName(single)}; nothing was changed.`);
    return 'refused';
  }
  log.warn(`stage-deploy post: the main step did not finish shifting alias ${state.alias} of ${state.functionName} to version ${state.toVersion}.`);
  try {
    return await restoreFromState(state, lambdaFor(state.region, state.role), log);
  } catch (error) {
    log.error(restoreFailure(state, single, error));
    return 'failed';
  }
}

// ---------------------------------------------------------------------------------------------
// A release of several units (issue 14): every function of the stage in every region, as one.

/** How a unit is named in the log, the group and its messages: `notes-api`, or `notes-api (eu-west-1)` in a stage of several regions. */
export function unitName(unit: StageUnit, units: readonly StageUnit[]): string {
  const regions = new Set(units.map((u) => u.region ?? ''));
  return regions.size > 1 ? `${unit.functionName} (${unit.region ?? 'default region'})` : unit.functionName;
}

/** What one unit's run came to: its result, or what it threw (before anything of it changed). */
type UnitRun = { unit: StageUnit; name: string; services: RegionServices } & ({ result: ReleaseResult } | { thrown: unknown });

/**
 * Release every unit as one (release/group.ts): each unit's command runs at once with the others,
 * meeting them at `change`, `shift`, each step and `done`; a failure anywhere fails them all, and
 * every alias that moved goes back. Bad input in any unit is refused before anything changes in
 * any. One GitHub deployment for the stage. `result` is the first unit's, in its failed form when
 * the release failed elsewhere.
 */
async function runGroup(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  units: readonly StageUnit[],
  environment: RunEnvironment,
  ports: RunPorts,
  gateways: GatewayCache,
): Promise<RunOutcome> {
  const { log, clock } = ports;
  const names = units.map((unit) => unitName(unit, units));
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new InputError(`functions: ${JSON.stringify(twice)} is listed twice in stage ${units[0]?.stage ?? ''}`);
  const first = units[0] as StageUnit;
  // A stage of several units has no preview block (refused while resolving): a release command.
  if (inputs.command !== 'deploy' && inputs.command !== 'promote' && inputs.command !== 'rollback') throw new Error(`${inputs.command} is not a release of several units`);
  const command: ReleaseCommand = inputs.command;

  // Every read and check that spans units, before any unit starts: the promote's sources, the rollback's targets.
  const plans = await groupPlans(inputs, file, units, names, environment, gateways);

  const group = new ReleaseGroup(names, ports.signal);
  // Once the release has failed, putting the aliases back goes first: no request waits for the rate limiter.
  group.signal.addEventListener('abort', () => gateways.openLimiters(), { once: true });
  const stateFor = ports.state === undefined ? undefined : groupStateStore(ports.state);
  const releasedAt = Math.floor(clock.now() / 1000);
  const workDir = await mkdtemp(join(environment.tempDir, 'stage-deploy-'));
  const artifacts = new Map<string, Promise<Artifact>>();
  let tracker: DeploymentTracker | undefined;
  let begun: Promise<void> | undefined;
  const beginDeployment = () =>
    (begun ??= (async () => {
      if (inputs.githubToken === undefined) {
        log.info('No github-token: deployment statuses skipped.');
        return;
      }
      tracker = (await import('./github/deployments.js')).createDeploymentTracker(environment.env, inputs.githubToken, log);
      await tracker?.begin({
        environment: first.stage,
        ref: environment.context.commit || 'HEAD',
        description: plainText(`stage-deploy ${command} to ${first.stage} (${units.length} functions)`),
        ...(first.smoke !== undefined && { environmentUrl: first.smoke.url }),
        payload: {
          stage: first.stage,
          command,
          functions: units.map((u) => ({ function: u.functionName, alias: u.alias, ...(u.region !== undefined && { region: u.region }) })),
        },
      });
    })());

  const runUnit = async (unit: StageUnit, index: number): Promise<UnitRun> => {
    const name = names[index] ?? unit.functionName;
    const member = group.member(name);
    const services = gateways.region(unit.region, unit.role);
    const unitLog = prefixedLog(log, name);
    try {
      const gated = unit.alarms.length > 0 || unit.maxErrorRate !== undefined;
      const metrics = gated && command !== 'rollback' ? await services.metrics() : undefined;
      if (metrics !== undefined) await checkAlarmsExist(unit, metrics);
      const deps: ReleaseDeps = {
        lambda: services.lambda,
        ...(unit.s3Bucket !== undefined && { store: await services.store() }),
        ...(unit.provisionedConcurrency !== undefined && { capacity: services.capacity }),
        smoke: new HttpSmokeChecker({ clock }),
        log: unitLog,
        clock,
        workDir,
        dryRun: inputs.dryRun,
        ...(metrics !== undefined && { metrics }),
        force: inputs.force,
        signal: member.signal,
        ...(stateFor !== undefined && { state: stateFor(name) }),
        ...(environment.timing.gateIntervalMs !== undefined && { gateIntervalMs: environment.timing.gateIntervalMs }),
        images: services.images,
        group: member,
        releasedAt,
        beforeChange: async () => {
          await member.arrive('change');
          await beginDeployment();
        },
      };
      const plan = plans[index];
      let result: ReleaseResult;
      if (command === 'deploy') {
        result = await deploy(unit, await deployCode(unit, inputs, deps, workDir, environment, artifacts), deps, environment.context);
      } else if (command === 'promote') {
        if (plan?.kind !== 'promote') throw new Error('no source for the promote');
        result = await promote(plan.source, unit, withSourceLambda(deps, plan.source, unit, gateways), environment.context);
      } else {
        if (plan?.kind !== 'rollback') throw new Error('no target for the rollback');
        result = plan.unchanged !== undefined ? plan.unchanged : await rollback(unit, undefined, deps, plan.to);
      }
      if (!isSuccess(result)) member.fail('error' in result ? result.error : statusOf(result));
      return { unit, name, services, result };
    } catch (thrown) {
      member.fail(thrown instanceof GroupStopped ? thrown.reason : errorMessage(thrown));
      return { unit, name, services, thrown };
    } finally {
      member.leave();
    }
  };

  let results: { settings: StageUnit; result: ReleaseResult }[] | undefined;
  try {
    const runs = await Promise.all(units.map((unit, i) => runUnit(unit, i)));
    // Refused (bad input, a missing function) before anything changed anywhere: the step fails with that one message.
    const refused = runs.find((r) => 'thrown' in r && !(r.thrown instanceof GroupStopped));
    const nothingChanged = runs.every((r) => 'thrown' in r || r.result.kind === 'unchanged' || r.result.kind === 'dry-run');
    if (refused !== undefined && 'thrown' in refused && nothingChanged) {
      const error = refused.thrown;
      if (error instanceof InputError && !error.message.includes(refused.name)) throw new InputError(`${refused.name}: ${error.message}`);
      throw error;
    }
    const failed = group.failed;
    results = await Promise.all(
      runs.map(async (run) => {
        let result = 'thrown' in run ? stoppedResult(command, run.unit, run.thrown) : run.result;
        result = await afterRelease(result, run, failed?.unit === run.name, environment, ports);
        return { settings: run.unit, result };
      }),
    );
    if (failed === undefined) await recordInUnchanged(results, runs, command, environment, releasedAt, log);
    const firstResult = results[0]?.result;
    if (firstResult === undefined) throw new Error('a stage without units');
    const rolledBack = results.some((r) => r.result.kind === 'reverted' || r.result.kind === 'stranded');
    const result = failed === undefined ? firstResult : groupFailedForm(firstResult, `${failed.unit} failed: ${failed.reason}`, rolledBack);
    return { kind: 'release', settings: first, result, units: [{ settings: first, result }, ...results.slice(1)] };
  } finally {
    if (tracker !== undefined) {
      const ok = results !== undefined && group.failed === undefined && results.every((r) => isSuccess(r.result));
      await tracker.end({
        state: ok ? 'success' : 'failure',
        description: plainText(
          group.failed !== undefined
            ? `${group.failed.unit} failed: ${group.failed.reason}`
            : results === undefined
              ? 'stage-deploy did not finish'
              : `${command}: ${results.map((r) => `${r.settings.functionName} → ${('version' in r.result ? r.result.version : undefined) ?? '—'}`).join(', ')}`,
        ),
        ...(first.smoke !== undefined && { environmentUrl: first.smoke.url }),
      });
    }
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Each unit's log lines, prefixed with the unit (several run at once). */
function prefixedLog(log: Log, name: string): Log {
  return {
    info: (message) => log.info(`[${name}] ${message}`),
    warn: (message) => log.warn(`[${name}] ${message}`),
    error: (message) => log.error(`[${name}] ${message}`),
  };
}

type GroupPlan = { kind: 'deploy' } | { kind: 'promote'; source: StageSettings } | { kind: 'rollback'; to: string; unchanged?: ReleaseResult };

/**
 * What the units of a promote or rollback need from each other, read and checked before any unit
 * starts: a promote takes each function (in its region) from the same function of the source
 * stage; a rollback returns every function to the stage's previous release (group-history.ts).
 */
async function groupPlans(
  inputs: ActionInputs,
  file: StagesFile | undefined,
  units: readonly StageUnit[],
  names: string[],
  environment: RunEnvironment,
  gateways: GatewayCache,
): Promise<GroupPlan[]> {
  const first = units[0] as StageUnit;
  if (inputs.command === 'promote') {
    const from = inputs.promoteFrom ?? '';
    const sources = resolveOtherUnits(inputs, file, from, environment);
    const plans = units.map((unit): GroupPlan & { kind: 'promote' } => {
      const source = sources.find((s) => s.functionName === unit.functionName && (s.region ?? '') === (unit.region ?? ''));
      if (source === undefined) {
        throw new InputError(
          `promote-from: stage ${JSON.stringify(from)} has no function ${unit.functionName}${unit.region !== undefined ? ` in ${unit.region}` : ''} to promote to ${unit.stage}`,
        );
      }
      return { kind: 'promote', source };
    });
    await gateways.assumeRoles(plans.map((plan) => plan.source));
    return plans;
  }
  if (inputs.command !== 'rollback') return units.map(() => ({ kind: 'deploy' }));
  if (inputs.toVersion !== undefined) {
    throw new InputError(
      `to-version: ${JSON.stringify(inputs.toVersion)} names one version, and stage ${first.stage} releases ${units.length} functions (${names.join(', ')}); ` +
        'a plain rollback returns every one of them to the stage\'s previous release',
    );
  }
  const aliases = await Promise.all(units.map((unit) => gateways.region(unit.region, unit.role).lambda.getAlias(unit.functionName, unit.alias)));
  const histories = aliases.map((alias, i) => {
    const unit = units[i] as StageUnit;
    if (alias === undefined) {
      throw new InputError(`stage: ${JSON.stringify(unit.stage)} has no release of ${names[i] ?? unit.functionName} to roll back (alias ${unit.alias} does not exist)`);
    }
    return { current: alias.version, history: parseHistory(alias.description) };
  });
  const targets = groupRollbackTargets(histories);
  if (targets === undefined) {
    throw new InputError(`stage: ${JSON.stringify(first.stage)} has no earlier release recorded for all of its functions (${names.join(', ')}); nothing was rolled back`);
  }
  return units.map((unit, i) => {
    const to = (targets[i] as HistoryEntry).version;
    const alias = aliases[i];
    const stays = alias !== undefined && alias.version === to && Object.keys(alias.weights).length === 0;
    if (!stays) return { kind: 'rollback', to };
    // This function ran the same version in both releases: it does not move (its history still records the rollback).
    const unchanged: ReleaseResult = {
      kind: 'unchanged',
      command: 'rollback',
      stage: unit.stage,
      functionName: unit.functionName,
      alias: unit.alias,
      previousVersion: to,
      version: to,
      aliasArn: alias.arn,
      steps: [],
      durationMs: 0,
      settingsChanged: [],
    };
    return { kind: 'rollback', to, unchanged };
  });
}

/** The units of another stage (a promote's source), without the inputs that override the stage acted on. */
function resolveOtherUnits(inputs: ActionInputs, file: StagesFile | undefined, stage: string, environment: RunEnvironment): StageUnit[] {
  try {
    return resolveStageUnits({
      ...(file !== undefined && { file }),
      fileName: inputs.config,
      stage,
      overrides: {},
      env: environment.env,
      unsetVariables: 'keep',
    });
  } catch (error) {
    if (error instanceof InputError) throw new InputError(error.message.replace(/^stage:/, 'promote-from:'));
    throw error;
  }
}

/** A unit that stopped before it had a result (at `change`, since another unit was refused or failed): nothing of it changed. */
function stoppedResult(command: ReleaseCommand, unit: StageUnit, thrown: unknown): ReleaseResult {
  return {
    kind: 'not-shifted',
    command,
    stage: unit.stage,
    functionName: unit.functionName,
    alias: unit.alias,
    steps: [],
    durationMs: 0,
    error: `${unit.stage}: ${errorMessage(thrown)}; nothing of ${unit.functionName} was changed`,
    settingsChanged: [],
  };
}

/** The diagnosis of the unit that failed the release, or the housekeeping of a unit released. */
async function afterRelease(result: ReleaseResult, run: UnitRun, culprit: boolean, environment: RunEnvironment, ports: RunPorts): Promise<ReleaseResult> {
  const { clock } = ports;
  const log = prefixedLog(ports.log, run.name);
  const settings = run.unit;
  try {
    if ((result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') && culprit && result.candidateVersion !== undefined) {
      const until = new Date(clock.now());
      const diagnosis = await diagnose(
        { settings, version: result.candidateVersion, since: new Date(until.getTime() - result.durationMs - 60_000), until },
        {
          logs: await run.services.logReader(),
          metrics: await run.services.metrics(),
          log,
          clock,
          ...(environment.timing.logRetryMs !== undefined && { logRetryMs: environment.timing.logRetryMs }),
        },
      );
      return { ...result, diagnosis };
    }
    if (result.kind === 'released' && result.command !== 'rollback') {
      const report = await housekeeping(
        settings,
        { lambda: run.services.lambda, ...(settings.logRetentionDays !== undefined && { logs: await run.services.logGroups() }) },
        log,
      );
      return { ...result, housekeeping: report };
    }
  } catch (error) {
    log.warn(`after the release: ${errorMessage(error)}`);
  }
  return result;
}

/**
 * One history for the release (group-history.ts): when some unit was released, every unit it left
 * unchanged records the release too, with a description-only UpdateAlias conditional on the alias
 * as read. Failing that is a warning: the release itself stands.
 */
async function recordInUnchanged(
  results: { settings: StageUnit; result: ReleaseResult }[],
  runs: UnitRun[],
  command: ReleaseCommand,
  environment: RunEnvironment,
  releasedAt: number,
  log: Log,
): Promise<void> {
  if (!results.some((r) => r.result.kind === 'released')) return;
  const commit = results.find((r) => r.result.kind === 'released')?.result.commit ?? recordedCommit(environment.context.commit.slice(0, 7));
  await Promise.all(
    results.map(async ({ settings, result }, i) => {
      const run = runs[i];
      if (result.kind !== 'unchanged' || run === undefined) return;
      const lambda = run.services.lambda;
      try {
        const alias = await lambda.getAlias(settings.functionName, settings.alias);
        if (alias === undefined || Object.keys(alias.weights).length > 0) return;
        const history = parseHistory(alias.description);
        const entries = recordUnchanged(history, alias.version, { version: alias.version, commit, releasedAt }, command === 'rollback' ? 'return' : 'record');
        await lambda.updateAlias(settings.functionName, settings.alias, {
          version: alias.version,
          weights: {},
          description: formatHistory(entries),
          ...(alias.revisionId !== undefined && { revisionId: alias.revisionId }),
        });
      } catch (error) {
        prefixedLog(log, run.name).warn(`could not record the release in alias ${settings.alias}'s history: ${errorMessage(error)}`);
      }
    }),
  );
}

/**
 * The first unit's result when the release failed in another unit: a result that says the stage
 * failed (status `rolled-back` when some alias was put back, else `failed`), with the failure's
 * reason. A result that is a failure already stays as it is.
 */
export function groupFailedForm(result: ReleaseResult, failure: string, rolledBack: boolean): ReleaseResult {
  if (result.kind === 'not-shifted' || result.kind === 'reverted' || result.kind === 'stranded') return result;
  const error = `${result.stage}: ${failure}; ${result.functionName} stays on ${result.version ?? 'nothing'}`;
  const base = {
    command: result.command,
    stage: result.stage,
    functionName: result.functionName,
    alias: result.alias,
    ...(result.commit !== undefined && { commit: result.commit }),
    ...(result.previousVersion !== undefined && { previousVersion: result.previousVersion }),
    steps: result.steps,
    durationMs: result.durationMs,
    settingsChanged: 'settingsChanged' in result ? result.settingsChanged : [],
    error,
    ...(result.version !== undefined && { version: result.version }),
    ...(result.codeSha256 !== undefined && { codeSha256: result.codeSha256 }),
    ...(result.aliasArn !== undefined && { aliasArn: result.aliasArn }),
  };
  if (rolledBack && result.version !== undefined) return { ...base, kind: 'reverted', candidateVersion: result.version };
  return { ...base, kind: 'not-shifted' };
}

/**
 * The post step of a release of several units: the saved state is a list (release/group.ts
 * groupStateStore), one shift in progress per unit. Every entry must be one of the stage's own
 * units (`targets`, resolved from the post step's own inputs), or nothing at all is changed; then
 * every alias is put back at once, each only when it is as its shift left it (leftover.ts).
 */
async function cleanUpUnits(
  savedState: string,
  targets: readonly CleanUpTarget[],
  log: Log,
  lambdaFor: (region: string | undefined, role?: string) => LambdaGateway,
): Promise<CleanUpOutcome> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(savedState);
  } catch {
    parsed = undefined;
  }
  const states: RolloutState[] | undefined = Array.isArray(parsed) ? parsed.filter(isRolloutState) : isRolloutState(parsed) ? [parsed] : undefined;
  if (states === undefined || (Array.isArray(parsed) && states.length !== parsed.length)) {
    log.warn('stage-deploy post: the saved rollout state cannot be read; nothing was changed. Check the aliases by hand.');
    return 'failed';
  }
  if (states.length === 0) return 'no shift in progress';
  const own = (state: RolloutState) => targets.some((t) => sameAlias(state, t));
  const foreign = states.filter((state) => !own(state));
  if (foreign.length > 0) {
    const named = foreign.map(aliasName).join(', ');
    log.warn(`stage-deploy post: the saved rollout state names ${named}, not one of this step's aliases; nothing was changed.`);
    return 'refused';
  }
  const keys = states.map((s) => `${s.region ?? ''}/${s.functionName}/${s.alias}`);
  if (new Set(keys).size !== keys.length) {
    log.warn('stage-deploy post: the saved rollout state names one alias twice; nothing was changed.');
    return 'refused';
  }
  log.warn(`stage-deploy post: the main step did not finish shifting ${states.length} alias${states.length === 1 ? '' : 'es'}; putting back each that is as its shift left it.`);
  const outcomes = await Promise.all(
    states.map(async (state): Promise<CleanUpOutcome> => {
      try {
        return await restoreFromState(state, lambdaFor(state.region, state.role), log);
      } catch (error) {
        log.error(restoreFailure(state, targets.find((t) => sameAlias(state, t)), error));
        return 'failed';
      }
    }),
  );
  for (const worst of ['failed', 'refused', 'restored'] as const) if (outcomes.includes(worst)) return worst;
  return 'nothing to do';
}
