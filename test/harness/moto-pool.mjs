// A pool of moto servers for one `vitest run`, so that test files do not each pay for starting
// Python and importing moto (about 0.6 s of CPU and 1–2 s of waiting per server).
//
// Every test file still gets a moto of its own: startMoto() leases one from the pool (a server
// nobody else holds), and its stop() hands it back, where it is reset (moto's own
// POST /moto-api/reset: every service's state, every account) before anyone gets it again. A
// server is only shared over time, never by two files at once, and never with state left over.
// Servers are kept apart by their moto settings (`env`, e.g. MOTO_LAMBDA_STUB_ECR): a file that
// asks for other settings gets a server started with them.
//
// The pool lives in vitest's main process (test/global-setup.ts) and speaks a tiny HTTP protocol
// on 127.0.0.1; workers find it through STAGE_DEPLOY_MOTO_POOL. Without that variable (the demo,
// the bench, a single file run outside vitest) startMoto() starts a server of its own as before.
import { createServer } from 'node:http';

/** Keys of moto settings → idle servers, reset and ready. */
const idle = new Map();
const all = new Set();

function keyOf(env) {
  return JSON.stringify(Object.keys(env).sort().map((name) => [name, env[name]]));
}

/**
 * Start the pool. `spawnMoto(env)` starts one server: { endpoint, stop }.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startMotoPool(spawnMoto) {
  const leased = new Map();
  let next = 1;

  async function lease(env) {
    const key = keyOf(env);
    const spare = idle.get(key)?.pop();
    const server = spare ?? (await spawnMoto(env));
    all.add(server);
    const id = String(next++);
    leased.set(id, { key, server });
    return { id, endpoint: server.endpoint, port: server.port };
  }

  async function giveBack(id) {
    const entry = leased.get(id);
    if (entry === undefined) return;
    leased.delete(id);
    try {
      const reset = await fetch(`${entry.server.endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      await reset.arrayBuffer();
      if (!reset.ok) throw new Error(`reset answered ${reset.status}`);
    } catch {
      // A server that cannot be reset is not handed out again.
      all.delete(entry.server);
      await entry.server.stop();
      return;
    }
    const list = idle.get(entry.key) ?? [];
    list.push(entry.server);
    idle.set(entry.key, list);
  }

  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const answer = (status, value) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const input = body === '' ? {} : JSON.parse(body);
      const work = request.url === '/lease' ? lease(input.env ?? {}) : request.url === '/return' ? giveBack(String(input.id)).then(() => ({})) : undefined;
      if (work === undefined) return answer(404, { message: 'no such route' });
      work.then(
        (value) => answer(200, value),
        (error) => answer(500, { message: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise((resolve) => server.close(() => resolve()));
      await Promise.all([...all].map((s) => s.stop()));
      all.clear();
      idle.clear();
    },
  };
}

/** Lease a moto from the pool at `poolUrl`: { endpoint, port, stop } where stop() hands it back. */
export async function leaseMoto(poolUrl, env) {
  const response = await fetch(`${poolUrl}/lease`, { method: 'POST', body: JSON.stringify({ env }), signal: AbortSignal.timeout(60_000) });
  const value = await response.json();
  if (!response.ok) throw new Error(`moto pool: ${value.message}`);
  let returned = false;
  return {
    endpoint: value.endpoint,
    port: value.port,
    stop: async () => {
      if (returned) return;
      returned = true;
      const back = await fetch(`${poolUrl}/return`, { method: 'POST', body: JSON.stringify({ id: value.id }), signal: AbortSignal.timeout(30_000) });
      await back.arrayBuffer();
    },
  };
}
