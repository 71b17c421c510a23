export type ProxyService = 'lambda' | 's3' | 'logs' | 'cloudwatch' | 'iam' | 'ecr' | 'sts' | 'other';

export interface RecordedCall {
  service: ProxyService;
  /** SDK operation name, e.g. `UpdateFunctionConfiguration`, `PutObject`, `PutLogEvents`; `Unknown` if not recognised. */
  operation: string;
  method: string;
  /** The request path without the query. */
  path: string;
  /** The raw query string, without `?` (empty when none). */
  query: string;
  /** Parsed JSON (Lambda, JSON protocols) or the form fields (Query protocol); left out for binary or large (> 1 MiB) bodies. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  requestBody?: any;
  /** HTTP status of the answer (0 while the answer is still being relayed). */
  status: number;
  /** Date.now() when the request reached the proxy. */
  startedAt: number;
  durationMs: number;
  /** True when the answer was an error injected by `failOperation` (not forwarded). */
  injected?: true;
  /** The region the request was signed for (SigV4 credential scope); left out for an unsigned request. */
  region?: string;
  /** The access key id the request was signed with (SigV4 credential scope): whose credentials sent it; left out for an unsigned request. */
  accessKeyId?: string;
}

export interface FailOperationOptions {
  /** HTTP status; default 500. */
  status?: number;
  /** Error code (`x-amzn-errortype`, `__type`, `<Code>`); default `ServiceException`. */
  type?: string;
  /** Default `Injected failure`. */
  message?: string;
  /** How many calls to fail; default 1. */
  times?: number;
}

/** One Invoke the proxy ran locally (moto runs functions only in Docker). */
export interface RecordedInvocation {
  /** The function's name (not an ARN). */
  functionName: string;
  /** The version that ran (`X-Amz-Executed-Version`): a number or `$LATEST`. */
  version: string;
  /** `Unhandled` when the handler failed to load, threw or timed out. */
  functionError?: string;
  /** What the handler's process wrote on stderr (its logs, and the runtime's error line). */
  stderr: string;
}

