import { defineConfig } from 'vitest/config';

import RingByRingLongestFirst from './test/sequencer.js';

// Three rings, runnable apart: `vitest run --project unit` needs nothing but node; the
// integration and end-to-end rings need moto_server, which their global setup checks up front.
const needsMoto = ['test/global-setup.ts'];

// The AWS SDK warns once per process that Node 20 support ends (January 2027). The tests run it
// in-process on whatever Node runs vitest: Node 24 under `npm test` (scripts/test.mjs), the Node
// that runs npm under `npm run test:unit`. This turns off that one warning (the SDK's own switch);
// every other warning still shows.
const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The end-to-end files mostly wait (on moto, on the action's smoke tests and canary steps):
    // four at a time keep two cores busy without starving them (npm test: see README).
    maxWorkers: 4,
    // A worker keeps the modules it has loaded (the AWS SDK, the harness) from one test file to
    // the next instead of importing them again for each. Test files share no state through
    // them: each builds its own servers and clients (moto: one leased per file, see
    // test/harness/moto-pool.mjs), and no test mocks a module (vi.mock would leak across files).
    isolate: false,
    // Ring by ring, the longest files first (test/sequencer.ts).
    sequence: { sequencer: RingByRingLongestFirst },
    env,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: needsMoto } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: [...needsMoto, 'test/global-setup-node24.ts'] } },
    ],
  },
});
