// The real Azure SDK clients and the exporter against the local emulator: no mocks on the path.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { LogsQueryClient } from '@azure/monitor-query-logs';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { startEmulator } from '@otel-sentinel/emulator';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { readSpool, SentinelLogRecordProcessor, replayToSentinel } from '@otel-sentinel/exporter';
import { afterEach, describe, expect, it } from 'vitest';
import { credentialFor } from './emulator-credential.js';
import { ROOT } from './cli.js';

const MAPPING = join(ROOT, 'examples/mappings/app-security.yaml');
const running: RunningEmulator[] = [];

async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const e = await startEmulator({
    mappings: [MAPPING],
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'emu-')),
    // The strictest mode: an undeclared or mistyped field is answered 400, never dropped quietly.
    strict: true,
    ...options,
  });
  running.push(e);
  return e;
}

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

function securityRecord(i: number) {
  return {
    eventName: i % 2 === 0 ? 'authn_login_fail' : 'input_validation_fail',
    severityText: 'WARN',
    body: `event ${i}`,
    attributes: { 'security.event': true, 'user.id': `user${i}`, 'client.address': '203.0.113.7', seq: i },
  };
}

describe('the emulator with the real Azure SDK clients', () => {
  it('takes rows from LogsIngestionClient and returns them to LogsQueryClient', async () => {
    const e = await emulator({ inMemory: true });
    const credential = credentialFor(e);
    const dcr = e.env().SENTINEL_DCR_IMMUTABLE_ID ?? '';
    const ingest = new LogsIngestionClient(e.origin, credential, { tlsOptions: { ca: e.caCertPem } });
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    await ingest.upload(dcr, 'Custom-AppAuthEvents', [
      { TimeGenerated: minuteAgo, EventName: 'authn_login_fail', ActorUserId: 'joe', HttpStatusCode: 401 },
      { TimeGenerated: minuteAgo, EventName: 'authn_login_success', ActorUserId: 'joe', HttpStatusCode: 200 },
    ]);
    const query = new LogsQueryClient(credential, {
      endpoint: `${e.origin}/v1`,
      tlsOptions: { ca: e.caCertPem },
    });
    const result = await query.queryWorkspace(
      e.catalog.workspaceId,
      'AppAuthEvents_CL | where HttpStatusCode == 401 | project EventName, ActorUserId',
      {
        duration: 'P30D',
      },
    );
    expect(result.status).toBe('Success');
    const table = 'tables' in result ? result.tables[0] : undefined;
    expect(table?.rows).toEqual([['authn_login_fail', 'joe']]);
  });

  it('refuses a wrong secret with the Entra error', async () => {
    const e = await emulator({ inMemory: true });
    const env = e.env();
    const bad = new ClientSecretCredential(
      env.AZURE_TENANT_ID ?? '',
      env.AZURE_CLIENT_ID ?? '',
      'wrong-secret',
      {
        authorityHost: e.origin,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: e.caCertPem },
      },
    );
    await expect(bad.getToken('https://monitor.azure.com/.default')).rejects.toThrow(/7000215/);
  });
});

