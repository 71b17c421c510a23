/**
 * What a run is asked to do, read before anything talks to AWS: the stages file and the stage the
 * inputs name, with the inputs over it. Apart from the composition root (./app.ts) so that
 * src/action can check the inputs and the stages file without loading the AWS SDK: in dist/,
 * app.ts and the SDK are chunks of their own, imported once the stage is known, and a run refused
 * for bad input ends before them (in about 115 ms instead of 205 ms on this project's 2-core
 * machine: bench/aws-figures.mjs).
 */
import { isAbsolute, resolve } from 'node:path';

import type { ActionInputs, RunContext, StageSettings, StageUnit } from './model/settings.js';
import { loadStagesFile } from './stages/parse.js';
import { resolveStage, resolveStageUnits, type ResolveStageOptions } from './stages/resolve.js';
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

/** The stages file, when there is one. */
export async function loadConfig(inputs: ActionInputs, environment: RunEnvironment): Promise<StagesFile | undefined> {
  const path = isAbsolute(inputs.config) ? inputs.config : resolve(environment.workspace, inputs.config);
  return loadStagesFile(path, inputs.configRequired, inputs.config);
}

/** How the inputs name a stage: the stages file (when there is one) with the inputs over it. */
function stageOptions(inputs: ActionInputs, file: StagesFile | undefined, environment: RunEnvironment): ResolveStageOptions {
  return {
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
    ...(environment.context.pullRequest !== undefined && { pullRequest: environment.context.pullRequest }),
  };
}

/** The stage the inputs name (its first unit, for a stage of several functions or regions). */
export function resolveSettings(inputs: ActionInputs, file: StagesFile | undefined, environment: RunEnvironment): StageSettings {
  return resolveStage(stageOptions(inputs, file, environment));
}

/** Every unit of the stage the inputs name (stages/resolve.ts resolveStageUnits): one for a plain stage. */
export function resolveUnits(inputs: ActionInputs, file: StagesFile | undefined, environment: RunEnvironment): StageUnit[] {
  return resolveStageUnits(stageOptions(inputs, file, environment));
}
