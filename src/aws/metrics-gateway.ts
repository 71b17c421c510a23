/**
 * CloudWatch through the AWS SDK: the gates of a progressive shift.
 *
 * - `alarmStates`: DescribeAlarms by name (at most 100 names a call, all pages), metric and
 *   composite alarms both (without `AlarmTypes` CloudWatch answers metric alarms only). A name
 *   with no alarm is simply absent from the answer, and so from the result.
 * - `versionMetrics`: the new version's own `Errors` and `Invocations`. Lambda publishes, for a
 *   function invoked through an alias, metrics with the dimensions `FunctionName`, `Resource`
 *   (`<function>:<alias>`) and `ExecutedVersion`; one GetMetricData call (all pages) asks for the
 *   Sum of both over the window, per minute, and the datapoints are added up. CloudWatch matches
 *   the dimension set exactly, so the per-function and per-alias aggregates are not counted.
 *
 * Retries are the SDK's own. Permissions: cloudwatch:DescribeAlarms, cloudwatch:GetMetricData.
 */
import {
  paginateDescribeAlarms,
  paginateGetMetricData,
  type CloudWatchClient,
  type Dimension,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmState, MetricsGateway, VersionMetrics } from '../types.js';
import { functionBaseName } from '../function-name.js';

/** DescribeAlarms takes at most 100 names (and answers at most 100 alarms a page). */
export const ALARM_NAMES_PER_CALL = 100;

const STATES: readonly AlarmState['state'][] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/**
 * The period of the metric queries, in seconds. CloudWatch keeps 1-minute datapoints for 15 days,
 * 5-minute ones for 63 days and hourly ones for 455 days: a window that starts further back than
 * that cannot be read at the finer period (the answer would be empty, i.e. zeros).
 */
export function metricPeriodSeconds(since: Date, now: Date = new Date()): number {
  const ageDays = (now.getTime() - since.getTime()) / 86_400_000;
  if (ageDays > 63) return 3600;
  if (ageDays > 15) return 300;
  return 60;
}

function alarmState(value: string | undefined): AlarmState['state'] {
  // An alarm always has a state; a value this version does not know is not taken for OK.
  return STATES.includes(value as AlarmState['state']) ? (value as AlarmState['state']) : 'INSUFFICIENT_DATA';
}

export class SdkMetricsGateway implements MetricsGateway {
  constructor(private readonly client: CloudWatchClient) {}

  async alarmStates(names: string[]): Promise<AlarmState[]> {
    const unique = [...new Set(names)];
    const found = new Map<string, AlarmState>();
    for (let i = 0; i < unique.length; i += ALARM_NAMES_PER_CALL) {
      const chunk = unique.slice(i, i + ALARM_NAMES_PER_CALL);
      const pages = paginateDescribeAlarms(
        { client: this.client },
        { AlarmNames: chunk, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      );
      for await (const page of pages) {
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          // Only the names asked for (an emulator may be less strict than CloudWatch).
          if (alarm.AlarmName === undefined || !chunk.includes(alarm.AlarmName)) continue;
          found.set(alarm.AlarmName, {
            name: alarm.AlarmName,
            state: alarmState(alarm.StateValue),
            ...(alarm.StateReason !== undefined && { reason: alarm.StateReason }),
          });
        }
      }
    }
    // In the order asked for.
    return unique.flatMap((name) => {
      const state = found.get(name);
      return state === undefined ? [] : [state];
    });
  }

  async versionMetrics(
    functionName: string,
    alias: string,
    version: string,
    since: Date,
    until: Date,
  ): Promise<VersionMetrics> {
    // CloudWatch refuses an empty or reversed window; nothing can have happened in it.
    if (until.getTime() - since.getTime() < 1000) return { errors: 0, invocations: 0 };
    const name = functionBaseName(functionName);
    const dimensions: Dimension[] = [
      { Name: 'FunctionName', Value: name },
      { Name: 'Resource', Value: `${name}:${alias}` },
      { Name: 'ExecutedVersion', Value: version },
    ];
    const period = metricPeriodSeconds(since);
    const query = (id: string, metricName: string): MetricDataQuery => ({
      Id: id,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions },
        Period: period,
        Stat: 'Sum',
      },
      ReturnData: true,
    });
    const sums: Record<string, number> = { errors: 0, invocations: 0 };
    const pages = paginateGetMetricData(
      { client: this.client },
      {
        MetricDataQueries: [query('errors', 'Errors'), query('invocations', 'Invocations')],
        StartTime: since,
        EndTime: until,
      },
    );
    for await (const page of pages) {
      for (const result of page.MetricDataResults ?? []) {
        if (result.Id === undefined || !(result.Id in sums)) continue;
        for (const value of result.Values ?? []) sums[result.Id] = (sums[result.Id] ?? 0) + value;
      }
    }
    return { errors: sums.errors ?? 0, invocations: sums.invocations ?? 0 };
  }
}
