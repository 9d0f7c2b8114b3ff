import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A hang guard, not a speed check: the first parse loads Microsoft's 5 MB Kusto scripts and the
    // first analysis builds its global state (about 1 s each on a busy 2-core machine).
    testTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
