// Export throughput to a loopback HTTPS sink that reads, gunzips and answers 204, in alternating
// rounds measured in one run:
// - floor: the rows our mapping produces, pre-built, uploaded with `LogsIngestionClient.upload`
//   directly in batches as large as ours, as many at once as the processor sends;
// - ours: security records emitted through a LoggerProvider with the SentinelLogRecordProcessor,
//   then forceFlush — mapping, serialisation, gzip and upload end to end; target ≥ 0.5 of floor;
// - one request per event, as hand-written samples do: `upload(dcr, stream, [row])` in turn;
// - the SDK's own share of ours: the same records emitted to a LoggerProvider whose only
//   processor counts them (informational: ours without it, next to the floor);
// - ours with `durability: 'disk'`: the same records, each row committed to the write-ahead queue
//   (SQLite, fsync per group commit, a fresh spool directory under os.tmpdir()) before it is
//   batched, and removed from it once delivered; target ≥ 0.7 of ours (memory, the default).
//   Checked: every row persisted, delivered, and none left in the queue.
// Also the requests per 10,000 events and the mean uncompressed request size of ours under
// sustained load (target ≥ 900 KB, i.e. ≥ 0.9 of the client's 1,000,000-byte request).
// Last, disk bytes per row in the write-ahead queue (queue-bytes.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '@opentelemetry/api-logs';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describeFileSystem } from '../../../bench/disk.ts';
import { report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { readSpool, SentinelLogRecordProcessor } from '../dist/index.js';
import { queueBytes } from './queue-bytes.ts';
import type { SinkStats } from './support.ts';
import {
  securityMapping,
  DCR,
  median,
  nextTurn,
  resource,
  securityRecord,
  startSink,
  StaticCredential,
  STREAM,
} from './support.ts';

/** Records per round of ours and the floor: ~48 MB of rows, enough for sustained batching. */
const N = 50_000;
/** Records emitted between turns of the event loop (the processor drains on the next turn). */
const SLICE = 1000;
/** Rows per round of one request per event. */
const PER_EVENT = 1000;
/** Five, not seven: the disk case (about a third of the memory rate) keeps the run near a minute and a half. */
const ROUNDS = 5;
/** The processor's defaults, mirrored by the floor. */
const MAX_BATCH_BYTES = 950_000;
const MAX_BATCH_ROWS = 5000;
const CONCURRENT_BATCHES = 4;
const REQUEST_CONCURRENCY = 2;
const REQUEST_LIMIT = 1_000_000;

type Row = Record<string, unknown>;

const sink = await startSink();
const credential = new StaticCredential();
const mapping = securityMapping(sink.endpoint);
const sentinel = new SentinelLogRecordProcessor({
  mapping,
  credential,
  spool: false,
  // A round is held at most once; nothing may overflow into the (absent) spool.
  maxQueueSize: N,
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
const provider = new LoggerProvider({ resource, processors: [sentinel] });
const logger = provider.getLogger('auth');
const spoolDir = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-wal-'));
const sentinelDisk = new SentinelLogRecordProcessor({
  mapping,
  credential,
  spool: spoolDir,
  durability: 'disk',
  maxQueueSize: N,
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
const diskProvider = new LoggerProvider({ resource, processors: [sentinelDisk] });
const diskLogger = diskProvider.getLogger('auth');
const inputs: LogRecord[] = Array.from({ length: N }, (_, i) => securityRecord(i));

/** Maps every record as the processor would, to pre-build the floor's rows. */
class RowCapture implements LogRecordProcessor {
  readonly rows: Row[] = [];
  onEmit(record: ReadWriteLogRecord): void {
    const outcome = sentinel.exporter.mapping.map(record);
    if (outcome.status !== 'mapped') throw new Error(`record not mapped: ${outcome.status}`);
    this.rows.push(outcome.row);
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
const capture = new RowCapture();
const captureLogger = new LoggerProvider({ resource, processors: [capture] }).getLogger('auth');
for (const input of inputs) captureLogger.emit(input);
const rows = capture.rows;

/** The processor's batching rule: cut before a row would pass the bytes, or at the row count. */
function cutBatches(all: readonly Row[]): Row[][] {
  const out: Row[][] = [];
  let batch: Row[] = [];
  let bytes = 0;
  for (const row of all) {
    const size = Buffer.byteLength(JSON.stringify(row)) + 1;
    if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
    if (batch.length >= MAX_BATCH_ROWS || bytes >= MAX_BATCH_BYTES) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) out.push(batch);
  return out;
}
const batches = cutBatches(rows);
const client = new LogsIngestionClient(sink.endpoint, credential, {
  tlsOptions: { ca: sink.ca },
  retryOptions: { maxRetries: 0 },
});

async function floorRound(): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let b = batches[next++]; b !== undefined; b = batches[next++])
      await client.upload(DCR, STREAM, b, { maxConcurrency: REQUEST_CONCURRENCY });
  };
  await Promise.all(Array.from({ length: CONCURRENT_BATCHES }, worker));
  return N;
}

/** Emits every input, a slice per turn of the event loop, and flushes: delivered end to end. */
async function emitAndFlush(to: typeof logger, processor: SentinelLogRecordProcessor): Promise<number> {
  for (let i = 0; i < N;) {
    const end = Math.min(N, i + SLICE);
    for (; i < end; i++) to.emit(inputs[i] ?? {});
    await nextTurn();
  }
  await processor.forceFlush();
  return N;
}

/** Only counts: the SDK's emit cost (LogRecordImpl, attribute checks), which ours includes. */
class CountingProcessor implements LogRecordProcessor {
  seen = 0;
  onEmit(record: ReadWriteLogRecord): void {
    if (record.eventName !== undefined) this.seen++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
const counting = new CountingProcessor();
const sdkLogger = new LoggerProvider({ resource, processors: [counting] }).getLogger('auth');

async function sdkEmitRound(): Promise<number> {
  for (let i = 0; i < N;) {
    const end = Math.min(N, i + SLICE);
    for (; i < end; i++) sdkLogger.emit(inputs[i] ?? {});
    await nextTurn();
  }
  return N;
}

async function perEventRound(): Promise<number> {
  for (let i = 0; i < PER_EVENT; i++) await client.upload(DCR, STREAM, [rows[i] ?? {}]);
  return PER_EVENT;
}

interface Tally {
  readonly rates: number[];
  records: number;
  requests: number;
  bytes: number;
  rows: number;
}
const cases = [
  { name: 'floor', run: floorRound },
  { name: 'ours', run: () => emitAndFlush(logger, sentinel) },
  { name: 'ours-disk', run: () => emitAndFlush(diskLogger, sentinelDisk) },
  { name: 'per-event', run: perEventRound },
  { name: 'sdk-emit', run: sdkEmitRound },
] as const;
const tallies = new Map<string, Tally>(
  cases.map((c) => [c.name, { rates: [], records: 0, requests: 0, bytes: 0, rows: 0 }]),
);

let last: SinkStats = await sink.stats();
for (let r = -1; r < ROUNDS; r++) {
  for (let i = 0; i < cases.length; i++) {
    const c = cases[(i + Math.max(r, 0)) % cases.length] ?? cases[0];
    const t0 = process.hrtime.bigint();
    const records = await c.run();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const now = await sink.stats();
    const t = tallies.get(c.name);
    if (t && r >= 0) {
      // Round -1 is the warm-up.
      t.rates.push(records / seconds);
      t.records += records;
      t.requests += now.requests - last.requests;
      t.bytes += now.bytes - last.bytes;
      t.rows += now.rows - last.rows;
    }
    last = now;
  }
}
const stats = sentinel.exporter.stats();
const diskStats = sentinelDisk.exporter.stats();
await provider.shutdown();
await diskProvider.shutdown();
// Every row was delivered before the stop: nothing is left in the queue or the spool.
const left = await readSpool({ directory: spoolDir });

function tally(name: string): Tally {
  return tallies.get(name) ?? { rates: [0], records: 0, requests: 0, bytes: 0, rows: 0 };
}
const floor = tally('floor');
const ours = tally('ours');
const perEvent = tally('per-event');
const floorRate = median(floor.rates);
const oursRate = median(ours.rates);
const perEventRate = median(perEvent.rates);
const sdkEmitRate = median(tally('sdk-emit').rates);
const oursDisk = tally('ours-disk');
const oursDiskRate = median(oursDisk.rates);
// Seconds per row of ours minus those of the SDK's emit alone.
const oursWithoutSdkRate = 1 / Math.max(1 / oursRate - 1 / sdkEmitRate, 1e-9);
const oursMeanRequest = ours.bytes / Math.max(ours.requests, 1);
const oursPer10k = (ours.requests / Math.max(ours.records, 1)) * 10_000;
const rowBytes = ours.bytes / Math.max(ours.rows, 1);

console.log(
  `exporter export: ${N} records per round (rows of ~${rowBytes.toFixed(0)} bytes), loopback HTTPS sink, ` +
    `median of ${ROUNDS} alternating rounds, Node ${process.version}`,
);
for (const [name, t] of [
  ['floor', floor],
  ['ours', ours],
  ['ours, disk', oursDisk],
  ['one request per event', perEvent],
] as const)
  console.log(
    `  ${name.padEnd(22)} ${((t.requests / Math.max(t.records, 1)) * 10_000).toFixed(1)} requests per 10,000 events, ` +
      `mean request ${(t.bytes / Math.max(t.requests, 1) / 1000).toFixed(1)} KB uncompressed` +
      (t.rows === t.records ? '' : ` — sink received ${t.rows} rows of ${t.records}`),
  );
const lost = Object.values(stats.rowsUndelivered).reduce((n, v) => n + v, 0);
if (lost > 0) console.log(`  WARNING: ${lost} rows of ours were not delivered`);
// Every round of each processor emits N records, the warm-up included.
const diskEmitted = (ROUNDS + 1) * N;
const diskProblems = [
  diskStats.rowsPersisted === diskEmitted
    ? ''
    : `${diskStats.rowsPersisted} of ${diskEmitted} rows persisted`,
  diskStats.rowsExported === diskEmitted ? '' : `${diskStats.rowsExported} of ${diskEmitted} rows exported`,
  oursDisk.rows === oursDisk.records ? '' : `the sink received ${oursDisk.rows} of ${oursDisk.records} rows`,
  left.queued.length + left.spool.length === 0
    ? ''
    : `${left.queued.length} rows left in the queue and ${left.spool.length} in the spool`,
].filter((p) => p !== '');
console.log(
  `  ours, durability 'disk' (spool in ${describeFileSystem(spoolDir)}): ${(oursDiskRate / oursRate).toFixed(3)} of ` +
    `ours (memory); ${diskStats.rowsPersisted} rows persisted, ${diskStats.rowsExported} exported of ${diskEmitted} ` +
    `emitted, ${left.queued.length + left.spool.length} left in the store after the stop` +
    diskProblems.map((p) => `\n  FAIL: ${p}`).join(''),
);
rmSync(spoolDir, { recursive: true, force: true });
const queueSection = await queueBytes(sink, {
  mapping,
  credential,
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
await sink.close();
const results: BenchResult[] = [
  { name: 'exporter.export.floor', value: floorRate, unit: 'rows/s' },
  {
    name: 'exporter.export.ours',
    value: oursRate,
    unit: 'rows/s',
    baseline: 'exporter.export.floor',
    ratio: oursRate / floorRate,
    target: 0.5,
  },
  { name: 'exporter.export.one-request-per-event', value: perEventRate, unit: 'rows/s' },
  {
    name: 'exporter.export.ours.vs-one-request-per-event',
    value: oursRate,
    unit: 'rows/s',
    baseline: 'exporter.export.one-request-per-event',
    ratio: oursRate / perEventRate,
  },
  { name: 'exporter.export.sdk-emit-only', value: sdkEmitRate, unit: 'rows/s' },
  {
    name: 'exporter.export.ours-disk',
    value: oursDiskRate,
    unit: 'rows/s',
    baseline: 'exporter.export.ours',
    ratio: oursDiskRate / oursRate,
    target: 0.7,
  },
  {
    name: 'exporter.export.ours-disk.vs-floor',
    value: oursDiskRate,
    unit: 'rows/s',
    baseline: 'exporter.export.floor',
    ratio: oursDiskRate / floorRate,
  },
  {
    name: 'exporter.export.ours.excluding-sdk-emit',
    value: oursWithoutSdkRate,
    unit: 'rows/s',
    baseline: 'exporter.export.floor',
    ratio: oursWithoutSdkRate / floorRate,
  },
  { name: 'exporter.export.ours.requests-per-10k-events', value: oursPer10k, unit: 'requests' },
  {
    name: 'exporter.export.ours.mean-request-bytes',
    value: oursMeanRequest,
    unit: 'bytes',
    baseline: `request limit ${REQUEST_LIMIT} bytes`,
    ratio: oursMeanRequest / REQUEST_LIMIT,
    target: 0.9,
  },
  ...queueSection.results,
];
report(results, new URL('../.bench/export.json', import.meta.url));
if (diskProblems.length > 0 || !queueSection.ok) process.exitCode = 1;
