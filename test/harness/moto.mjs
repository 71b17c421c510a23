// Starts a real moto_server on 127.0.0.1 on a free port, for one test file (or the demo).
// Plain JavaScript so that scripts/demo.mjs and the bench can use it without a compiler.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

import { leaseMoto } from './moto-pool.mjs';

export const MOTO_INSTALL_HINT =
  'moto_server is not on PATH. Install it with: pip install "moto[server]>=5" (it provides the moto_server command).';

let installed = false;

/**
 * Throws with an install hint when no moto_server is on PATH. A lookup, not a run: running
 * `moto_server --help` imports all of moto (about 0.7 s of CPU) and, called from the pool in
 * vitest's main process, held up everything else there while it ran. A moto_server that is found
 * but cannot start is reported by spawnMoto, with what it printed.
 */
export function assertMotoInstalled() {
  if (installed) return;
  const names = process.platform === 'win32' ? ['moto_server.exe', 'moto_server.cmd'] : ['moto_server'];
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const name of dir === '' ? [] : names) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        installed = true;
        return;
      } catch {
        // Not here.
      }
    }
  }
  throw new Error(MOTO_INSTALL_HINT);
}

/**
 * Start moto_server; resolves once it answers HTTP. `env`: moto's own settings, e.g.
 * `{ MOTO_LAMBDA_STUB_ECR: 'false' }` so that Lambda resolves an image URI in moto's ECR (the
 * image's digest becomes CodeSha256) instead of hashing the URI text.
 * @returns {Promise<{ endpoint: string, port: number, stop: () => Promise<void> }>}
 */
export async function startMoto({ env = {} } = {}) {
  // Under vitest, a server of the run's pool, reset, held by this file alone (moto-pool.mjs).
  const pool = process.env.STAGE_DEPLOY_MOTO_POOL;
  if (pool) return leaseMoto(pool, env);
  return spawnMoto(env);
}

/**
 * Start a moto_server process of its own (see startMoto). It binds a port the system picks
 * (`-p 0`) and says which on stderr: no port is chosen here and left free for a moment, where
 * another server (a test's endpoint, a second moto) could take it and answer in moto's place.
 */
export async function spawnMoto(env = {}) {
  assertMotoInstalled();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true', ...env },
  });
  let stderr = '';
  let port;
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
    port ??= /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr)?.[1];
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    if (port !== undefined) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/moto-api/`, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        // Not answering yet.
      }
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      const why = port === undefined ? 'did not say which port it took' : `did not answer on port ${port}`;
      throw new Error(`moto_server ${why} within 30s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    port: Number(port),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** Environment that points the AWS SDK (and CLI) at moto with dummy credentials. */
export function awsEnv(endpoint, region = 'us-east-1') {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

/** Point this process's AWS SDK at `endpoint` (see awsEnv); returns a function that restores the environment. */
export function useAwsEnv(endpoint, region) {
  return useEnv(awsEnv(endpoint, region));
}

/** Set environment variables of this process; returns a function that puts back what was there. */
export function useEnv(variables) {
  const saved = new Map();
  for (const [name, value] of Object.entries(variables)) {
    saved.set(name, process.env[name]);
    process.env[name] = value;
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Destroy every SDK client of a set (createClients' result); undefined is fine. */
export function destroyClients(clients) {
  for (const client of Object.values(clients ?? {})) client.destroy();
}
