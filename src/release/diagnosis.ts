import { functionLogGroup, type LogEvent } from '../model/lambda.js';
import type { StageSettings } from '../model/settings.js';
import type { Clock, Log, LogReader, ReportMetrics } from '../model/ports.js';
import { errorMessage } from '../model/errors.js';
import type { Diagnosis } from '../model/results.js';

export interface DiagnosisDeps {
  logs: LogReader;
  metrics: ReportMetrics;
  log: Log;
  clock: Clock;
  /** Tries to read logs that are not there yet (Lambda delivers them within seconds); default 4. */
  logTries?: number;
  /** Between tries; default 2 s. */
  logRetryMs?: number;
}

const MAX_EVENTS = 500;
const MAX_LINES = 6;

/** Lambda names a version's log streams `YYYY/MM/DD/[<version>]…`: one prefix per UTC day of the window. */
export function streamPrefixes(version: string, since: Date, until: Date): string[] {
  const prefixes: string[] = [];
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  while (day.getTime() <= until.getTime() && prefixes.length < 31) {
    const yyyy = day.getUTCFullYear();
    const mm = String(day.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(day.getUTCDate()).padStart(2, '0');
    prefixes.push(`${yyyy}/${mm}/${dd}/[${version}]`);
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return prefixes;
}

/**
 * The few most telling lines of a version's output: uncaught exceptions and ERROR lines first
 * (as `Type: message`), then timeouts and runtime errors, then failed REPORT lines; repeats are
 * counted, not repeated.
 */
export function tellingLines(events: LogEvent[], max = MAX_LINES): string[] {
  const found = new Map<string, { rank: number; count: number; first: number }>();
  events.forEach((event, index) => {
    const judged = judge(event.message);
    if (judged === undefined) return;
    const seen = found.get(judged.text);
    if (seen) seen.count++;
    else found.set(judged.text, { rank: judged.rank, count: 1, first: index });
  });
  return [...found.entries()]
    .sort(([, a], [, b]) => a.rank - b.rank || a.first - b.first)
    .slice(0, max)
    .map(([text, { count }]) => (count > 1 ? `${text} (×${count})` : text));
}

function judge(message: string): { rank: number; text: string } | undefined {
  const line = message.trim();
  if (/^REPORT RequestId:/.test(line)) {
    if (!/Status: error/.test(line)) return undefined;
    const type = /Error Type: (\S+)/.exec(line)?.[1];
    return { rank: 3, text: `REPORT Status: error${type ? ` (${type})` : ''}` };
  }
  if (/Task timed out after/.test(line)) return { rank: 1, text: (/Task timed out after [\d.]+ seconds/.exec(line)?.[0] ?? line).slice(0, 300) };
  const isError = /\tERROR\t|Uncaught Exception|\bRuntime\.[A-Za-z]+/.test(line);
  if (!isError) return undefined;
  // The runtime's form: `<time>\t<request id>\tERROR\t<kind>\t{"errorType":…,"errorMessage":…}`.
  const json = line.slice(line.indexOf('{'));
  try {
    const parsed = JSON.parse(json) as { errorType?: string; errorMessage?: string };
    if (parsed.errorType || parsed.errorMessage) {
      return { rank: /Uncaught Exception/.test(line) ? 0 : 1, text: `${parsed.errorType ?? 'Error'}: ${parsed.errorMessage ?? ''}`.slice(0, 300) };
    }
  } catch {
    // Not JSON: the line itself, without the timestamp and request id.
  }
  const fields = line.split('\t');
  const text = fields.length >= 4 ? fields.slice(3).join(' ').trim() : line;
  return { rank: /Runtime\./.test(line) ? 2 : 1, text: text.slice(0, 300) };
}

export async function diagnose(
  request: { settings: StageSettings; version: string; since: Date; until: Date; logGroup?: string },
  deps: DiagnosisDeps,
): Promise<Diagnosis> {
  const { settings, version, since, until } = request;
  const logGroup = request.logGroup ?? functionLogGroup(settings.functionName);
  const diagnosis: Diagnosis = { version, logGroup, lines: [], window: { since, until } };

  // Logs first: by the time they have arrived, the metrics written with them have too.
  await readLogs();
  const readUntil = new Date(Math.max(until.getTime(), deps.clock.now()));
  try {
    const [fn, api] = await Promise.all([
      deps.metrics.functionReport(settings.functionName, settings.alias, version, since, readUntil),
      settings.api ? deps.metrics.apiReport(settings.api.id, settings.api.stage, since, readUntil) : Promise.resolve(undefined),
    ]);
    diagnosis.metrics = fn;
    if (api && settings.api) diagnosis.api = { ...api, ...settings.api };
    if (fn.invocations === 0) diagnosis.metricsNote = 'no invocations counted yet: Lambda metrics can lag a minute behind';
  } catch (error) {
    diagnosis.metricsNote = `the metrics could not be read: ${errorMessage(error)}`;
  }
  return diagnosis;

  async function readLogs(): Promise<void> {
    const tries = deps.logTries ?? 4;
    const prefixes = streamPrefixes(version, since, until);
    try {
      for (let attempt = 1; attempt <= tries; attempt++) {
        const events = await deps.logs.recentEvents(logGroup, prefixes, since, MAX_EVENTS);
        diagnosis.lines = tellingLines(events);
        if (diagnosis.lines.length > 0) return;
        if (attempt < tries) await deps.clock.sleep(deps.logRetryMs ?? 2000);
        else {
          diagnosis.logsNote =
            events.length === 0
              ? `the logs were empty: no lines from version ${version} in ${logGroup} yet`
              : `version ${version} wrote ${events.length} log line${events.length > 1 ? 's' : ''} to ${logGroup}, none of them an error`;
        }
      }
    } catch (error) {
      diagnosis.logsNote = `the logs of ${logGroup} could not be read: ${errorMessage(error)}`;
    }
  }
}
