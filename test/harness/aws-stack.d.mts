import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsProxy } from './aws-proxy.mjs';
import type { startMoto } from './moto.mjs';

export interface AwsStack {
  moto: Awaited<ReturnType<typeof startMoto>>;
  proxy: AwsProxy;
  /** A temp directory with a build/ folder. */
  workspace: string;
  /** A Lambda client on moto itself (not the proxy). */
  lambda: LambdaClient;
  /** What the test file starts besides (endpoints, servers): stopped first by `stop()`. */
  stops: (() => Promise<void>)[];
  stop(): Promise<void>;
}

export function startAwsStack(prefix: string, options?: { keepLoggingConfig?: boolean; images?: boolean }): Promise<AwsStack>;
