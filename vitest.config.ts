import { defineConfig } from 'vitest/config';

// Two projects: "node" is everything `npm test` runs; "browser" drives Debian's Chromium through
// playwright-core and runs in CI after it (see .ci/run).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['{engine,sdk,examples,bitcraft-lite,loadtest,test}/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/browser/**', 'loadtest/results/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
