// What the exporter benchmarks share: a loopback HTTPS Logs Ingestion sink with a self-signed
// certificate made at start, a static credential, a realistic 12-column mapping and the records.
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

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  'curl/8.5.0',
  'python-requests/2.31.0',
];
const EVENTS = [
  'authn_login_success',
  'authn_login_fail',
  'authz_fail',
  'session_created',
  'input_validation_fail',
];
const T0 = 1_763_885_730_000;

/** The i-th security record of a login/audit flow: about 1 KB once mapped to a row. */
export function securityRecord(i: number): LogRecord {
  const n = i & 255;
  const ok = i % 2 === 0;
  return {
    timestamp: T0 + i,
    severityNumber: ok ? SeverityNumber.INFO : SeverityNumber.WARN,
    severityText: ok ? 'INFO' : 'WARN',
    eventName: EVENTS[i % EVENTS.length] ?? 'authn_login_fail',
    body:
      `User user${n}@contoso.com ${ok ? 'signed in' : 'failed to sign in'} to tenant contoso-prod from ` +
      `203.0.113.${n} using password authentication; session ${(0x5f3a0000 + i).toString(16)} ` +
      `was ${ok ? 'created with a lifetime of 3600 seconds and MFA satisfied by claim in token' : 'not created because the password did not match the stored hash'}; ` +
      `request routed through edge node fra-edge-${n & 7} and application gateway agw-prod-westeurope-01 ` +
      `after passing the WAF policy waf-checkout-default (rule set OWASP 3.2, mode prevention).`,
    attributes: {
      'security.event': true,
      'event.sequence': i,
      'user.id': `user${n}@contoso.com`,
      'client.address': `203.0.113.${n}`,
      'user_agent.original': AGENTS[i % AGENTS.length] ?? 'curl/8.5.0',
      'url.path': `/api/v2/accounts/${1000 + n}/login`,
      'http.request.method': 'POST',
      'http.response.status_code': ok ? 200 : 401,
      'auth.method': 'password',
      'auth.mfa': ok,
      'tenant.id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
      'session.id': `s-${(0x5f3a0000 + i).toString(16)}`,
      'geo.country': 'DE',
      'retry.count': i % 4,
    },
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

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

/** Lets queued callbacks (the processor's drain, I/O) run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
