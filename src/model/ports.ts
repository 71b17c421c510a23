/**
 * The ports: the small interfaces the release logic talks to. Adapters (src/aws, src/github,
 * src/checks) implement them; unit tests use plain fakes.
 */
import type { AlarmState, AliasState, ApiReport, CodeSource, CodeStorage, ConfigurationChange, FunctionReport, FunctionUrlState, FunctionVersionState, InvokeResult, LogEvent, VersionMetrics } from './lambda.js';
import type { SmokeResult } from './results.js';
import type { SmokeSettings } from './settings.js';

/**
 * Time, in one place: the wall clock in epoch milliseconds and a sleep that a signal cuts short.
 * The entry point passes the system's; tests pass one that moves only when slept on.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Everything the release logic asks of Lambda. The adapter (src/aws/lambda-gateway.ts) does it
 * with the SDK, its retries and its waiters; tests of pure logic use a plain fake.
 */
export interface LambdaGateway {
  /** The configuration of a version (`$LATEST` when omitted); undefined when there is no such function or version. */
  getVersion(functionName: string, version?: string): Promise<FunctionVersionState | undefined>;
  /** undefined when the alias does not exist. */
  getAlias(functionName: string, alias: string): Promise<AliasState | undefined>;
  /** Apply the change to $LATEST and wait until Lambda reports the update done. */
  updateConfiguration(functionName: string, change: ConfigurationChange, revisionId?: string): Promise<FunctionVersionState>;
  /** Replace $LATEST's code and wait until Lambda reports the update done. */
  updateCode(functionName: string, code: CodeSource, revisionId?: string): Promise<FunctionVersionState>;
  /**
   * Publish $LATEST and wait until the new version is Active (PublishVersion may answer Pending);
   * fails when its code is not `codeSha256`, or with Lambda's StateReason when the version ends Failed.
   */
  publishVersion(
    functionName: string,
    options: { codeSha256: string; description: string; revisionId?: string },
  ): Promise<FunctionVersionState>;
  /** Throws AliasConflictError (`exists`) when the alias already exists. */
  createAlias(functionName: string, alias: string, version: string, description: string): Promise<AliasState>;
  /**
   * Point the alias at `version` with the given weights (none: all traffic on `version`).
   * With `revisionId`, fails with AliasConflictError (`moved`) if the alias changed since it was read.
   */
  updateAlias(
    functionName: string,
    alias: string,
    target: { version: string; weights?: Record<string, number>; description?: string; revisionId?: string },
  ): Promise<AliasState>;
  deleteAlias(functionName: string, alias: string): Promise<void>;
  /**
   * Wait until a published version that is Pending is Active (waitUntilPublishedVersionActive);
   * throws with Lambda's StateReason when it ends Failed, or after the wait's time limit.
   * `snapStart`: the version has SnapStart on; it is ready only when Active and optimized
   * (OptimizationStatus On), and the time limit is sized for a snapshot (minutes).
   */
  waitForVersionActive(functionName: string, version: string, options?: { snapStart?: boolean }): Promise<FunctionVersionState>;
  /** The account's code storage in the region (GetAccountSettings). */
  codeStorage(): Promise<CodeStorage>;
  /**
   * Save the code of a published version to `toPath` (streamed from the presigned URL Lambda
   * gives; the URL is a secret and is never logged). Returns its CodeSha256.
   */
  downloadCode(functionName: string, version: string, toPath: string): Promise<string>;
  /** Every published version (not $LATEST), all pages. */
  listVersions(functionName: string): Promise<FunctionVersionState[]>;
  /** Every alias of the function, all pages. */
  listAliases(functionName: string): Promise<AliasState[]>;
  /** Delete one published version (DeleteFunction with a Qualifier). */
  deleteVersion(functionName: string, version: string): Promise<void>;
  /** Invoke one published version directly (by number, not through an alias), synchronously. */
  invokeVersion(functionName: string, version: string, event: unknown): Promise<InvokeResult>;
  /** The alias's function URL (GetFunctionUrlConfig with the alias as Qualifier); undefined when it has none. */
  functionUrl(functionName: string, alias: string): Promise<FunctionUrlState | undefined>;
  /** Every function URL of the function, on any alias or on `$LATEST` (ListFunctionUrlConfigs, all pages). */
  listFunctionUrls(functionName: string): Promise<FunctionUrlState[]>;
  /** Give the alias a function URL (CreateFunctionUrlConfig with the alias as Qualifier). */
  createFunctionUrl(functionName: string, alias: string, authType: 'AWS_IAM' | 'NONE'): Promise<FunctionUrlState>;
  /** Delete the alias's function URL (DeleteFunctionUrlConfig); false when it had none. */
  deleteFunctionUrl(functionName: string, alias: string): Promise<boolean>;
  /**
   * Let anyone call the alias's AuthType NONE function URL (AddPermission on the alias: the
   * function's resource-based policy must grant public access, urls-auth.html); a statement
   * already there is fine.
   */
  allowPublicUrl(functionName: string, alias: string): Promise<void>;
}

