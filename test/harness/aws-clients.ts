/**
 * AWS SDK clients for the tests and the benchmark: all four at once, built with the action's own
 * client options (src/aws/client-config.ts). The action itself builds only what a run needs
 * (src/aws/services.ts). Endpoints come from AWS_ENDPOINT_URL, which the SDK reads by itself;
 * S3 is path-style by default here, as an emulator on a host name needs.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';

import { commonConfig, s3Config, type ClientOptions } from '../../src/aws/client-config.js';

export type { ClientOptions } from '../../src/aws/client-config.js';

export interface AwsClients {
  lambda: LambdaClient;
  s3: S3Client;
  logs: CloudWatchLogsClient;
  /** CloudWatch (alarms and metrics), for the gates of a progressive shift. */
  cloudwatch: CloudWatchClient;
}

/** All four clients at once (tests and the bench); the action builds only what a run needs (services.ts). */
export function createClients(options: ClientOptions = {}): AwsClients {
  const common = commonConfig(options);
  return {
    lambda: new LambdaClient({ ...common }),
    s3: new S3Client(s3Config({ pathStyleS3: true, ...options })),
    logs: new CloudWatchLogsClient({ ...common }),
    cloudwatch: new CloudWatchClient({ ...common }),
  };
}
