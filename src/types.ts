/**
 * The shared vocabulary of stage-deploy: the resolved settings of one stage, and the small
 * interfaces the release logic talks to. Nothing here imports @actions/* or @aws-sdk/*.
 */

/** Which HTTP statuses count as healthy: explicit codes and/or whole classes ("2xx" → 2). */
export interface StatusExpectation {
  codes: number[];
  classes: number[];
  /** As the user wrote it, for messages: `200`, `[200, 204]`, `"2xx"`. */
  text: string;
}

/** A body expectation: a plain substring, or a regular expression written as `/re/flags`. */
export type BodyExpectation =
  | { kind: 'substring'; text: string }
  | { kind: 'regex'; source: string; flags: string };

export interface SmokeSettings {
  url: string;
  method: string;
  /** Header values after `${VAR}` expansion. */
  headers: Record<string, string>;
  /** Values that came from `${VAR}` expansion: masked in every log and summary. */
  secrets: string[];
  body?: string;
  expectStatus: StatusExpectation;
  expectBody?: BodyExpectation;
  attempts: number;
  intervalMs: number;
  timeoutMs: number;
  /** Invoke the new version directly before it takes traffic (issue 5). */
  invoke: boolean;
}

export type LogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'WARNING' | 'ERROR' | 'CRITICAL' | 'FATAL';

export type TrafficStrategy =
  | { kind: 'all-at-once' }
  | { kind: 'canary'; percent: number; waitMs: number }
  | { kind: 'linear'; percent: number; intervalMs: number };

/** One stage, fully resolved: stages file (defaults, extends) with the inputs laid over it. */
export interface StageSettings {
  stage: string;
  /** Function name or ARN, as written. */
  functionName: string;
  alias: string;
  region?: string;
  s3Bucket?: string;
  s3Prefix: string;
  logLevel?: LogLevel;
  logFormat: 'json' | 'text';
  logRetentionDays?: number;
  /** Variables to merge into the function's own; never removes a variable it does not name. */
  environment: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
  keepVersions?: number;
  traffic: TrafficStrategy;
  alarms: string[];
  /** A fraction, 0.01 for `1%`. */
  maxErrorRate?: number;
  bakeMs: number;
  smoke?: SmokeSettings;
  api?: { id: string; stage: string };
}

/** The code to ship: a zip file on disk and its Lambda-style hash. */
export interface Artifact {
  /** Path of the zip file (for a directory: the reproducible zip made from it). */
  zipPath: string;
  /** Base64 of the SHA-256 of the zip bytes, as Lambda reports `CodeSha256`. */
  codeSha256: string;
  /** Hex of the same digest, for S3 keys. */
  sha256Hex: string;
  sizeBytes: number;
  /** What the user named: a zip file or a directory. */
  source: { kind: 'zip' | 'directory'; path: string };
}

/** Lambda's LoggingConfig, as far as stage-deploy sets it. */
export interface LoggingSettings {
  logFormat: 'JSON' | 'Text';
  /** TRACE | DEBUG | INFO | WARN | ERROR | FATAL (JSON format only). */
  applicationLogLevel?: string;
  /** DEBUG | INFO | WARN (JSON format only). */
  systemLogLevel?: string;
  /** The log group the function writes to, when Lambda reports one. */
  logGroup?: string;
}

/** What Lambda says of one version (or $LATEST) of a function. */
export interface FunctionVersionState {
  functionArn: string;
  functionName: string;
  version: string;
  codeSha256: string;
  codeSize: number;
  environment: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
  description: string;
  lastModified?: string;
  revisionId?: string;
  state?: string;
  lastUpdateStatus?: string;
  handler?: string;
  runtime?: string;
  /** Lambda's LoggingConfig of this version; undefined when Lambda reports none. */
  logging?: LoggingSettings;
}

export interface AliasState {
  name: string;
  arn: string;
  version: string;
  description: string;
  /** Additional version weights in flight: version → weight (0..1). Empty when none. */
  weights: Record<string, number>;
  revisionId?: string;
}

/** A change to a function's configuration: only the fields that should change are present. */
export interface ConfigurationChange {
  environment?: Record<string, string>;
  memorySize?: number;
  timeoutSeconds?: number;
  /** Sent as LoggingConfig (LogFormat, ApplicationLogLevel, SystemLogLevel); the log group is left as it is. */
  logging?: Omit<LoggingSettings, 'logGroup'>;
}

