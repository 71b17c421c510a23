/**
 * CloudWatch Logs through the AWS SDK: the retention of a function's log group.
 *
 * Lambda creates a function's log group the first time the function logs, with no retention
 * (logs kept forever). `ensureRetention` gives it the stage's retention: it reads the group
 * (DescribeLogGroups, all pages, matching the exact name since the call filters by prefix),
 * creates it when missing and writes the retention only when it differs, so a deploy whose
 * retention is already right writes nothing. Retries are the SDK's own.
 *
 * Permissions: logs:DescribeLogGroups, and logs:CreateLogGroup / logs:PutRetentionPolicy when
 * something has to change.
 */
import {
  CreateLogGroupCommand,
  paginateDescribeLogGroups,
  PutRetentionPolicyCommand,
  type CloudWatchLogsClient,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import type { LogGroupGateway } from '../types.js';

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

function isAlreadyExists(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceAlreadyExistsException';
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
