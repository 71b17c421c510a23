/**
 * The options every AWS SDK client of stage-deploy is built with, without importing any client:
 * the heavy SDK modules are loaded only by the services a run needs (services.ts).
 */
const DEFAULT_USER_AGENT = 'stage-deploy';

export interface ClientOptions {
  /** The region; omitted: the SDK's default chain (AWS_REGION, profile, ...). */
  region?: string;
  /** Appended to the SDK's user agent; default `stage-deploy`. */
  userAgent?: string;
  /** An endpoint override is set (an emulator): S3 on a host name then needs path-style addressing. */
  pathStyleS3?: boolean;
  /** The stage's assumed role (assume-role.ts); omitted: the SDK's default chain (the job's own credentials). */
  credentials?: CredentialsProvider;
  /** How long an S3 request may go without a byte either way; default S3_SOCKET_TIMEOUT_MS (tests shorten it). */
  s3SocketTimeoutMs?: number;
}

/**
 * Time limits of the requests to AWS. The SDK has none of its own: a connection that never opens,
 * or an S3 request whose answer stops coming, would hold the step until the job's own timeout
 * (six hours by default). A request cut off by either is a TimeoutError, which the SDK's standard
 * retry sends again. The socket limit is S3's only: S3 keeps a slow CompleteMultipartUpload alive
 * by sending spaces, while a Lambda Invoke (the direct check) may rightly be silent for as long as
 * the function runs.
 */
export const CONNECTION_TIMEOUT_MS = 10_000;
export const S3_SOCKET_TIMEOUT_MS = 60_000;

/** Credentials as the SDK takes them; `expiration` lets it (and assume-role.ts) take them again in time. */
export interface TemporaryCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialsProvider = () => Promise<TemporaryCredentials>;

export function commonConfig(options: ClientOptions = {}) {
  return {
    ...(options.region && { region: options.region }),
    retryMode: 'standard',
    maxAttempts: 5,
    customUserAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS },
    ...(options.credentials !== undefined && { credentials: options.credentials }),
  } as const;
}

/**
 * The SDK reads AWS_ENDPOINT_URL by itself; for an emulator on a host name S3 also needs
 * path-style addressing (the SDK does it alone only for an IP address).
 */
export function s3Config(options: ClientOptions = {}) {
  const common = commonConfig(options);
  return {
    ...common,
    requestHandler: { ...common.requestHandler, socketTimeout: options.s3SocketTimeoutMs ?? S3_SOCKET_TIMEOUT_MS },
    ...(options.pathStyleS3 === true && { forcePathStyle: true }),
  };
}
