// A loopback HTTPS server that stands in for both the Application Insights ingestion endpoint
// (`POST /v2.1/track`) and the Logs Ingestion endpoint, answering every POST with success and
// keeping each request's path and decoded body. Its certificate is made with openssl for the
// run; `caFile` is the file a child process trusts through NODE_EXTRA_CA_CERTS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  readonly path: string;
  /** The body, gunzipped when it came gzip-encoded. */
  readonly body: string;
}

export interface RecordingHttpsServer {
  readonly origin: string;
  readonly caFile: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

const OPENSSL_SELF_SIGNED =
  'req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1';

export async function startRecordingHttpsServer(): Promise<RecordingHttpsServer> {
  const dir = mkdtempSync(join(tmpdir(), 'recording-https-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  execFileSync('openssl', [...OPENSSL_SELF_SIGNED.split(' '), '-keyout', keyFile, '-out', caFile], {
    stdio: 'ignore',
  });
  const received: ReceivedRequest[] = [];
  const server = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) });
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      received.push({ path: req.url ?? '', body: body.toString('utf8') });
      if (req.url?.startsWith('/v2.1/track') === true) {
        res.writeHead(200, { 'content-type': 'application/json' });
        const items = parseEnvelopes(body.toString('utf8')).length;
        res.end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
      } else {
        res.writeHead(204);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    caFile,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** The telemetry envelopes of a `/v2.1/track` body: a JSON array, or one JSON object a line. */
export function parseEnvelopes(body: string): unknown[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[];
  return trimmed === '' ? [] : trimmed.split('\n').map((line) => JSON.parse(line) as unknown);
}
