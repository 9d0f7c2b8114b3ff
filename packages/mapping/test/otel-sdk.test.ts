// The mapping reads records made by the real OpenTelemetry JS SDK (the 2.x line: sdk-logs 0.22x),
// through the structural LogRecordLike type, with no adapter.
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import type { LogRecordLike } from '../src/log-record.js';
import { parseMapping } from '../src/load-mapping.js';
import { ENV, oneStream } from './helpers.js';

describe('records from the OpenTelemetry JS SDK (sdk-logs 0.22x)', () => {
  it('satisfy LogRecordLike as they are', () => {
    expectTypeOf<ReadableLogRecord>().toExtend<LogRecordLike>();
  });

  it('map to the expected row', async () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.version': '2.1.0' }),
      processors: [new SimpleLogRecordProcessor({ exporter })],
    });
    const logger = provider.getLogger('auth', '1.0.0');
    logger.emit({
      eventName: 'authn_login_fail',
      severityNumber: SeverityNumber.WARN,
      severityText: 'WARN',
      body: 'login failed for joebob1',
      timestamp: new Date(Date.UTC(2026, 10, 23, 8, 15, 30, 123)),
      attributes: {
        'security.event': true,
        'user.id': 'joebob1',
        'client.address': '203.0.113.7',
        'http.response.status_code': 401,
      },
    });
    logger.emit({
      body: 'cache warmed',
      severityNumber: SeverityNumber.DEBUG,
      attributes: { 'cache.size': 3 },
    });
    await provider.forceFlush();
    const records: readonly LogRecordLike[] = exporter.getFinishedLogRecords();

    const config = parseMapping(
      oneStream(`      TimeGenerated: { from: timestamp }
      EventName: { from: eventName, required: true }
      Severity: severityNumber
      UserId: "attributes['user.id']"
      SrcIp: "attributes['client.address']"
      Status: "attributes['http.response.status_code']"
      Service: "resource['service.name']"
      Scope: scope.name
      Message: body
`),
      { env: ENV },
    ).config;
    if (!config) throw new Error('mapping invalid');
    const mapping = compileMapping(config, { env: ENV });
    const outcomes = records.map((r) => mapping.map(r));
    expect(outcomes.map((o) => o.status)).toEqual(['mapped', 'skipped']);
    expect(outcomes[0]?.status === 'mapped' && outcomes[0].row).toEqual({
      TimeGenerated: '2026-11-23T08:15:30.1230000Z',
      EventName: 'authn_login_fail',
      Severity: 13,
      UserId: 'joebob1',
      SrcIp: '203.0.113.7',
      Status: 401,
      Service: 'checkout',
      Scope: 'auth',
      Message: 'login failed for joebob1',
    });
    await provider.shutdown();
  });
});
