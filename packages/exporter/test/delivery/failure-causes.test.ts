// Failures named by their cause, over real sockets: a closed port, an unresolvable host, a TLS
// server whose certificate is not trusted, a server that never answers, and a token endpoint that
// refuses connections behind a real ClientSecretCredential. The diag line must name the cause
// while the retries still go on, and the stats must count it.
import { createServer as createHttpsServer } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { ClientSecretCredential } from '@azure/identity';
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { LogRecordLike, MappingInput } from '@otel-sentinel/mapping';
import { afterEach, describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../../src/sentinel-log-exporter.js';
import { selfSignedCertificate, startHttpsSink } from '../support/https-sink.js';
import type { HttpsSink } from '../support/https-sink.js';
import { StaticCredential } from '../support/static-credential.js';

const DCR = 'dcr-0123456789abcdef0123456789abcdef';

interface Line {
  readonly level: 'error' | 'warn' | 'info';
  readonly text: string;
}

function captureDiag(): Line[] {
  const lines: Line[] = [];
  const add =
    (level: Line['level']) =>
    (...args: unknown[]): void => {
      lines.push({ level, text: args.map(String).join(' ') });
    };
  const ignore = (): void => undefined;
  diag.setLogger(
    { error: add('error'), warn: add('warn'), info: add('info'), debug: ignore, verbose: ignore },
    { logLevel: DiagLogLevel.INFO, suppressOverrideMessage: true },
  );
  return lines;
}

function mapping(endpoint: string): MappingInput {
  return {
    version: 1,
    endpoint,
    dcrImmutableId: DCR,
    streams: [
      {
        stream: 'Custom-Auth',
        table: 'Auth_CL',
        columns: { UserId: { from: "attributes['user.id']", required: true } },
      },
    ],
  };
}

const RECORD: LogRecordLike = {
  hrTime: [1_700_000_000, 0],
  eventName: 'authn_login_fail',
  attributes: { 'security.event': true, 'user.id': 'u1' },
};

/** A port that was free a moment ago: nothing listens there now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  return port;
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > end) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  diag.disable();
});

/** An exporter whose retries take a few seconds: time enough to see the first line before they end. */
function exporterFor(
  endpoint: string,
  extra: Partial<ConstructorParameters<typeof SentinelLogExporter>[0]> = {},
) {
  const exporter = new SentinelLogExporter({
    mapping: mapping(endpoint),
    credential: new StaticCredential(),
    spool: false,
    saveOnExit: false,
    startupCheck: false,
    retry: { maxAttempts: 4, initialDelayMs: 1000, maxDelayMs: 1000 },
    env: {},
    ...extra,
  });
  cleanups.push(() => exporter.shutdown(100));
  return exporter;
}

/** Sends one record and waits for the first diag line about a failure; the retries must still be on. */
async function firstFailureLine(
  exporter: SentinelLogExporter,
  lines: Line[],
  timeoutMs = 15_000,
): Promise<string> {
  const started = Date.now();
  exporter.export([RECORD], () => undefined);
  await until(() => lines.some((l) => l.text.includes('Custom-Auth:')), timeoutMs);
  const line = lines.find((l) => l.text.includes('Custom-Auth:'));
  // Promptly: no row has been given up on yet, and the line came before the retry budget ran out.
  expect(exporter.stats().rowsUndelivered).toEqual({});
  expect(Date.now() - started).toBeLessThan(timeoutMs);
  return line?.text ?? '';
}

/**
 * Exporter options with a real ClientSecretCredential whose authority host (AZURE_AUTHORITY_HOST
 * too) is a closed port: the token request is refused.
 */
async function unreachableEntra(): Promise<{
  port: number;
  options: { credential: ClientSecretCredential; env: Record<string, string> };
}> {
  const port = await closedPort();
  const authority = `https://127.0.0.1:${port}`;
  const credential = new ClientSecretCredential('tenant-1', 'client-1', 'not-a-real-secret', {
    authorityHost: authority,
    disableInstanceDiscovery: true,
  });
  return { port, options: { credential, env: { AZURE_AUTHORITY_HOST: authority } } };
}

describe('a failed upload is named by its cause at its first occurrence', () => {
  it('says "connection refused" with the host and port when nothing listens at the endpoint', async () => {
    const lines = captureDiag();
    const port = await closedPort();
    const exporter = exporterFor(`https://127.0.0.1:${port}`);
    const line = await firstFailureLine(exporter, lines);
    expect(line).toContain(`connection refused to 127.0.0.1:${port} (ingestion endpoint)`);
    expect(line).toContain('SENTINEL_DCE_ENDPOINT');
    expect(line).toContain('sending again');
    expect(exporter.stats().failuresByCause['connection-refused']).toBeGreaterThanOrEqual(1);
  });

  it('says the host cannot be resolved for a name under .invalid', async () => {
    const lines = captureDiag();
    const exporter = exporterFor('https://dce.otel-sentinel-test.invalid');
    const line = await firstFailureLine(exporter, lines);
    expect(line).toMatch(
      /cannot resolve dce\.otel-sentinel-test\.invalid:443 \(ingestion endpoint\) \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(exporter.stats().failuresByCause.dns).toBeGreaterThanOrEqual(1);
  });

  it('says the certificate is not trusted, and how to trust it, for a self-signed TLS server', async () => {
    const lines = captureDiag();
    const sink: HttpsSink = await startHttpsSink();
    cleanups.push(() => sink.close());
    const exporter = exporterFor(sink.origin);
    const line = await firstFailureLine(exporter, lines);
    expect(line).toContain(`TLS to ${sink.origin.slice('https://'.length)} (ingestion endpoint) failed`);
    expect(line).toContain('not trusted here (DEPTH_ZERO_SELF_SIGNED_CERT)');
    expect(line).toContain('NODE_EXTRA_CA_CERTS');
    expect(exporter.stats().failuresByCause.tls).toBeGreaterThanOrEqual(1);
    expect(sink.paths).toEqual([]);
  });

  it('says no answer came within the request timeout from a server that never answers', async () => {
    const lines = captureDiag();
    const sockets = new Set<Socket>();
    const server: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    });
    const { port } = server.address() as AddressInfo;
    const exporter = exporterFor(`https://127.0.0.1:${port}`, { requestTimeoutMs: 300 });
    const line = await firstFailureLine(exporter, lines);
    expect(line).toContain(`no answer from 127.0.0.1:${port} (ingestion endpoint) within 300 ms`);
    expect(exporter.stats().failuresByCause.timeout).toBeGreaterThanOrEqual(1);
  });

  it('says "connection refused … (token endpoint)", not an authentication failure, when Entra cannot be reached', async () => {
    const lines = captureDiag();
    const { port, options } = await unreachableEntra();
    const exporter = exporterFor('https://dce.example.com', {
      ...options,
    });
    const line = await firstFailureLine(exporter, lines, 60_000);
    expect(line).toContain(`connection refused to 127.0.0.1:${port} (token endpoint)`);
    expect(line).toContain('AZURE_AUTHORITY_HOST');
    expect(line).not.toContain('not-a-real-secret');
    expect(exporter.stats().failuresByCause['connection-refused']).toBeGreaterThanOrEqual(1);
    expect(exporter.stats().failuresByCause.credential).toBeUndefined();
  });
});

