// The mapping reads records made by the OpenTelemetry JS 3.x SDK line as they are.
import { SeverityNumber } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { compileMapping, parseMapping } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { describe, expect, expectTypeOf, it } from 'vitest';

const MAPPING = `version: 1
endpoint: https://dce.example.ingest.monitor.azure.com
dcrImmutableId: dcr-0123456789abcdef0123456789abcdef
streams:
  - stream: Custom-Sec
    table: Sec_CL
    columns:
      TimeGenerated: timestamp
      EventName: { from: eventName, required: true }
      Severity: severityNumber
      UserId: "attributes['user.id']"
      Status: "attributes['http.response.status_code']"
      Service: "resource['service.name']"
      Scope: scope.name
      Message: body
      Extra: { from: attributes, exclude: ["user.id"] }
`;

describe('records from the OpenTelemetry JS 3.x SDK (sdk-logs 3.x)', () => {
  it('satisfy LogRecordLike as they are', () => {
    expectTypeOf<ReadableLogRecord>().toExtend<LogRecordLike>();
  });

  it('map to the expected row, and operational records are skipped', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'billing' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('billing.auth', '3.0.0');
    logger.emit({
      eventName: 'authz_fail',
      severityNumber: SeverityNumber.ERROR,
      body: 'joebob1 was denied /invoices/42',
      timestamp: new Date(Date.UTC(2026, 10, 23, 9, 0, 0, 5)),
      attributes: {
        'security.event': true,
        'user.id': 'joebob1',
        'http.response.status_code': 403,
        'authz.resource': '/invoices/42',
      },
    });
    logger.emit({ body: 'invoice rendered', severityNumber: SeverityNumber.INFO });
    await provider.forceFlush();

    const config = parseMapping(MAPPING, { env: {} }).config;
    if (!config) throw new Error('mapping invalid');
    const mapping = compileMapping(config);
    const records: readonly LogRecordLike[] = exporter.getFinishedLogRecords();
    const outcomes = records.map((r) => mapping.map(r));
    expect(outcomes.map((o) => o.status)).toEqual(['mapped', 'skipped']);
    expect(outcomes[0]?.status === 'mapped' && outcomes[0].row).toEqual({
      TimeGenerated: '2026-11-23T09:00:00.0050000Z',
      EventName: 'authz_fail',
      Severity: 17,
      UserId: 'joebob1',
      Status: 403,
      Service: 'billing',
      Scope: 'billing.auth',
      Message: 'joebob1 was denied /invoices/42',
      Extra: { 'http.response.status_code': 403, 'authz.resource': '/invoices/42' },
    });
    await provider.shutdown();
  });
});
