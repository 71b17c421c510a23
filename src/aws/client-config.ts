/**
 * The options every AWS SDK client of stage-deploy is built with, without importing any client:
 * the heavy SDK modules are loaded only by the services a run needs (services.ts).
 */
export const DEFAULT_USER_AGENT = 'stage-deploy';

export interface ClientOptions {
  /** The region; omitted: the SDK's default chain (AWS_REGION, profile, ...). */
  region?: string;
  /** Appended to the SDK's user agent; default `stage-deploy`. */
  userAgent?: string;
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
export function s3Config(options: ClientOptions = {}, env: NodeJS.ProcessEnv = process.env) {
  return { ...commonConfig(options), ...(Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3) && { forcePathStyle: true }) };
}
