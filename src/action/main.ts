/**
 * The action's entry, and the only code that talks to the runner (./runner.ts): reads the inputs, runs the
 * command, sets the outputs and the job summary, and fails the step when the release failed.
 * The post step (`post-if: always()`) runs the same file again and restores a shift left behind.
 *
 * Nothing here starts on import: src/index.ts (the ncc bundle, dist/index.js) calls run(), and
 * src/main.ts / src/post.ts hand runMain() / runPost() to @github/local-action. Only what every
 * @actions/core stand-in has is used (local-action's has no `ExitCode`, and its setFailed does
 * not touch the exit code): a failed step sets process.exitCode itself.
 */

import type { CleanUpTarget, RunOutcome } from '../app.js';
import { loadConfig, resolveUnits } from '../config.js';
import { errorMessage } from '../model/errors.js';
import type { Log, RolloutStateStore } from '../model/ports.js';
import { isSuccess, type ReleaseResult } from '../model/results.js';
import { diagnosisLog } from '../report/diagnosis.js';
import { inline } from '../report/markdown.js';
import { renderPreviewTable, renderStatusSummary, renderStatusTable } from '../report/status-table.js';
import { releaseClosingLine, releaseFailure, releaseOutput, releaseStatus, releaseSucceeded, spansRegions, statusReleaseOutput, unitName, type UnitOutcome } from '../report/release.js';
import { renderReleaseSummary } from '../report/release-summary.js';
import { renderSummary, viewOf, type ResultView } from '../report/summary.js';
import { Outputs } from './constants.js';
import { environmentFromProcess, runUrl } from './environment.js';
import { readInputs } from './inputs.js';
import * as output from './output.js';
import { core } from './runner.js';
import { discardKey, StateSigner, verifyState } from './state.js';

// Every line for the log goes through ./output.js, so that no text the action prints (much of it
// not the action's own) can be taken by the runner for a workflow command.
const log: Log = {
  info: (message) => output.info(message),
  warn: (message) => output.warn(message),
  error: (message) => output.error(message),
  group: (title, work) => output.group(title, work),
};

const State = { IsPost: 'isPost', Rollout: 'rollout', RolloutMac: 'rolloutMac', RolloutKey: 'rolloutKey' } as const;

/** The exit code of a failed step (the runner's, as @actions/core's ExitCode.Failure). */
const FAILURE = 1;

/** The entry for both steps: the post step (`post-if: always()`) runs the same file again. */
export async function run(): Promise<void> {
  if (core.getState(State.IsPost) === 'true') await post();
  else await main();
}

/** The main step alone (for @github/local-action, through src/main.ts). */
export function runMain(): Promise<void> {
  return main();
}

/** The post step alone (for @github/local-action, through src/post.ts). */
export function runPost(): Promise<void> {
  return post();
}

/**
 * A shift in progress is remembered in the step's state, where the post step finds it, signed
 * (state.ts): the key id and the MAC are saved beside it, the key stays in a file under RUNNER_TEMP.
 */
const signer = new StateSigner(() => environmentFromProcess().tempDir);
const rolloutState: RolloutStateStore = {
  save: (state) => {
    const payload = JSON.stringify(state);
    const { keyId, mac } = signer.sign(payload);
    core.saveState(State.RolloutKey, keyId);
    core.saveState(State.RolloutMac, mac);
    core.saveState(State.Rollout, payload);
  },
  clear: () => {
    core.saveState(State.Rollout, '');
    core.saveState(State.RolloutMac, '');
  },
  // A release of several units: every shift in progress, as one signed list (release/group.ts).
  saveUnits: (states) => {
    if (states.length === 0) {
      rolloutState.clear();
      return;
    }
    const payload = JSON.stringify(states);
    const { keyId, mac } = signer.sign(payload);
    core.saveState(State.RolloutKey, keyId);
    core.saveState(State.RolloutMac, mac);
    core.saveState(State.Rollout, payload);
  },
};

