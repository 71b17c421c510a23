/**
 * One integration test file's AWS: a fresh moto_server with the recording proxy in front, the
 * SDK's environment pointed at the proxy (as in the demo and the end-to-end tests), the four
 * clients, and a temporary directory; every behaviour of the proxy is switched off and its record
 * emptied before each test. Registers the vitest hooks itself: call it once at the top of a file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';

import { createClients, type AwsClients } from './aws-clients.js';
import { startProxy, type AwsProxy } from './aws-proxy.mjs';
import { destroyClients, startMoto, useAwsEnv } from './moto.mjs';

export interface ProxiedMoto {
  moto: Awaited<ReturnType<typeof startMoto>>;
  proxy: AwsProxy;
  /** Clients on the proxy (through AWS_ENDPOINT_URL). */
  clients: AwsClients;
  /** A temporary directory, removed after the file. */
  tmp: string;
}

export function useProxiedMoto(prefix: string): ProxiedMoto {
  const aws = {} as ProxiedMoto;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    aws.moto = await startMoto();
    aws.proxy = await startProxy({ target: aws.moto.endpoint });
    restoreEnv = useAwsEnv(aws.proxy.endpoint);
    aws.clients = createClients({});
    aws.tmp = mkdtempSync(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (aws.clients) destroyClients(aws.clients);
    await aws.proxy?.stop();
    await aws.moto?.stop();
    restoreEnv?.();
    if (aws.tmp) rmSync(aws.tmp, { recursive: true, force: true });
  });
  beforeEach(() => {
    aws.proxy.clearBehaviours();
    aws.proxy.reset();
  });
  return aws;
}
