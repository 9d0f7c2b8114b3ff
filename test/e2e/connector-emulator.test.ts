// From a mapping to rows, the way a user deploys: `otel-sentinel connector` writes the solution
// package and the ARM template, the emulator deploys exactly those DCR and table definitions, and
// the exporter (real Azure SDK clients) ingests through them with the same mapping.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientSecretCredential } from '@azure/identity';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { startEmulator } from '@otel-sentinel/emulator';
import type { RunningEmulator } from '@otel-sentinel/emulator';
import { SentinelLogRecordProcessor } from '@otel-sentinel/exporter';
import { createSecurityEvents, loadDetections, withSecurityContext } from '@otel-sentinel/owasp';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, ROOT } from './cli.js';

const APP_MAPPING = join(ROOT, 'examples/audit-app/mapping/security-mapping.yaml');
const OWASP_PRESET = join(ROOT, 'packages/mapping/presets/owasp.yaml');
const TABLE = 'OwaspSecurityEvents_CL';
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

    strict: true,
  });
  running.push(e);
  return e;
}

/**
 * Security events as the example app emits them, through @otel-sentinel/owasp's helpers: sign-ins
 * and invoice reads and updates, each in a request context; and operational records beside them.
 */
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
    },
    clientOptions: { tlsOptions: { ca: e.caCertPem } },
    spool: false,
  });
  const provider = new LoggerProvider({
    processors: [sentinel],
    resource: resourceFromAttributes({ 'service.name': 'contoso-audit' }),
  });
  const logger = provider.getLogger('e2e');
  const security = createSecurityEvents({ logger, hashKey: HASH_KEY });
  for (let i = 0; i < 6; i++) {
    const userId = `user${i}`;
    withSecurityContext(
      { clientAddress: '203.0.113.7', method: 'POST', path: '/login', sessionId: `session-${i}` },
      () => {
        if (i % 2 === 0) security.authnLoginFail({ userId, reason: 'wrong_password' });
        else security.authnLoginSuccess({ userId });
      },
    );
    withSecurityContext({ clientAddress: '203.0.113.7', userId, path: `/api/invoices/inv-${i}` }, () => {
      const object = `/api/invoices/inv-${i}`;
      if (i < 4) security.sensitiveRead({ userId, object });
      else security.sensitiveUpdate({ userId, object });
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
  it('the solution folder: its table and DCR take every row the exporter sends', async () => {
    const out = generate(APP_MAPPING);
    const e = await emulatorFor(join(out, 'Solutions/ContosoAudit'));
    const sentinel = await sendThroughExporter(e, APP_MAPPING);
    expect(sentinel.exporter.stats()).toMatchObject({
      rowsExported: 12,
      rowsUndelivered: {},
      recordsRejected: {},
    });
    expect([...e.catalog.tables.keys()]).toEqual([TABLE]);
    expect(count(e, TABLE)).toBe(12);
    expect(
      e.query(
        `${TABLE} | where EventResult == "Failure" | project ActorUserId, EventResultDetails | sort by ActorUserId asc`,
      ).rows,
    ).toEqual([
      ['user0', 'wrong_password'],
      ['user2', 'wrong_password'],
      ['user4', 'wrong_password'],
    ]);
    expect(
      count(
        e,
        `${TABLE} | where EventOriginalType in ("sensitive_read", "sensitive_update") and Object startswith "/api/invoices/"`,
      ),
    ).toBe(6);
    expect(
      count(e, `${TABLE} | where EventOriginalType startswith "authn_login" and isnotempty(SessionHash)`),
    ).toBe(6);
    expect(count(e, `${TABLE} | where EventMessage startswith "operational"`)).toBe(0);
    // The generated table has the preset's TraceId; these events were emitted outside any span.
    expect(e.query(`${TABLE} | distinct TraceId`).rows).toEqual([['']]);
  });

  it("the solution carries the owasp detections as analytic rules, pointed at the app's connector", () => {
    const out = generate(APP_MAPPING);
    const solution = join(out, 'Solutions/ContosoAudit');
    const detections = loadDetections();
    expect(detections.length).toBeGreaterThan(0);
    const listed = (
      JSON.parse(readFileSync(join(solution, 'Data/Solution_ContosoAudit.json'), 'utf8')) as Record<
        string,
        unknown
      >
    )['Analytic Rules'];
    expect(listed).toEqual(detections.map((d) => `Analytic Rules/${d.fileName}`));
    for (const { fileName } of detections) {
      const rule = readFileSync(join(solution, 'Analytic Rules', fileName), 'utf8');
      expect(rule, fileName).toContain(`- ${TABLE}`);
      expect(rule, fileName).toContain('connectorId: ContosoAuditPush');
    }
    expect(cli(['connector', '--check', solution]).status).toBe(0);
  });

  for (const direct of [false, true]) {
    it(`the ARM template${direct ? ' with a Direct DCR' : ''}: the same table and DCR`, async () => {
      const out = generate(APP_MAPPING, direct ? ['--arm', '--direct'] : ['--arm']);
      const e = await emulatorFor(join(out, 'deploy/azuredeploy.json'));
      await sendThroughExporter(e, APP_MAPPING);
      expect(count(e, TABLE)).toBe(12);
    });
  }

  it("a stream's custom transform is written into the DCR and applied by it", async () => {
    // The app's mapping with the preset's stream written out (as `init --preset owasp --expand`
    // does), and a transform on it that drops reads at ingestion.
    const preset = readFileSync(OWASP_PRESET, 'utf8');
    const streams = preset.slice(preset.indexOf('\nstreams:\n') + 1);
    const text =
      readFileSync(APP_MAPPING, 'utf8').replace('extends: owasp\n', '') +
      streams.replace(
        `    table: ${TABLE}\n`,
        `    table: ${TABLE}\n    transformKql: source | where EventOriginalType != "sensitive_read"\n`,
      );
    expect(text).toContain('transformKql');
    const dir = mkdtempSync(join(tmpdir(), 'connector-e2e-mapping-'));
    const mapping = join(dir, 'security-mapping.yaml');
    writeFileSync(mapping, text);
    const out = generate(mapping);
    expect(existsSync(join(out, 'Solutions/ContosoAudit/Analytic Rules'))).toBe(true);
    const e = await emulatorFor(join(out, 'Solutions/ContosoAudit/Data Connectors'));
    await sendThroughExporter(e, mapping);
    // Reads are filtered at ingestion by the generated DCR; sign-ins and updates arrive.
    expect(e.query(`${TABLE} | distinct EventOriginalType | sort by EventOriginalType asc`).rows).toEqual([
      ['authn_login_fail'],
      ['authn_login_success'],
      ['sensitive_update'],
    ]);
    expect(count(e, TABLE)).toBe(8);
  });
});
