/**
 * The one place that builds AWS SDK clients. Credentials and (when not given) the region come
 * from the SDK's default chain; retries are the SDK's own (`standard` mode).
 *
 * Endpoints: the SDK (@smithy/core endpoints middleware, `getEndpointUrlConfig`) already reads
 * `AWS_ENDPOINT_URL` and the per-service `AWS_ENDPOINT_URL_LAMBDA` / `AWS_ENDPOINT_URL_S3` /
 * `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS` / `AWS_ENDPOINT_URL_CLOUDWATCH` (and `endpoint_url` in the
 * shared config file, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`), so no endpoint is passed here. The one thing the SDK
 * does not do for an emulator is path-style S3 addressing on a host name (it does so by itself
 * only for an IP address), so that is forced whenever an endpoint override is in the environment.
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
