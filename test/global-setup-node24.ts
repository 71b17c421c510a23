// vitest global setup of the end-to-end ring: dist/ runs on Node 24, the runtime action.yml
// declares (runs.using: node24). Fetched from the npm registry once (scripts/node24.mjs).
import { ensureNode24 } from '../scripts/node24.mjs';

export default function setup(): void {
  ensureNode24();
}