/** An HTTPS server on loopback whose certificate names only `dnsName`: trusted, but for another host. */
async function otherHostServer(dnsName: string): Promise<{ origin: string; ca: string }> {
  const { cert, key } = selfSignedCertificate(`DNS:${dnsName}`, dnsName);
  const server = createHttpsServer({ cert, key }, (_req, res) => {
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  );
  return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca: cert };
}

describe('rows given up on', () => {
  it('are reported with the network cause behind the credential error, not as an authentication failure', async () => {
    const lines = captureDiag();
    const { port, options } = await unreachableEntra();
    const exporter = exporterFor('https://dce.example.com', {
      ...options,
      retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
    });
    exporter.export([RECORD], () => undefined);
    await until(() => exporter.stats().rowsUndelivered['retries-exhausted'] === 1, 60_000);
    expect(lines.map((l) => l.text)).toContainEqual(
      expect.stringContaining(
        `1 row(s) for Custom-Auth (Auth_CL) not delivered (retries-exhausted: CredentialUnavailableError: connection refused to 127.0.0.1:${port} (token endpoint))`,
      ),
    );
  });
});

describe('the start-up check', () => {
  it('says the certificate is for another host name when it is trusted but names another host', async () => {
    captureDiag();
    const server = await otherHostServer('dce.otel-sentinel.test');
    const exporter = exporterFor(server.origin, {
      startupCheck: true,
      clientOptions: { tlsOptions: { ca: server.ca } },
    });
    const result = await exporter.startupCheck();
    expect(result).toMatchObject({ status: 'done', ok: false, token: { ok: true } });
    if (result.status !== 'done') return;
    expect(result.streams[0]?.cause).toBe('tls');
    expect(result.streams[0]?.line).toContain(
      'failed: its certificate is for another host name (ERR_TLS_CERT_ALTNAME_INVALID)',
    );
  });

  it('finds a refused ingestion endpoint before any record is sent, in one ERROR line', async () => {
    const lines = captureDiag();
    const port = await closedPort();
    const exporter = exporterFor(`https://127.0.0.1:${port}`, { startupCheck: true });
    const result = await exporter.startupCheck();
    expect(result.status).toBe('done');
    if (result.status !== 'done') return;
    expect(result.ok).toBe(false);
    expect(result.token.ok).toBe(true);
    expect(result.streams).toHaveLength(1);
    expect(result.streams[0]?.cause).toBe('connection-refused');
    const errors = lines.filter((l) => l.level === 'error').map((l) => l.text);
    expect(errors).toEqual([
      expect.stringContaining(
        `start-up check: Custom-Auth on ${DCR} at 127.0.0.1:${port}: connection refused to 127.0.0.1:${port} (ingestion endpoint)`,
      ),
    ]);
    expect(exporter.stats().startupCheck).toBe('failed');
    expect(exporter.stats().requests).toBe(0);
  });

  it('is off with startupCheck: false or OTEL_SENTINEL_STARTUP_CHECK=off', async () => {
    const port = await closedPort();
    const byOption = exporterFor(`https://127.0.0.1:${port}`);
    const byEnv = new SentinelLogExporter({
      mapping: mapping(`https://127.0.0.1:${port}`),
      credential: new StaticCredential(),
      spool: false,
      saveOnExit: false,
      env: { OTEL_SENTINEL_STARTUP_CHECK: 'off' },
    });
    cleanups.push(() => byEnv.shutdown(100));
    expect(await byOption.startupCheck()).toEqual({ status: 'off' });
    expect(await byEnv.startupCheck()).toEqual({ status: 'off' });
    expect(byEnv.stats().startupCheck).toBe('off');
  });
});
