// Public API of the otel-sentinel CLI package, for embedding the commands and for tests.

export { createProgram } from './program.js';
export type { RunState } from './program.js';
export { run } from './run.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export { CliError } from './errors.js';
