// `otel-sentinel replay` after the likely mistakes, against the emulator in strict mode as Azure:
// the real exporter spools rows it sent to a wrong DCR id or a wrong stream; the built CLI shows
// why (grouped, with counts), sends them where they belong with --dcr-immutable-id / --stream,
// and stops at once, keeping the rows, when the token endpoint is a closed port.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { startEmulator, type RunningEmulator } from '@otel-sentinel/emulator';
import { readSpool, SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClientEnv } from './support/emulator-client-env.js';
import { BIN, PACKAGE_DIR } from './support/run-cli.js';

const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const WRONG_DCR = 'dcr-ffffffffffffffffffffffffffffffff';
const DEPLOYED = `version: 1
endpoint: \${SENTINEL_DCE_ENDPOINT:-https://127.0.0.1:4443}
dcrImmutableId: \${SENTINEL_DCR_IMMUTABLE_ID}
streams:
  - stream: Custom-Sec
    table: Sec_CL
    columns:
      TimeGenerated: { from: timestamp }
      EventName: { from: eventName }
      Seq: { from: "attributes['seq']", type: int }
`;

// An hour ago, in whole seconds: the service (and the strict emulator) replaces times more than two days old.
const BASE = Math.floor(Date.now() / 1000) * 1000 - 3_600_000;

let emulator: RunningEmulator;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'otel-sentinel-replay-repair-'));
  writeFileSync(join(work, 'deployed.yaml'), DEPLOYED);
  emulator = await startEmulator({
    mappings: [join(work, 'deployed.yaml')],
    port: 0,
    inMemory: true,
    strict: true,
    dataDir: work,
    env: { SENTINEL_DCR_IMMUTABLE_ID: DCR },
  });
});

afterAll(async () => {
  await emulator.close();
  rmSync(work, { recursive: true, force: true });
});

/** Emits security records with these seqs through the real exporter, sent as the mapping says; resolves once settled. */
async function spoolVia(
  spool: string,
  sent: { dcrImmutableId: string; stream: string },
  seqs: number[],
): Promise<void> {
  const env = emulator.env();
  const processor = new SentinelLogRecordProcessor({
    mapping: {
      version: 1,
      endpoint: emulator.origin,
      dcrImmutableId: sent.dcrImmutableId,
      streams: [
        {
          stream: sent.stream,
          table: 'Sec_CL',
          columns: {
            TimeGenerated: { from: 'timestamp' },
            EventName: { from: 'eventName' },
            Seq: { from: "attributes['seq']", type: 'int' },
          },
        },
      ],
    },
    credential: new ClientSecretCredential(
      env.AZURE_TENANT_ID ?? '',
      env.AZURE_CLIENT_ID ?? '',
      env.AZURE_CLIENT_SECRET ?? '',
      {
        authorityHost: emulator.origin,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: emulator.caCertPem },
      },
    ),
    clientOptions: { tlsOptions: { ca: emulator.caCertPem } },
    spool,
    startupCheck: false,
    retry: { maxAttempts: 1 },
  });
  const provider = new LoggerProvider({ processors: [processor] });
  const logger = provider.getLogger('replay-repair-test');
  for (const seq of seqs)
    logger.emit({
      eventName: 'authn_login_fail',
      timestamp: new Date(BASE + seq * 1000),
      attributes: { 'security.event': true, seq },
    });
  await provider.shutdown();
}

/** Runs the built CLI without blocking this process, which serves the emulator. */
function replay(
  args: readonly string[],
  env: Record<string, string> = azureEnv(),
): Promise<{ status: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'replay', ...args], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: work, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr, ms: Date.now() - started });
    });
  });
}

function azureEnv(): Record<string, string> {
  return emulatorClientEnv(emulator);
}

/** The rows of Sec_CL with these seqs, as the emulator stores them. */
function stored(seqs: readonly number[]): unknown[][] {
  const table = emulator.query(
    `Sec_CL | where Seq in (${seqs.join(',')}) | project TimeGenerated, EventName, Seq | order by Seq asc`,
  );
  return table.rows.map((r) => r.map((v) => (v instanceof Date ? v.toISOString() : v)));
}

function expectedRows(seqs: readonly number[]): unknown[][] {
  // The store keeps datetimes as the service returns them: seven fractional digits.
  return seqs.map((seq) => [
    new Date(BASE + seq * 1000).toISOString().replace('Z', '0000Z'),
    'authn_login_fail',
    seq,
  ]);
}

/** What the spool holds, every field of every entry: to show that nothing changed. */
async function snapshot(dir: string): Promise<string> {
  return JSON.stringify(await readSpool({ directory: dir }));
}

async function spooledSeqs(dir: string): Promise<unknown[]> {
  const { spool } = await readSpool({ directory: dir });
  return spool.map((e) => e.row.Seq).sort();
}

function freshSpool(): string {
  return mkdtempSync(join(work, 'spool-'));
}