describe('the exporter against the emulator', () => {
  it('delivers every security event as mapped and no operational event', async () => {
    const e = await emulator({ inMemory: true });
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: credentialFor(e),
      env: {
        SENTINEL_DCE_ENDPOINT: e.origin,
        SENTINEL_DCR_IMMUTABLE_ID: e.env().SENTINEL_DCR_IMMUTABLE_ID,
        OTEL_SENTINEL_HASH_KEY: 'e2e-key-0123456789abcdef0123456789abcdef',
      },
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool: false,
    });
    const provider = new LoggerProvider({
      processors: [sentinel],
      resource: resourceFromAttributes({ 'service.name': 'e2e-app' }),
    });
    const logger = provider.getLogger('e2e');
    for (let i = 0; i < 40; i++) {
      logger.emit(securityRecord(i));
      logger.emit({ body: `operational ${i}`, attributes: { seq: i } });
    }
    await provider.forceFlush();
    expect(e.query('AppAuthEvents_CL | count').rows).toEqual([[20]]);
    expect(e.query('AppSecurityEvents_CL | count').rows).toEqual([[20]]);
    expect(e.query('AppSecurityEvents_CL | where Message startswith "operational" | count').rows).toEqual([
      [0],
    ]);
    // Every column of record 0 as app-security.yaml says, written out by hand: no trace (no span),
    // no session, the security flag itself left out of AdditionalFields.
    const expected: Record<string, unknown> = {
      EventName: 'authn_login_fail',
      EventSeverity: 'WARN',
      ActorUserId: 'user0',
      SrcIpAddr: '203.0.113.7',
      Service: 'e2e-app',
      Message: 'event 0',
      AdditionalFields: { seq: 0 },
    };
    const result = e.query('AppAuthEvents_CL | where ActorUserId == "user0"');
    // As Log Analytics answers: a missing string is "", a dynamic value is JSON text.
    const stored = Object.fromEntries(
      result.columns
        .map(
          (c, i) =>
            [
              c.name,
              c.type === 'dynamic' && typeof result.rows[0]?.[i] === 'string'
                ? JSON.parse(result.rows[0][i])
                : result.rows[0]?.[i],
            ] as const,
        )
        .filter(
          ([name, v]) =>
            v !== null &&
            v !== undefined &&
            v !== '' &&
            !['TimeGenerated', '_TimeReceived', 'Type'].includes(name),
        ),
    );
    expect(stored).toEqual(expected);
    await provider.shutdown();
  });

  it('loses nothing under injected 429s, 500s, 503s and resets', async () => {
    const e = await emulator({ inMemory: true });
    e.faults.add({ kind: 'throttle', count: 1, seconds: 1 });
    e.faults.add({ kind: 'throttle-no-retry-after', count: 1 });
    e.faults.add({ kind: 'error-500', count: 1 });
    e.faults.add({ kind: 'error-503', count: 1 });
    e.faults.add({ kind: 'reset', count: 1 });
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: credentialFor(e),
      env: {
        SENTINEL_DCE_ENDPOINT: e.origin,
        SENTINEL_DCR_IMMUTABLE_ID: e.env().SENTINEL_DCR_IMMUTABLE_ID,
        OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32),
      },
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      retry: { initialDelayMs: 50, maxDelayMs: 200 },
      maxBatchRecords: 5,
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('faults');
    for (let i = 0; i < 30; i++) logger.emit(securityRecord(i));
    await provider.forceFlush();
    const auth = e.query('AppAuthEvents_CL | count').rows[0]?.[0];
    const other = e.query('AppSecurityEvents_CL | count').rows[0]?.[0];
    expect(Number(auth) + Number(other)).toBe(30);
    expect(sentinel.exporter.stats().retries).not.toEqual({});
    await provider.shutdown();
  });

  it('spools on a 403, then replay delivers once access is granted', async () => {
    const e = await emulator({ inMemory: true });
    const spool = mkdtempSync(join(tmpdir(), 'emu-spool-'));
    const dcr = [...e.catalog.dcrs.values()][0];
    if (!dcr) throw new Error('no DCR');
    const allowed = dcr.allowedClients as Set<string>;
    const clients = [...allowed];
    allowed.clear(); // the app registration has no role on the DCR yet
    const env = {
      SENTINEL_DCE_ENDPOINT: e.origin,
      SENTINEL_DCR_IMMUTABLE_ID: dcr.immutableId,
      OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32),
    };
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: credentialFor(e),
      env,
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
      spool,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    for (let i = 0; i < 6; i++) provider.getLogger('403').emit(securityRecord(i));
    await provider.shutdown();
    const reasons = (await readSpool({ directory: spool })).spool.map((e) => e.reason);
    expect(reasons).toEqual(Array<string>(6).fill('permanent'));

    for (const c of clients) allowed.add(c); // Monitoring Metrics Publisher granted
    const result = await replayToSentinel({
      directory: spool,
      credential: credentialFor(e),
      clientOptions: { tlsOptions: { ca: e.caCertPem } },
    });
    expect(result).toMatchObject({ delivered: 6, failed: 0 });
    const total =
      Number(e.query('AppAuthEvents_CL | count').rows[0]?.[0]) +
      Number(e.query('AppSecurityEvents_CL | count').rows[0]?.[0]);
    expect(total).toBe(6);
  });

  it('keeps what it stored across a restart, and the exporter rides out the downtime', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'emu-restart-'));
    const first = await startEmulator({ mappings: [MAPPING], port: 0, dataDir, strict: true });
    const port = first.port;
    const ca = first.caCertPem;
    const env = {
      SENTINEL_DCE_ENDPOINT: first.origin,
      SENTINEL_DCR_IMMUTABLE_ID: first.env().SENTINEL_DCR_IMMUTABLE_ID,
      OTEL_SENTINEL_HASH_KEY: 'k'.repeat(32),
    };
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: credentialFor(first),
      env,
      clientOptions: { tlsOptions: { ca } },
      retry: { initialDelayMs: 100, maxDelayMs: 300, maxAttempts: 30 },
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('restart');
    for (let i = 0; i < 10; i++) logger.emit(securityRecord(i));
    await provider.forceFlush();
    await first.close();
    for (let i = 10; i < 20; i++) logger.emit(securityRecord(i));
    const flushing = provider.forceFlush();
    await new Promise((r) => setTimeout(r, 500));
    const second = await startEmulator({ mappings: [MAPPING], port, dataDir, strict: true });
    running.push(second);
    await flushing;
    const total =
      Number(second.query('AppAuthEvents_CL | count').rows[0]?.[0]) +
      Number(second.query('AppSecurityEvents_CL | count').rows[0]?.[0]);
    expect(total).toBe(20);
    await provider.shutdown();
  });
});
