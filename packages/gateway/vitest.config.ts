import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang guard, not a speed check: test/README.md ("Time-outs") sizes it from the slowest
    // test measured alone, the decoders' 100 000-deep nesting (1.5 s at load 2, 4.5 s at load 8).
    testTimeout: 120_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
