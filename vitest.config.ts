// Test runner: unit tests next to code, integration tests under test/; one migrated database snapshot per run.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Every API answer a test provokes is checked against the API document (src/api/contract-check.ts);
    // child processes (a served CLI) inherit it.
    env: { ATTACHE_CHECK_RESPONSES: 'true' },
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves one core to itself by default: on a 2-core machine that is one file at a time,
    // though most files wait on databases and child processes. Two keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Files in one worker share its loaded modules (each still gets its own database): importing
    // the whole application again for each of 56 files cost more than any test.
    isolate: false,
  },
});
