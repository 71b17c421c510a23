/**
 * Lambda as stage-deploy sees it: a function's versions, aliases, code and configuration, and the
 * CloudWatch readings of a version. Plain data, and the few pure facts about names.
 */
/** The code to ship: a zip file on disk and its Lambda-style hash. */
export interface Artifact {
  /** Path of the zip file (for a directory: the reproducible zip made from it). */
  zipPath: string;
  /** Base64 of the SHA-256 of the zip bytes, as Lambda reports `CodeSha256`. */
  codeSha256: string;
  /** Hex of the same digest, for S3 keys. */
  sha256Hex: string;
  sizeBytes: number;
  /** The sum of the entries' uncompressed sizes (Lambda's 250 MB unzipped limit); unknown when not measured. */
  unzippedBytes?: number;
  /** What the user named: a zip file or a directory. */
  source: { kind: 'zip' | 'directory'; path: string };
}

/**
 * A container-image function's code: an ECR image, its tag resolved to a digest once (ECR
 * DescribeImages). The digest is what gets published, compared, promoted and rolled back to.
 */
export interface ImageCode {
  kind: 'image';
  /** As the user wrote it (stage key or input `image`). */
  uri: string;
  /** `<registry>.dkr.ecr.<region>.amazonaws.com/<repository>`, without tag or digest. */
  repositoryUri: string;
  registryId: string;
  repository: string;
  /** The ECR region of the registry host. */
  region: string;
  /** The tag the user named; undefined when they named a digest. */
  tag?: string;
  /** `sha256:<hex>`. */
  digest: string;
  /** `<repositoryUri>@<digest>`: the URI sent to UpdateFunctionCode. */
  imageUri: string;
  /**
   * Lambda's CodeSha256 of a function on this image: the digest's hex, without `sha256:`
   * (what GetFunctionConfiguration reports for an image function; moto 5 with
   * MOTO_LAMBDA_STUB_ECR=false does the same).
   */
  codeSha256: string;
}

/** The image a release published or returned to, as results and the summary show it. */
export interface ImageRecord {
  /** The image pinned by digest: `<repository URI>@sha256:<hex>`. */
  uri: string;
  /** The tag it was resolved from, when the user gave a tag. */
  tag?: string;
  /** `sha256:<hex>`. */
  digest: string;
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
  /** Lambda's State: Pending, Active, Inactive or Failed (functions-states.html). */
  state?: string;
  /** Why the version is in its state (AWS text: untrusted), and Lambda's code for it, e.g. `Creating`, `Idle`. */
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus?: string;
  handler?: string;
  runtime?: string;
  /** Lambda's LoggingConfig of this version; undefined when Lambda reports none. */
  logging?: LoggingSettings;
  /** The execution role (`Role`): both versions of a weighted alias must share it. */
  role?: string;
  /** The dead-letter queue or topic (`DeadLetterConfig.TargetArn`); undefined: none. Both versions of a weighted alias must share it. */
  deadLetterTarget?: string;
  /** `Zip` or `Image` (PackageType): a function's package type never changes. */
  packageType?: 'Zip' | 'Image';
  /** An image function's image pinned by digest (GetFunction's Code.ResolvedImageUri): `<repository URI>@sha256:<hex>`. */
  imageUri?: string;
  /**
   * SnapStart (snapstart.html), present only when it is on (`ApplyOn: PublishedVersions`):
   * `optimizationStatus` On once a published version's snapshot is ready (API_SnapStartResponse.html;
   * Off on $LATEST and while the snapshot is taken).
   */
  snapStart?: { applyOn: 'PublishedVersions'; optimizationStatus: 'On' | 'Off' };
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

/**
 * True when an alias read now is the one read (or written) before: the same RevisionId when both
 * have one, else the same version, description and weights. The check before a write or delete
 * that takes no RevisionId (DeleteAlias), or after a refused one.
 */
export function sameAliasState(now: AliasState, before: AliasState): boolean {
  if (now.revisionId !== undefined && before.revisionId !== undefined) return now.revisionId === before.revisionId;
  const versions = Object.keys(now.weights);
  return (
    now.version === before.version &&
    now.description === before.description &&
    versions.length === Object.keys(before.weights).length &&
    versions.every((version) => now.weights[version] === before.weights[version])
  );
}

/** The account's code storage in one region (GetAccountSettings): every version's code counts. */
export interface CodeStorage {
  /** AccountUsage.TotalCodeSize, bytes. */
  usedBytes: number;
  /** AccountLimit.TotalCodeSize, bytes (75 GB unless raised). */
  limitBytes: number;
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
  | { kind: 's3'; bucket: string; key: string }
  /** A container image, pinned by digest (`ImageUri`). */
  | { kind: 'image'; imageUri: string };

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

/** `/aws/lambda/<name>`, or the log group the function's LoggingConfig names. */
export function functionLogGroup(functionName: string, logging?: LoggingSettings): string {
  return logging?.logGroup || `/aws/lambda/${functionBaseName(functionName)}`;
}

/** `notes-api` for `notes-api`, `notes-api:prod`, `arn:aws:lambda:r:1:function:notes-api[:7]` or `1:function:notes-api`. */
export function functionBaseName(functionName: string): string {
  const parts = functionName.split(':');
  const at = parts.indexOf('function');
  return (at >= 0 ? parts[at + 1] : parts[0]) || functionName;
}

/** CloudWatch Logs' allowed retention values, in days. */
export const RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** A function URL (GetFunctionUrlConfig / ListFunctionUrlConfigs). */
export interface FunctionUrlState {
  /** `https://<url-id>.lambda-url.<region>.on.aws/` */
  url: string;
  /** `NONE` (public) or `AWS_IAM` (SigV4-signed requests only). */
  authType: string;
  /** What the URL invokes: the alias name, or `$LATEST` for an unqualified URL. */
  qualifier: string;
}
