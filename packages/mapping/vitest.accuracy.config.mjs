// Runs the secret corpus's accuracy test (issue 14's recall and false-positive targets), which
// the default run leaves out until the detectors meet them:
//   pnpm exec vitest run -c vitest.accuracy.config.mjs
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.accuracy.ts'],
    testTimeout: 600_000,
  },
});
