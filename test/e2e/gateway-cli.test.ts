// `otel-sentinel gateway` as an operator runs it: a separate process configured by environment
// variables only. A standard OTLP/HTTP protobuf exporter (what a Java, .NET, Python or Go app
// would use the equivalent of) sends to it; security events land in the emulator's Sentinel
// tables, operational ones reach the upstream, and SIGTERM drains and stops it.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './cli.js';

const MAPPING = join(ROOT, 'examples/mappings/app-security.yaml');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** An upstream OTLP endpoint that records the bodies it receives. */
async function upstream(): Promise<{ url: string; bodies: Buffer[] }> {
  const bodies: Buffer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise((r) =>
        server.close(() => {
          r();
        }),
      ),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

interface GatewayProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts the built CLI and waits for its "listening on" line. */
async function gateway(args: readonly string[], env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [BIN, 'gateway', ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      // A home of its own: the default spool directory (~/.local/state/otel-sentinel/gateway) is
      // then this test's, never one another run left rows in.
      HOME: mkdtempSync(join(tmpdir(), 'otel-sentinel-gateway-home-')),
      NO_COLOR: '1',
      ...env,
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      r(code);
    }),
  );
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  const url = await new Promise<string>((resolveUrl, reject) => {
    const check = (): void => {
      const m = /listening on (\S+)/.exec(out);
      if (m?.[1] !== undefined) resolveUrl(m[1]);
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      reject(new Error(`gateway exited (${String(code)}) before listening:\n${err}`));
    });
  });
  return { child, url, stdout: () => out, stderr: () => err, exited };
}

async function emulator(): Promise<RunningEmulator> {
  const e = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    inMemory: true,
    dataDir: mkdtempSync(join(tmpdir(), 'emu-gw-')),

    strict: true,
  });
  cleanups.push(() => e.close());
  return e;
}

describe('otel-sentinel gateway', () => {
  it('takes OTLP protobuf from a standard exporter: security to Sentinel, the rest upstream; SIGTERM drains', async () => {
    const e = await emulator();
    const up = await upstream();
    const gw = await gateway(['--mapping', MAPPING, '--port', '0', '--upstream', up.url], {
      ...e.env(),
      OTEL_SENTINEL_HASH_KEY: 'e2e-key-0123456789abcdef0123456789abcdef',
      OTEL_SENTINEL_GATEWAY_TOKEN: 'gateway-e2e-token',
    });
    expect(gw.stdout()).toContain('forwarded to');
    expect(gw.stdout()).not.toContain('gateway-e2e-token');

    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'java-like-app' }),
      processors: [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({
            url: `${gw.url}/v1/logs`,
            headers: { Authorization: 'Bearer gateway-e2e-token' },
          }),
        }),
      ],
    });
    const logger = provider.getLogger('e2e');
    for (let i = 0; i < 10; i++) {
      logger.emit({
        eventName: 'authn_login_fail',
        severityText: 'WARN',
        body: `failed sign-in ${i}`,
        attributes: { 'security.event': true, 'user.id': `user${i}`, 'client.address': '198.51.100.4' },
      });
      logger.emit({ body: `GET /health ${i}`, attributes: { 'http.route': '/health' } });
    }
    await provider.forceFlush();
    await provider.shutdown();

    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(gw.stderr()).toContain('stopping');
    // Acknowledged means durable by default, in the user's state directory.
    expect(gw.stderr()).toMatch(
      /durability: disk, write-ahead queue \S+\/\.local\/state\/otel-sentinel\/gateway\/sentinel-spool\.sqlite/,
    );
    expect(e.query('AppAuthEvents_CL | where EventName == "authn_login_fail" | count').rows).toEqual([[10]]);
    expect(
      e.query('AppAuthEvents_CL | where ActorUserId == "user3" | project SrcIpAddr, Service').rows,
    ).toEqual([['198.51.100.4', 'java-like-app']]);
    const forwarded = Buffer.concat(up.bodies).toString('latin1');
    expect(forwarded).toContain('GET /health 3');
    expect(forwarded).not.toContain('failed sign-in');
  });

  it('refuses clients without the token, and says what is wrong with its options', async () => {
    const bad = await new Promise<{ code: number | null; err: string }>((resolveRun) => {
      const child = spawn(process.execPath, [BIN, 'gateway', '--mapping', MAPPING, '--tls-cert', 'x.pem'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '' },
      });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => {
        resolveRun({ code, err });
      });
    });
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^otel-sentinel: --tls-cert and --tls-key go together/);

    const e = await emulator();
    const gw = await gateway(['--mapping', MAPPING, '--port', '0'], {
      ...e.env(),
      OTEL_SENTINEL_HASH_KEY: 'k'.repeat(40),
      OTEL_SENTINEL_GATEWAY_TOKEN: 'the-right-token',
    });
    const denied = await fetch(`${gw.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer wrong' },
      body: '{}',
    });
    expect(denied.status).toBe(401);
    const ok = await fetch(`${gw.url}/v1/logs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer the-right-token' },
      body: '{"resourceLogs":[]}',
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    gw.child.kill('SIGTERM');
    expect(await gw.exited).toBe(0);
    expect(gw.stderr()).not.toContain('the-right-token');
  });
});
