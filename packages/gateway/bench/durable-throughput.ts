// Part 4 of gateway.bench.ts: what `durability: 'disk'` costs a gateway under load. Requests of
// 512 security records as fast as the connections of a second process go, to a fresh gateway of
// each durability in alternating rounds, shipping to the loopback sink meanwhile. The queue has
// room for a whole window, so what is measured is how fast requests are acknowledged (200), not
// how fast 503s come back. Then every round is checked: in disk, every security record taken (each
// 200 is 512 of them) was committed to the write-ahead queue (rowsPersisted = records taken), and
// the process wrote to the disk; in both, every row taken was delivered.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describeFileSystem, diskWriteBytes } from '../../../bench/disk.ts';
import { median } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { startGateway } from '../dist/index.js';
import type { GatewayOptions } from '../dist/index.js';
import type { LoadConfig, LoadResult } from './gateway.bench.ts';

export type Durability = 'disk' | 'memory';

export interface DurableSetup {
  readonly mapping: GatewayOptions['mapping'];
  readonly credential: NonNullable<NonNullable<GatewayOptions['exporter']>['credential']>;
  /** The sink's certificate, to trust it. */
  readonly ca: string;
  /** The protobuf request body, in a file the load process reads. */
  readonly bodyFile: string;
  readonly recordsPerRequest: number;
  /** Where the spool directories go (under os.tmpdir()). */
  readonly tmp: string;
  readonly runLoad: (config: LoadConfig) => Promise<LoadResult>;
}

const CONNECTIONS = 12;
const SECONDS = 5;
const ROUNDS = 3;
/** Room for every request of a window: acknowledged throughput, not a full queue's 503s. */
const QUEUE = 1_000_000;

interface Round {
  readonly load: LoadResult;
  /**
   * Answered 200, as the gateway counts them. A request still under way when the load process
   * ends is taken whole but its answer finds the socket closed: taken, never acknowledged.
   */
  readonly answered200: number;
  /** Security records taken (all or nothing per request). */
  readonly taken: number;
  readonly persisted: number;
  readonly exported: number;
  /** Seconds from the end of the window until every row was delivered. */
  readonly drain: number;
  /** Bytes this process wrote to storage during the window. */
  readonly written: number | undefined;
  /** CPU seconds of the gateway's process (every thread, the sink's too) from start to drained. */
  readonly cpu: number;
}

async function round(mode: Durability, setup: DurableSetup): Promise<Round> {
  const spool = mkdtempSync(join(setup.tmp, `wal-${mode}-`));
  const gateway = await startGateway({
    mapping: setup.mapping,
    port: 0,
    durability: mode,
    maxQueueSize: QUEUE,
    exporter: {
      credential: setup.credential,
      clientOptions: { tlsOptions: { ca: setup.ca } },
      spool: mode === 'disk' ? spool : false,
    },
  });
  try {
    const cpu = process.cpuUsage();
    const before = diskWriteBytes();
    const load = await setup.runLoad({
      url: `${gateway.url}/v1/logs`,
      method: 'POST',
      bodyFile: setup.bodyFile,
      connections: CONNECTIONS,
      seconds: SECONDS,
      rate: 0,
    });
    const after = diskWriteBytes();
    const t0 = process.hrtime.bigint();
    await gateway.flush(120_000);
    const drain = Number(process.hrtime.bigint() - t0) / 1e9;
    // After the flush: requests in flight when the load process ended were still answered (to a
    // closed socket) and their rows taken, persisted and delivered.
    const done = gateway.stats();
    const used = process.cpuUsage(cpu);
    return {
      load,
      answered200: done.requests['200'] ?? 0,
      taken: done.records.security,
      persisted: done.exporter.rowsPersisted,
      exported: done.exporter.rowsExported,
      drain,
      written: before === undefined || after === undefined ? undefined : after - before,
      cpu: (used.user + used.system) / 1e6,
    };
  } finally {
    await gateway.close();
    rmSync(spool, { recursive: true, force: true });
  }
}

