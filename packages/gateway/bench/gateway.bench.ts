// The gateway's costs, each next to a baseline measured in the same run:
// 1. one core: OTLP requests of 512 security records (bench/fixtures.ts) received, decoded,
//    split and mapped by the request handler, called directly (no network), for protobuf and
//    OTLP/JSON bodies — next to floors that any handler must pay and that build nothing: for
//    protobuf, walking every field of the wire format (wire-scan.ts) and copying the bytes; for
//    JSON, `JSON.parse` of the UTF-8 text (the gateway's JSON decoder parses with it too).
//    Targets: protobuf ≥ 0.04 of the wire walk (the earlier target, half of protobufjs's `decode`
//    rate, which is 0.07–0.08 of the walk), JSON ≥ 0.2 of the parse. protobufjs's `decode` of the
//    same body is printed for comparison (the gateway's decoder beats it: not a floor).
// 2. p50/p99 latency of POST /v1/logs (512 records, protobuf) under a steady load from a second
//    process (autocannon) on loopback, the gateway shipping to a loopback HTTPS Logs Ingestion
//    sink in a worker thread — next to GET /healthz under the same load (the server's floor).
//    Targets: every request answered 200, every row taken shipped.
// 3. a stalled upstream: operational requests as fast as a second process can send them, the
//    upstream never answering. The gateway must answer 503 once its upstream queue is full and
//    its memory must stop growing. Targets: the queued bytes stay ≤ maxUpstreamQueueBytes, the
//    RSS grows ≤ a quarter of maxUpstreamQueueBytes in the last of 4 phases, and ≥ half of the
//    requests are answered 503.
// 4. durability: the same requests as fast as 12 connections go, to a gateway with
//    `durability: 'disk'` (200 only once the rows are committed to the write-ahead queue, fsync
//    per group commit, a fresh spool directory under os.tmpdir()) and to one with 'memory', in
//    alternating rounds: requests answered 200 per second, disk next to memory (target ≥ 0.5),
//    their latency, and checks that every 200 of the disk case is persisted rows.
// Parts 2 and 3 run `durability: 'memory'` (no spool directory), as they did before 'disk' was
// the default: their figures stay comparable between runs.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import protobuf from 'protobufjs';
import { SentinelLogExporter } from '@otel-sentinel/exporter';
import type { MappedRow } from '@otel-sentinel/exporter';
import {
  eventName,
  securityAttributes,
  securityBody,
  securityMapping,
  succeeded,
  T0,
} from '../../../bench/fixtures.ts';
import { measure, report } from '../../../bench/harness.ts';
import type { BenchResult } from '../../../bench/harness.ts';
import { startSink, StaticCredential } from '../../../bench/sink.ts';
import { durableVsMemory } from './durable-throughput.ts';
import { ExportHandler } from '../dist/export-handler.js';
import { GatewayCounters } from '../dist/gateway-counters.js';
import { startGateway } from '../dist/index.js';
import { LogLimiter } from '../dist/log-limiter.js';
import { decodeLogsRequest } from '../dist/otlp/index.js';
import { scanLogRecords } from './wire-scan.ts';

const RECORDS = 512;
const PROTOBUF = 'application/x-protobuf';
const root = protobuf.loadSync(fileURLToPath(new URL('../proto/logs.proto', import.meta.url)));
const RequestType = root.lookupType('otelsentinel.otlp.v1.ExportLogsServiceRequest');

export interface LoadConfig {
  readonly url: string;
  readonly bodyFile?: string;
  readonly method: 'GET' | 'POST';
  readonly connections: number;
  readonly seconds: number;
  /** Requests per second over all connections; 0 for as fast as possible. */
  readonly rate: number;
}

export interface LoadResult {
  /** Seconds the load ran. */
  readonly duration: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
}

function attributesOf(values: Record<string, string | number | boolean>): unknown[] {
  return Object.entries(values).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'boolean'
          ? { boolValue: v }
          : Number.isInteger(v)
            ? { intValue: v }
            : { doubleValue: v },
  }));
}

