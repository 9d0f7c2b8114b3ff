// The loopback Logs Ingestion sink, in a worker thread so that reading and gunzipping request
// bodies does not share the benchmark's event loop: answers 204 to every POST (or holds the
// answer while stalled), counting requests, uncompressed bytes and rows. With `parse`, it also
// parses every body as JSON, as any ingestion endpoint that checks rows must: the emulator's floor.
import { createServer } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';

export interface SinkWorkerData {
  readonly key: string;
  readonly cert: string;
  /** A column whose values are collected from every row received (parses each body). */
  readonly collect?: string;
  /** Parse every body as JSON (a JSON array of rows), and count its rows from the parse. */
  readonly parse?: boolean;
}

export type SinkCommand = 'stats' | 'stall' | 'release' | 'close';

export interface SinkReply {
  readonly id: number;
  readonly port?: number;
  readonly requests: number;
  readonly bytes: number;
  readonly rows: number;
  readonly collected: readonly unknown[];
}

if (parentPort === null) throw new Error('sink-worker.ts runs as a worker thread (see startSink in sink.ts)');
const port = parentPort;
const data = workerData as SinkWorkerData;

// Every row has a TimeGenerated column, once; counting the key avoids parsing the body.
const ROW_MARK = Buffer.from('"TimeGenerated":');
let requests = 0;
let bytes = 0;
let rows = 0;
const collected: unknown[] = [];
let stalled = false;
const held: ServerResponse[] = [];

function countRows(body: Buffer): number {
  let n = 0;
  for (let i = body.indexOf(ROW_MARK); i !== -1; i = body.indexOf(ROW_MARK, i + ROW_MARK.length)) n++;
  return n;
}

function answer(res: ServerResponse): void {
  res.writeHead(204).end();
}

const server = createServer({ key: data.key, cert: data.cert, keepAliveTimeout: 60_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    requests++;
    bytes += body.length;
    if (data.collect !== undefined || data.parse === true) {
      const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>[];
      rows += parsed.length;
      if (data.collect !== undefined) for (const row of parsed) collected.push(row[data.collect]);
    } else rows += countRows(body);
    if (stalled) held.push(res);
    else answer(res);
  });
});

function reply(id: number, extra: { port?: number } = {}): void {
  const r: SinkReply = { id, requests, bytes, rows, collected, ...extra };
  port.postMessage(r);
}

port.on('message', (msg: { id: number; command: SinkCommand }) => {
  switch (msg.command) {
    case 'stats':
      break;
    case 'stall':
      stalled = true;
      break;
    case 'release':
      stalled = false;
      for (const res of held.splice(0)) answer(res);
      break;
    case 'close':
      server.closeAllConnections();
      server.close();
      break;
  }
  reply(msg.id);
});

server.listen(0, '127.0.0.1', () => {
  reply(0, { port: (server.address() as AddressInfo).port });
});
