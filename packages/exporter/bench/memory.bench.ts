// Memory under a stalled sink: the sink reads every request but holds its answer while 10× the
// processor's maxQueueSize of security records are emitted, a slice per turn of the event loop.
// Prints the RSS and heap growth (after a full GC when run with --expose-gc), checks that the
// spool holds exactly the overflow (reason queue-full), then releases the sink, flushes, and
// checks that every record the queue took was delivered — each record in one place, once.
// Memory bound: once the overflow is in the spool, the heap has grown by at most 4× the JSON bytes
// of a full queue (maxQueueSize rows of the size the spool holds); the overflow (9× the queue)
// kept in memory would pass it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { readSpool, SentinelLogRecordProcessor } from '../dist/index.js';
import {
  securityMapping,
  delay,
  nextTurn,
  resource,
  securityRecord,
  startSink,
  StaticCredential,
} from './support.ts';

const MAX_QUEUE = 5000;
const N = 10 * MAX_QUEUE;
const SLICE = 1000;
/** Warm-up records are numbered from here, apart from the measured ones (0 … N-1). */
const WARMUP_BASE = 1_000_000;
const WARMUP = 2000;
const MB = 1024 * 1024;

function settle(): void {
  globalThis.gc?.();
  globalThis.gc?.();
}

const sink = await startSink({ collect: 'EventOriginalUid' });
const spoolDir = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-spool-'));
const sentinel = new SentinelLogRecordProcessor({
  mapping: securityMapping(sink.endpoint),
  credential: new StaticCredential(),
  spool: spoolDir,
  maxQueueSize: MAX_QUEUE,
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
const provider = new LoggerProvider({ resource, processors: [sentinel] });
const logger = provider.getLogger('auth');

// Warm-up with the sink answering: connections, token, JIT.
for (let i = 0; i < WARMUP; i++) logger.emit(securityRecord(WARMUP_BASE + i));
await sentinel.forceFlush();

await sink.stall();
settle();
const before = process.memoryUsage();
let peakRss = before.rss;
function sample(): void {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}
let overflow = 0;
for (let i = 0; i < N;) {
  const end = Math.min(N, i + SLICE);
  for (; i < end; i++) {
    // The processor's own rule, read through its public `queued`: this record will overflow.
    if (sentinel.queued >= MAX_QUEUE) overflow++;
    logger.emit(securityRecord(i));
  }
  await nextTurn();
  sample();
}
// What is still held once the last record is in: the queue, the batches, and the overflow rows
// not yet written to the spool (the GC is synchronous, so the spool makes no progress meanwhile).
const spooledWhenEmitted = sentinel.exporter.stats().rowsSpooled;
settle();
const heldWhenEmitted = process.memoryUsage().heapUsed;
// Wait (bounded) for the overflow's spool writes; deliveries stay stalled.
for (let k = 0; k < 600; k++) {
  const s = sentinel.exporter.stats();
  if (s.rowsSpooled + s.rowsSpoolRefused >= overflow) break;
  await delay(50);
}
sample();
settle();
const after = process.memoryUsage();
const stalledStats = sentinel.exporter.stats();

interface SpoolLine {
  reason: string;
  row: { EventOriginalUid?: number };
}
const spooled: SpoolLine[] = (await readSpool({ directory: spoolDir })).spool;
const queueFull = spooled.filter((e) => e.reason === 'queue-full');
const spooledSeqs = new Set(queueFull.map((e) => e.row.EventOriginalUid));
const meanRowBytes =
  queueFull.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e.row)), 0) / Math.max(queueFull.length, 1);
/** The JSON bytes of a full queue: what the heap may hold a few times over, never the overflow. */
const fullQueueBytes = MAX_QUEUE * meanRowBytes;

await sink.release();
await sentinel.forceFlush();
const delivered = (await sink.stats()).collected.filter((v): v is number => typeof v === 'number' && v < N);
const deliveredSeqs = new Set(delivered);
const accepted = N - overflow;
let missing = 0;
let both = 0;
for (let i = 0; i < N; i++) {
  const d = deliveredSeqs.has(i);
  const s = spooledSeqs.has(i);
  if (!d && !s) missing++;
  if (d && s) both++;
}
await provider.shutdown();
await sink.close();
rmSync(spoolDir, { recursive: true, force: true });

const rssGrowth = (after.rss - before.rss) / MB;
const heapGrowth = (after.heapUsed - before.heapUsed) / MB;
const peakGrowth = (peakRss - before.rss) / MB;
const heldGrowth = (heldWhenEmitted - before.heapUsed) / MB;
const spoolExact =
  queueFull.length === overflow && spooled.length === overflow && spooledSeqs.size === overflow;
const deliveredExact =
  delivered.length === accepted && deliveredSeqs.size === accepted && missing === 0 && both === 0;
console.log(
  `exporter memory: sink stalled, ${N} security records emitted (${SLICE} per turn), maxQueueSize ${MAX_QUEUE}, ` +
    `Node ${process.version}${globalThis.gc ? ', after a full GC' : ' (run with --expose-gc for settled figures)'}`,
);
console.log(
  `  growth: RSS ${rssGrowth.toFixed(1)} MB (peak ${peakGrowth.toFixed(1)} MB), heap used ${heapGrowth.toFixed(1)} MB ` +
    `(${heldGrowth.toFixed(1)} MB when the last record was in); queue took ${accepted}, overflow ${overflow}`,
);
console.log(
  `  when the last record was emitted, ${spooledWhenEmitted} of the ${overflow} overflow rows were in the spool; ` +
    `the rest waited in memory for the spool's writes`,
);
console.log(
  `  ${spoolExact ? 'PASS' : 'FAIL'}: the spool holds ${queueFull.length} queue-full rows (${spooled.length} entries, ` +
    `${stalledStats.rowsSpoolRefused} refused) for an overflow of ${overflow}`,
);
console.log(
  `  ${deliveredExact ? 'PASS' : 'FAIL'}: after release ${delivered.length} of the ` +
    `${accepted} queued records were delivered; ${missing} records neither delivered nor spooled, ${both} both`,
);

/** 1 when the check passed, else below 1 (by how far the counts are apart): target 1 is "exactly". */
function exactness(pass: boolean, a: number, b: number): number {
  return pass ? 1 : Math.min(0.999, Math.min(a, b) / Math.max(a, b, 1));
}
const results: BenchResult[] = [
  { name: 'exporter.memory.rss-growth', value: rssGrowth, unit: 'MB' },
  { name: 'exporter.memory.rss-peak-growth', value: peakGrowth, unit: 'MB' },
  {
    name: 'exporter.memory.heap-growth',
    value: heapGrowth,
    unit: 'MB',
    baseline: `the JSON bytes of a full queue (${(fullQueueBytes / MB).toFixed(1)} MB)`,
    ratio: (heapGrowth * MB) / fullQueueBytes,
    limit: 4,
  },
  { name: 'exporter.memory.heap-growth-at-last-emit', value: heldGrowth, unit: 'MB' },
  { name: 'exporter.memory.overflow', value: overflow, unit: 'records' },
  {
    name: 'exporter.memory.spooled-queue-full',
    value: queueFull.length,
    unit: 'rows',
    baseline: 'exporter.memory.overflow',
    ratio: exactness(spoolExact, queueFull.length, overflow),
    target: 1,
  },
  {
    name: 'exporter.memory.delivered-after-release',
    value: delivered.length,
    unit: 'rows',
    baseline: 'records the queue took',
    ratio: exactness(deliveredExact, delivered.length, accepted),
    target: 1,
  },
];
report(results, new URL('../.bench/memory.json', import.meta.url));
