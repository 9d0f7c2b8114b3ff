import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary, some several times, each spawn bounded by runCli's own
    // time-out. A hang guard, not a speed check, sized as test/README.md ("Time-outs") says: the
    // slowest, check's transform tests (two spawns that load the KQL analyzer), took 25 s at load 10.
    testTimeout: 300_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
