/**
 * The AWS services of one region, built on first use. Lambda is always needed; S3, CloudWatch,
 * CloudWatch Logs and ECR are loaded (module and client) only when a run needs them, so a plain
 * deploy starts without paying for SDK modules it never calls.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { commonConfig, s3Config, type ClientOptions } from './client-config.js';
import { SdkLambdaGateway, type SdkLambdaGatewayOptions } from './lambda-gateway.js';
import { limitControlPlane, type RequestRateLimiter } from './rate-limit.js';
import { SdkCapacityGateway } from './capacity-gateway.js';
import { functionUrlSigner } from './url-signer.js';
import type { RequestSigner } from '../model/settings.js';
import type { CapacityGateway } from '../model/ports.js';
import type { ArtifactStore, ImageRegistry, LambdaGateway, LogGroupGateway, LogReader, MetricsGateway, ReportMetrics } from '../model/ports.js';

export class RegionServices {
  readonly lambda: LambdaGateway;
  /** Provisioned concurrency (`provisioned-concurrency`), on the same Lambda client. */
  readonly capacity: CapacityGateway;
  private readonly lambdaClient: LambdaClient;
  private s3Store?: Promise<ArtifactStore>;
  private cloudwatch?: Promise<MetricsGateway & ReportMetrics>;
  private logs?: Promise<{ groups: LogGroupGateway; reader: LogReader }>;
  private ecr?: Promise<ImageRegistry>;
  /** ECR for container-image functions: its SDK module and client are loaded on the first question. */
  readonly images: ImageRegistry = {
    describeImage: async (ref) => (await this.ecrRegistry()).describeImage(ref),
    repositoryPolicy: async (ref) => (await this.ecrRegistry()).repositoryPolicy(ref),
  };

  /** `lambdaOptions.progress`: where the Lambda gateway says that it waits (an update in progress, a version Pending). */
  /** `limiter`: a release of several functions (release/group.ts) keeps the region's Lambda control-plane requests under the quota (rate-limit.ts). */
  constructor(
    private readonly options: ClientOptions,
    lambdaOptions: SdkLambdaGatewayOptions = {},
    limiter?: RequestRateLimiter,
  ) {
    const client = new LambdaClient({ ...commonConfig(options) });
    this.lambdaClient = client;
    if (limiter !== undefined) limitControlPlane(client, limiter);
    this.lambda = new SdkLambdaGateway(client, lambdaOptions);
    this.capacity = new SdkCapacityGateway(client);
  }

  /**
   * Signs requests to an AWS_IAM function URL (url-signer.ts) with what the Lambda client signs
   * with: its region, and its credentials (the job's own, or the stage's assumed role).
   */
  urlSigner(): RequestSigner {
    const config = this.lambdaClient.config;
    return functionUrlSigner({ region: () => config.region(), credentials: () => config.credentials() });
  }

  store(): Promise<ArtifactStore> {
    this.s3Store ??= (async () => {
      const [{ S3Client }, { S3ArtifactStore }] = await Promise.all([import('@aws-sdk/client-s3'), import('./s3-store.js')]);
      return new S3ArtifactStore(new S3Client(s3Config(this.options)));
    })();
    return this.s3Store;
  }

  metrics(): Promise<MetricsGateway & ReportMetrics> {
    this.cloudwatch ??= (async () => {
      const [{ CloudWatchClient }, { SdkMetricsGateway }] = await Promise.all([import('@aws-sdk/client-cloudwatch'), import('./metrics-gateway.js')]);
      return new SdkMetricsGateway(new CloudWatchClient({ ...commonConfig(this.options) }));
    })();
    return this.cloudwatch;
  }

  private ecrRegistry(): Promise<ImageRegistry> {
    this.ecr ??= (async () => {
      const [{ ECRClient }, { SdkImageRegistry }] = await Promise.all([import('@aws-sdk/client-ecr'), import('./ecr-images.js')]);
      return new SdkImageRegistry(new ECRClient({ ...commonConfig(this.options) }));
    })();
    return this.ecr;
  }

  private logsClient(): Promise<{ groups: LogGroupGateway; reader: LogReader }> {
    this.logs ??= (async () => {
      const [{ CloudWatchLogsClient }, { SdkLogGroupGateway, SdkLogReader }] = await Promise.all([
        import('@aws-sdk/client-cloudwatch-logs'),
        import('./logs-gateway.js'),
      ]);
      const client = new CloudWatchLogsClient({ ...commonConfig(this.options) });
      return { groups: new SdkLogGroupGateway(client), reader: new SdkLogReader(client) };
    })();
    return this.logs;
  }

  async logGroups(): Promise<LogGroupGateway> {
    return (await this.logsClient()).groups;
  }

  async logReader(): Promise<LogReader> {
    return (await this.logsClient()).reader;
  }
}
