/**
 * The parts every release command shares: what they depend on, publishing a version of $LATEST
 * with a stage's settings and a given code, and turning a shift's outcome into a result.
 */
import { configurationChange, settingsDifferences, type DesiredSettings } from './change-check.js';
import type { ReleaseResult } from '../model/results.js';
import type { Timeline } from './timeline.js';
import { type CodeSource, type FunctionVersionState } from '../model/lambda.js';
import type { StageSettings } from "../model/settings.js";
import type { ReleaseDeps, RunContext } from "../commands/deploy.js";
import { formatSize } from "../report/format.js";

export type UploadRecord = NonNullable<ReleaseResult['upload']>;

export interface CodeSupply {
  codeSha256: string;
  sizeBytes: number;
  /** Where UpdateFunctionCode takes the code from; called only when $LATEST does not hold it already. */
  provide(): Promise<{ source: CodeSource; upload: UploadRecord }>;
}

export interface Publication {
  published: FunctionVersionState;
  upload: UploadRecord;
  settingsChanged: string[];
}

/**
 * Give $LATEST the stage's settings (only those that differ, merged), then the code, each
 * waited for; then publish it with the code's CodeSha256 as precondition.
 */
export async function publishRelease(
  request: { settings: StageSettings; desired: DesiredSettings; latest: FunctionVersionState; code: CodeSupply; description: string },
  deps: Pick<ReleaseDeps, 'lambda' | 'log'>,
  timeline: Timeline,
  progress: { settingsChanged: string[]; upload?: UploadRecord },
): Promise<Publication> {
  const { settings, desired, code } = request;
  const { lambda, log } = deps;
  const name = settings.functionName;
  let current = request.latest;

  const change = configurationChange(desired, current);
  if (change !== undefined) {
    progress.settingsChanged = settingsDifferences(desired, current);
    log.info(`Updating settings of ${name}: ${progress.settingsChanged.join(', ')}.`);
    current = await timeline.step('settings', () => lambda.updateConfiguration(name, change));
  }
  let upload: UploadRecord = { kind: 'none', sizeBytes: code.sizeBytes };
  if (current.codeSha256 !== code.codeSha256) {
    const provided = await timeline.step('upload', () => code.provide());
    upload = provided.upload;
    progress.upload = upload;
    log.info(`Updating code of ${name} to ${code.codeSha256} (${formatSize(code.sizeBytes)}).`);
    current = await timeline.step('code', () => lambda.updateCode(name, provided.source));
    if (current.codeSha256 !== code.codeSha256) {
      throw new Error(`Lambda reports code ${current.codeSha256} after the update, not ${code.codeSha256}`);
    }
  }
  const revisionId = current.revisionId;
  const published = await timeline.step('publish', () =>
    lambda.publishVersion(name, {
      codeSha256: code.codeSha256,
      description: request.description,
      ...(revisionId !== undefined && { revisionId }),
    }),
  );
  log.info(`Published version ${published.version} of ${name}.`);
  return { published, upload, settingsChanged: progress.settingsChanged };
}

/** The version's description: what released it, so the console and `status` can tell. */
export function releaseDescription(stage: string, context: RunContext, extra = ''): string {
  const commit = context.commit ? ` commit ${context.commit.slice(0, 12)}` : '';
  const run = context.runId ? ` run ${context.runId}` : '';
  return `stage-deploy ${stage}:${commit}${run}${extra}`.slice(0, 256);
}