export interface AwsProxy {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  port: number;
  /** The moto endpoint requests are forwarded to. */
  target: string;
  /** Every call, in the order they reached the proxy. */
  calls: RecordedCall[];
  /**
   * Every Invoke the proxy answered by running the handler (RequestResponse and Event), in the
   * order they ended. The code must have been uploaded through the proxy (CreateFunction or
   * UpdateFunctionCode), or Invoke answers 500 ServiceException.
   */
  invocations: RecordedInvocation[];
  /** Number of calls per operation. */
  counts(): Record<string, number>;
  /** Forget the recorded calls and invocations (behaviours stay as they are). */
  reset(): void;
  /** After each UpdateFunctionConfiguration/UpdateFunctionCode, $LATEST reports `LastUpdateStatus: InProgress` for `ms`. 0 turns it off. */
  holdInProgress(ms: number): void;
  /** The next update is applied by moto but reported `Failed` with this reason and code until the function's next update. */
  failNextUpdate(reason: string, code?: string): void;
  /** Keep RevisionIds for $LATEST, versions and aliases; answer 412 PreconditionFailedException to a stale one. */
  enforceRevisionId(on?: boolean): void;
  /** Answer 412 PreconditionFailedException to PublishVersion whose CodeSha256 differs from $LATEST's. */
  enforceCodeSha256(on?: boolean): void;
  /** Remember LoggingConfig (moto drops it) for $LATEST and snapshot it onto published versions. */
  keepLoggingConfig(on?: boolean): void;
  /**
   * Container-image functions (moto with MOTO_LAMBDA_STUB_ECR=false): GetFunction's Code gives
   * the ImageUri each version was published with and ResolvedImageUri `<repository>@sha256:<CodeSha256>`,
   * as Lambda does (moto's versions share $LATEST's ImageUri, and its ResolvedImageUri is malformed
   * for a URI by digest). Only what went through the proxy is remembered.
   */
  resolveImageUris(on?: boolean): void;
  /**
   * Images from another account's ECR as Lambda pulls them (moto resolves an ImageUri only in the
   * function's own account and never reads repository policies): CreateFunction / UpdateFunctionCode
   * with an ImageUri of another registry account than the caller's is refused with 403
   * AccessDeniedException ("Lambda does not have permission to access the ECR image. …") unless the
   * repository's policy allows the caller's account ecr:BatchGetImage and ecr:GetDownloadUrlForLayer;
   * when it does, the image's manifest is copied to a repository of the same name in the caller's
   * account, where moto resolves it to the same digest.
   */
  enforceImagePullPolicy(on?: boolean): void;
  /**
   * Refuse (400 InvalidParameterValueException) a CreateAlias / UpdateAlias whose routing
   * configuration pairs versions with another execution role or dead-letter queue, or names
   * $LATEST, as Lambda does; keep DeadLetterConfig (moto drops it) for $LATEST and published versions.
   */
  enforceWeightedAliasRules(on?: boolean): void;
  /** Answer the next `times` calls of `operation` with an error, without forwarding them. */
  failOperation(operation: string, options?: FailOperationOptions): void;
  /**
   * As failOperation, for the calls of one function only (by name or ARN). Default answer: 400
   * CodeStorageExceededException (one of PublishVersion's errors, not retried by the SDK).
   */
  failOperationFor(operation: string, functionName: string, options?: FailOperationOptions): void;
  /**
   * Answer S3 as it answers a caller without s3:ListBucket on the bucket: HeadObject of a missing
   * key gets 403 with no body (GetObject: 403 AccessDenied) instead of 404. Existing keys answer as usual.
   */
  denyListBucket(on?: boolean): void;
  /**
   * The presigned code URL (GetFunction's Code.Location, served by the proxy at /__code/) answers
   * `status` with S3's XML error instead of the code; default 403 AccessDenied "Request has expired".
   */
  failCodeDownload(status?: number, options?: { code?: string; message?: string }): void;
  /** GetFunction's Code.Location points at `origin` (e.g. `http://127.0.0.1:<closed port>`) instead of the proxy; undefined restores it. */
  codeLocationAt(origin: string | undefined): void;
  /**
   * Refuse what Lambda refuses and moto accepts: environment variables above 4 KB (400
   * InvalidParameterValueException), a description above 256 characters (400 ValidationException),
   * an UpdateFunctionCode request of 69,905,067 bytes or more (413 RequestEntityTooLargeException).
   */
  enforceLambdaLimits(on?: boolean): void;
  /**
   * Every PublishVersion answers its version `State: Pending` (StateReasonCode `Creating`), and
   * GetFunction/GetFunctionConfiguration/ListVersionsByFunction report it Pending for `ms`, then
   * Active, or Failed with `fail`'s reason and code (default code `InternalError`). 0 without `fail` turns it off.
   */
  publishPending(ms: number, options?: { fail?: { reason: string; code?: string } }): void;
  /** Date.now() at which a version published under publishPending becomes Active; undefined for any other. */
  versionActiveAt(functionName: string, version: string): number | undefined;
  /**
   * Emulate SnapStart (moto keeps none): CreateFunction/UpdateFunctionConfiguration keep
   * `SnapStart.ApplyOn`, answered on $LATEST with OptimizationStatus Off; a version published while
   * ApplyOn is PublishedVersions is Pending (StateReasonCode `Creating`, OptimizationStatus Off) for
   * `pendingMs`, then Active with OptimizationStatus On, or Failed with `fail`'s reason and code
   * (default code `InternalError`). An Invoke of such a version before it is ready answers 409
   * SnapStartNotReadyException. Reset by clearBehaviours.
   */
  emulateSnapStart(options?: { pendingMs?: number; fail?: { reason: string; code?: string } }): void;
  /** Date.now() at which a version published under emulateSnapStart is Active and optimized; undefined for any other (or one that fails). */
  snapStartReadyAt(functionName: string, version: string): number | undefined;
  /**
   * The version reports `State: Inactive` (StateReasonCode `Idle`); an Invoke of it answers 502
   * ResourceNotReadyException and sets it Pending (`Restoring`), then Active after `reactivateMs` (default 1000).
   * An Invoke of any version the proxy holds Pending answers 409 ResourceConflictException.
   */
  markInactive(functionName: string, version: string, options?: { reactivateMs?: number }): void;
  /**
   * While holdInProgress keeps $LATEST's last update InProgress, UpdateFunctionConfiguration,
   * UpdateFunctionCode and PublishVersion answer 409 ResourceConflictException ("… An update is in progress for resource: <arn>").
   */
  conflictWhileInProgress(on?: boolean): void;
  /**
   * Answer GetAccountSettings (moto 5 does not) with AccountUsage.TotalCodeSize `usedBytes` and
   * AccountLimit.TotalCodeSize `limitBytes` (default 75 GB); undefined turns it off (moto's 404).
   */
  accountSettings(figures?: { usedBytes: number; limitBytes?: number; functionCount?: number }): void;
  /** STS AssumeRole of `roleArn` answers AccessDenied (403), as a trust policy that does not name the caller would. */
  denyAssumeRole(roleArn: string): void;
  /** Switch every behaviour off and forget the per-function state. */
  /**
   * Emulate provisioned concurrency (moto has none): Put/Get/Delete/ListProvisionedConcurrencyConfig(s),
   * each configuration IN_PROGRESS for `readyAfterMs`, then READY, or FAILED with `fail` as StatusReason.
   */
  emulateProvisionedConcurrency(options?: { readyAfterMs?: number; fail?: string }): void;
  /** The emulated provisioned concurrency configurations, with their status now. */
  provisionedConcurrencyConfigs(): { functionName: string; qualifier: string; requested: number; status: 'IN_PROGRESS' | 'READY' | 'FAILED' }[];
  /**
   * Function URLs as Lambda keeps them (moto ignores the qualifier and serves nothing): one config
   * per qualifier, each FunctionUrl served by the proxy at `${endpoint}/__url/<function>/<qualifier>/`
   * by invoking what the qualifier names with a version 2.0 event. Off again with clearBehaviours.
   */
  emulateFunctionUrls(on?: boolean): void;
  /**
   * With emulateFunctionUrls: an AuthType NONE URL answers 403 until AddPermission (answered by the
   * proxy) grants Principal `*` lambda:InvokeFunctionUrl (FunctionUrlAuthType NONE) and
   * lambda:InvokeFunction (InvokedViaFunctionUrl) on its qualifier (urls-auth.html). Off again with clearBehaviours.
   */
  requireUrlPermissions(on?: boolean): void;
  /**
   * Every request served at a function URL while emulateFunctionUrls is on; `authorization` and
   * `securityToken`, the request's Authorization and X-Amz-Security-Token headers, when it had them
   * (an AWS_IAM URL answers 403 unless it is a valid SigV4 signature for service lambda).
   */
  functionUrlRequests: { functionName: string; qualifier: string; method: string; path: string; status: number; authorization?: string; securityToken?: string }[];
  clearBehaviours(): void;
  /** Date.now() at which the last update of the function completed (end of the InProgress hold), or undefined. */
  lastUpdateCompletedAt(functionName: string): number | undefined;
  /** The RevisionId the proxy holds for $LATEST (or the alias), when enforceRevisionId is on. */
  revisionIdOf(functionName: string, alias?: string): string | undefined;
  stop(): Promise<void>;
}

