/**
 * The action's entry: the only file that touches @actions/core. Reads the inputs, runs the
 * command, sets the outputs and the job summary, and fails the step when the release failed.
 */
import * as core from '@actions/core';

import { Outputs } from './constants.js';
import { readInputs } from './inputs.js';
import type { ReleaseResult } from './result.js';
import { environmentFromProcess, resolveSettings, runCommand } from './run.js';
import { renderSummary } from './summary.js';
import type { Log, StageSettings } from './types.js';

const log: Log = {
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

export async function main(): Promise<void> {
  let settings: StageSettings | undefined;
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const environment = environmentFromProcess();
    settings = await resolveSettings(inputs, environment);
    for (const secret of settings.smoke?.secrets ?? []) core.setSecret(secret);

    const result = await runCommand(inputs, settings, environment, log);
    setOutputs(result);
    await writeSummary(renderSummary(result, { ...(settings.region !== undefined && { region: settings.region }), ...runUrl() }));
    if (result.status === 'failed' || result.status === 'rolled-back') {
      core.setFailed(result.error ?? `${result.stage}: ${result.status}`);
    } else {
      core.info(closingLine(result));
    }
  } catch (error) {
    core.setOutput(Outputs.Status, 'failed');
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

/** The job summary is a report: failing to write it never fails a release. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function setOutputs(result: ReleaseResult): void {
  core.setOutput(Outputs.Status, result.status);
  core.setOutput(Outputs.Version, result.version ?? '');
  core.setOutput(Outputs.PreviousVersion, result.previousVersion ?? '');
  core.setOutput(Outputs.CodeSha256, result.codeSha256 ?? '');
  core.setOutput(Outputs.AliasArn, result.aliasArn ?? '');
}

function closingLine(result: ReleaseResult): string {
  if (result.status === 'unchanged') return `${result.stage}: unchanged, alias ${result.alias} stays on version ${result.version ?? '—'}.`;
  return `${result.stage}: ${result.status}, alias ${result.alias} ${result.previousVersion ?? '(new)'} → ${result.version}.`;
}

function runUrl(): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? { runUrl: `${server}/${repo}/actions/runs/${run}` } : {};
}
