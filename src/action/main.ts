/**
 * The action's entry: the only file that touches @actions/core. Reads the inputs, runs the
 * command, sets the outputs and the job summary, and fails the step when the release failed.
 */
import * as core from '@actions/core';

import { Outputs } from './constants.js';
import { readInputs } from './inputs.js';
import { cleanUp } from './post.js';
import { isSuccess, type ReleaseResult } from '../model/results.js';
import { environmentFromProcess, loadConfig, resolveSettings, runCommand, type RunOutcome } from '../app.js';
import { renderSummary } from '../report/summary.js';
import type { Log } from "../model/ports.js";
import { errorMessage } from "../model/errors.js";
import type { RolloutStateStore } from "../model/ports.js";
import { diagnosisLog } from "../report/diagnosis.js";
import { renderStatusTable } from "../report/status-table.js";

const log: Log = {
  info: (message) => core.info(message),
  warn: (message) => core.warning(message),
  error: (message) => core.error(message),
};

const State = { IsPost: 'isPost', Rollout: 'rollout' } as const;

/** The entry for both steps: the post step (`post-if: always()`) runs the same file again. */
export async function run(): Promise<void> {
  if (core.getState(State.IsPost) === 'true') await post();
  else await main();
}

/** A shift in progress is remembered in the step's state, where the post step finds it. */
const rolloutState: RolloutStateStore = {
  save: (state) => core.saveState(State.Rollout, JSON.stringify(state)),
  clear: () => core.saveState(State.Rollout, ''),
};

export async function main(): Promise<void> {
  core.saveState(State.IsPost, 'true');
  // A cancelled job gets SIGINT (then SIGTERM): a shift in progress puts the alias back first.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    core.warning(`${signal} received: stopping, and putting the alias back if a shift is in progress.`);
    cancel.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const environment = environmentFromProcess();
    const file = await loadConfig(inputs, environment);
    const settings = resolveSettings(inputs, file, environment);
    for (const secret of settings.smoke?.secrets ?? []) core.setSecret(secret);

    const outcome = await runCommand(inputs, file, settings, environment, log, { signal: cancel.signal, state: rolloutState });
    if (outcome.kind === 'status') {
      await reportStatus(outcome);
      return;
    }
    const { result } = outcome;
    if (result.plan !== undefined) {
      core.info(`dry-run: nothing was changed. ${result.command} ${result.stage} would:`);
      result.plan.forEach((step, i) => core.info(`  ${i + 1}. ${step}`));
    }
    setOutputs(result);
    await writeSummary(renderSummary(result, { ...(settings.region !== undefined && { region: settings.region }), ...runUrl() }));
    if (result.diagnosis) diagnosisLog(result.diagnosis).forEach((line) => core.info(line));
    if (isSuccess(result)) core.info(closingLine(result));
    else {
      // One annotation, titled with the stage and the versions, and the step fails.
      core.error(result.error ?? `${result.stage}: ${result.status}`, { title: failureTitle(result) });
      process.exitCode = core.ExitCode.Failure;
    }
  } catch (error) {
    core.setOutput(Outputs.Status, 'failed');
    core.setFailed(errorMessage(error));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function post(): Promise<void> {
  const outcome = await cleanUp(core.getState(State.Rollout), log);
  if (outcome === 'no shift in progress') core.info('stage-deploy post: no shift was left in progress.');
}

function reportStatus(outcome: Extract<RunOutcome, { kind: 'status' }>): Promise<void> {
  const table = renderStatusTable(outcome.stages);
  core.info(table);
  const own = outcome.stages[0];
  core.setOutput(Outputs.Status, 'unchanged');
  core.setOutput(Outputs.Version, own?.version ?? '');
  core.setOutput(Outputs.PreviousVersion, own?.earlier[0]?.version ?? '');
  core.setOutput(Outputs.CodeSha256, own?.codeSha256 ?? '');
  core.setOutput(Outputs.AliasArn, own?.aliasArn ?? '');
  return writeSummary(`## stage-deploy status\n\n${table}\n`);
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

/** `stage-deploy: dev rolled back from 8 to 7`, the annotation's title. */
export function failureTitle(result: ReleaseResult): string {
  const to = result.candidateVersion ?? '—';
  if (result.status === 'rolled-back') return `stage-deploy: ${result.stage} rolled back from ${to} to ${result.version ?? '— (alias removed)'}`;
  if (result.repair) return `stage-deploy: ${result.stage} ROLLBACK FAILED, alias may be on ${to}`;
  return `stage-deploy: ${result.command} of ${result.stage} failed, alias stays on ${result.version ?? '—'}`;
}

function closingLine(result: ReleaseResult): string {
  if (result.status === 'unchanged') return `${result.stage}: unchanged, alias ${result.alias} stays on version ${result.version ?? '—'}.`;
  return `${result.stage}: ${result.status}, alias ${result.alias} ${result.previousVersion ?? '(new)'} → ${result.version}.`;
}

function runUrl(): { runUrl?: string } {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: run } = process.env;
  return server && repo && run ? { runUrl: `${server}/${repo}/actions/runs/${run}` } : {};
}
