// The store against the JSON-lines files it replaced, in alternating rounds measured in one run:
// - durable appends, rows/s: calls of 50 rows (~1 KB each), every call acknowledged only once it
//   is on disk (fsync). The store: `enqueue` in `disk` durability (one transaction, group commit
//   across concurrent calls). JSON lines: what the Spool did per write, made durable: one
//   appendFile of the entries' lines and one fsync, calls one after another on one file.
//   One writer (no grouping possible) and 8 concurrent writers; target ≥ 0.5 of JSON lines.
// - the queue's whole cycle, rows/s: 8 writers, each call enqueued and then removed (delivered),
//   as a pipeline does; informational, next to the appends alone.
// - disk bytes per row once written (store: after close, so the WAL is checkpointed away).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventName, securityAttributes, securityBody, T0 } from '../../../bench/fixtures.ts';
import { median, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { serializeSpoolEntry } from '../dist/spool/spool-entry.js';
import { SqliteDeliveryStore } from '../dist/store/sqlite-delivery-store.js';

const ROWS_PER_CALL = 50;
const ROWS_PER_ROUND = 10_000;
const ROUNDS = 7;
const SIZE_ROWS = 20_000;
const TARGET = {
  endpoint: 'https://dce-bench.westeurope-1.ingest.monitor.azure.com',
  dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
  stream: 'Custom-AppSecurityEvents',
  table: 'AppSecurityEvents_CL',
};

type Row = Record<string, unknown>;

/** The i-th security event as the mapping makes it a row: about 1 KB of JSON. */
function row(i: number): Row {
  const a = securityAttributes(i);
  return {
    TimeGenerated: new Date(T0 + i).toISOString(),
    EventName: eventName(i),
    UserId: a['user.id'],
    SourceIp: a['client.address'],
    UserAgent: a['user_agent.original'],
    UrlPath: a['url.path'],
    HttpMethod: a['http.request.method'],
    StatusCode: a['http.response.status_code'],
    AuthMethod: a['auth.method'],
    Sequence: i,
    Message: securityBody(i),
    Service: 'checkout-api',
  };
}

const calls: Row[][] = Array.from({ length: ROWS_PER_ROUND / ROWS_PER_CALL }, (_, c) =>
  Array.from({ length: ROWS_PER_CALL }, (_, k) => row(c * ROWS_PER_CALL + k)),
);
const root = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-store-'));

/** JSON lines as the Spool wrote them, each call made durable before it is acknowledged. */
class JsonLines {
  readonly #handle: FileHandle;
  #chain: Promise<unknown> = Promise.resolve();
  private constructor(handle: FileHandle) {
    this.#handle = handle;
  }
  static async open(path: string): Promise<JsonLines> {
    return new JsonLines(await open(path, 'a', 0o600));
  }
  append(rows: readonly Row[]): Promise<void> {
    // Serialised at the call, as the Spool did; written and fsynced one call after another.
    const time = new Date().toISOString();
    const text = rows
      .map((r) => serializeSpoolEntry({ time, ...TARGET, reason: 'retries-exhausted', row: r }) + '\n')
      .join('');
    const run = this.#chain.then(async () => {
      await this.#handle.appendFile(text, 'utf8');
      await this.#handle.sync();
    });
    this.#chain = run;
    return run;
  }
  close(): Promise<void> {
    return this.#handle.close();
  }
}

async function writers(count: number, call: (rows: readonly Row[]) => Promise<unknown>): Promise<void> {
  let next = 0;
  const writer = async (): Promise<void> => {
    for (let c = calls[next++]; c !== undefined; c = calls[next++]) await call(c);
  };
  await Promise.all(Array.from({ length: count }, writer));
}

const store = new SqliteDeliveryStore({ directory: join(root, 'store'), durability: 'disk' });
await store.open();
const lines = await JsonLines.open(join(root, 'spool.jsonl'));
const ids: number[] = [];
const enqueue = async (rows: readonly Row[]): Promise<void> => {
  const r = await store.enqueue(TARGET, rows);
  if (!r.ok) throw r.error;
  ids.push(...r.ids);
};

/** Enqueued, then removed as delivered: the queue's cost per row from start to end. */
const cycle = async (rows: readonly Row[]): Promise<void> => {
  const r = await store.enqueue(TARGET, rows);
  if (!r.ok) throw r.error;
  await store.remove(r.ids);
};

