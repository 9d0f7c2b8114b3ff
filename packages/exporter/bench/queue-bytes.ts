// Disk bytes per row in the write-ahead queue (a section of export.bench.ts): with the sink
// stalled, 100,000 security records of the bench fixture are emitted to a processor with
// `durability: 'disk'` and a fresh spool directory, so every row stays queued once committed. The
// store's files (`sentinel-spool.sqlite` and its `-wal`) divided by the rows, next to the rows'
// own JSON (the `bytes` the store keeps with each); then the sink is released, every row is
// delivered, and the files are measured again. SQLite keeps the pages delivered rows free as free
// pages of the file (reused by later rows) until they are vacuumed: whether the file shrank is
// printed with the file's auto_vacuum mode.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describeFileSystem, fileBytes } from '../../../bench/disk.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { SentinelLogRecordProcessor } from '../dist/index.js';
import type { SentinelLogExporterOptions } from '../dist/index.js';
import type { Sink } from './support.ts';
import { delay, nextTurn, resource, securityRecord } from './support.ts';

const ROWS = 100_000;
const SLICE = 1000;
/** Records numbered apart from the other sections' (0 … 49,999). */
const BASE = 2_000_000;
const MB = 1024 * 1024;

interface Files {
  readonly db: number;
  readonly wal: number;
  readonly pages: number;
  readonly freePages: number;
  readonly pageSize: number;
  /** `PRAGMA auto_vacuum`: 0 none, 1 full, 2 incremental. */
  readonly autoVacuum: number;
  /** Entries in the store (queue and spool). */
  readonly entries: number;
  /** Sum of the rows' JSON bytes, as the store records them. */
  readonly rowBytes: number;
}

function measureFiles(path: string): Files {
  // Read-only, next to the writer (WAL mode lets it): the pragmas and a count, nothing written.
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const one = (sql: string): number => Number(Object.values(db.prepare(sql).get() ?? {})[0] ?? 0);
    return {
      db: fileBytes(path),
      wal: fileBytes(`${path}-wal`),
      pages: one('PRAGMA page_count'),
      freePages: one('PRAGMA freelist_count'),
      pageSize: one('PRAGMA page_size'),
      autoVacuum: one('PRAGMA auto_vacuum'),
      entries: one('SELECT count(*) FROM entries'),
      rowBytes: one('SELECT coalesce(sum(bytes), 0) FROM entries'),
    };
  } finally {
    db.close();
  }
}

function mib(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MiB`;
}

/** Runs the section; `ok` is false when a row was not persisted, not delivered, or left behind. */
export async function queueBytes(
  sink: Sink,
  options: Pick<SentinelLogExporterOptions, 'mapping' | 'credential' | 'clientOptions'>,
): Promise<{ results: BenchResult[]; ok: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-queue-'));
  const path = join(dir, 'sentinel-spool.sqlite');
  const sentinel = new SentinelLogRecordProcessor({
    ...options,
    spool: dir,
    durability: 'disk',
    maxQueueSize: ROWS,
  });
  const provider = new LoggerProvider({ resource, processors: [sentinel] });
  const logger = provider.getLogger('auth');
  const problems: string[] = [];
  try {
    await sink.stall();
    const before = await sink.stats();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ROWS;) {
      const end = Math.min(ROWS, i + SLICE);
      for (; i < end; i++) logger.emit(securityRecord(BASE + i));
      await nextTurn();
    }
    // Committed, not delivered: the sink holds every request.
    for (let k = 0; k < 6000 && sentinel.exporter.stats().rowsPersisted < ROWS; k++) await delay(10);
    const persistSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const queued = measureFiles(path);
    await sink.release();
    await sentinel.forceFlush({ timeoutMillis: 120_000 });
    const delivered = measureFiles(path);
    const after = await sink.stats();
    const stats = sentinel.exporter.stats();
    await provider.shutdown();
    const closed = { db: fileBytes(path), wal: fileBytes(`${path}-wal`) };

    if (stats.rowsPersisted !== ROWS) problems.push(`${stats.rowsPersisted} of ${ROWS} rows persisted`);
    if (queued.entries !== ROWS) problems.push(`${queued.entries} entries in the store while stalled`);
    if (after.rows - before.rows !== ROWS)
      problems.push(`the sink received ${after.rows - before.rows} of ${ROWS} rows`);
    if (delivered.entries !== 0) problems.push(`${delivered.entries} entries left after delivery`);

    const onDisk = queued.db + queued.wal;
    const perRow = onDisk / ROWS;
    const json = queued.rowBytes / ROWS;
    const free = (f: Files): string =>
      `${f.pages} pages of ${f.pageSize} bytes, ${f.freePages} free (${((f.freePages / Math.max(f.pages, 1)) * 100).toFixed(0)}%)`;
    console.log(
      `  write-ahead queue size: ${ROWS} rows of the bench fixture, sink stalled, durability 'disk', ` +
        describeFileSystem(dir),
    );
    console.log(
      `    queued:    sentinel-spool.sqlite ${mib(queued.db)} + -wal ${mib(queued.wal)} = ${perRow.toFixed(0)} bytes per row; ` +
        `the rows' JSON ${json.toFixed(0)} bytes per row → ${(perRow / json).toFixed(2)}×; ${free(queued)}; ` +
        `persisted at ${Math.round(ROWS / persistSeconds).toLocaleString('en-US')} rows/s (no delivery competing)`,
    );
    console.log(
      `    delivered: sentinel-spool.sqlite ${mib(delivered.db)} + -wal ${mib(delivered.wal)}, ${delivered.entries} entries; ` +
        `${free(delivered)}: ` +
        (delivered.db >= queued.db
          ? 'the file does not shrink (its free pages are kept for later rows)'
          : `the file shrank to ${((delivered.db / queued.db) * 100).toFixed(0)}%`) +
        ` (auto_vacuum ${['none', 'full', 'incremental'][delivered.autoVacuum] ?? String(delivered.autoVacuum)})`,
    );
    console.log(
      `    after shutdown: sentinel-spool.sqlite ${mib(closed.db)} + -wal ${mib(closed.wal)} (the last connection's checkpoint)`,
    );
    for (const p of problems) console.log(`    FAIL: ${p}`);
    return {
      ok: problems.length === 0,
      results: [
        { name: 'exporter.queue.row-json-bytes', value: json, unit: 'bytes/row' },
        { name: 'exporter.queue.persist-rate-stalled', value: ROWS / persistSeconds, unit: 'rows/s' },
        {
          name: 'exporter.queue.disk-bytes-per-row',
          value: perRow,
          unit: 'bytes/row',
          baseline: 'exporter.queue.row-json-bytes',
          ratio: perRow / json,
        },
        {
          name: 'exporter.queue.file-bytes-after-delivery',
          value: delivered.db + delivered.wal,
          unit: 'bytes',
          baseline: 'the files with every row queued',
          ratio: (delivered.db + delivered.wal) / onDisk,
        },
      ],
    };
  } finally {
    await provider.shutdown(); // idempotent: a no-op unless something above threw
    rmSync(dir, { recursive: true, force: true });
  }
}
