/**
 * The bundle's entry (dist/index.js), run by the runner for the main step and again for the post
 * step: Node's compile cache first (./action/compile-cache.ts), then the action, a chunk of its own
 * in dist/ so that the cache covers it.
 */
import { enableCompileCache } from './action/compile-cache.js';

enableCompileCache();
const { run } = await import('./action/main.js');
void run();
