// What the store's tests share: targets and rows, private temporary directories, stores that are
// closed after each test, and child processes that use a store and end as the test decides.

import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from '@otel-sentinel/mapping';
import { afterEach } from 'vitest';
import type { StreamTarget } from '../../src/row-batch.ts';
import { SqliteDeliveryStore } from '../../src/store/sqlite-delivery-store.ts';
import type { DeliveryStoreOptions } from '../../src/store/store-options.ts';

export const TARGET: StreamTarget = {
  endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
  stream: 'Custom-AppSecurityEvents',
  table: 'AppSecurityEvents_CL',
};

export const CHILD = fileURLToPath(new URL('../fixtures/store-child.ts', import.meta.url));

/** Node binaries the cross-process tests run children on: this one, and Node 22 when CI gives it. */
export const NODES: readonly string[] = [
  process.execPath,
  ...(process.env['OTEL_SENTINEL_NODE22_BIN'] ? [process.env['OTEL_SENTINEL_NODE22_BIN']] : []),
];

export function rowsOf(count: number, from = 0, pad = 0): Row[] {
  return Array.from({ length: count }, (_, i) => ({ Seq: from + i, Pad: 'x'.repeat(pad) }));
}

const made: string[] = [];
const opened: SqliteDeliveryStore[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-store-'));
  made.push(dir);
  return dir;
}

/** A store closed (not ended) after the test, unless the test closed it. */
export function storeFor(options: DeliveryStoreOptions): SqliteDeliveryStore {
  const store = new SqliteDeliveryStore(options);
  opened.push(store);
  return store;
}

export async function openStore(options: DeliveryStoreOptions): Promise<SqliteDeliveryStore> {
  const store = storeFor(options);
  await store.open();
  return store;
}

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Lines printed so far. */
  readonly lines: string[];
  /** Resolves with the first line matching `pattern`. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves when the process has ended. */
  readonly ended: Promise<void>;
}

/** Runs test/fixtures/store-child.ts with `args` on `node`. */
export function startChild(
  args: readonly string[],
  node = process.execPath,
  wrap: readonly string[] = [],
): Child {
  const [command = node, ...rest] = [...wrap, node, CHILD, ...args];
  const child = spawn(command, rest, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((x) => x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<void>((resolve) =>
    child.once('close', () => {
      resolve();
    }),
  );
  return {
    process: child,
    lines,
    ended,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const found = lines.find((l) => pattern.test(l));
        if (found !== undefined) {
          resolve(found);
          return;
        }
        waiters.push({ pattern, resolve });
        void ended.then(() => {
          reject(new Error(`child ended without printing ${pattern}: ${stderr}`));
        });
      }),
  };
}

/** SIGKILL, as the OOM killer or `kill -9` does, and wait for the process to be gone. */
export async function kill(child: Child): Promise<void> {
  child.process.kill('SIGKILL');
  await child.ended;
}
