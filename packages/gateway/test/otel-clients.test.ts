// Real OpenTelemetry JS OTLP clients (exporter-logs-otlp-http for OTLP/JSON, -proto for
// protobuf, plain and gzip) in an sdk-logs LoggerProvider send to the gateway. Security records
// must reach the stackEmulator()'s tables as the rows written by hand in support/expected-rows.ts,
// and only there; operational records must reach the upstream, and only there.
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpJsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { describe, expect, it, vi } from 'vitest';
import { expectedRow } from './support/expected-rows.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import { sharedStack, gatewayOptions } from './support/stack.js';

const { cleanup, emulator: stackEmulator } = sharedStack();

// Within the last 2 days: the service (and the emulator) replaces an older TimeGenerated with the
// ingestion time.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;
const EVENTS = ['authn_login_fail', 'authn_login_success', 'input_validation_fail', 'session_created'];
const TOKEN = 'client-token-9f8e7d';

/**
 * Builds an exporter that gzips its requests: through the variable the exporters read at
 * construction (their CompressionAlgorithm enum lives in a package they do not re-export).
 */
function gzipped(make: () => LogRecordExporter): LogRecordExporter {
  vi.stubEnv('OTEL_EXPORTER_OTLP_LOGS_COMPRESSION', 'gzip');
  try {
    return make();
  } finally {
    vi.unstubAllEnvs();
  }
}

interface Client {
  readonly name: string;
  readonly make: (url: string) => LogRecordExporter;
}

const CLIENTS: readonly Client[] = [
  {
    name: 'exporter-logs-otlp-http (OTLP/JSON)',
    make: (url) => new OtlpJsonExporter({ url, headers: { authorization: `Bearer ${TOKEN}` } }),
  },
  {
    name: 'exporter-logs-otlp-http (OTLP/JSON, gzip)',
    make: (url) =>
      gzipped(() => new OtlpJsonExporter({ url, headers: { authorization: `Bearer ${TOKEN}` } })),
  },
  {
    name: 'exporter-logs-otlp-proto (protobuf)',
    make: (url) => new OtlpProtoExporter({ url, headers: { authorization: `Bearer ${TOKEN}` } }),
  },
  {
    name: 'exporter-logs-otlp-proto (protobuf, gzip)',
    make: (url) => gzipped(() => new OtlpProtoExporter({ url, headers: { 'x-api-key': 'client-key-1' } })),
  },
];

function eventName(i: number): string {
  return EVENTS[i % EVENTS.length] ?? 'authn_login_fail';
}

function securityAttributes(i: number): Record<string, string | number | boolean> {
  return {
    'security.event': true,
    'user.id': `user${i}@contoso.com`,
    'client.address': `203.0.113.${i}`,
    'session.id': `s-${i}`,
    seq: i,
    'auth.method': 'password',
    'retry.count': i % 3,
  };
}

/** What the stackEmulator() stored for a row, as the mapping's row shape: no empty strings, dynamic parsed. */
function storedRow(
  columns: readonly { name: string; type: string }[],
  values: readonly unknown[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((c, i) => {
    const v = values[i];
    // _TimeReceived and Type (the table's name) are columns Log Analytics adds to every row.
    if (v === null || v === undefined || v === '' || c.name === '_TimeReceived' || c.name === 'Type') return;
    out[c.name] = c.type === 'dynamic' && typeof v === 'string' ? JSON.parse(v) : v;
  });
  return out;
}

describe.each(CLIENTS)('$name to the gateway', ({ make }) => {
  it('delivers every security record as mapped to Sentinel only, and every operational record to the upstream only', async () => {
    const upstream = await startFakeUpstream();
    cleanup.add(() => upstream.close());
    const g = await cleanup.gateway(
      gatewayOptions(stackEmulator(), {
        upstream: upstream.url,
        auth: { bearerToken: TOKEN, apiKey: 'client-key-1' },
      }),
    );
    const service = `svc-${Math.random().toString(36).slice(2, 10)}`;
    const resource = resourceFromAttributes({ 'service.name': service });
    const provider = new LoggerProvider({
      resource,
      processors: [
        new BatchLogRecordProcessor({ exporter: make(`${g.url}/v1/logs`), maxExportBatchSize: 16 }),
      ],
    });
    const logger = provider.getLogger('gateway-e2e', '2.1.0');
    const N = 40;
    for (let i = 0; i < N; i++) {
      logger.emit({
        timestamp: T0 + i,
        eventName: eventName(i),
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: `security ${i}`,
        attributes: securityAttributes(i),
      });
      logger.emit({
        timestamp: T0 + i,
        severityText: 'INFO',
        body: `operational ${i}`,
        attributes: { seq: 1000 + i },
      });
    }
    await provider.forceFlush();
    await g.flush();

    // Sentinel: every security record, as the row written by hand for it.
    const expectedByTable = new Map<string, Record<string, unknown>[]>();
    for (let i = 0; i < N; i++) {
      const { table, row } = expectedRow({ i, eventName: eventName(i), timeMs: T0 + i, service });
      expectedByTable.set(table, [...(expectedByTable.get(table) ?? []), row]);
    }
    expect([...expectedByTable.keys()].sort()).toEqual(['GatewayAuth_CL', 'GatewayOther_CL']);
    for (const [table, expected] of expectedByTable) {
      const result = stackEmulator().query(`${table} | where Service == "${service}" | sort by Seq asc`);
      const stored = result.rows.map((r) => storedRow(result.columns, r));
      expect(
        stored.map((r) => ({ ...r, TimeGenerated: new Date(String(r.TimeGenerated)).getTime() })),
      ).toEqual(expected);
    }
    const leaked = stackEmulator().query(
      `GatewayOther_CL | where Service == "${service}" and Message startswith "operational" | count`,
    );
    expect(leaked.rows).toEqual([[0]]);

    // Upstream: every operational record, with its resource and scope, and no security record.
    const forwarded = upstream.accepted();
    expect(forwarded.map((r) => Number(r.attributes.seq)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: N }, (_, i) => 1000 + i),
    );
    expect(forwarded.every((r) => r.attributes['security.event'] === undefined)).toBe(true);
    expect(forwarded[0]?.resource?.attributes['service.name']).toBe(service);
    expect(forwarded[0]?.instrumentationScope).toMatchObject({ name: 'gateway-e2e', version: '2.1.0' });
    expect(upstream.received.every((r) => r.contentType === 'application/x-protobuf')).toBe(true);

    expect(g.stats().records).toMatchObject({
      received: 2 * N,
      security: N,
      operational: N,
      rejected: 0,
      unrouted: 0,
    });
    expect(g.stats().exporter.rowsExported).toBe(N);
    await provider.shutdown();
  });
});
