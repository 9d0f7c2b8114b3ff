// From a mapping to rows, the way a user deploys: `otel-sentinel connector` writes the solution
// package and the ARM template, the emulator deploys exactly those DCR and table definitions, and
// the exporter (real Azure SDK clients) ingests through them with the same mapping.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, ROOT } from './cli.js';

const APP_MAPPING = join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml');
const HASH_KEY = 'e2e-key-0123456789abcdef0123456789abcdef';
const running: RunningEmulator[] = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()?.close();
});

/** Runs `otel-sentinel connector` with no DCE or DCR known yet; returns the output folder. */
function generate(mapping: string, extra: readonly string[] = []): string {
  const out = mkdtempSync(join(tmpdir(), 'connector-e2e-'));
  const r = cli(['connector', mapping, '--out', out, ...extra], {
    SENTINEL_DCE_ENDPOINT: undefined,
    SENTINEL_DCR_IMMUTABLE_ID: undefined,
  });
  if (r.status !== 0) throw new Error(`connector failed (${String(r.status)}):\n${r.stderr}`);
  return out;
}

async function emulatorFor(definitions: string): Promise<RunningEmulator> {
  const e = await startEmulator({
    definitions: [definitions],
    port: 0,
    inMemory: true,
    dataDir: mkdtempSync(join(tmpdir(), 'emu-')),
  });
  running.push(e);
  return e;
}

/** The example app's records: sign-ins for the auth table, audit entries for the catch-all. */
async function sendThroughExporter(e: RunningEmulator, mapping: string): Promise<SentinelLogRecordProcessor> {
  const env = e.env();
  const sentinel = new SentinelLogRecordProcessor({
    mapping,
    credential: new ClientSecretCredential(
      env.AZURE_TENANT_ID ?? '',
      env.AZURE_CLIENT_ID ?? '',
      env.AZURE_CLIENT_SECRET ?? '',
      { authorityHost: e.origin, disableInstanceDiscovery: true, tlsOptions: { ca: e.caCertPem } },
    ),
    env: {
      SENTINEL_DCE_ENDPOINT: e.origin,
      SENTINEL_DCR_IMMUTABLE_ID: env.SENTINEL_DCR_IMMUTABLE_ID,
      OTEL_SENTINEL_HASH_KEY: HASH_KEY,
    },
    clientOptions: { tlsOptions: { ca: e.caCertPem } },
    spool: false,
  });
  const provider = new LoggerProvider({
    processors: [sentinel],
    resource: resourceFromAttributes({ 'service.name': 'contoso-audit' }),
  });
  const logger = provider.getLogger('e2e');
  for (let i = 0; i < 6; i++) {
    logger.emit({
      eventName: i % 2 === 0 ? 'authn_login_fail' : 'authn_login_success',
      severityText: i % 2 === 0 ? 'WARN' : 'INFO',
      body: `sign-in ${i}`,
      attributes: {
        'security.event': true,
        'user.id': `user${i}`,
        'client.address': '203.0.113.7',
        'event.outcome': i % 2 === 0 ? 'failure' : 'success',
      },
    });
    logger.emit({
      eventName: i < 4 ? 'invoice_read' : 'invoice_update',
      severityText: 'INFO',
      body: `audit ${i}`,
      attributes: {
        'security.event': true,
        'user.id': `user${i}`,
        'audit.action': i < 4 ? 'read' : 'update',
        'audit.entity.type': 'invoice',
        'audit.entity.id': `inv-${i}`,
      },
    });
    logger.emit({ body: `operational ${i}` });
  }
  await provider.forceFlush();
  await provider.shutdown();
  return sentinel;
}

function count(e: RunningEmulator, kql: string): number {
  return Number(e.query(`${kql} | count`).rows[0]?.[0]);
}

describe('otel-sentinel connector output, deployed on the emulator', () => {
  it('the solution folder: its tables and DCR take every row the exporter sends', async () => {
    const out = generate(APP_MAPPING);
    const e = await emulatorFor(join(out, 'Solutions/ContosoAudit'));
    const sentinel = await sendThroughExporter(e, APP_MAPPING);
    expect(sentinel.exporter.stats()).toMatchObject({
      rowsExported: 12,
      rowsUndelivered: {},
      recordsRejected: {},
    });
    expect(count(e, 'ContosoAuthEvents_CL')).toBe(6);
    expect(count(e, 'ContosoAuditEvents_CL')).toBe(6);
    expect(
      e.query(
        'ContosoAuthEvents_CL | where EventResult == "failure" | project ActorUserId | sort by ActorUserId asc',
      ).rows,
    ).toEqual([['user0'], ['user2'], ['user4']]);
    expect(
      count(e, 'ContosoAuditEvents_CL | where ObjectType == "invoice" and Operation in ("read", "update")'),
    ).toBe(6);
  });

  for (const direct of [false, true]) {
    it(`the ARM template${direct ? ' with a Direct DCR' : ''}: the same tables and DCR`, async () => {
      const out = generate(APP_MAPPING, direct ? ['--arm', '--direct'] : ['--arm']);
      const e = await emulatorFor(join(out, 'deploy/azuredeploy.json'));
      await sendThroughExporter(e, APP_MAPPING);
      expect(count(e, 'ContosoAuthEvents_CL')).toBe(6);
      expect(count(e, 'ContosoAuditEvents_CL')).toBe(6);
    });
  }

  it("a stream's custom transform is written into the DCR and applied by it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'connector-e2e-mapping-'));
    const mapping = join(dir, 'security-mapping.yaml');
    const text = readFileSync(APP_MAPPING, 'utf8').replace(
      '    table: ContosoAuditEvents_CL\n',
      '    table: ContosoAuditEvents_CL\n    transformKql: source | where EventName != "invoice_read"\n',
    );
    expect(text).toContain('transformKql');
    writeFileSync(mapping, text);
    const out = generate(mapping);
    const e = await emulatorFor(join(out, 'Solutions/ContosoAudit/Data Connectors'));
    await sendThroughExporter(e, mapping);
    expect(count(e, 'ContosoAuthEvents_CL')).toBe(6);
    // Reads are filtered at ingestion by the generated DCR; updates arrive.
    expect(e.query('ContosoAuditEvents_CL | project EventName | distinct EventName').rows).toEqual([
      ['invoice_update'],
    ]);
    expect(count(e, 'ContosoAuditEvents_CL')).toBe(2);
  });
});
