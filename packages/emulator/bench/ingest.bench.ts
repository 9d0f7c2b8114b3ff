// Ingestion throughput of the emulator with the real exporter as its client: security records
// emitted through a LoggerProvider with the SentinelLogRecordProcessor (mapping, serialisation,
// gzip, a real ClientSecretCredential token from the emulator's Entra endpoint), uploaded over
// loopback HTTPS to the emulator, which gunzips, validates, transforms and inserts them into its
// file-backed SQLite store. Two figures per round, side by side:
// - end to end: rows emitted ÷ wall time from the first emit to the end of forceFlush;
// - emulator capacity: rows stored ÷ the time the emulator spent handling them.
// How the emulator's time is measured: the emulator runs in a worker thread of its own (this same
// file), so its work never shares an event loop with the exporter's. Its busy time in a round is
// the worker's event-loop *active* time (`performance.eventLoopUtilization()`, read inside the
// worker at the round's start and end): the wall time its thread spent running anything (TLS,
// HTTP parsing, the handler, JSON parsing, validation, transforms, the synchronous SQLite insert and
// its disk writes) rather than waiting for input. The one part of the handler that runs off that
// thread is the asynchronous gunzip on the libuv pool; its cost is added from a calibration:
// `gunzipSync` of request bodies built from the same rows, cut as the processor cuts them. The
// capacity is what the emulator could store were its thread busy all the time; capacity ÷ end to
// end ≥ 1 shows it is not the bottleneck of this (or the exporter's) benchmark. The thread's CPU
// time (`process.threadCpuUsage()`) is printed too, as a cross-check of the busy time.
// Finally the rows in the tables (`<Table> | count`) must equal the records emitted.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gunzipSync, gzipSync } from 'node:zlib';
import { SeverityNumber } from '../../exporter/node_modules/@opentelemetry/api-logs/build/src/index.js';
import type { LogRecord } from '../../exporter/node_modules/@opentelemetry/api-logs/build/src/index.js';
import { eventName, securityAttributes, securityBody, succeeded, T0 } from '../../../bench/fixtures.ts';
import { median, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';

/** Records per round. */
const N = 20_000;
/** Records emitted between turns of the event loop (the processor drains on the next turn). */
const SLICE = 1000;
/** Measured rounds, after one warm-up round (which also fetches the token). */
const ROUNDS = 7;
/** The processor's default cut: the calibration bodies are as large as its requests. */
const MAX_BATCH_BYTES = 950_000;
const MAPPING = new URL('../../../examples/mappings/app-security.yaml', import.meta.url).pathname;
/** Every stream's table, as the mapping names them. */
const TABLES = ['AppAuthEvents_CL', 'AppSecurityEvents_CL'] as const;

interface WorkerInput {
  readonly dataDir: string;
}
type Command = 'mark' | 'count' | 'close';
interface Mark {
  /** Cumulative event-loop active time of the emulator's thread, ms. */
  readonly activeMs: number;
  /** Cumulative CPU time (user + system) of the emulator's thread, ms. */
  readonly cpuMs: number;
}
interface Reply {
  readonly id: number;
  readonly mark?: Mark;
  readonly counts?: Record<string, number>;
  readonly ready?: { readonly origin: string; readonly ca: string; readonly env: Record<string, string> };
  readonly error?: string;
}

/** The worker: the emulator, file-backed, answering marks and counts between rounds. */
async function emulatorThread(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('not a worker');
  const { startEmulator } = await import('../dist/index.js');
  const emulator = await startEmulator({ mappings: [MAPPING], port: 0, dataDir: input.dataDir });
  const mark = (): Mark => {
    const cpu = process.threadCpuUsage();
    return {
      activeMs: performance.eventLoopUtilization().active,
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
  };
  port.on('message', (message: { id: number; command: Command }) => {
    const reply = (r: Omit<Reply, 'id'>): void => {
      port.postMessage({ id: message.id, ...r });
    };
    try {
      if (message.command === 'mark') reply({ mark: mark() });
      else if (message.command === 'count') {
        const counts: Record<string, number> = {};
        for (const table of TABLES) {
          const value = emulator.query(`${table} | count`).rows[0]?.[0];
          counts[table] = typeof value === 'number' ? value : Number(value);
        }
        reply({ counts });
      } else {
        void emulator.close().then(() => {
          reply({});
          port.close();
        });
      }
    } catch (e) {
      reply({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  port.postMessage({
    id: 0,
    ready: { origin: emulator.origin, ca: emulator.caCertPem, env: emulator.env() },
  } satisfies Reply);
}

async function main(): Promise<void> {
  // Imported here: the worker needs none of the client side.
  const { ClientSecretCredential } = await import('@azure/identity');
  // The emulator package does not depend on the SDK; the exporter's copy is the one it runs with.
  const { LoggerProvider } =
    await import('../../exporter/node_modules/@opentelemetry/sdk-logs/build/src/index.js');
  const { SentinelLogRecordProcessor } = await import('../../exporter/dist/index.js');

  const dataDir = mkdtempSync(join(tmpdir(), 'otel-sentinel-emulator-bench-'));
  const worker = new Worker(new URL(import.meta.url), { workerData: { dataDir } satisfies WorkerInput });
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  worker.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    waiting.delete(r.id);
    if (r.error !== undefined) w?.reject(new Error(r.error));
    else w?.resolve(r);
  });
  worker.on('error', (error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  });
  const ask = (command: Command): Promise<Reply> => {
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, command });
    });
  };
  const started = await new Promise<Reply>((resolve, reject) => {
    waiting.set(0, { resolve, reject });
  });
  const ready = started.ready;
  if (!ready) throw new Error('the emulator did not start');

  const env = {
    SENTINEL_DCE_ENDPOINT: ready.origin,
    SENTINEL_DCR_IMMUTABLE_ID: ready.env.SENTINEL_DCR_IMMUTABLE_ID,
    OTEL_SENTINEL_HASH_KEY: 'bench-hash-key-0123456789abcdef0123456789abcdef',
  };
  const credential = new ClientSecretCredential(
    ready.env.AZURE_TENANT_ID ?? '',
    ready.env.AZURE_CLIENT_ID ?? '',
    ready.env.AZURE_CLIENT_SECRET ?? '',
    { authorityHost: ready.origin, disableInstanceDiscovery: true, tlsOptions: { ca: ready.ca } },
  );
  const sentinel = new SentinelLogRecordProcessor({
    mapping: MAPPING,
    credential,
    env,
    clientOptions: { tlsOptions: { ca: ready.ca } },
    spool: false,
    // A round is held at most once; nothing may overflow.
    maxQueueSize: N,
  });
  const provider = new LoggerProvider({ processors: [sentinel] });
  const logger = provider.getLogger('auth');
  const inputs: LogRecord[] = Array.from({ length: N }, (_, i) => securityRecord(i));

  // Rows per table of one round, and the calibration bodies, from the processor's own mapping.
  const perRound = new Map<string, number>(TABLES.map((t) => [t, 0]));
  const rowsByStream = new Map<string, unknown[]>();
  const capture = new LoggerProvider({
    processors: [
      {
        onEmit(record) {
          const outcome = sentinel.exporter.mapping.map(record);
          if (outcome.status !== 'mapped') throw new Error(`record not mapped: ${outcome.status}`);
          perRound.set(outcome.stream.table, (perRound.get(outcome.stream.table) ?? 0) + 1);
          const rows = rowsByStream.get(outcome.stream.stream) ?? [];
          rows.push(outcome.row);
          rowsByStream.set(outcome.stream.stream, rows);
        },
        forceFlush: () => Promise.resolve(),
        shutdown: () => Promise.resolve(),
      },
    ],
  }).getLogger('auth');
  for (const input of inputs) capture.emit(input);
  const gunzipPerRowSeconds = calibrateGunzip([...rowsByStream.values()]);

  const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  const e2eRates: number[] = [];
  const capacities: number[] = [];
  const cpuCapacities: number[] = [];
  const shares: number[] = [];
  let emitted = 0;
  let stored = 0;
  let before = await ask('count');
  for (let r = -1; r < ROUNDS; r++) {
    const m0 = (await ask('mark')).mark;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N;) {
      const end = Math.min(N, i + SLICE);
      for (; i < end; i++) logger.emit(inputs[i] ?? {});
      await nextTurn();
    }
    await sentinel.forceFlush();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const m1 = (await ask('mark')).mark;
    const after = await ask('count');
    emitted += N;
    const rows = TABLES.reduce((n, t) => n + (after.counts?.[t] ?? 0) - (before.counts?.[t] ?? 0), 0);
    stored += rows;
    before = after;
    if (r < 0 || !m0 || !m1) continue; // round -1 is the warm-up
    const busy = (m1.activeMs - m0.activeMs) / 1000 + rows * gunzipPerRowSeconds;
    const cpu = (m1.cpuMs - m0.cpuMs) / 1000 + rows * gunzipPerRowSeconds;
    e2eRates.push(N / seconds);
    capacities.push(rows / busy);
    cpuCapacities.push(rows / cpu);
    shares.push(busy / seconds);
  }
  const stats = sentinel.exporter.stats();
  await provider.shutdown();
  const final = (await ask('count')).counts ?? {};
  await ask('close');
  await worker.terminate();
  rmSync(dataDir, { recursive: true, force: true });

  const e2e = median(e2eRates);
  const capacity = median(capacities);
  const cpuCapacity = median(cpuCapacities);
  const rounds = ROUNDS + 1;
  console.log(
    `emulator ingest: ${N} security records per round, the real exporter over loopback HTTPS, ` +
      `file-backed store, median of ${ROUNDS} rounds after a warm-up, Node ${process.version}`,
  );
  console.log(
    `  end to end ${fmt(e2e)} rows/s | emulator capacity ${fmt(capacity)} rows/s ` +
      `(thread CPU basis ${fmt(cpuCapacity)}) | capacity ÷ end to end ${(capacity / e2e).toFixed(2)} | ` +
      `emulator busy ${(median(shares) * 100).toFixed(0)}% of the round | gunzip ` +
      `${(gunzipPerRowSeconds * 1e6).toFixed(2)} µs/row (calibrated)`,
  );
  let exact = true;
  for (const table of TABLES) {
    const expected = (perRound.get(table) ?? 0) * rounds;
    const got = final[table] ?? 0;
    if (got !== expected) exact = false;
    console.log(`  ${table} | count = ${got} (emitted ${expected})${got === expected ? '' : '  MISMATCH'}`);
  }
  const lost = Object.values(stats.rowsUndelivered).reduce((n, v) => n + v, 0);
  if (lost > 0) console.log(`  WARNING: the exporter reports ${lost} rows undelivered`);
  if (!exact || stored !== emitted) process.exitCode = 1;

  const results: BenchResult[] = [
    { name: 'emulator.ingest.end-to-end', value: e2e, unit: 'rows/s' },
    {
      name: 'emulator.ingest.capacity',
      value: capacity,
      unit: 'rows/s',
      baseline: 'emulator.ingest.end-to-end',
      ratio: capacity / e2e,
      target: 1,
    },
    {
      name: 'emulator.ingest.capacity.thread-cpu',
      value: cpuCapacity,
      unit: 'rows/s',
      baseline: 'emulator.ingest.end-to-end',
      ratio: cpuCapacity / e2e,
    },
    {
      name: 'emulator.ingest.rows-stored',
      value: stored,
      unit: 'rows',
      baseline: `${emitted} records emitted`,
      ratio: stored / emitted,
      target: 1,
    },
  ];
  report(results, new URL('../.bench/results.json', import.meta.url));
}