function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Runs the rounds, prints what they show and returns the results; `ok` is false when a check failed. */
export async function durableVsMemory(setup: DurableSetup): Promise<{ results: BenchResult[]; ok: boolean }> {
  const rounds = new Map<Durability, Round[]>([
    ['disk', []],
    ['memory', []],
  ]);
  for (let r = 0; r < ROUNDS; r++)
    for (const mode of r % 2 === 0 ? (['disk', 'memory'] as const) : (['memory', 'disk'] as const))
      rounds.get(mode)?.push(await round(mode, setup));

  const per = setup.recordsPerRequest;
  const figures = (mode: Durability) => {
    const rs = rounds.get(mode) ?? [];
    return {
      rs,
      rate: median(rs.map((x) => (x.load.statuses['200'] ?? 0) / x.load.duration)),
      p50: median(rs.map((x) => x.load.p50)),
      p99: median(rs.map((x) => x.load.p99)),
      endToEnd: median(rs.map((x) => x.exported / (x.load.duration + x.drain))),
      cpuPerRow: median(rs.map((x) => x.cpu / Math.max(x.exported, 1))),
      notOk: rs.reduce((n, x) => n + x.load.requests - (x.load.statuses['200'] ?? 0), 0),
      cut: rs.reduce((n, x) => n + x.taken / per - x.answered200, 0),
    };
  };
  const disk = figures('disk');
  const memory = figures('memory');

  const problems: string[] = [];
  for (const [mode, f] of [
    ['disk', disk],
    ['memory', memory],
  ] as const)
    f.rs.forEach((x, i) => {
      const where = `${mode} round ${i + 1}`;
      const unanswered = x.taken / per - x.answered200;
      if (unanswered < 0 || unanswered > CONNECTIONS)
        problems.push(`${where}: ${x.taken} security records taken for ${x.answered200} answers 200`);
      if ((x.load.statuses['200'] ?? 0) > x.answered200)
        problems.push(`${where}: the client saw more 200s than the gateway sent`);
      if (x.exported !== x.taken) problems.push(`${where}: ${x.exported} of ${x.taken} rows delivered`);
      const expected = mode === 'disk' ? x.taken : 0;
      if (x.persisted !== expected)
        problems.push(`${where}: rowsPersisted ${x.persisted}, expected ${expected} (records taken)`);
      if (mode === 'disk' && (x.written ?? 1) === 0)
        problems.push(`${where}: nothing was written to the disk`);
    });

  const persisted = disk.rs.reduce((n, x) => n + x.persisted, 0);
  const taken = disk.rs.reduce((n, x) => n + x.taken, 0);
  const answered = disk.rs.reduce((n, x) => n + x.answered200 * per, 0);
  const written = disk.rs.reduce((n, x) => n + (x.written ?? 0), 0);
  console.log(
    `  durability: ${per}-record protobuf requests as fast as ${CONNECTIONS} connections go, ${SECONDS} s windows, ` +
      `median of ${ROUNDS} alternating rounds, queue room for the whole window; disk: fresh spool directory in ` +
      describeFileSystem(setup.tmp),
  );
  for (const [mode, f] of [
    ['disk', disk],
    ['memory', memory],
  ] as const)
    console.log(
      `    ${mode.padEnd(6)} ${fmt(f.rate, 1)} requests/s answered 200 (${fmt(f.rate * per)} records/s), ` +
        `p50 ${fmt(f.p50, 1)} ms, p99 ${fmt(f.p99, 1)} ms; delivered end to end (window + drain) ${fmt(f.endToEnd)} rows/s; ` +
        `process CPU ${fmt(f.cpuPerRow * 1e6, 1)} µs per row; ${f.notOk} answers other than 200 seen by the client, ` +
        `${f.cut} requests taken after the client had gone; ` +
        `per round: ${f.rs.map((x) => `${x.answered200} × 200, drained in ${fmt(x.drain, 1)} s`).join('; ')}`,
    );
  console.log(
    `    disk: rowsPersisted ${persisted} = security records taken ${taken} (${answered} of them answered 200, the ` +
      `rest taken after their client had gone); ${fmt(written / 1048576)} MiB written to storage in the windows ` +
      `(${fmt(written / Math.max(persisted, 1))} bytes per row persisted)`,
  );
  for (const p of problems) console.log(`    FAIL: ${p}`);

  /** A figure of memory, and the same of disk next to it. */
  const pair = (what: string, unit: string, m: number, d: number, target?: number): BenchResult[] => [
    { name: `gateway.durability.memory.${what}`, value: m, unit },
    {
      name: `gateway.durability.disk.${what}`,
      value: d,
      unit,
      baseline: `gateway.durability.memory.${what}`,
      ratio: d / Math.max(m, 1e-12),
      ...(target === undefined ? {} : { target }),
    },
  ];
  const results: BenchResult[] = [
    ...pair('requests', 'requests/s', memory.rate, disk.rate, 0.5),
    ...pair('records', 'records/s', memory.rate * per, disk.rate * per),
    ...pair('p50', 'µs', memory.p50 * 1000, disk.p50 * 1000),
    ...pair('p99', 'µs', memory.p99 * 1000, disk.p99 * 1000),
    ...pair('end-to-end', 'rows/s', memory.endToEnd, disk.endToEnd),
    ...pair('cpu-per-row', 'µs', memory.cpuPerRow * 1e6, disk.cpuPerRow * 1e6),
    {
      // Exactly 1: checked above, with the 200s (every 200 is 512 of the records taken).
      name: 'gateway.durability.disk.persisted',
      value: persisted,
      unit: 'rows',
      baseline: 'security records taken',
      ratio: persisted / Math.max(taken, 1),
      target: 1,
    },
  ];
  return { results, ok: problems.length === 0 };
}
