// A loopback Logs Ingestion sink for the benchmarks of every package: HTTPS with a self-signed
// certificate made at start, in a worker thread (sink-worker.ts) so its reading and gunzipping do
// not share the benchmark's event loop, and a fixed bearer token so no identity service is on
// the path. The exporter's and the gateway's benches ship to it; the emulator's uses it as the
// floor of an ingestion endpoint.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SinkCommand, SinkReply, SinkWorkerData } from './sink-worker.ts';

/** What the sink has received since it started. */
export interface SinkStats {
  readonly requests: number;
  /** Uncompressed request body bytes. */
  readonly bytes: number;
  readonly rows: number;
  /** Values of the `collect` column, in arrival order. */
  readonly collected: readonly unknown[];
}

export interface Sink {
  /** `https://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** The sink's self-signed certificate, to trust it (`tlsOptions: { ca }`). */
  readonly ca: string;
  stats(): Promise<SinkStats>;
  /** Reads every request but holds its answer until `release()`. */
  stall(): Promise<SinkStats>;
  /** Answers the held requests (204) and every later one at once. */
  release(): Promise<SinkStats>;
  close(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1, made with the `openssl` command in a temp dir. */
export function selfSignedCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'otel-sentinel-bench-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore', timeout: 30_000 },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts the sink in a worker thread: 204 to every POST after reading and gunzipping the body.
 * `collect` names a column whose values it keeps (it then parses every body); `parse` parses every
 * body without keeping anything.
 */
export async function startSink(options: { collect?: string; parse?: boolean } = {}): Promise<Sink> {
  const { key, cert } = selfSignedCertificate();
  const data: SinkWorkerData = {
    key,
    cert,
    ...(options.collect !== undefined ? { collect: options.collect } : {}),
    ...(options.parse !== undefined ? { parse: options.parse } : {}),
  };
  const worker = new Worker(new URL('./sink-worker.ts', import.meta.url), { workerData: data });
  const waiting = new Map<number, { resolve: (r: SinkReply) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let failure: Error | undefined;
  worker.on('message', (r: SinkReply) => {
    waiting.get(r.id)?.resolve(r);
    waiting.delete(r.id);
    // Keeps the process alive only while a reply is awaited: a forgotten sink never holds it.
    if (waiting.size === 0) worker.unref();
  });
  worker.on('error', (error) => {
    failure = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  });
  const ready = await new Promise<SinkReply>((resolve, reject) => {
    waiting.set(0, { resolve, reject });
  });
  const send = (command: SinkCommand): Promise<SinkStats> => {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise<SinkReply>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, command });
    });
  };
  return {
    endpoint: `https://127.0.0.1:${ready.port ?? 0}`,
    ca: cert,
    stats: () => send('stats'),
    stall: () => send('stall'),
    release: () => send('release'),
    close: async () => {
      await send('close');
      await worker.terminate();
    },
  };
}

/** A fixed bearer token: no identity service on the path (an `@azure/core-auth` TokenCredential). */
export class StaticCredential {
  calls = 0;

  getToken(): Promise<{ token: string; expiresOnTimestamp: number }> {
    this.calls++;
    return Promise.resolve({ token: 'bench-token-0123456789', expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}
