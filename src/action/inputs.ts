/**
 * All of the action's inputs, read in one place into one documented object. Pure: main.ts hands
 * in a getter (core.getInput), tests hand in a plain map.
 */
import { Inputs } from './constants.js';
import { InputError } from '../model/errors.js';
import { type ActionInputs, type Command, COMMANDS, type StageOverrides } from '../model/settings.js';
import { DEFAULT_CONFIG_FILE } from '../stages/parse.js';

export function readInputs(get: (name: string) => string): ActionInputs {
  const value = (name: string): string | undefined => {
    const text = get(name).trim();
    return text === '' ? undefined : text;
  };
  const stage = value(Inputs.Stage);
  if (stage === undefined) throw new InputError(`${Inputs.Stage}: required (a stage of the stages file, e.g. dev)`);
  const command = value(Inputs.Command) ?? 'deploy';
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new InputError(`${Inputs.Command}: ${JSON.stringify(command)} is not a command (use ${COMMANDS.join(', ')})`);
  }
  const config = value(Inputs.Config);
  const overrides: StageOverrides = {};
  const set = (key: keyof StageOverrides, name: string): void => {
    const text = value(name);
    if (text !== undefined) overrides[key] = text;
  };
  set('functionName', Inputs.FunctionName);
  set('alias', Inputs.Alias);
  set('region', Inputs.Region);
  set('s3Bucket', Inputs.S3Bucket);
  set('logLevel', Inputs.LogLevel);
  set('smokeUrl', Inputs.SmokeUrl);

  const inputs: ActionInputs = {
    stage,
    command: command as Command,
    config: config ?? DEFAULT_CONFIG_FILE,
    configRequired: config !== undefined,
    overrides,
    dryRun: readBoolean(Inputs.DryRun, value(Inputs.DryRun)),
    force: readBoolean(Inputs.Force, value(Inputs.Force)),
  };
  const artifact = value(Inputs.Artifact);
  if (artifact !== undefined) inputs.artifact = artifact;
  const image = value(Inputs.Image);
  if (image !== undefined) inputs.image = image;
  const promoteFrom = value(Inputs.PromoteFrom);
  if (promoteFrom !== undefined) inputs.promoteFrom = promoteFrom;
  const toVersion = value(Inputs.ToVersion);
  if (toVersion !== undefined) inputs.toVersion = toVersion;
  const githubToken = value(Inputs.GithubToken);
  if (githubToken !== undefined) inputs.githubToken = githubToken;

  // A deploy's code (the artifact or image input, or each function's own in the stages file) is
  // checked when the stage is resolved (src/stages/resolve.ts), where the stage is known.
  if (inputs.command === 'promote') {
    if (inputs.promoteFrom === undefined) throw new InputError(`${Inputs.PromoteFrom}: required for command promote (the stage to promote from)`);
    if (inputs.promoteFrom === stage) {
      throw new InputError(`${Inputs.PromoteFrom}: ${JSON.stringify(inputs.promoteFrom)} is the stage being promoted to; name another stage`);
    }
  }
  if (inputs.toVersion !== undefined && !/^[0-9]+$/.test(inputs.toVersion)) {
    throw new InputError(`${Inputs.ToVersion}: ${JSON.stringify(inputs.toVersion)} is not a version number (e.g. 7)`);
  }
  return inputs;
}

function readBoolean(name: string, text: string | undefined): boolean {
  if (text === undefined) return false;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InputError(`${name}: ${JSON.stringify(text)} is not a boolean (use true or false)`);
}
