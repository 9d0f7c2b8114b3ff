import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Sign-ins run scrypt and one test spawns the CLI; give a slow shared machine room.
    testTimeout: 30_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
