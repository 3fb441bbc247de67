import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 60000,
    // the json report lets .ci/run print a one-line summary
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});