async function main(): Promise<void> {
  core.saveState(State.IsPost, 'true');
  // A cancelled job gets SIGINT (then SIGTERM): a shift in progress puts the alias back first.
  const cancel = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    output.warn(`${signal} received: stopping, and putting the alias back if a shift is in progress.`);
    cancel.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const environment = environmentFromProcess();
    const file = await loadConfig(inputs, environment);
    const units = resolveUnits(inputs, file, environment);
    const settings = units[0];
    if (settings === undefined) throw new Error(`stage ${inputs.stage} has no function`);
    for (const secret of units.flatMap((unit) => unit.smoke?.secrets ?? [])) core.setSecret(secret);

    // The stage is known and valid: only now the composition root, and with it the AWS SDK
    // (../config.ts says why).
    const { runCommand, systemClock } = await import('../app.js');
    const outcome = await runCommand(inputs, file, units, environment, { log, clock: systemClock, signal: cancel.signal, state: rolloutState });
    if (outcome.kind === 'status') {
      core.setOutput(Outputs.Release, statusReleaseOutput(outcome.stages, outcome.settings.stage, environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined));
      await reportStatus(outcome);
      return;
    }
    if (outcome.kind === 'removal') {
      await reportRemoval(outcome);
      return;
    }
    const defaultRegion = environment.env.AWS_REGION || environment.env.AWS_DEFAULT_REGION || undefined;
    const released: UnitOutcome[] = outcome.units.length > 0 ? outcome.units : [{ settings, result: outcome.result }];
    core.setOutput(Outputs.Release, releaseOutput(released, defaultRegion));
    // The URL the stage is smoke-tested at (its smoke.url or its alias's function URL), the first function's.
    core.setOutput(Outputs.Url, outcome.url ?? outcome.settings.smoke?.url ?? '');
    if (released.length > 1) {
      await reportRelease(outcome.settings.stage, released, defaultRegion);
      return;
    }
    const view = viewOf(outcome.result);
    if (view.plan !== undefined) {
      output.info(`dry-run: nothing was changed. ${view.command} ${view.stage} would:`);
      view.plan.forEach((step, i) => output.info(`  ${i + 1}. ${step}`));
    }
    setOutputs(view);
    const url = runUrl();
    await writeSummary(
      renderSummary(outcome.result, { ...(settings.region !== undefined && { region: settings.region }), ...(url !== undefined && { runUrl: url }) }),
    );
    if (view.diagnosis) diagnosisLog(view.diagnosis).forEach((line) => output.info(line));
    if (isSuccess(outcome.result)) output.info(closingLine(view));
    else {
      // One annotation, titled with the stage and the versions, and the step fails.
      output.error(view.error ?? `${view.stage}: ${view.status}`, failureTitle(outcome.result));
      process.exitCode = FAILURE;
    }
  } catch (error) {
    core.setOutput(Outputs.Status, 'failed');
    core.setOutput(Outputs.Release, '[]');
    core.setFailed(errorMessage(error));
    // @actions/core's setFailed sets it too; a stand-in's (local-action's) may not.
    process.exitCode = FAILURE;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * The post step acts only on what its own main step left: a state whose MAC verifies with the key
 * its main step kept, naming the alias of the stage its own inputs resolve to (cleanUp then checks
 * that the alias is as the shift left it). Anything else: a warning, and nothing changes.
 */
async function post(): Promise<void> {
  const saved = core.getState(State.Rollout);
  if (!saved) {
    log.info('stage-deploy post: no shift was left in progress.');
    return;
  }
  const environment = environmentFromProcess();
  const keyId = core.getState(State.RolloutKey);
  const verified = verifyState(environment.tempDir, { keyId, payload: saved, mac: core.getState(State.RolloutMac) });
  if (!verified.ok) {
    // The key file stays: a forged state naming another step's key id must not spoil that step's post.
    log.warn(`stage-deploy post: the saved rollout state is not one this step's main step signed (${verified.reason}); nothing was changed.`);
    return;
  }
  discardKey(environment.tempDir, keyId);
  let target: CleanUpTarget | CleanUpTarget[];
  try {
    const inputs = readInputs((name) => core.getInput(name));
    // Every unit of the stage (one for a plain stage): the saved state may name only these.
    const units = resolveUnits(inputs, await loadConfig(inputs, environment), environment).map((settings) => ({
      functionName: settings.functionName,
      alias: settings.alias,
      ...(settings.region !== undefined && { region: settings.region }),
      ...(settings.role !== undefined && { role: settings.role }),
      stage: settings.stage,
    }));
    target = units.length === 1 && units[0] !== undefined ? units[0] : units;
  } catch (error) {
    log.warn(`stage-deploy post: this step's stage cannot be resolved (${errorMessage(error)}); nothing was changed.`);
    return;
  }
  const { cleanUp } = await import('../app.js');
  await cleanUp(saved, target, log);
}

/**
 * A release of several units (functions × regions): the outputs `version`, `previous-version`,
 * `code-sha256` and `alias-arn` describe the first unit, `status` the whole release; one summary,
 * one closing line, and on failure one annotation naming the unit that failed.
 */
async function reportRelease(stage: string, units: readonly UnitOutcome[], defaultRegion: string | undefined): Promise<void> {
  const views = units.map((unit) => viewOf(unit.result));
  const first = views[0];
  if (first === undefined) return;
  const withRegion = spansRegions(units, defaultRegion);
  const plans = views.filter((view) => view.plan !== undefined);
  if (plans.length > 0) {
    output.info(`dry-run: nothing was changed. ${first.command} ${stage} would:`);
    units.forEach((unit, i) => {
      const plan = views[i]?.plan;
      if (plan === undefined) return;
      output.info(`  ${unitName(unit, withRegion, defaultRegion)}:`);
      plan.forEach((step, n) => output.info(`    ${n + 1}. ${step}`));
    });
  }
  setOutputs({ ...first, status: releaseStatus(units) });
  const url = runUrl();
  await writeSummary(
    renderReleaseSummary(units, { ...(defaultRegion !== undefined && { defaultRegion }), ...(url !== undefined && { runUrl: url }) }),
  );
  units.forEach((unit, i) => {
    const diagnosis = views[i]?.diagnosis;
    if (diagnosis === undefined) return;
    output.info(`${unitName(unit, withRegion, defaultRegion)}:`);
    diagnosisLog(diagnosis).forEach((line) => output.info(line));
  });
  if (releaseSucceeded(units)) output.info(releaseClosingLine(stage, units, defaultRegion));
  else {
    const { message, title } = releaseFailure(stage, units, defaultRegion);
    output.error(message, title);
    process.exitCode = FAILURE;
  }
}

function reportStatus(outcome: Extract<RunOutcome, { kind: 'status' }>): Promise<void> {
  if (outcome.stages.length > 0) output.info(renderStatusTable(outcome.stages, { forLog: true }));
  if (outcome.previews.length > 0) output.info(`Previews:\n${renderPreviewTable(outcome.previews, { forLog: true })}`);
  // Misconfigurations (a function URL that bypasses a stage's alias), once each.
  for (const warning of new Set(outcome.stages.flatMap((s) => s.warnings ?? []))) output.warn(warning);
  const own = outcome.stages[0];
  core.setOutput(Outputs.Status, 'unchanged');
  core.setOutput(Outputs.Version, own?.version ?? '');
  core.setOutput(Outputs.PreviousVersion, own?.earlier[0]?.version ?? '');
  core.setOutput(Outputs.CodeSha256, own?.codeSha256 ?? '');
  core.setOutput(Outputs.AliasArn, own?.aliasArn ?? '');
  return writeSummary(renderStatusSummary(outcome.stages, outcome.previews));
}

/** remove and prune: status `removed` when a preview was removed, `unchanged` when there was none (or a dry run). */
function reportRemoval(outcome: Extract<RunOutcome, { kind: 'removal' }>): Promise<void> {
  const gone = outcome.removed.filter((r) => r.aliasDeleted || r.urlDeleted || r.versions.length > 0);
  core.setOutput(Outputs.Status, gone.length > 0 && !outcome.dryRun ? 'removed' : 'unchanged');
  core.setOutput(Outputs.Url, '');
  const lines = [`### stage-deploy: previews of ${inline(outcome.settings.stage, 80)}${outcome.dryRun ? ' (dry run: nothing was changed)' : ''}`, ''];
  if (outcome.removed.length === 0) lines.push('No preview to remove.');
  for (const r of outcome.removed) {
    lines.push(`- ${inline(r.alias, 140)}: ${outcome.dryRun ? 'would remove' : r.aliasDeleted ? 'removed' : 'already gone'}; versions ${inline(r.versions.join(', ') || 'none', 200)}`);
    if (outcome.dryRun) output.info(`dry-run: would remove ${r.alias} and versions ${r.versions.join(', ') || 'none'}`);
  }
  return writeSummary(lines.join('\n'));
}

/** The job summary is a report: failing to write it never fails a release. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    output.warn(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
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
