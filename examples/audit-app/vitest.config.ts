import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Sign-ins run scrypt and one test spawns the CLI; give a slow shared machine room.
    testTimeout: 30_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
