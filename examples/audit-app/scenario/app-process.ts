// Runs the built app (dist/main.js) as its own process, the way it is deployed: with the given
// environment, on a free port, behind a "proxy" it trusts on loopback, so the scenario's
// X-Forwarded-For addresses are the clients'. `stop()` sends SIGTERM, which makes the app flush its
// security events, and returns what it printed.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
const APP_DIR = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export interface AppProcess {
  readonly baseUrl: string;
  /** Stops the app (SIGTERM) and waits until it has flushed and exited. */
  stop(): Promise<AppExit>;
  /** Kills it at once (SIGKILL), for cleanup after a failure. */
  kill(): void;
}

export interface AppExit {
  readonly code: number | null;
  /** What it printed: its operational logs, on the console. */
  readonly stdout: string;
  readonly stderr: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/** Starts the app with `env` (the Sentinel variables, the hash key, …) and waits until it answers. */
export async function startAppProcess(env: Readonly<Record<string, string>>): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    cwd: APP_DIR,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TRUST_PROXY: 'loopback',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode} at start-up: ${stderr}`);
    try {
      // Unauthenticated: a plain 401, no security event.
      await fetch(`${baseUrl}/api/invoices`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the app did not answer within ${START_TIMEOUT_MS} ms: ${stderr}`);
      }
      await sleep(50);
    }
  }

  return {
    baseUrl,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      return { code, stdout, stderr };
    },
    kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
