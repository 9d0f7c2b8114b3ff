// A real HTTPS server on loopback standing in for Entra and the Logs Ingestion endpoint: it answers
// POST /token with a token and every other POST with 204, and counts what it was sent. Its
// certificate is made with openssl for this run; clients trust it through `ca`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https, { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/core-auth';

export interface HttpsSink {
  readonly origin: string;
  readonly ca: string;
  /** Paths of the requests received, in order. */
  readonly paths: string[];
  close(): Promise<void>;
}

/** A self-signed certificate and its key, made with openssl: for loopback unless told otherwise. */
export function selfSignedCertificate(
  subjectAltName = 'IP:127.0.0.1',
  commonName = 'localhost',
): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'https-sink-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=${subjectAltName}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startHttpsSink(): Promise<HttpsSink> {
  const { cert, key } = selfSignedCertificate();
  const paths: string[] = [];
  const server: Server = createServer({ cert, key }, (req, res) => {
    paths.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (req.url === '/token') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'sink-token', expires_in: 3600 }));
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
    ca: cert,
    paths,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/**
 * A credential that fetches its token over HTTPS from the sink, as Entra credentials do (through
 * the module object, as the Azure clients call it, so HTTP instrumentation sees the request).
 */
export class SinkCredential implements TokenCredential {
  constructor(private readonly sink: HttpsSink) {}

  getToken(): Promise<AccessToken> {
    return new Promise((resolve, reject) => {
      const req = https.request(`${this.sink.origin}/token`, { method: 'POST', ca: this.sink.ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { access_token: string };
          resolve({ token: body.access_token, expiresOnTimestamp: Date.now() + 3_600_000 });
        });
      });
      req.on('error', reject);
      req.end();
    });
  }
}