/** CloudWatch Logs, for the retention of a function's log group. */
export interface LogGroupGateway {
  /**
   * Give the log group `days` of retention: created when missing, updated when it differs,
   * untouched (no write) when it is already so.
   */
  ensureRetention(logGroup: string, days: number): Promise<'created' | 'updated' | 'unchanged'>;
}

/** ECR, for container-image functions: which image a tag or digest names, and whether it is still there. */
/** An ECR repository's policy as read by its owner: its text, none, no such repository, or not readable (`denied`, ECR's message). */
export type RepositoryPolicy = { kind: 'policy'; text: string } | { kind: 'none' } | { kind: 'no-repository' } | { kind: 'denied'; message: string };

export interface ImageRegistry {
  /**
   * The image a tag or digest names in a repository (DescribeImages): its digest (`sha256:<hex>`)
   * and tags; undefined when ECR has no such image or repository.
   */
  describeImage(ref: { registryId: string; repository: string; tag?: string; digest?: string }): Promise<{ digest: string; tags: string[] } | undefined>;
  /**
   * The repository's policy (GetRepositoryPolicy), read by a promote before the image is pulled
   * from another account: its text, `none` (no policy), `no-repository`, or `denied` (the caller
   * may not read it).
   */
  repositoryPolicy(ref: { registryId: string; repository: string }): Promise<RepositoryPolicy>;
}

/** Where code goes when a stage has an `s3-bucket`. */
export interface ArtifactStore {
  exists(bucket: string, key: string): Promise<boolean>;
  /** Stream the file up (multipart for large files); memory stays flat. */
  upload(bucket: string, key: string, filePath: string): Promise<void>;
}

export interface SmokeChecker {
  /** `signal` (the run's cancel) aborts the request in flight and the waits between attempts. */
  check(smoke: SmokeSettings, log: Log, signal?: AbortSignal): Promise<SmokeResult>;
}

/** Where the release logic writes what it does; main.ts maps it onto @actions/core. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /**
   * Fold what `work` prints into one group of the log under `title` (the runner's `::group::`).
   * Absent where lines of several units interleave (a release of several functions): a group
   * cannot hold two units' lines at once.
   */
  group?<T>(title: string, work: () => Promise<T>): Promise<T>;
}

/** `work` in a group of the log titled `title`, where the log folds; else just `work`. */
export function inGroup<T>(log: Log, title: string, work: () => Promise<T>): Promise<T> {
  return log.group === undefined ? work() : log.group(title, work);
}

/**
 * GitHub deployments for a release: the Environments page shows what each stage runs. Every
 * method reports a GitHub API error as a warning and never throws: a deployment record is
 * never a reason to fail a release.
 */
