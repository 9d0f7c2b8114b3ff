import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang guard, not a speed check: test/README.md ("Time-outs") sizes it from the slowest
    // test measured alone, a million-record flood and the disk durability tests (up to 6 s at load 3).
    testTimeout: 120_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
