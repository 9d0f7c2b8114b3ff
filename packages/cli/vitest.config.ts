import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests spawn the built binary; give a slow shared machine room.
    testTimeout: 30_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
