import { defineConfig } from 'vitest/config';

// Three rings, runnable apart: `vitest run --project unit` needs nothing but node; the
// integration and end-to-end rings need moto_server, which their global setup checks up front.
const needsMoto = ['test/global-setup.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: needsMoto } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: needsMoto } },
    ],
  },
});
