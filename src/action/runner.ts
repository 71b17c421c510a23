/**
 * What the action asks of the runner: inputs, outputs, saved state, masks, annotations, the job
 * summary. `Runner` is the part of @actions/core the action uses; `fileRunner` does the same
 * with the runner's files and workflow commands, as @actions/core 3.x does (lib/core.js,
 * file-command.js, command.js, summary.js), without the rest of that package.
 *
 * Why not @actions/core itself: importing it loads its OIDC client, hence @actions/http-client and
 * undici (about 1 MB of the 3.4 MB bundle), and @actions/exec for its platform helpers, none of
 * which a deploy uses; compiling and evaluating them was about a fifth of the action's start-up
 * (bench/RESULTS.md). dist/index.js (src/index.ts) runs with `fileRunner`; @github/local-action
 * (src/main.ts, src/post.ts) hands in @actions/core, which it stands in for.
 */
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, appendFile } from 'node:fs/promises';
import { appendFileSync, existsSync } from 'node:fs';
import { EOL } from 'node:os';

/** The part of @actions/core the action uses (the module itself satisfies it). */
export interface Runner {
  getInput(name: string): string;
  getState(name: string): string;
  saveState(name: string, value: string): void;
  setOutput(name: string, value: string): void;
  setSecret(secret: string): void;
  setFailed(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string, properties?: { title?: string }): void;
  startGroup(name: string): void;
  endGroup(): void;
  summary: { addRaw(text: string): { write(): Promise<unknown> } };
}

/** `%`, CR and LF escaped: the message of a workflow command stays on its line (command.js escapeData). */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As escapeData, and `:` and `,` too: a property cannot end the command's header (command.js escapeProperty). */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::name key=value,…::message` on its own line (command.js issueCommand). */
function issueCommand(name: string, properties: Record<string, string | undefined>, message: string): void {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
  process.stdout.write(`::${name}${props === '' ? '' : ` ${props}`}::${escapeData(message)}${EOL}`);
}

/** `name<<delimiter`, the value, `delimiter`, appended to the file GITHUB_<command> names (file-command.js). */
function issueFileCommand(command: 'OUTPUT' | 'STATE', name: string, value: string): void {
  const path = process.env[`GITHUB_${command}`] ?? '';
  if (!existsSync(path)) throw new Error(`Missing file at path: ${path}`);
  const delimiter = `ghadelimiter_${randomUUID()}`;
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  appendFileSync(path, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: 'utf8' });
}

/** The job summary: text added, then appended to GITHUB_STEP_SUMMARY in one write (summary.js). */
class Summary {
  private buffer = '';

  addRaw(text: string): this {
    this.buffer += text;
    return this;
  }

  async write(): Promise<this> {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (!path) throw new Error('Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.');
    try {
      await access(path, constants.R_OK | constants.W_OK);
    } catch {
      throw new Error(`Unable to access summary file: '${path}'. Check if the file has correct read/write permissions.`);
    }
    await appendFile(path, this.buffer, { encoding: 'utf8' });
    this.buffer = '';
    return this;
  }
}

/** The runner's files and workflow commands, as @actions/core writes them. */
export const fileRunner: Runner = {
  getInput: (name) => (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim(),
  getState: (name) => process.env[`STATE_${name}`] || '',
  saveState: (name, value) => {
    if (process.env.GITHUB_STATE) issueFileCommand('STATE', name, value);
    else issueCommand('save-state', { name }, value);
  },
  setOutput: (name, value) => {
    if (process.env.GITHUB_OUTPUT) issueFileCommand('OUTPUT', name, value);
    else {
      process.stdout.write(EOL);
      issueCommand('set-output', { name }, value);
    }
  },
  setSecret: (secret) => issueCommand('add-mask', {}, secret),
  setFailed: (message) => {
    process.exitCode = 1;
    issueCommand('error', {}, message);
  },
  info: (message) => {
    process.stdout.write(message + EOL);
  },
  warning: (message) => issueCommand('warning', {}, message),
  error: (message, properties = {}) => issueCommand('error', { title: properties.title }, message),
  startGroup: (name) => issueCommand('group', {}, name),
  endGroup: () => issueCommand('endgroup', {}, ''),
  summary: new Summary(),
};

let current: Runner = fileRunner;

/** Which runner the action talks to: `fileRunner` unless @github/local-action's @actions/core is handed in (src/action/local-action.ts). */
export function useRunner(runner: Runner): void {
  current = runner;
}

/** The runner in use: what main.ts and output.ts call. */
export const core: Runner = {
  getInput: (name) => current.getInput(name),
  getState: (name) => current.getState(name),
  saveState: (name, value) => current.saveState(name, value),
  setOutput: (name, value) => current.setOutput(name, value),
  setSecret: (secret) => current.setSecret(secret),
  setFailed: (message) => current.setFailed(message),
  info: (message) => current.info(message),
  warning: (message) => current.warning(message),
  error: (message, properties) => current.error(message, properties),
  startGroup: (name) => current.startGroup(name),
  endGroup: () => current.endGroup(),
  get summary() {
    return current.summary;
  },
};