/** One OTLP request as OTLP/JSON (what the OTel JS JSON serializer writes: intValue as a number). */
function requestObject(security: boolean, from = 0): Record<string, unknown> {
  const logRecords = Array.from({ length: RECORDS }, (_, k) => {
    const i = from + k;
    const ok = succeeded(i);
    const time = `${BigInt(T0 + i) * 1_000_000n}`;
    return security
      ? {
          timeUnixNano: time,
          observedTimeUnixNano: time,
          severityNumber: ok ? 9 : 13,
          severityText: ok ? 'INFO' : 'WARN',
          eventName: eventName(i),
          body: { stringValue: securityBody(i, false) },
          attributes: attributesOf(securityAttributes(i)),
          traceId: (0x5f3a0000 + i).toString(16).padStart(32, '0'),
          spanId: (0x1000 + i).toString(16).padStart(16, '0'),
        }
      : {
          timeUnixNano: time,
          severityNumber: 9,
          severityText: 'INFO',
          body: { stringValue: `GET /api/v2/catalog/${i & 1023} 200 in ${i % 97} ms` },
          attributes: attributesOf({
            'http.route': '/api/v2/catalog/:id',
            'http.response.status_code': 200,
            'cache.hit': i % 3 === 0,
          }),
        };
  });
  return {
    resourceLogs: [
      {
        resource: {
          attributes: attributesOf({
            'service.name': 'checkout-api',
            'service.version': '4.2.1',
            'host.name': 'checkout-7f9c-2',
            'deployment.environment.name': 'production',
          }),
        },
        scopeLogs: [{ scope: { name: 'auth', version: '1.0.0' }, logRecords }],
      },
    ],
  };
}

function jsonBody(security: boolean): Buffer {
  return Buffer.from(JSON.stringify(requestObject(security)));
}

/** The same request in protobuf (trace and span ids as bytes, as the proto exporter sends them). */
function protobufBody(security: boolean): Buffer {
  const object = requestObject(security) as {
    resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[];
  };
  for (const r of object.resourceLogs[0]?.scopeLogs[0]?.logRecords ?? []) {
    if (typeof r.traceId === 'string') r.traceId = Buffer.from(r.traceId, 'hex');
    if (typeof r.spanId === 'string') r.spanId = Buffer.from(r.spanId, 'hex');
  }
  return Buffer.from(RequestType.encode(RequestType.fromObject(object)).finish());
}

/** The second process: runs autocannon and prints its figures as JSON. */
async function loadProcess(config: LoadConfig): Promise<void> {
  const body = config.bodyFile === undefined ? undefined : readFileSync(config.bodyFile);
  const result = await autocannon({
    url: config.url,
    method: config.method,
    connections: config.connections,
    duration: config.seconds,
    ...(config.rate > 0 ? { overallRate: config.rate } : {}),
    ...(body === undefined ? {} : { body, headers: { 'content-type': PROTOBUF } }),
  });
  const statuses: Record<string, number> = {};
  for (const [code, s] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = s.count ?? 0;
  const out: LoadResult = {
    duration: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
    errors: result.errors + result.timeouts,
  };
  process.stdout.write(JSON.stringify(out));
}

function runLoad(config: LoadConfig): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [fileURLToPath(import.meta.url), '--load', JSON.stringify(config)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out) as LoadResult);
      else reject(new Error(`the load process exited with ${String(code)}`));
    });
  });
}

const STALLED_QUEUE_BYTES = 32 * 1024 * 1024;
/** Flood phases of part 3: RSS must stop growing from one to the next. */
const PHASES = 4;

interface StalledMessage {
  readonly url: string;
  /** RSS at start (ready), or its peak so far. */
  readonly rss: number;
  readonly peak: number;
  readonly queuedBytes: number;
}

/** Part 3's gateway process: a stalled upstream and a gateway forwarding to it; reports RSS over IPC. */
async function stalledGatewayProcess(): Promise<void> {
  const held: ServerResponse[] = [];
  const stalled = createServer((req, res) => {
    req.resume();
    held.push(res);
  });
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  const gateway = await startGateway({
    // No security record is sent: the Sentinel side stays idle.
    mapping: securityMapping('https://127.0.0.1:9'),
    port: 0,
    upstream: `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`,
    maxUpstreamQueueBytes: STALLED_QUEUE_BYTES,
    upstreamTimeoutMs: 600_000,
    // Its figures are read before the stop: the stop need not wait for the stalled upstream.
    shutdownTimeoutMs: 1000,
    durability: 'memory',
    exporter: { credential: new StaticCredential(), spool: false },
  });
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const message = (): StalledMessage => ({
    url: gateway.url,
    rss: process.memoryUsage.rss(),
    peak,
    queuedBytes: gateway.stats().upstream.queuedBytes,
  });
  process.on('message', (command: 'mark' | 'stop') => {
    if (command === 'mark') {
      process.send?.(message());
      return;
    }
    clearInterval(sampler);
    const last = message();
    for (const res of held) res.destroy();
    stalled.closeAllConnections();
    stalled.close();
    void gateway.close().then(() => {
      process.send?.(last, () => {
        process.disconnect();
      });
    });
  });
  process.send?.(message());
}

