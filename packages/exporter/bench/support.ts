// What the exporter benchmarks share: a loopback HTTPS Logs Ingestion sink with a self-signed
// certificate made at start, a static credential, a realistic 12-column mapping and the records.
import { eventName, securityAttributes, securityBody, succeeded, T0 } from '../../../bench/fixtures.ts';
import { median } from '../../../bench/harness.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogRecord } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SentinelLogExporterOptions } from '../dist/index.js';
import type { SinkCommand, SinkReply, SinkWorkerData } from './sink-worker.ts';

export const DCR = 'dcr-0123456789abcdef0123456789abcdef';
export const STREAM = 'Custom-AppSecurityEvents';

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
function selfSignedCertificate(): { key: string; cert: string } {
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
 * `collect` names a column whose values it keeps (it then parses every body).
 */
export async function startSink(options: { collect?: string } = {}): Promise<Sink> {
  const { key, cert } = selfSignedCertificate();
  const data: SinkWorkerData = {
    key,
    cert,
    ...(options.collect !== undefined ? { collect: options.collect } : {}),
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

/** A fixed bearer token: no identity service on the path. */
export class StaticCredential implements TokenCredential {
  calls = 0;

  getToken(): Promise<AccessToken> {
    this.calls++;
    return Promise.resolve({ token: 'bench-token-0123456789', expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

/** A realistic security table: 12 columns, the rest of the attributes in a dynamic column. */
export function benchMapping(endpoint: string): NonNullable<SentinelLogExporterOptions['mapping']> {
  return {
    version: 1,
    endpoint,
    dcrImmutableId: DCR,
    streams: [
      {
        stream: STREAM,
        table: 'AppSecurityEvents_CL',
        columns: {
          TimeGenerated: { from: 'timestamp' },
          EventName: { from: 'eventName', required: true },
          EventSeverity: 'severityText',
          EventOriginalUid: { from: "attributes['event.sequence']", type: 'long' },
          ActorUserId: "attributes['user.id']",
          SrcIpAddr: "attributes['client.address']",
          HttpUserAgent: "attributes['user_agent.original']",
          Url: "attributes['url.path']",
          HttpStatusCode: "attributes['http.response.status_code']",
          DvcHostname: "resource['host.name']",
          Message: 'body',
          AdditionalFields: {
            from: 'attributes',
            type: 'dynamic',
            exclude: [
              'security.event',
              'event.sequence',
              'user.id',
              'client.address',
              'user_agent.original',
              'url.path',
              'http.response.status_code',
            ],
          },
        },
      },
    ],
  };
}

export const resource = resourceFromAttributes({
  'service.name': 'checkout-api',
  'service.version': '4.2.1',
  'host.name': 'checkout-7f9c-2',
  'deployment.environment.name': 'production',
});

/** The i-th security record of a login/audit flow (bench/fixtures.ts): about 1 KB once mapped. */
export function securityRecord(i: number): LogRecord {
  const ok = succeeded(i);
  return {
    timestamp: T0 + i,
    severityNumber: ok ? SeverityNumber.INFO : SeverityNumber.WARN,
    severityText: ok ? 'INFO' : 'WARN',
    eventName: eventName(i),
    body: securityBody(i),
    attributes: securityAttributes(i),
  };
}

/** An operational record: five attributes, a body, a severity. */
export const OPERATIONAL: LogRecord = {
  severityNumber: SeverityNumber.INFO,
  severityText: 'INFO',
  eventName: 'http.request',
  body: 'GET /api/v2/orders/4711 answered 200 in 12 ms',
  attributes: {
    'http.request.method': 'GET',
    'url.path': '/api/v2/orders/4711',
    'http.response.status_code': 200,
    'server.address': 'checkout-7f9c-2',
    'http.server.duration_ms': 12,
  },
};

/** The same record flagged as a security event: one attribute more, nothing else different. */
export const SECURITY: LogRecord = {
  ...OPERATIONAL,
  attributes: { ...OPERATIONAL.attributes, 'security.event': true },
};

export { median };

/** Lets queued callbacks (the processor's drain, I/O) run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