export type CodeSource =
  | { kind: 'zip-file'; zipPath: string }
  | { kind: 's3'; bucket: string; key: string };

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
  updateConfiguration(functionName: string, change: ConfigurationChange): Promise<FunctionVersionState>;
  /** Replace $LATEST's code and wait until Lambda reports the update done. */
  updateCode(functionName: string, code: CodeSource): Promise<FunctionVersionState>;
  /** Publish $LATEST; fails when its code is not `codeSha256`. */
  publishVersion(
    functionName: string,
    options: { codeSha256: string; description: string; revisionId?: string },
  ): Promise<FunctionVersionState>;
  createAlias(functionName: string, alias: string, version: string, description: string): Promise<AliasState>;
  /**
   * Point the alias at `version` with the given weights (none: all traffic on `version`).
   * With `revisionId`, fails if the alias changed since it was read.
   */
  updateAlias(
    functionName: string,
    alias: string,
    target: { version: string; weights?: Record<string, number>; description?: string; revisionId?: string },
  ): Promise<AliasState>;
  deleteAlias(functionName: string, alias: string): Promise<void>;
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
}

/** CloudWatch Logs, for the retention of a function's log group. */
export interface LogGroupGateway {
  /**
   * Give the log group `days` of retention: created when missing, updated when it differs,
   * untouched (no write) when it is already so.
   */
  ensureRetention(logGroup: string, days: number): Promise<'created' | 'updated' | 'unchanged'>;
}

/** Where code goes when a stage has an `s3-bucket`. */
export interface ArtifactStore {
  exists(bucket: string, key: string): Promise<boolean>;
  /** Stream the file up (multipart for large files); memory stays flat. */
  upload(bucket: string, key: string, filePath: string): Promise<void>;
}

export interface SmokeAttempt {
  attempt: number;
  method: string;
  /** The URL with secrets masked. */
  url: string;
  /** HTTP status, or undefined when the request did not get an answer. */
  status?: number;
  latencyMs: number;
  /** The first few hundred bytes of the body, secrets masked. */
  bodyExcerpt: string;
  ok: boolean;
  /** Why it failed: `expected 2xx`, `body did not contain "ok"`, `timed out after 10s`, ... */
  problem?: string;
}

export interface SmokeResult {
  ok: boolean;
  attempts: SmokeAttempt[];
  /** One line: `GET https://x/health → 502 on 3 of 3 attempts` or `GET https://x/health → 200 in 41 ms`. */
  summary: string;
}

export interface SmokeChecker {
  check(smoke: SmokeSettings, log: Log): Promise<SmokeResult>;
}

/** Where the release logic writes what it does; main.ts maps it onto @actions/core. */
export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Bad input: the message names the field and the value. Thrown before anything in AWS changes. */
export class InputError extends Error {
  override name = 'InputError';
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  }): Promise<void>;
  /**
   * Mark the deployment begun above `success` or `failure`. On success, the environment's
   * previous successful deployment (the release replaced) is marked `inactive`.
   */
  end(outcome: { state: 'success' | 'failure'; description: string; environmentUrl?: string; logUrl?: string }): Promise<void>;
}

/** A CloudWatch alarm's state, as DescribeAlarms reports it. */
export interface AlarmState {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  reason?: string;
}

/** A version's own Lambda metrics over a window: the sums of `Errors` and `Invocations`. */
export interface VersionMetrics {
  errors: number;
  invocations: number;
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

/** What a direct Invoke of a version returned. */
export interface InvokeResult {
  /** The handler's payload, as text (for an API Gateway proxy handler: `{"statusCode":200,"body":"..."}`). */
  payload: string;
  /** Set when the function failed (`Unhandled`): the payload then holds errorType and errorMessage. */
  functionError?: string;
}

/** One line a function wrote to CloudWatch Logs. */
export interface LogEvent {
  timestamp: number;
  message: string;
  logStream: string;
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

/** A version's Lambda metrics over a window. */
export interface FunctionReport {
  invocations: number;
  errors: number;
  throttles: number;
  /** p95 of Duration in ms; undefined without data. */
  durationP95Ms?: number;
}

/** An API Gateway stage's metrics over a window. */
export interface ApiReport {
  /** Sums of 4XXError and 5XXError. */
  errors4xx: number;
  errors5xx: number;
  /** p95 of Latency in ms; undefined without data. */
  latencyP95Ms?: number;
}

/** CloudWatch metrics that explain a release (and show a stage's health in status). */
export interface ReportMetrics {
  /** The version's metrics through the alias (dimensions FunctionName, Resource `<fn>:<alias>`, ExecutedVersion). */
  functionReport(functionName: string, alias: string, version: string, since: Date, until: Date): Promise<FunctionReport>;
  /** 4XXError, 5XXError and Latency of an API Gateway stage (dimensions ApiId, Stage). */
  apiReport(apiId: string, stage: string, since: Date, until: Date): Promise<ApiReport>;
}
