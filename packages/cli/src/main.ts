// The command itself, loaded by bin.ts once the Node version is known to be new enough. Sets the
// exit code and lets Node exit once output has drained.

import { run } from './run.js';

// A reader that went away (`| head`) is not an error worth a message.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));
