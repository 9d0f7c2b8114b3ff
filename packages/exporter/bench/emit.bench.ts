// What `logger.emit()` costs the app with our processors installed, measured in one run:
// - an operational record with [SentinelLogRecordProcessor, withoutSecurityEvents(op)] next to a
//   bare LoggerProvider with only `op` (a no-op standing in for Application Insights' batch
//   processor); target: ours costs ≤ 1.2× the bare emit, i.e. a rate ratio ≥ 0.833;
// - a security record (the same record plus the flag) on our provider next to the same record
//   emitted on the bare provider: the SDK's own cost of the emit is the baseline; target: ours
//   costs ≤ 2× it, i.e. a ratio ≥ 0.5 (mapping and serialisation run after the emit, so the emit
//   itself only queues the record; mapping in the emit would cost several µs and miss it). The added cost over the operational record on our
//   provider is printed too. Timed in synchronous rounds of 2000 emits, with an untimed
//   forceFlush to a loopback HTTPS sink between rounds.
// Both again with `durability: 'disk'` (a fresh spool directory under os.tmpdir()), each next to
// the same baselines in the same run. Mapping and the write to the queue run after the emit
// (next turn, store worker): the untimed flush between rounds does them, and checks that every
// security record was persisted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { describeFileSystem } from '../../../bench/disk.ts';
import { measure, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { SentinelLogRecordProcessor, withoutSecurityEvents } from '../dist/index.js';
import {
  securityMapping,
  median,
  OPERATIONAL,
  resource,
  SECURITY,
  startSink,
  StaticCredential,
} from './support.ts';

const ROUND = 2000;
const WARMUP_ROUNDS = 5;
const ROUNDS = 41;
/** The security emit's cost may be at most 2× the bare provider's: a rate ratio ≥ 0.5. */
const SECURITY_TARGET = 0.5;

/** Does nothing but count: the operational pipeline's cost is not what is measured here. */
class CountingProcessor implements LogRecordProcessor {
  seen = 0;
  onEmit(record: ReadWriteLogRecord): void {
    if (record.body !== undefined) this.seen++;
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const sink = await startSink();
const op = new CountingProcessor();
const sentinel = new SentinelLogRecordProcessor({
  mapping: securityMapping(sink.endpoint),
  credential: new StaticCredential(),
  spool: false,
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
const spoolDir = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-emit-wal-'));
const spoolFileSystem = describeFileSystem(spoolDir);
const sentinelDisk = new SentinelLogRecordProcessor({
  mapping: securityMapping(sink.endpoint),
  credential: new StaticCredential(),
  spool: spoolDir,
  durability: 'disk',
  clientOptions: { tlsOptions: { ca: sink.ca } },
});
const ours = new LoggerProvider({ resource, processors: [sentinel, withoutSecurityEvents(op)] });
const oursDisk = new LoggerProvider({ resource, processors: [sentinelDisk, withoutSecurityEvents(op)] });
const bare = new LoggerProvider({ resource, processors: [op] });
const oursLogger = ours.getLogger('checkout');
const oursDiskLogger = oursDisk.getLogger('checkout');
const bareLogger = bare.getLogger('checkout');

// 1. Operational records: alternating rounds through the shared harness.
const rates = measure([
  {
    name: 'bare',
    run: (n) => {
      for (let i = 0; i < n; i++) bareLogger.emit(OPERATIONAL);
      return op.seen;
    },
  },
  {
    name: 'ours',
    run: (n) => {
      for (let i = 0; i < n; i++) oursLogger.emit(OPERATIONAL);
      return op.seen;
    },
  },
  {
    name: 'ours-disk',
    run: (n) => {
      for (let i = 0; i < n; i++) oursDiskLogger.emit(OPERATIONAL);
      return op.seen;
    },
  },
]);
const bareRate = rates.get('bare') ?? 1;
const oursRate = rates.get('ours') ?? 0;
const oursDiskRate = rates.get('ours-disk') ?? 0;

// 2. Security records: synchronous timed rounds, the queue emptied (untimed) after each.
type Kind = 'operational' | 'security' | 'bare-security' | 'disk-operational' | 'disk-security';
const kinds: readonly Kind[] = [
  'operational',
  'security',
  'bare-security',
  'disk-operational',
  'disk-security',
];
const samples = new Map<Kind, number[]>(kinds.map((k) => [k, []]));

function timedRound(kind: Kind): number {
  const logger =
    kind === 'bare-security' ? bareLogger : kind.startsWith('disk-') ? oursDiskLogger : oursLogger;
  const record = kind.endsWith('operational') ? OPERATIONAL : SECURITY;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ROUND; i++) logger.emit(record);
  return Number(process.hrtime.bigint() - t0) / ROUND;
}

for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
  for (let i = 0; i < kinds.length; i++) {
    const kind = kinds[(i + r) % kinds.length] ?? 'operational';
    const ns = timedRound(kind);
    if (r >= WARMUP_ROUNDS) samples.get(kind)?.push(ns);
    await (kind.startsWith('disk-') ? sentinelDisk : sentinel).forceFlush();
  }
}
const opNs = median(samples.get('operational') ?? []);
const secNs = median(samples.get('security') ?? []);
const bareSecNs = median(samples.get('bare-security') ?? []);
const added = secNs - opNs;
const diskOpNs = median(samples.get('disk-operational') ?? []);
const diskSecNs = median(samples.get('disk-security') ?? []);
const diskAdded = diskSecNs - diskOpNs;
const stats = sentinel.exporter.stats();
const diskStats = sentinelDisk.exporter.stats();
const delivered = (await sink.stats()).rows;
/** Security records each processor took: its rounds, warm-up included. */
const expected = (WARMUP_ROUNDS + ROUNDS) * ROUND;

await ours.shutdown();
await oursDisk.shutdown();
await bare.shutdown();
await sink.close();
rmSync(spoolDir, { recursive: true, force: true });

console.log(`exporter emit path: @opentelemetry/sdk-logs LoggerProvider, Node ${process.version}`);
console.log(
  `  operational emit: ours ${(1e9 / oursRate).toFixed(0)} ns, bare ${(1e9 / bareRate).toFixed(0)} ns ` +
    `= ${(bareRate / oursRate).toFixed(3)}× the bare cost (target ≤ 1.2×, i.e. rate ratio ≥ 0.833)`,
);
console.log(
  `  security emit (median of ${ROUNDS} rounds of ${ROUND}): ${secNs.toFixed(0)} ns vs operational ` +
    `${opNs.toFixed(0)} ns on the same provider → added ${added.toFixed(0)} ns; the same record on the bare ` +
    `provider ${bareSecNs.toFixed(0)} ns = ${(secNs / bareSecNs).toFixed(3)}× (target ≤ 2×)`,
);
console.log(
  `  durability 'disk': operational emit ${(1e9 / oursDiskRate).toFixed(0)} ns = ${(bareRate / oursDiskRate).toFixed(3)}× ` +
    `the bare cost; security emit ${diskSecNs.toFixed(0)} ns vs operational ${diskOpNs.toFixed(0)} ns → added ` +
    `${diskAdded.toFixed(0)} ns, ${(diskSecNs / bareSecNs).toFixed(3)}× the bare provider's (target ≤ 2×); ` +
    `${diskStats.rowsPersisted} of ${expected} rows persisted (spool in ${spoolFileSystem})`,
);
console.log(
  `  security records delivered to the sink: ${delivered} of ${2 * expected} (memory and disk)` +
    (stats.rowsExported === expected ? '' : ` — ONLY ${stats.rowsExported} exported in memory`) +
    (diskStats.rowsExported === expected ? '' : ` — ONLY ${diskStats.rowsExported} exported in disk`),
);
if (diskStats.rowsPersisted !== expected || delivered !== 2 * expected) process.exitCode = 1;

/** An operational emit rate next to the bare provider's: ≤ 1.2× the cost. */
function vsBare(name: string, rate: number): BenchResult {
  return {
    name,
    value: rate,
    unit: 'emits/s',
    baseline: 'exporter.emit.operational.bare',
    ratio: rate / bareRate,
    target: 0.833,
  };
}
/** A security emit's cost next to the same record's on the bare provider: ≤ 2× the cost. */
function vsBareSecurity(name: string, ns: number): BenchResult {
  return {
    name,
    value: ns,
    unit: 'ns/emit',
    baseline: 'exporter.emit.security.bare',
    ratio: bareSecNs / ns,
    target: SECURITY_TARGET,
  };
}
const results: BenchResult[] = [
  { name: 'exporter.emit.operational.bare', value: bareRate, unit: 'emits/s' },
  vsBare('exporter.emit.operational.ours', oursRate),
  { name: 'exporter.emit.security.bare', value: bareSecNs, unit: 'ns/emit' },
  vsBareSecurity('exporter.emit.security.ours', secNs),
  { name: 'exporter.emit.security.added', value: added, unit: 'ns/emit' },
  vsBare('exporter.emit.operational.ours-disk', oursDiskRate),
  vsBareSecurity('exporter.emit.security.ours-disk', diskSecNs),
  { name: 'exporter.emit.security.added-disk', value: diskAdded, unit: 'ns/emit' },
  {
    name: 'exporter.emit.security.persisted-disk',
    value: diskStats.rowsPersisted,
    unit: 'rows',
    baseline: 'security records emitted',
    ratio: diskStats.rowsPersisted / expected,
    target: 1,
    limit: 1,
  },
  {
    name: 'exporter.emit.security.delivered',
    value: delivered,
    unit: 'rows',
    baseline: 'security records emitted (memory and disk)',
    ratio: delivered / (2 * expected),
    target: 1,
    limit: 1,
  },
];
report(results, new URL('../.bench/emit.json', import.meta.url));
