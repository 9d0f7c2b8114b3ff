// Ingestion capacity of the emulator, measured against an independent load. A load process (this
// file run with --load, a process of its own) POSTs pre-built, gzipped request bodies to the Logs
// Ingestion endpoint as fast as its connections go, with a bearer token from the emulator's Entra
// endpoint, and counts on its side the rows answered 204 per second. In alternating rounds the
// same load drives the floor: the loopback sink of bench/sink.ts told to parse every body — TLS,
// read, gunzip, JSON.parse, 204: the work any ingestion endpoint that checks rows must do, with
// nothing checked or stored. The emulator, on top of that, authenticates the token, validates and
// types every row, runs the DCR transform and inserts the rows into its file-backed SQLite store.
// Both servers run in worker threads of this process, so the load process has a core of its own.
// Target: the emulator's rate ≥ 0.1 of the floor's (its work per row at most 10× the floor's).
// Exact: the stored rows and the floor's parsed rows each equal the rows answered 204 (ratio 1).
// The rows come from examples/mappings/app-security.yaml compiled by @otel-sentinel/mapping, as
// the exporter builds them, cut into bodies of at most 950,000 bytes as the exporter cuts them.
// Checked too: every request answered 204 (a 429 would cap the rate at the service's limits),
// the floor counted every row it answered for, and `<Table> | count` equals the rows the emulator
// answered 204 for.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { compileMapping, loadMapping } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { eventName, securityAttributes, securityBody, succeeded, T0 } from '../../../bench/fixtures.ts';
import { median, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { startSink } from '../../../bench/sink.ts';

/** Records mapped into the bodies the load sends over and over. */
const RECORDS = 20_000;
/** Measured rounds of each server, after one warm-up round of each. */
const ROUNDS = 5;
const SECONDS = 3;
/** Requests in flight at once: the exporter's default (2 batches × 2 requests). */
const CONNECTIONS = 4;
/** The exporter's cut: bodies as large as its requests. */
const MAX_BATCH_BYTES = 950_000;
/** The floor's target: the emulator's rate ≥ this share of the floor's. */
const TARGET = 0.1;
const API_VERSION = '2023-01-01';
const MAPPING = fileURLToPath(new URL('../../../examples/mappings/app-security.yaml', import.meta.url));
/** Every stream's table, as the mapping names them. */
const TABLES = ['AppAuthEvents_CL', 'AppSecurityEvents_CL'] as const;

// ---------------------------------------------------------------------------------------------
// The load process: as fast as CONNECTIONS requests in flight go, for SECONDS; every request that
// started before the end is waited for, so each one answered is counted.

interface Body {
  readonly file: string;
  /** Path and query, `/dataCollectionRules/<dcr>/streams/<stream>?api-version=…`. */
  readonly path: string;
  readonly rows: number;
}

interface LoadConfig {
  readonly origin: string;
  readonly ca: string;
  readonly token: string;
  readonly bodies: readonly Body[];
}

interface LoadResult {
  readonly seconds: number;
  readonly requests: number;
  /** Rows of the requests answered 204. */
  readonly rows: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
}

async function loadProcess(config: LoadConfig): Promise<LoadResult> {
  const bodies = config.bodies.map((b) => ({ ...b, data: readFileSync(b.file) }));
  const url = new URL(config.origin);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS, ca: config.ca });
  const post = (body: (typeof bodies)[number]): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: body.path,
          headers: {
            authorization: `Bearer ${config.token}`,
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': body.data.length,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on('error', reject);
      req.end(body.data);
    });
  let next = 0;
  let requests = 0;
  let rows = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  const deadline = t0 + BigInt(SECONDS * 1e9);
  const connection = async (): Promise<void> => {
    while (process.hrtime.bigint() < deadline) {
      const body = bodies[next++ % bodies.length];
      if (body === undefined) return;
      requests++;
      try {
        const status = await post(body);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 204) rows += body.rows;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, connection));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return { seconds, requests, rows, statuses, errors };
}

function runLoad(configFile: string): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load', configFile], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.on('message', (m: LoadResult) => {
      resolve(m);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`the load process exited with ${String(code)}`));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The emulator's thread: file-backed, answering row counts between rounds.

interface WorkerInput {
  readonly dataDir: string;
}
type Command = 'count' | 'close';
interface Reply {
  readonly id: number;
  readonly counts?: Record<string, number>;
  readonly ready?: { readonly origin: string; readonly ca: string; readonly env: Record<string, string> };
  readonly error?: string;
}