/**
 * Seconds of `gunzipSync` per row: the rows JSON-serialised into bodies of at most
 * `MAX_BATCH_BYTES` per stream and gzipped as the client does, then inflated; best of 5 passes.
 */
function calibrateGunzip(streams: readonly (readonly unknown[])[]): number {
  const bodies: Buffer[] = [];
  let rows = 0;
  for (const stream of streams) {
    let batch: string[] = [];
    let bytes = 2;
    const cut = (): void => {
      if (batch.length === 0) return;
      bodies.push(gzipSync(`[${batch.join(',')}]`));
      batch = [];
      bytes = 2;
    };
    for (const row of stream) {
      const json = JSON.stringify(row);
      if (bytes + json.length + 1 > MAX_BATCH_BYTES) cut();
      batch.push(json);
      bytes += json.length + 1;
      rows++;
    }
    cut();
  }
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const t0 = process.hrtime.bigint();
    for (const body of bodies) gunzipSync(body);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best / Math.max(rows, 1);
}

/** The i-th security record (bench/fixtures.ts): three in five to AppAuthEvents_CL, the rest to AppSecurityEvents_CL. */
function securityRecord(i: number): LogRecord {
  const ok = succeeded(i);
  return {
    timestamp: T0 + i,
    severityNumber: ok ? SeverityNumber.INFO : SeverityNumber.WARN,
    severityText: ok ? 'INFO' : 'WARN',
    eventName: eventName(i),
    body: securityBody(i, false),
    attributes: securityAttributes(i),
  };
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

// Last, so every constant above is initialised before either side runs.
if (isMainThread) await main();
else await emulatorThread(workerData as WorkerInput);
