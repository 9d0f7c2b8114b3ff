// Runs the BUILT binary as a child without blocking this process: for tests whose process serves
// the emulator the CLI talks to (a synchronous spawn would keep it from answering).

import { spawn } from 'node:child_process';
import { BIN } from './run-cli.js';
import type { CliResult } from './run-cli.js';

/** Runs `otel-sentinel <args>` in `cwd` with PATH, HOME=cwd and `env` only; killed after 60 s. */
export function runCliAsync(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