const cases = [
  { name: 'sqlite.1-writer', run: () => writers(1, enqueue) },
  { name: 'jsonl.1-writer', run: () => writers(1, (r) => lines.append(r)) },
  { name: 'sqlite.8-writers', run: () => writers(8, enqueue) },
  { name: 'jsonl.8-writers', run: () => writers(8, (r) => lines.append(r)) },
  { name: 'sqlite.8-writers.cycle', run: () => writers(8, cycle) },
] as const;
const rates = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (let r = -1; r < ROUNDS; r++) {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[(i + Math.max(r, 0)) % cases.length] ?? cases[0];
    const t0 = process.hrtime.bigint();
    await c.run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r >= 0) rates.get(c.name)?.push(ROWS_PER_ROUND / seconds); // round -1 is the warm-up
    // Delivered, as a pipeline would: the queue stays the size of one round (not timed).
    if (ids.length > 0) await store.remove(ids.splice(0));
  }
}
const commits = store.stats().commits;
await store.close({ ended: true });
await lines.close();

/** Bytes on disk per row for SIZE_ROWS rows, written in calls of 500. */
async function storeBytesPerRow(): Promise<number> {
  const directory = join(root, 'size-store');
  const s = new SqliteDeliveryStore({ directory, durability: 'disk' });
  await s.open();
  for (let i = 0; i < SIZE_ROWS; i += 500) {
    await s.enqueue(
      TARGET,
      Array.from({ length: 500 }, (_, k) => row(i + k)),
    );
  }
  await s.close({ ended: true });
  return statSync(join(directory, 'sentinel-spool.sqlite')).size / SIZE_ROWS;
}

async function jsonlBytesPerRow(): Promise<number> {
  const path = join(root, 'size.jsonl');
  const l = await JsonLines.open(path);
  for (let i = 0; i < SIZE_ROWS; i += 500) await l.append(Array.from({ length: 500 }, (_, k) => row(i + k)));
  await l.close();
  return statSync(path).size / SIZE_ROWS;
}

const sqliteBytes = await storeBytesPerRow();
const jsonlBytes = await jsonlBytesPerRow();
rmSync(root, { recursive: true, force: true });

const rate = (name: string): number => median(rates.get(name) ?? [0]);
console.log(
  `store vs JSON lines: durable appends of ${ROWS_PER_CALL}-row calls (~1 KB rows), ${ROWS_PER_ROUND} rows a round, ` +
    `median of ${ROUNDS} alternating rounds, Node ${process.version}; ${commits} store commits in all`,
);
const results: BenchResult[] = [
  { name: 'exporter.store.append.jsonl.1-writer', value: rate('jsonl.1-writer'), unit: 'rows/s' },
  {
    name: 'exporter.store.append.sqlite.1-writer',
    value: rate('sqlite.1-writer'),
    unit: 'rows/s',
    baseline: 'exporter.store.append.jsonl.1-writer',
    ratio: rate('sqlite.1-writer') / rate('jsonl.1-writer'),
    target: 0.5,
  },
  { name: 'exporter.store.append.jsonl.8-writers', value: rate('jsonl.8-writers'), unit: 'rows/s' },
  {
    name: 'exporter.store.append.sqlite.8-writers',
    value: rate('sqlite.8-writers'),
    unit: 'rows/s',
    baseline: 'exporter.store.append.jsonl.8-writers',
    ratio: rate('sqlite.8-writers') / rate('jsonl.8-writers'),
    target: 0.5,
  },
  {
    name: 'exporter.store.cycle.sqlite.8-writers',
    value: rate('sqlite.8-writers.cycle'),
    unit: 'rows/s',
    baseline: 'exporter.store.append.sqlite.8-writers',
    ratio: rate('sqlite.8-writers.cycle') / rate('sqlite.8-writers'),
  },
  { name: 'exporter.store.bytes-per-row.jsonl', value: jsonlBytes, unit: 'bytes' },
  {
    name: 'exporter.store.bytes-per-row.sqlite',
    value: sqliteBytes,
    unit: 'bytes',
    baseline: 'exporter.store.bytes-per-row.jsonl',
    ratio: sqliteBytes / jsonlBytes,
  },
];
report(results, new URL('../.bench/store.json', import.meta.url));