export interface DeploymentTracker {
  /** Create a deployment of `ref` to the environment (named after the stage) and mark it in_progress. */
  begin(request: {
    environment: string;
    ref: string;
    description: string;
    environmentUrl?: string;
    /** Stored with the deployment: stage, function, alias, versions. */
    payload?: Record<string, unknown>;
    /** A preview's environment (`pr-{number}`): GitHub's `transient_environment`, gone when the preview is removed. */
    transient?: boolean;
  }): Promise<void>;
  /**
   * Mark the deployment begun above `success` or `failure`. On success, the environment's
   * previous successful deployment (the release replaced) is marked `inactive`.
   */
  end(outcome: { state: 'success' | 'failure'; description: string; environmentUrl?: string; logUrl?: string }): Promise<void>;
  /** Mark every deployment of the environment that is not inactive yet `inactive` (a preview removed). */
  deactivate(environment: string, description: string): Promise<void>;
}

/** CloudWatch, for the gates of a progressive shift. */
export interface MetricsGateway {
  /** The state of each named alarm that exists (a name with no alarm is left out). */
  alarmStates(names: string[]): Promise<AlarmState[]>;
  /**
   * Sums of `Errors` and `Invocations` of one version reached through an alias (dimensions
   * FunctionName, Resource `<function>:<alias>`, ExecutedVersion) between `since` and `until`.
   */
  versionMetrics(functionName: string, alias: string, version: string, since: Date, until: Date): Promise<VersionMetrics>;
}

/** What CloudWatch Logs holds of a function's output, for explaining a failed release. */
export interface LogReader {
  /**
   * Events of the log group's streams whose names start with one of `streamPrefixes` (Lambda
   * names a version's streams `YYYY/MM/DD/[<version>]…`), from `since`, oldest first, at most
   * `limit`. [] when the group or the streams do not exist (yet).
   */
  recentEvents(logGroup: string, streamPrefixes: string[], since: Date, limit: number): Promise<LogEvent[]>;
}

/** CloudWatch metrics that explain a release (and show a stage's health in status). */
export interface ReportMetrics {
  /** The version's metrics through the alias (dimensions FunctionName, Resource `<fn>:<alias>`, ExecutedVersion). */
  functionReport(functionName: string, alias: string, version: string, since: Date, until: Date): Promise<FunctionReport>;
  /** 4XXError, 5XXError and Latency of an API Gateway stage (dimensions ApiId, Stage). */
  apiReport(apiId: string, stage: string, since: Date, until: Date): Promise<ApiReport>;
}

/** What a rollout remembers so that a cancelled or dead run can be undone (main's signal handler, the post step). */
export interface RolloutState {
  functionName: string;
  alias: string;
  region?: string;
  /**
   * The stage's `role` (a stage in another account), its ARN as the stages file names it: the post
   * step puts the alias back with that role assumed again, and acts only when its own stage names
   * the same role. Never credentials: the post step takes its own from STS.
   */
  role?: string;
  toVersion: string;
  /**
   * The description the shift's last step (or the creation of the alias) writes: with it the post
   * step recognises an alias its own main step left, and acts on nothing else.
   */
  toDescription: string;
  /** The alias before the shift; null when the shift creates it. */
  before: { version: string; weights: Record<string, number>; description: string } | null;
}

export interface RolloutStateStore {
  save(state: RolloutState): void;
  clear(): void;
  /**
   * A release of several units (release/group.ts): every shift in progress at once, replacing
   * whatever was saved; an empty list clears it. The post step restores each.
   */
  saveUnits?(states: RolloutState[]): void;
}

/** One provisioned concurrency configuration, as Lambda reports it (GetProvisionedConcurrencyConfig). */
export interface CapacityState {
  status: 'IN_PROGRESS' | 'READY' | 'FAILED';
  requested: number;
  allocated: number;
  /** For FAILED: why Lambda could not allocate it. */
  statusReason?: string;
}

/** Lambda's provisioned concurrency on one version or alias (the qualifier). */
export interface CapacityGateway {
  /** PutProvisionedConcurrencyConfig: ask for `count` warm instances; Lambda allocates them in the background. */
  provision(functionName: string, qualifier: string, count: number): Promise<CapacityState>;
  /** GetProvisionedConcurrencyConfig; undefined when the qualifier has none. */
  read(functionName: string, qualifier: string): Promise<CapacityState | undefined>;
  /** DeleteProvisionedConcurrencyConfig; deleting what is not there succeeds. */
  release(functionName: string, qualifier: string): Promise<void>;
}