async function emulatorThread(input: WorkerInput): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('not a worker');
  const { startEmulator } = await import('@otel-sentinel/emulator');
  const emulator = await startEmulator({ mappings: [MAPPING], port: 0, dataDir: input.dataDir });
  port.on('message', (message: { id: number; command: Command }) => {
    const reply = (r: Omit<Reply, 'id'>): void => {
      port.postMessage({ id: message.id, ...r });
    };
    try {
      if (message.command === 'count') {
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

interface EmulatorHandle {
  readonly ready: NonNullable<Reply['ready']>;
  ask(command: Command): Promise<Reply>;
  stop(): Promise<void>;
}

async function startEmulatorThread(dataDir: string): Promise<EmulatorHandle> {
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
  if (!started.ready) throw new Error('the emulator did not start');
  return {
    ready: started.ready,
    ask,
    stop: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The request bodies: the fixture records mapped by the example mapping, per stream.

/** The i-th security record (bench/fixtures.ts): three in five to AppAuthEvents_CL, the rest to AppSecurityEvents_CL. */
function securityRecord(i: number): LogRecordLike {
  const ok = succeeded(i);
  const ms = T0 + i;
  return {
    hrTime: [Math.floor(ms / 1000), (ms % 1000) * 1e6],
    severityNumber: ok ? 9 : 13,
    severityText: ok ? 'INFO' : 'WARN',
    eventName: eventName(i),
    body: securityBody(i, false),
    attributes: securityAttributes(i),
    resource: { attributes: { 'service.name': 'checkout-api', 'host.name': 'checkout-7f9c-2' } },
  };
}

function writeBodies(dir: string, dcr: string, env: Record<string, string>): Body[] {
  const mapping = compileMapping(loadMapping(MAPPING, { env }), { env });
  const byStream = new Map<string, string[]>();
  for (let i = 0; i < RECORDS; i++) {
    const outcome = mapping.map(securityRecord(i));
    if (outcome.status !== 'mapped') throw new Error(`record ${i} not mapped: ${outcome.status}`);
    const rows = byStream.get(outcome.stream.stream) ?? [];
    rows.push(JSON.stringify(outcome.row));
    byStream.set(outcome.stream.stream, rows);
  }
  const bodies: Body[] = [];
  for (const [stream, rows] of byStream) {
    let batch: string[] = [];
    let bytes = 2;
    const cut = (): void => {
      if (batch.length === 0) return;
      const file = join(dir, `body-${bodies.length}.json.gz`);
      writeFileSync(file, gzipSync(`[${batch.join(',')}]`));
      bodies.push({
        file,
        path: `/dataCollectionRules/${dcr}/streams/${stream}?api-version=${API_VERSION}`,
        rows: batch.length,
      });
      batch = [];
      bytes = 2;
    };
    for (const json of rows) {
      if (bytes + json.length + 1 > MAX_BATCH_BYTES) cut();
      batch.push(json);
      bytes += json.length + 1;
    }
    cut();
  }
  return bodies;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'otel-sentinel-emulator-bench-'));
  const emulator = await startEmulatorThread(join(tmp, 'data'));
  const floor = await startSink({ parse: true });
  const { ready } = emulator;
  const dcr = ready.env.SENTINEL_DCR_IMMUTABLE_ID ?? '';
  const hashKey = 'bench-hash-key-0123456789abcdef0123456789abcdef';
  const bodies = writeBodies(tmp, dcr, { OTEL_SENTINEL_HASH_KEY: hashKey, SENTINEL_DCR_IMMUTABLE_ID: dcr });

  const { ClientSecretCredential } = await import('@azure/identity');
  const credential = new ClientSecretCredential(
    ready.env.AZURE_TENANT_ID ?? '',
    ready.env.AZURE_CLIENT_ID ?? '',
    ready.env.AZURE_CLIENT_SECRET ?? '',
    { authorityHost: ready.origin, disableInstanceDiscovery: true, tlsOptions: { ca: ready.ca } },
  );
  const token = (await credential.getToken('https://monitor.azure.com/.default')).token;

  const targets = {
    emulator: { origin: ready.origin, ca: ready.ca },
    floor: { origin: floor.endpoint, ca: floor.ca },
  } as const;
  const configFiles = new Map<string, string>();
  for (const [name, t] of Object.entries(targets)) {
    const file = join(tmp, `load-${name}.json`);
    writeFileSync(file, JSON.stringify({ ...t, token, bodies } satisfies LoadConfig));
    configFiles.set(name, file);
  }

  const order = ['emulator', 'floor'] as const;
  const rates = new Map<string, number[]>(order.map((n) => [n, []]));
  const totals = new Map<
    string,
    { requests: number; ok: number; rows: number; statuses: Record<string, number> }
  >(order.map((n) => [n, { requests: 0, ok: 0, rows: 0, statuses: {} }]));
  for (let r = -1; r < ROUNDS; r++) {
    for (let i = 0; i < order.length; i++) {
      const name = order[(i + Math.max(r, 0)) % order.length] ?? 'floor';
      const load = await runLoad(configFiles.get(name) ?? '');
      const t = totals.get(name);
      if (t) {
        t.requests += load.requests;
        t.ok += load.statuses['204'] ?? 0;
        t.rows += load.rows;
        for (const [code, n] of Object.entries(load.statuses)) t.statuses[code] = (t.statuses[code] ?? 0) + n;
        if (load.errors > 0) t.statuses.error = (t.statuses.error ?? 0) + load.errors;
      }
      if (r >= 0) rates.get(name)?.push(load.rows / load.seconds); // round -1 is the warm-up
    }
  }
  const counts = (await emulator.ask('count')).counts ?? {};
  const floorRows = (await floor.stats()).rows;
  await emulator.stop();
  await floor.close();
  rmSync(tmp, { recursive: true, force: true });

  const emulatorRate = median(rates.get('emulator') ?? []);
  const floorRate = median(rates.get('floor') ?? []);
  const em = totals.get('emulator') ?? { requests: 0, ok: 0, rows: 0, statuses: {} };
  const fl = totals.get('floor') ?? { requests: 0, ok: 0, rows: 0, statuses: {} };
  const stored = TABLES.reduce((n, t) => n + (counts[t] ?? 0), 0);
  const rowsPerBody = bodies.reduce((n, b) => n + b.rows, 0) / bodies.length;
  console.log(
    `emulator ingest: ${bodies.length} gzipped bodies of ${rowsPerBody.toFixed(0)} rows on average, ` +
      `${CONNECTIONS} requests in flight from a load process, ${SECONDS} s rounds, median of ${ROUNDS} ` +
      `alternating rounds after a warm-up, Node ${process.version}`,
  );
  console.log(
    `  emulator ${fmt(emulatorRate)} rows/s (statuses ${JSON.stringify(em.statuses)}) | floor (gunzip + ` +
      `JSON.parse) ${fmt(floorRate)} rows/s (statuses ${JSON.stringify(fl.statuses)}) | ratio ` +
      (emulatorRate / floorRate).toFixed(3),
  );
  console.log(
    `  stored ${stored} rows (${TABLES.map((t) => `${t} ${counts[t] ?? 0}`).join(', ')}) of ${em.rows} answered 204; ` +
      `the floor parsed ${floorRows} rows of ${fl.rows} answered 204`,
  );

  const results: BenchResult[] = [
    { name: 'emulator.ingest.floor', value: floorRate, unit: 'rows/s' },
    {
      name: 'emulator.ingest.capacity',
      value: emulatorRate,
      unit: 'rows/s',
      baseline: 'emulator.ingest.floor',
      ratio: emulatorRate / floorRate,
      target: TARGET,
    },
    {
      name: 'emulator.ingest.answered-204',
      value: em.ok,
      unit: 'requests',
      baseline: 'requests sent to the emulator',
      ratio: em.ok / Math.max(em.requests, 1),
      target: 1,
    },
    {
      name: 'emulator.ingest.rows-stored',
      value: stored,
      unit: 'rows',
      baseline: 'rows answered 204',
      ratio: stored / Math.max(em.rows, 1),
      target: 1,
      limit: 1,
    },
    {
      name: 'emulator.ingest.floor-rows-counted',
      value: floorRows,
      unit: 'rows',
      baseline: 'rows the floor answered 204',
      ratio: floorRows / Math.max(fl.rows, 1),
      target: 1,
      limit: 1,
    },
  ];
  report(results, new URL('../.bench/results.json', import.meta.url));
}

function fmt(x: number): string {
  return Math.round(x).toLocaleString('en-US');
}

// Last, so every constant above is initialised before any side runs.
if (process.argv[2] === '--load') {
  const result = await loadProcess(JSON.parse(readFileSync(process.argv[3] ?? '', 'utf8')) as LoadConfig);
  process.send?.(result, () => {
    process.disconnect();
  });
} else if (isMainThread) await main();
else await emulatorThread(workerData as WorkerInput);
