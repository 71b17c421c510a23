/**
 * Building a ReleasePlan from what was read: the parts deploy, promote and rollback share.
 * Pure: the commands read, these decide.
 */
import type { AliasState, FunctionVersionState } from '../model/lambda.js';
import type { CodeStep, PlanTarget, ReleasePlan } from '../model/plan.js';
import type { ReleaseCommand, RunContext, StageSettings } from '../model/settings.js';
import { configurationChange, settingsDifferences, type DesiredSettings } from './change-check.js';

/** A new version: $LATEST given the stage's settings (only those that differ) and the code, then published. */
export function publishTarget(
  desired: DesiredSettings,
  latest: FunctionVersionState,
  code: { codeSha256: string; step: CodeStep },
  description: string,
): PlanTarget {
  const change = configurationChange(desired, latest);
  return {
    kind: 'publish',
    codeSha256: code.codeSha256,
    settingsChanged: settingsDifferences(desired, latest),
    ...(change !== undefined && { change }),
    code: latest.codeSha256 === code.codeSha256 ? { kind: 'in-latest' } : code.step,
    ...(latest.revisionId !== undefined && { revisionId: latest.revisionId }),
    description,
  };
}

/** The plan for moving `settings`' alias (as read: `before`) to `target`. */
export function releasePlan(
  command: ReleaseCommand,
  settings: StageSettings,
  before: AliasState | undefined,
  target: PlanTarget,
  history: ReleasePlan['history'],
): ReleasePlan {
  const progressive = command !== 'rollback';
  return {
    command,
    stage: settings.stage,
    functionName: settings.functionName,
    alias: settings.alias,
    ...(before !== undefined && { from: before.version }),
    target,
    // A first release has no version to split traffic with; a rollback is the emergency button.
    traffic: before === undefined || !progressive ? { kind: 'all-at-once' } : settings.traffic,
    progressive,
    ...(settings.smoke !== undefined && { smoke: { method: settings.smoke.method, url: settings.smoke.url } }),
    history,
  };
}

/** The version's description: what released it, so the console and `status` can tell. */
export function releaseDescription(stage: string, context: RunContext, extra = ''): string {
  const commit = context.commit ? ` commit ${context.commit.slice(0, 12)}` : '';
  const run = context.runId ? ` run ${context.runId}` : '';
  return `stage-deploy ${stage}:${commit}${run}${extra}`.slice(0, 256);
}

/** The short commit recorded in a stage's release history. */
export function shortCommit(commit: string): string {
  return commit.slice(0, 7);
}