function fmt(x: number, digits = 0): string {
  return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main(): Promise<void> {
  const sink = await startSink();
  const credential = new StaticCredential();
  const mapping = securityMapping(sink.endpoint);
  const results: BenchResult[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-bench-'));

  // 1. The request handler on one core, next to decoding alone.
  const exporter = new SentinelLogExporter({ mapping, credential, spool: false });
  let rows = 0;
  const handler = new ExportHandler({
    exporter,
    security: {
      capacity: Number.MAX_SAFE_INTEGER,
      freeCapacity: Number.MAX_SAFE_INTEGER,
      persistent: false,
      submit(mapped: readonly MappedRow[]) {
        rows += mapped.length;
        return {
          persisted: Promise.resolve(false),
          settled: Promise.resolve({ delivered: 0, spooled: 0, lost: 0 }),
        };
      },
    },
    upstream: undefined,
    counters: new GatewayCounters(),
    retryAfterSeconds: 5,
    log: new LogLimiter(() => undefined),
  });
  const proto = protobufBody(true);
  const json = jsonBody(true);
  for (const [body, format] of [
    [proto, 'protobuf'],
    [json, 'json'],
  ] as const) {
    const before = rows;
    const answer = await handler.handle(body, format);
    if (answer.status !== 200 || rows - before !== RECORDS)
      throw new Error(`the ${format} body was not taken whole: ${answer.status}, ${rows - before} rows`);
  }
  if (scanLogRecords(proto) !== RECORDS)
    throw new Error(`the wire scan found ${scanLogRecords(proto)} records in a body of ${RECORDS}`);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  // One operation is one record: run(n) handles n / 512 requests (the harness's n grows in powers
  // of two from 256, so every timed batch is whole requests).
  const bodies = (n: number): number => Math.max(1, Math.round(n / RECORDS));
  const rates = measure([
    {
      name: 'handle.protobuf',
      run: (n) => {
        // The handler's work is synchronous up to its answer (no store here): timed as called.
        for (let i = bodies(n); i > 0; i--) void handler.handle(proto, 'protobuf');
        return rows;
      },
    },
    {
      name: 'codec.protobuf',
      run: (n) => {
        let x = 0;
        for (let i = bodies(n); i > 0; i--) x ^= decodeLogsRequest(proto, 'protobuf').records.length;
        return x;
      },
    },
    {
      name: 'scan.protobuf',
      run: (n) => {
        let x = 0;
        for (let i = bodies(n); i > 0; i--) x ^= scanLogRecords(proto);
        return x;
      },
    },
    {
      name: 'copy.protobuf',
      run: (n) => {
        let x = 0;
        for (let i = bodies(n); i > 0; i--) x ^= Buffer.from(proto)[i % proto.length] ?? 0;
        return x;
      },
    },
    {
      name: 'protobufjs.protobuf',
      run: (n) => {
        let x = 0;
        for (let i = bodies(n); i > 0; i--)
          x ^= (RequestType.decode(proto) as unknown as { resourceLogs: unknown[] }).resourceLogs.length;
        return x;
      },
    },
    {
      name: 'handle.json',
      run: (n) => {
        for (let i = bodies(n); i > 0; i--) void handler.handle(json, 'json');
        return rows;
      },
    },
    {
      name: 'decode.json',
      run: (n) => {
        let x = 0;
        for (let i = bodies(n); i > 0; i--)
          x ^= (JSON.parse(utf8.decode(json)) as { resourceLogs: unknown[] }).resourceLogs.length;
        return x;
      },
    },
  ]);
  const rate = (name: string): number => rates.get(name) ?? 0;
  console.log(
    `gateway: requests of ${RECORDS} security records (protobuf ${fmt(proto.length / 1024, 1)} KiB, ` +
      `JSON ${fmt(json.length / 1024, 1)} KiB), one core, median of 7 rounds, Node ${process.version}`,
  );
  results.push(
    { name: 'gateway.floor.wire-scan.protobuf', value: rate('scan.protobuf'), unit: 'records/s' },
    { name: 'gateway.floor.copy.protobuf', value: rate('copy.protobuf'), unit: 'records/s' },
    {
      name: 'gateway.handle.protobuf',
      value: rate('handle.protobuf'),
      unit: 'records/s',
      baseline: 'gateway.floor.wire-scan.protobuf',
      ratio: rate('handle.protobuf') / rate('scan.protobuf'),
      target: 0.04,
    },
    {
      name: 'gateway.handle.protobuf.vs-copy',
      value: rate('handle.protobuf'),
      unit: 'records/s',
      baseline: 'gateway.floor.copy.protobuf',
      ratio: rate('handle.protobuf') / rate('copy.protobuf'),
    },
    {
      name: 'gateway.codec-only.protobuf',
      value: rate('codec.protobuf'),
      unit: 'records/s',
      baseline: 'gateway.floor.wire-scan.protobuf',
      ratio: rate('codec.protobuf') / rate('scan.protobuf'),
    },
    {
      name: 'gateway.protobufjs-decode.protobuf',
      value: rate('protobufjs.protobuf'),
      unit: 'records/s',
      baseline: 'gateway.floor.wire-scan.protobuf',
      ratio: rate('protobufjs.protobuf') / rate('scan.protobuf'),
    },
    { name: 'gateway.floor.json-parse.json', value: rate('decode.json'), unit: 'records/s' },
    {
      name: 'gateway.handle.json',
      value: rate('handle.json'),
      unit: 'records/s',
      baseline: 'gateway.floor.json-parse.json',
      ratio: rate('handle.json') / rate('decode.json'),
      target: 0.2,
    },
  );
  await exporter.shutdown();

  // 2. Latency under a steady load from a second process.
  const gateway = await startGateway({
    mapping,
    port: 0,
    durability: 'memory',
    exporter: { credential, clientOptions: { tlsOptions: { ca: sink.ca } }, spool: false },
  });
  const bodyFile = join(tmp, 'security.pb');
  writeFileSync(bodyFile, proto);
  // A load the pipeline sustains with room to spare: a tenth of the handler's own rate (the
  // same core also serialises, compresses and uploads the rows).
  // A steady load the whole path sustains (the sink, the exporter's batches), not only the
  // handler: a tenth of the handler's rate, at most 12 requests/s (6,144 records/s).
  const steadyRate = Math.max(5, Math.min(12, Math.round(rate('handle.protobuf') / RECORDS / 10)));
  const load = { connections: 4, seconds: 10, rate: steadyRate } as const;
  await runLoad({ ...load, seconds: 2, url: `${gateway.url}/v1/logs`, method: 'POST', bodyFile }); // warm-up
  const healthz = await runLoad({ ...load, url: `${gateway.url}/healthz`, method: 'GET' });
  const logs = await runLoad({ ...load, url: `${gateway.url}/v1/logs`, method: 'POST', bodyFile });
  await gateway.flush();
  const shipped = gateway.stats().exporter.rowsExported;
  const taken = gateway.stats().records.security;
  await gateway.close();
  console.log(
    `  steady load ${steadyRate} req/s × ${RECORDS} records (${fmt(steadyRate * RECORDS)} records/s), ${load.connections} connections, ${load.seconds} s: ` +
      `/v1/logs p50 ${fmt(logs.p50, 2)} ms, p99 ${fmt(logs.p99, 2)} ms (${logs.requests} requests, statuses ${JSON.stringify(logs.statuses)}, ${logs.errors} errors); ` +
      `/healthz p50 ${fmt(healthz.p50, 2)} ms, p99 ${fmt(healthz.p99, 2)} ms; ${shipped} of ${taken} rows shipped to the sink`,
  );
  const ok = logs.statuses['200'] ?? 0;
  results.push(
    { name: 'gateway.healthz.p50', value: healthz.p50 * 1000, unit: 'µs' },
    { name: 'gateway.healthz.p99', value: healthz.p99 * 1000, unit: 'µs' },
    {
      name: 'gateway.latency.p50',
      value: logs.p50 * 1000,
      unit: 'µs',
      baseline: 'gateway.healthz.p50',
      ratio: logs.p50 / Math.max(healthz.p50, 0.001),
    },
    {
      name: 'gateway.latency.p99',
      value: logs.p99 * 1000,
      unit: 'µs',
      baseline: 'gateway.healthz.p99',
      ratio: logs.p99 / Math.max(healthz.p99, 0.001),
    },
    {
      name: 'gateway.latency.answered-200',
      value: ok,
      unit: 'requests',
      baseline: 'requests sent',
      ratio: ok / Math.max(logs.requests, 1),
      target: 1,
    },
    {
      name: 'gateway.latency.rows-shipped',
      value: shipped,
      unit: 'rows',
      baseline: 'security records taken',
      ratio: shipped / Math.max(taken, 1),
      target: 1,
    },
  );

  // 3. A stalled upstream: memory stays bounded, the excess is refused with 503. The gateway runs
  // in a fresh process of its own, so its RSS is not the one this process grew in parts 1 and 2.
  const opFile = join(tmp, 'operational.pb');
  writeFileSync(opFile, protobufBody(false));
  const opKiB = readFileSync(opFile).length / 1024;
  const child = fork(fileURLToPath(import.meta.url), ['--stalled-gateway'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies: ((m: StalledMessage) => void)[] = [];
  child.on('message', (m: StalledMessage) => replies.shift()?.(m));
  const ask = (command?: 'mark' | 'stop'): Promise<StalledMessage> =>
    new Promise((resolve) => {
      replies.push(resolve);
      if (command !== undefined) child.send(command);
    });
  const ready = await ask();
  const flood = {
    url: `${ready.url}/v1/logs`,
    method: 'POST',
    bodyFile: opFile,
    connections: 8,
    seconds: 5,
    rate: 0,
  } as const;
  const phases: { load: LoadResult; peak: number }[] = [];
  for (let i = 0; i < PHASES; i++) {
    const load = await runLoad(flood);
    phases.push({ load, peak: (await ask('mark')).peak });
  }
  const end = await ask('stop');
  const refused = phases.reduce((n, p) => n + (p.load.statuses['503'] ?? 0), 0);
  const accepted = phases.reduce((n, p) => n + (p.load.statuses['200'] ?? 0), 0);
  const sent = phases.reduce((n, p) => n + p.load.requests, 0);
  const growth = end.peak - ready.rss;
  const lastGrowth = (phases.at(-1)?.peak ?? 0) - (phases.at(-2)?.peak ?? 0);
  console.log(
    `  stalled upstream, ${fmt(opKiB, 1)} KiB requests of ${RECORDS} operational records as fast as 8 connections go, ${PHASES} × 5 s: ` +
      `${accepted} taken, ${refused} answered 503; upstream queue ${fmt(end.queuedBytes / 1048576, 1)} of ${fmt(STALLED_QUEUE_BYTES / 1048576)} MiB; ` +
      `gateway RSS ${fmt(ready.rss / 1048576)} MiB at start, peak growth after each phase: ` +
      phases.map((p) => `+${fmt((p.peak - ready.rss) / 1048576)}`).join(', ') +
      ' MiB',
  );
  results.push(
    {
      name: 'gateway.stalled-upstream.rss-growth',
      value: growth / 1048576,
      unit: 'MiB',
      baseline: 'maxUpstreamQueueBytes',
      ratio: growth / STALLED_QUEUE_BYTES,
    },
    {
      name: 'gateway.stalled-upstream.last-phase-growth',
      value: lastGrowth / 1048576,
      unit: 'MiB',
      baseline: 'maxUpstreamQueueBytes',
      ratio: lastGrowth / STALLED_QUEUE_BYTES,
      limit: 0.25,
    },
    {
      name: 'gateway.stalled-upstream.queued-bytes',
      value: end.queuedBytes / 1048576,
      unit: 'MiB',
      baseline: 'maxUpstreamQueueBytes',
      ratio: end.queuedBytes / STALLED_QUEUE_BYTES,
      limit: 1,
    },
    {
      name: 'gateway.stalled-upstream.answered-503',
      value: refused,
      unit: 'requests',
      baseline: 'requests sent',
      ratio: refused / Math.max(sent, 1),
      target: 0.5,
    },
  );

  // 4. Durable vs memory, under load.
  const durable = await durableVsMemory({
    mapping,
    credential,
    ca: sink.ca,
    bodyFile,
    recordsPerRequest: RECORDS,
    tmp,
    runLoad,
  });
  results.push(...durable.results);

  await sink.close();
  rmSync(tmp, { recursive: true, force: true });
  report(results, new URL('../.bench/results.json', import.meta.url));
  if (end.queuedBytes > STALLED_QUEUE_BYTES || refused === 0 || !durable.ok) process.exitCode = 1;
}

if (process.argv[2] === '--load') await loadProcess(JSON.parse(process.argv[3] ?? '{}') as LoadConfig);
else if (process.argv[2] === '--stalled-gateway') await stalledGatewayProcess();
else await main();
