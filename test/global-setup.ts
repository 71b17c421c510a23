// vitest global setup of the integration and end-to-end rings: they need moto_server. Fail early
// and say how to install it, rather than letting every test time out. Then one pool of moto
// servers for the run (harness/moto-pool.mjs): each test file leases a server of its own, reset
// when handed back, instead of starting Python for every file.
import { startMotoPool } from './harness/moto-pool.mjs';
import { assertMotoInstalled, spawnMoto } from './harness/moto.mjs';

export default async function setup(): Promise<() => Promise<void>> {
  assertMotoInstalled();
  if (process.env.STAGE_DEPLOY_MOTO_POOL) return async () => undefined;
  const pool = await startMotoPool(spawnMoto);
  process.env.STAGE_DEPLOY_MOTO_POOL = pool.url;
  return async () => {
    delete process.env.STAGE_DEPLOY_MOTO_POOL;
    await pool.close();
  };
}
