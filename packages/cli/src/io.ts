// The process surface a command touches, injected so the program can run against real streams
// (the binary) or in-memory ones (embedding, tests).

import type { Readable, Writable } from 'node:stream';

export interface CliIo {
  /** Rows, summaries, generated YAML. */
  readonly stdout: Writable & { readonly isTTY?: boolean };
  /** Problems, warnings, counts, rejects when no `--rejects` file is given. */
  readonly stderr: Writable & { readonly isTTY?: boolean };
  /** OTLP/JSON for `map --input -`. */
  readonly stdin: Readable & { readonly isTTY?: boolean };
  /** The process environment; `--env-file` values are added to it, never written back. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved against. */
  readonly cwd: string;
}

/** The real process. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}
