// Runs the program once: parses `argv`, runs the command, and turns any error into one line on
// stderr (a stack trace only with --debug). Resolves to the exit code; never throws.

import { CommanderError } from 'commander';
import { formatError } from './errors.js';
import type { CliIo } from './io.js';
import { processIo } from './io.js';
import { nodeAtLeast, nodeTooOldMessage } from './node-version.js';
import { write } from './output.js';
import { createProgram } from './program.js';
import type { RunState } from './program.js';

/** `argv` without the node and script paths, e.g. `['validate', 'mapping.yaml']`. */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // bin.ts checks before loading anything; this is for programs that embed run() on an old Node.
  if (!nodeAtLeast(process.versions.node)) {
    await write(io.stderr, `${nodeTooOldMessage(process.versions.node)}\n`).catch(() => undefined);
    return 1;
  }
  const state: RunState = { exitCode: 0 };
  const end = argv.indexOf('--');
  const debug = (end === -1 ? argv : argv.slice(0, end)).includes('--debug');
  try {
    await createProgram(io, state).parseAsync(argv, { from: 'user' });
    return state.exitCode;
  } catch (error) {
    // Commander has already printed its own message (or the help / version).
    if (error instanceof CommanderError) return error.exitCode;
    await write(io.stderr, formatError(error, debug)).catch(() => undefined);
    return error instanceof Error && 'exitCode' in error && typeof error.exitCode === 'number'
      ? error.exitCode
      : 1;
  }
}
