import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run thousands of cases; on a shared, busy machine they need room (a hang
    // guard, not a speed check).
    testTimeout: 60_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
