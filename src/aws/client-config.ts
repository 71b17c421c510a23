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
}

export function commonConfig(options: ClientOptions = {}) {
  return {
    ...(options.region && { region: options.region }),
    retryMode: 'standard',
    maxAttempts: 5,
    customUserAgent: options.userAgent ?? DEFAULT_USER_AGENT,
  } as const;
}

/**
 * The SDK reads AWS_ENDPOINT_URL by itself; for an emulator on a host name S3 also needs
 * path-style addressing (the SDK does it alone only for an IP address).
 */
export function s3Config(options: ClientOptions = {}) {
  return { ...commonConfig(options), ...(options.pathStyleS3 === true && { forcePathStyle: true }) };
}
