import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Property tests run thousands of cases; on a shared, busy machine they need room (a hang
    // guard, not a speed check).
    testTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