describe('replay after a deployment mistake', () => {
  it('shows why rows sent to a wrong DCR id were spooled, and why they fail again, with counts', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: WRONG_DCR, stream: 'Custom-Sec' }, [1, 2, 3]);
    expect(await spooledSeqs(dir)).toEqual([1, 2, 3]);

    const dry = await replay([dir, '--dry-run']);
    expect(dry.stderr).toMatch(
      new RegExp(
        `3 rows: permanent, HTTP 404 NotFound \\(${WRONG_DCR}/Custom-Sec at [^)]+\\) — DCR ${WRONG_DCR} not found`,
      ),
    );

    const r = await replay([dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/why they failed this time:\n {4}3 rows: HTTP 404 NotFound /);
    expect(r.stderr).toMatch(/check the DCR immutable id/);
    expect(r.stderr).not.toMatch(/authn_login_fail/);
    expect(await spooledSeqs(dir)).toEqual([1, 2, 3]);
  });

  it('sends rows spooled for a wrong DCR id to the right one; a dry run first changes nothing', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: WRONG_DCR, stream: 'Custom-Sec' }, [11, 12]);
    const before = await snapshot(dir);

    const dry = await replay([dir, '--dry-run', '--dcr-immutable-id', DCR]);
    expect(dry.status).toBe(0);
    expect(dry.stderr).toMatch(
      new RegExp(
        `would send elsewhere:\\n {4}2 rows: ${WRONG_DCR}/Custom-Sec at \\S+ → ${DCR}/Custom-Sec at `,
      ),
    );
    expect(await snapshot(dir)).toBe(before);
    expect(stored([11, 12])).toEqual([]);

    const r = await replay([dir, '--dcr-immutable-id', DCR]);
    expect(r.stderr).toMatch(/delivered and removed\s+2\b/);
    expect(r.status).toBe(0);
    expect(stored([11, 12])).toEqual(expectedRows([11, 12]));
    expect(await readSpool({ directory: dir })).toEqual({ spool: [], queued: [] });
  });

  it('refuses --stream over rows of two streams, and with --from-stream sends only the one chosen', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: DCR, stream: 'Custom-Secc' }, [21, 22, 23]);
    await spoolVia(dir, { dcrImmutableId: DCR, stream: 'Custom-Other' }, [24, 25]);

    const first = await replay([dir]);
    expect(first.stderr).toMatch(/failed, kept\s+5\b/);
    expect(first.status).toBe(3);
    expect(first.stderr).toMatch(
      /3 rows: HTTP 400 InvalidStream \(\S+\/Custom-Secc at [^)]+\) — stream Custom-Secc is not declared/,
    );
    expect(first.stderr).toMatch(/2 rows: HTTP 400 InvalidStream \(\S+\/Custom-Other at /);

    const before = await snapshot(dir);
    const refused = await replay([dir, '--stream', 'Custom-Sec']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /Custom-Secc: 3 row\(s\), Custom-Other: 2 row\(s\).*--from-stream Custom-Secc/,
    );
    expect(await snapshot(dir)).toBe(before);

    const r = await replay([dir, '--from-stream', 'Custom-Secc', '--stream', 'Custom-Sec']);
    expect(r.stderr).toMatch(/delivered and removed\s+3\b/);
    expect(r.stderr).toMatch(/not selected, left\s+2\b/);
    expect(r.status).toBe(0);
    expect(stored([21, 22, 23, 24, 25])).toEqual(expectedRows([21, 22, 23]));
    expect(await spooledSeqs(dir)).toEqual([24, 25]);
  });

  it('stops at once when the token endpoint refuses connections, names it, and keeps the rows', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: WRONG_DCR, stream: 'Custom-Sec' }, [31, 32]);
    const closed = await closedPort();

    const r = await replay([dir, '--dcr-immutable-id', DCR], {
      ...azureEnv(),
      AZURE_AUTHORITY_HOST: `https://127.0.0.1:${closed}`,
    });
    expect(r.stderr).not.toMatch(/unsettled top-level await/);
    expect(r.stderr).toMatch(
      new RegExp(
        `otel-sentinel: replay stopped: cannot reach the token endpoint 127\\.0\\.0\\.1:${closed}: connection refused; 2 rows stay in the spool, nothing was lost`,
      ),
    );
    expect(r.status).toBe(4);
    expect(r.ms).toBeLessThan(30_000);
    expect(await spooledSeqs(dir)).toEqual([31, 32]);
    expect(stored([31, 32])).toEqual([]);
  });

  it('stops at once when Entra ID refuses the client secret, and says which variable to fix', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: WRONG_DCR, stream: 'Custom-Sec' }, [51, 52]);

    const r = await replay([dir, '--dcr-immutable-id', DCR], {
      ...azureEnv(),
      AZURE_CLIENT_SECRET: 'not-the-secret',
    });
    expect(r.stderr).toMatch(/2 rows: AuthenticationError (invalid_client|AADSTS7000215) \(/);
    expect(r.stderr).toMatch(
      /otel-sentinel: replay stopped: the token endpoint 127\.0\.0\.1:\d+ answers, but the request failed: AuthenticationError \S+; 2 rows stay in the spool, nothing was lost; Entra ID refused the client secret: it is wrong or expired \(AZURE_CLIENT_SECRET\)/,
    );
    expect(r.stderr).not.toMatch(/not-the-secret/);
    expect(r.status).toBe(4);
    expect(await spooledSeqs(dir)).toEqual([51, 52]);
  });

  it('stops at once when the ingestion endpoint refuses connections, and keeps the rows as they were', async () => {
    const dir = freshSpool();
    await spoolVia(dir, { dcrImmutableId: WRONG_DCR, stream: 'Custom-Sec' }, [41]);
    const closed = await closedPort();

    const r = await replay([dir, '--endpoint', `https://127.0.0.1:${closed}`, '--dcr-immutable-id', DCR]);
    expect(r.stderr).toMatch(
      new RegExp(
        `otel-sentinel: replay stopped: cannot reach the ingestion endpoint 127\\.0\\.0\\.1:${closed}: connection refused; 1 row stays in the spool`,
      ),
    );
    expect(r.status).toBe(4);
    const { spool } = await readSpool({ directory: dir });
    expect(spool.map((e) => [e.endpoint, e.dcrImmutableId, e.row.Seq])).toEqual([
      [emulator.origin, WRONG_DCR, 41],
    ]);
  });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
