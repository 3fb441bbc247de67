import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 60000,
    globalSetup: ['test/global-setup.ts'],
    // the json report lets .ci/run print a one-line summary
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
