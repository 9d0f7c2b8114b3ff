import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 60_000,
    // Hooks start servers and emulators: slow on a loaded 2-core machine, never a measure of speed.
    hookTimeout: 60_000,
  },
});