export function startProxy(options: { target: string }): Promise<AwsProxy>;

/** The Lambda operation (and decoded path parameters) for a method and REST path. */
export function lambdaRoute(
  method: string,
  pathname: string,
  searchParams: URLSearchParams,
): { operation: string; params: Record<string, string> } | undefined;

/** The S3 operation of a path-style request. */
export function s3Operation(
  method: string,
  pathname: string,
  searchParams: URLSearchParams,
  headers?: Record<string, string | string[] | undefined>,
): string;

/** Splits a FunctionName (name, partial or full ARN, maybe with a qualifier). */
export function parseFunctionName(raw: string): { name: string; qualifier?: string };

/** Lambda's answer for one local run of lambda-runner.mjs: the payload, and `Unhandled` when it failed. */
export function invocationOutcome(
  run: { code: number; stdout: string; stderr: string; timedOut?: boolean },
  requestId?: string,
  timeoutSeconds?: number,
): { payload: string; functionError?: 'Unhandled' };

/** The access key id of a request's SigV4 credential scope (Authorization header, or X-Amz-Credential in the query). */
export function signingKeyId(
  headers: Record<string, string | string[] | undefined> | undefined,
  searchParams?: URLSearchParams,
): string | undefined;

/** The region of a request's SigV4 credential scope (Authorization header, or X-Amz-Credential in the query). */
export function signingRegion(
  headers: Record<string, string | string[] | undefined> | undefined,
  searchParams?: URLSearchParams,
): string | undefined;
