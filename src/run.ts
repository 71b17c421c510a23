/**
 * One run of the action: resolve the stage, check the input, build the adapters and carry out
 * the command. Returns the result; never touches @actions/core (main.ts does).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { prepareArtifact } from './artifact.js';
import { createClients } from './aws/clients.js';
import { SdkLambdaGateway } from './aws/lambda-gateway.js';
import { S3ArtifactStore } from './aws/s3-store.js';
import { deploy, type RunContext } from './deploy.js';
import type { ActionInputs } from './inputs.js';
import type { ReleaseResult } from './result.js';
import { HttpSmokeChecker } from './smoke.js';
import { loadStagesFile, resolveStage } from './stages-file.js';
import { InputError, type Log, type StageSettings } from './types.js';

export interface RunEnvironment {
  /** GITHUB_WORKSPACE, or the current directory. */
  workspace: string;
  /** RUNNER_TEMP, or the system's temp directory. */
  tempDir: string;
  env: Record<string, string | undefined>;
  context: RunContext;
}

export interface RunOutcome {
  settings: StageSettings;
  result: ReleaseResult;
}

export function environmentFromProcess(env: NodeJS.ProcessEnv = process.env): RunEnvironment {
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    tempDir: env.RUNNER_TEMP || tmpdir(),
    env,
    context: { commit: env.GITHUB_SHA ?? '', runId: env.GITHUB_RUN_ID ?? '' },
  };
}

/** Resolve the stage the inputs name: stages file (when there is one) with the inputs over it. */
export async function resolveSettings(inputs: ActionInputs, environment: RunEnvironment): Promise<StageSettings> {
  const configPath = inWorkspace(environment.workspace, inputs.config);
  const file = await loadStagesFile(configPath, inputs.configRequired, inputs.config);
  return resolveStage({
    ...(file !== undefined && { file }),
    fileName: inputs.config,
    stage: inputs.stage,
    overrides: inputs.overrides,
    env: environment.env,
  });
}

export async function runCommand(
  inputs: ActionInputs,
  settings: StageSettings,
  environment: RunEnvironment,
  log: Log,
): Promise<ReleaseResult> {
  refuseUnsupported(inputs, settings, log);
  if (settings.region === undefined && !environment.env.AWS_REGION && !environment.env.AWS_DEFAULT_REGION) {
    throw new InputError('region: not set; give the region input, region in the stages file, or AWS_REGION');
  }

  const workDir = await mkdtemp(join(environment.tempDir, 'stage-deploy-'));
  try {
    const artifact = await prepareArtifact(inputs.artifact ?? '', { workDir, baseDir: environment.workspace });
    log.info(`Artifact ${inputs.artifact}: ${artifact.source.kind}, ${artifact.sizeBytes} bytes, CodeSha256 ${artifact.codeSha256}.`);

    const clients = createClients({ ...(settings.region !== undefined && { region: settings.region }) });
    return await deploy(
      settings,
      artifact,
      {
        lambda: new SdkLambdaGateway(clients.lambda),
        store: new S3ArtifactStore(clients.s3),
        smoke: new HttpSmokeChecker(),
        log,
      },
      environment.context,
    );
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Settings of the contract that this version does not carry out yet. Those that guard a
 * release (traffic shifting, alarm and error gates, the invoke check) refuse to run rather than
 * ship without the guard; the others are said plainly and skipped.
 */
function refuseUnsupported(inputs: ActionInputs, settings: StageSettings, log: Log): void {
  if (inputs.command !== 'deploy') {
    throw new InputError(`command: ${JSON.stringify(inputs.command)} is not available in this version yet (use deploy)`);
  }
  if (inputs.dryRun) throw new InputError('dry-run: "true" is not available in this version yet');
  const at = `stages.${settings.stage}`;
  if (settings.traffic.kind !== 'all-at-once') {
    throw new InputError(`${at}.traffic: ${JSON.stringify(settings.traffic.kind)} is not available in this version yet (use all-at-once)`);
  }
  if (settings.alarms.length > 0) throw new InputError(`${at}.alarms: alarm gates are not available in this version yet`);
  if (settings.maxErrorRate !== undefined) throw new InputError(`${at}.max-error-rate: error-rate gates are not available in this version yet`);
  if (settings.bakeMs > 0) throw new InputError(`${at}.bake: bake time is not available in this version yet`);
  if (settings.smoke?.invoke) throw new InputError(`${at}.smoke.invoke: the invoke check is not available in this version yet`);
  if (settings.keepVersions !== undefined) log.warn(`${at}.keep-versions is not applied by this version yet; old versions are kept.`);
  if (settings.logRetentionDays !== undefined) log.warn(`${at}.log-retention-days is not applied by this version yet.`);
  if (settings.logLevel !== undefined && settings.logFormat === 'json') {
    log.warn(`${at}.log-level reaches the function as LOG_LEVEL; Lambda's LoggingConfig is not set by this version yet.`);
  }
}

function inWorkspace(workspace: string, path: string): string {
  return isAbsolute(path) ? path : resolve(workspace, path);
}
