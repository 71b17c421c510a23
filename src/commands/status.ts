/**
 * status: changes nothing. For each stage, what its alias runs: version, code hash, when and
 * from which commit it was released, the releases before it, and any traffic split in flight.
 */
import { errorMessage } from '../model/errors.js';
import type { Clock, LambdaGateway, ReportMetrics } from '../model/ports.js';
import type { PreviewStatus, StageStatus } from '../model/results.js';
import { lastRelease, previewAliases } from './preview-remove.js';
import type { StageSettings } from '../model/settings.js';
import { bypassingUrls, describeBypassingUrl } from '../release/function-url.js';
import { parseHistory, rollbackChain } from '../release/history.js';

export async function stageStatus(
  settings: StageSettings,
  ports: { lambda: LambdaGateway; metrics?: ReportMetrics; clock: Clock },
): Promise<StageStatus> {
  const { lambda, metrics, clock } = ports;
  const base: StageStatus = {
    stage: settings.stage,
    functionName: settings.functionName,
    alias: settings.alias,
    ...(settings.region !== undefined && { region: settings.region }),
    earlier: [],
    weights: {},
  };
  try {
    const alias = await lambda.getAlias(settings.functionName, settings.alias);
    if (alias === undefined) {
      const fn = await lambda.getVersion(settings.functionName);
      return { ...base, problem: fn === undefined ? `function ${settings.functionName} does not exist` : 'not released yet (no alias)' };
    }
    const until = new Date(clock.now());
    const [version, lastHour] = await Promise.all([
      lambda.getVersion(settings.functionName, alias.version),
      metrics
        ?.functionReport(settings.functionName, settings.alias, alias.version, new Date(until.getTime() - 3_600_000), until)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
    ]);
    const warnings = await urlWarnings(lambda, settings.functionName);
    const history = parseHistory(alias.description);
    const release = history.find((r) => r.version === alias.version);
    return {
      ...base,
      version: alias.version,
      aliasArn: alias.arn,
      ...(version !== undefined && { codeSha256: version.codeSha256 }),
      ...(release !== undefined && { release }),
      // The releases successive rollbacks would go to (the history also records the rollbacks themselves).
      earlier: rollbackChain(history, alias.version),
      weights: alias.weights,
      ...(lastHour instanceof Error ? { lastHourNote: `metrics could not be read: ${lastHour.message}` } : lastHour !== undefined ? { lastHour } : {}),
      ...(warnings.length > 0 && { warnings }),
    };
  } catch (error) {
    return { ...base, problem: errorMessage(error) };
  }
}

/** Function URLs that bypass the stage's alias (on `$LATEST` or a version): a misconfiguration, shown as a warning. */
async function urlWarnings(lambda: LambdaGateway, functionName: string): Promise<string[]> {
  try {
    return bypassingUrls(await lambda.listFunctionUrls(functionName)).map((url) => describeBypassingUrl(functionName, url));
  } catch (error) {
    return [`function URLs could not be read: ${errorMessage(error)}`];
  }
}

/** The live previews of a preview stage: every alias of its pattern, with its pull request, version and age. */
export async function previewStatuses(settings: StageSettings, ports: { lambda: LambdaGateway; clock: Clock }): Promise<PreviewStatus[]> {
  const template = settings.preview?.aliasTemplate;
  if (template === undefined) return [];
  const now = ports.clock.now() / 1000;
  const found = previewAliases(template, await ports.lambda.listAliases(settings.functionName));
  return found
    .map(({ alias, number }): PreviewStatus => {
      const at = lastRelease(alias);
      return {
        stage: settings.stage,
        functionName: settings.functionName,
        alias: alias.name,
        pullRequest: number,
        version: alias.version,
        ...(at !== undefined && { releasedAt: at, ageDays: Math.max(0, Math.floor((now - at) / 86_400)) }),
      };
    })
    .sort((a, b) => a.pullRequest - b.pullRequest);
}
