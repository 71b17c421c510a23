/**
 * The action's entry, and the only code that touches @actions/core: reads the inputs, runs the
 * command, sets the outputs and the job summary, and fails the step when the release failed.
 * The post step (`post-if: always()`) runs the same file again and restores a shift left behind.
 */
import * as core from '@actions/core';

import { cleanUp, loadConfig, resolveSettings, runCommand, systemClock, type RunOutcome } from '../app.js';
import { errorMessage } from '../model/errors.js';
import type { Log, RolloutStateStore } from '../model/ports.js';
import { isSuccess, type ReleaseResult } from '../model/results.js';
import { diagnosisLog } from '../report/diagnosis.js';
import { renderStatusSummary, renderStatusTable } from '../report/status-table.js';
import { renderSummary, viewOf, type ResultView } from '../report/summary.js';
import { Outputs } from './constants.js';
import { environmentFromProcess, runUrl } from './environment.js';
import { readInputs } from './inputs.js';

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

async function main(): Promise<void> {
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

    const outcome = await runCommand(inputs, file, settings, environment, { log, clock: systemClock, signal: cancel.signal, state: rolloutState });
    if (outcome.kind === 'status') {
      await reportStatus(outcome);
      return;
    }
    const view = viewOf(outcome.result);
    if (view.plan !== undefined) {
      core.info(`dry-run: nothing was changed. ${view.command} ${view.stage} would:`);
      view.plan.forEach((step, i) => core.info(`  ${i + 1}. ${step}`));
    }
    setOutputs(view);
    const url = runUrl();
    await writeSummary(
      renderSummary(outcome.result, { ...(settings.region !== undefined && { region: settings.region }), ...(url !== undefined && { runUrl: url }) }),
    );
    if (view.diagnosis) diagnosisLog(view.diagnosis).forEach((line) => core.info(line));
    if (isSuccess(outcome.result)) core.info(closingLine(view));
    else {
      // One annotation, titled with the stage and the versions, and the step fails.
      core.error(view.error ?? `${view.stage}: ${view.status}`, { title: failureTitle(outcome.result) });
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
  core.info(renderStatusTable(outcome.stages, { forLog: true }));
  const own = outcome.stages[0];
  core.setOutput(Outputs.Status, 'unchanged');
  core.setOutput(Outputs.Version, own?.version ?? '');
  core.setOutput(Outputs.PreviousVersion, own?.earlier[0]?.version ?? '');
  core.setOutput(Outputs.CodeSha256, own?.codeSha256 ?? '');
  core.setOutput(Outputs.AliasArn, own?.aliasArn ?? '');
  return writeSummary(renderStatusSummary(outcome.stages));
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

function setOutputs(result: ResultView): void {
  core.setOutput(Outputs.Status, result.status);
  core.setOutput(Outputs.Version, result.version ?? '');
  core.setOutput(Outputs.PreviousVersion, result.previousVersion ?? '');
  core.setOutput(Outputs.CodeSha256, result.codeSha256 ?? '');
  core.setOutput(Outputs.AliasArn, result.aliasArn ?? '');
}

/** `stage-deploy: dev rolled back from 8 to 7`, the annotation's title. */
function failureTitle(outcome: ReleaseResult): string {
  const result = viewOf(outcome);
  const to = result.candidateVersion ?? '—';
  if (result.status === 'rolled-back') return `stage-deploy: ${result.stage} rolled back from ${to} to ${result.version ?? '— (alias removed)'}`;
  if (result.repair) return `stage-deploy: ${result.stage} ROLLBACK FAILED, alias may be on ${to}`;
  return `stage-deploy: ${result.command} of ${result.stage} failed, alias stays on ${result.version ?? '—'}`;
}

function closingLine(result: ResultView): string {
  if (result.status === 'unchanged') return `${result.stage}: unchanged, alias ${result.alias} stays on version ${result.version ?? '—'}.`;
  return `${result.stage}: ${result.status}, alias ${result.alias} ${result.previousVersion ?? '(new)'} → ${result.version}.`;
}
