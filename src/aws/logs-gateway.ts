/**
 * CloudWatch Logs through the AWS SDK: the retention of a function's log group, and what a
 * function's versions logged.
 *
 * Lambda creates a function's log group the first time the function logs, with no retention
 * (logs kept forever). `ensureRetention` gives it the stage's retention: it reads the group
 * (DescribeLogGroups, all pages, matching the exact name since the call filters by prefix),
 * creates it when missing and writes the retention only when it differs, so a deploy whose
 * retention is already right writes nothing. Retries are the SDK's own.
 *
 * Permissions: logs:DescribeLogGroups, and logs:CreateLogGroup / logs:PutRetentionPolicy when
 * something has to change.
 *
 * `SdkLogReader.recentEvents` reads a version's lines: FilterLogEvents (all pages, until `limit`
 * events are in hand) once per stream-name prefix, from `since`; the events are merged, sorted by
 * timestamp and cut to `limit`. A missing group (ResourceNotFoundException) reads as no events.
 * Permission: logs:FilterLogEvents.
 */
import {
  CreateLogGroupCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  PutRetentionPolicyCommand,
  type CloudWatchLogsClient,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { RETENTION_DAYS, type LogEvent } from '../model/lambda.js';
import type { LogGroupGateway, LogReader } from '../model/ports.js';

/** FilterLogEvents answers at most 10,000 events a call. */
const FILTER_EVENTS_PER_CALL = 10_000;

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceAlreadyExistsException';
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

export class SdkLogGroupGateway implements LogGroupGateway {
  constructor(private readonly client: CloudWatchLogsClient) {}

  async ensureRetention(logGroup: string, days: number): Promise<'created' | 'updated' | 'unchanged'> {
    if (!logGroup) throw new Error('A log group name is required to set its retention.');
    // Checked before anything is written, so a bad value never leaves a group created without it.
    if (!RETENTION_DAYS.includes(days)) {
      throw new Error(
        `log-retention-days: ${days} is not a retention CloudWatch Logs accepts (one of ${RETENTION_DAYS.join(', ')}).`,
      );
    }
    const existing = await this.find(logGroup);
    if (existing === undefined) {
      try {
        await this.client.send(new CreateLogGroupCommand({ logGroupName: logGroup }));
      } catch (error) {
        // Created meanwhile (by Lambda, on the function's first log line, or by another run).
        if (!isAlreadyExists(error)) throw error;
      }
      await this.putRetention(logGroup, days);
      return 'created';
    }
    if (existing.retentionInDays === days) return 'unchanged';
    await this.putRetention(logGroup, days);
    return 'updated';
  }

  /** The group named exactly `logGroup`; DescribeLogGroups matches by prefix, so other groups may come too. */
  private async find(logGroup: string): Promise<LogGroup | undefined> {
    for await (const page of paginateDescribeLogGroups({ client: this.client }, { logGroupNamePrefix: logGroup })) {
      const found = page.logGroups?.find((group) => group.logGroupName === logGroup);
      if (found) return found;
    }
    return undefined;
  }

  private async putRetention(logGroup: string, days: number): Promise<void> {
    await this.client.send(new PutRetentionPolicyCommand({ logGroupName: logGroup, retentionInDays: days }));
  }
}

export class SdkLogReader implements LogReader {
  constructor(private readonly client: CloudWatchLogsClient) {}

  async recentEvents(logGroup: string, streamPrefixes: string[], since: Date, limit: number): Promise<LogEvent[]> {
    const prefixes = [...new Set(streamPrefixes)];
    if (!logGroup || prefixes.length === 0 || !(limit > 0)) return [];
    const seen = new Set<string>();
    const events: LogEvent[] = [];
    for (const prefix of prefixes) {
      for (const event of await this.eventsOf(logGroup, prefix, since, limit)) {
        // Prefixes may overlap (`2026/` and `2026/11/22/[8]`): an event is kept once.
        const key = `${event.logStream}\0${event.id}`;
        if (event.id !== undefined && seen.has(key)) continue;
        seen.add(key);
        events.push({ timestamp: event.timestamp, message: event.message, logStream: event.logStream });
      }
    }
    // Stable: events of one timestamp keep the order CloudWatch gave them.
    return events.sort((a, b) => a.timestamp - b.timestamp).slice(0, limit);
  }

  /** The first `limit` events (oldest first) of the streams named `prefix…`. */
  private async eventsOf(
    logGroup: string,
    prefix: string,
    since: Date,
    limit: number,
  ): Promise<(LogEvent & { id?: string })[]> {
    const found: (LogEvent & { id?: string })[] = [];
    const pages = paginateFilterLogEvents(
      { client: this.client, pageSize: Math.min(limit, FILTER_EVENTS_PER_CALL) },
      {
        logGroupName: logGroup,
        logStreamNamePrefix: prefix,
        startTime: since.getTime(),
        // Ignored by CloudWatch Logs since 2019 (it always interleaves the streams); an emulator
        // (moto) otherwise answers stream after stream, and the first page would not be the oldest.
        interleaved: true,
      },
    );
    try {
      for await (const page of pages) {
        for (const event of page.events ?? []) {
          const logStream = event.logStreamName ?? '';
          // Only the streams asked for (moto ignores logStreamNamePrefix and answers the whole group).
          if (!logStream.startsWith(prefix) || event.timestamp === undefined) continue;
          if (event.timestamp < since.getTime()) continue;
          found.push({
            timestamp: event.timestamp,
            message: event.message ?? '',
            logStream,
            ...(event.eventId !== undefined && { id: event.eventId }),
          });
        }
        if (found.length >= limit) break;
      }
    } catch (error) {
      // No such group (or, for some emulators, no such stream): nothing was logged yet.
      if (isNotFound(error)) return [];
      throw error;
    }
    return found;
  }
}
