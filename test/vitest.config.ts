import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    // A hang guard, not a speed check (README.md, "Time-outs"): the slowest measured, the connector's
    // solution folder on the emulator, took 6.6 s alone at load 10.
    testTimeout: 120_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
  },
});
