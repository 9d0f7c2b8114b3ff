import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang guard, not a speed check: test/README.md ("Time-outs") sizes it from the slowest
    // test measured alone, the hygiene property (2.2 s at load 2, 2.7 s at load 8).
    testTimeout: 120_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
