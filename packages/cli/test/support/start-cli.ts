// Starts the BUILT binary as a long-running child (the emulator, the gateway) and waits until it
// prints a line saying it is up; the test then stops it with a signal.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN } from './run-cli.js';

export interface StartOptions {
  /** Text on stdout or stderr that says the command is up. */
  readonly until: string;
  /** The variables the child gets, and nothing else. */
  readonly env: Record<string, string>;
  /** The Node binary to run it on. Default: the one running the tests. */
  readonly node?: string;
}

export interface Started {
  readonly child: ChildProcessWithoutNullStreams;
  /** Standard output up to the `until` text. */
  readonly out: string;
  /** Standard error so far. */
  readonly err: () => string;
}

export async function startCli(args: readonly string[], options: StartOptions): Promise<Started> {
  const child = spawn(options.node ?? process.execPath, [BIN, ...args], { env: options.env });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`"${options.until}" not printed in 30 s: ${out}${err}`));
    }, 30_000);
    const seen = (): void => {
      if (!(out + err).includes(options.until)) return;
      clearTimeout(timer);
      resolve();
    };
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      seen();
    });
    child.stderr.on('data', (chunk: string) => {
      err += chunk;
      seen();
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited early: ${out}${err}`));
    });
  });
  return { child, out, err: () => err };
}

/** Sends `signal` and resolves to the exit code once stdout and stderr are drained. */
export async function stopCli(started: Started, signal: NodeJS.Signals): Promise<number | null> {
  const closed = new Promise<number | null>((resolve) => started.child.on('close', resolve));
  started.child.kill(signal);
  return closed;
}
