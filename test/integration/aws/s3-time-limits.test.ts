/**
 * S3 requests have time limits (src/aws/client-config.ts): against a server that takes the
 * connection and then never answers, the store's HEAD and upload end with a TimeoutError after
 * the SDK's retries, instead of holding the step until the job's own timeout. The limits are the
 * action's own (s3Config); only the socket limit is shortened here, through its option.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CONNECTION_TIMEOUT_MS, S3_SOCKET_TIMEOUT_MS, s3Config } from '../../../src/aws/client-config.js';
import { S3ArtifactStore } from '../../../src/aws/s3-store.js';

let silent: Server;
let endpoint: string;
let dir: string;
const sockets = new Set<Socket>();
let connections = 0;

beforeAll(async () => {
  // Takes every connection, reads what comes, never writes a byte back.
  silent = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
  dir = mkdtempSync(join(tmpdir(), 's3-time-limits-'));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((done) => silent.close(() => done()));
  rmSync(dir, { recursive: true, force: true });
});

function storeWithLimit(socketTimeoutMs: number): { store: S3ArtifactStore; client: S3Client } {
  const client = new S3Client({
    ...s3Config({ pathStyleS3: true, region: 'us-east-1', s3SocketTimeoutMs: socketTimeoutMs }),
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  return { store: new S3ArtifactStore(client), client };
}

describe('S3 time limits', () => {
  it('the action sets a connection limit on every client and an idle-socket limit on S3', () => {
    expect(s3Config().requestHandler).toEqual({ connectionTimeout: CONNECTION_TIMEOUT_MS, socketTimeout: S3_SOCKET_TIMEOUT_MS });
    expect(Number.isFinite(CONNECTION_TIMEOUT_MS) && CONNECTION_TIMEOUT_MS > 0).toBe(true);
    expect(Number.isFinite(S3_SOCKET_TIMEOUT_MS) && S3_SOCKET_TIMEOUT_MS > 0).toBe(true);
  });

  it('a HEAD that never gets an answer ends with a TimeoutError, tried again first', async () => {
    const { store, client } = storeWithLimit(300);
    const before = connections;
    const started = performance.now();
    try {
      const error = await store.exists('stage-deploy-artifacts', 'release.zip').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('TimeoutError');
      expect((error as Error).message).toMatch(/timed out after 300 ?ms/i);
    } finally {
      client.destroy();
    }
    // The SDK's standard retry sent it again on fresh connections (5 attempts in all).
    expect(connections - before).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(25_000);
  }, 30_000);

  it('an upload whose server stops answering fails instead of waiting for ever', async () => {
    const { store, client } = storeWithLimit(300);
    const file = join(dir, 'release.zip');
    writeFileSync(file, Buffer.alloc(64 * 1024, 1));
    try {
      const error = await store.upload('stage-deploy-artifacts', 'release.zip', file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('TimeoutError');
    } finally {
      client.destroy();
    }
  }, 30_000);
});
