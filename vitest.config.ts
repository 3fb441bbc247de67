import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Two projects: 'unit' (no browser, no build of the page: npm run test:unit) and 'e2e' (the
// course's lessons end to end, the built package in browsers, the demo page, the packed tarball).
// npm test runs both.
export default defineConfig({
  test: {
    testTimeout: 120000,
    hookTimeout: 60000,
    // the json report lets .ci/run print a one-line summary
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        // the page's modules import the package by name: in unit tests, the source the tests use
        resolve: { alias: { 'dl-fundamentals': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
        // one module graph per worker (not per file): the op files share their backends' worker pools
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          isolate: false,
          maxWorkers: '100%',
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          // after the unit tests, so that the browser's timing tests have the machine to themselves
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
