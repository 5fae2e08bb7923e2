import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // two files at a time on 2 cores: much of each test waits on spawned processes and workers
    maxWorkers: 2,
  },
});
