// The Sentinel processors inside a LoggerProvider of the OpenTelemetry JS 3.x SDK line
// (sdk-logs 3.x, @opentelemetry/api 1.10): security records reach the Logs Ingestion API,
// operational records reach only the operational processor.
import { gunzipSync } from 'node:zlib';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { SentinelLogRecordProcessor, withoutSecurityEvents } from '@otel-sentinel/exporter';
import type { SentinelLogExporterOptions } from '@otel-sentinel/exporter';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';

const ENDPOINT = 'https://e2e-dce.westeurope-1.ingest.monitor.azure.com';
const credential: NonNullable<SentinelLogExporterOptions['credential']> = {
  getToken: () => Promise.resolve({ token: 'e2e-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

afterEach(() => {
  nock.cleanAll();
});

describe('the exporter on the OpenTelemetry JS 3.x SDK line', () => {
  it('sends security records to Sentinel and operational records elsewhere', async () => {
    const received: unknown[] = [];
    nock(ENDPOINT)
      .persist()
      .post(/\/dataCollectionRules\/dcr-[0-9a-f]+\/streams\/Custom-Sec/)
      .reply(204, (_uri, body) => {
        // nock hands over the decoded JSON; a hex string of gzip if it could not decode it.
        const rows: unknown =
          typeof body === 'string' ? JSON.parse(gunzipSync(Buffer.from(body, 'hex')).toString()) : body;
        received.push(...(rows as unknown[]));
        return '';
      });
    const operational = new InMemoryLogRecordExporter();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: {
        version: 1,
        endpoint: ENDPOINT,
        dcrImmutableId: 'dcr-0123456789abcdef0123456789abcdef',
        streams: [
          {
            stream: 'Custom-Sec',
            table: 'Sec_CL',
            columns: { EventName: 'eventName', UserId: "attributes['user.id']" },
          },
        ],
      },
      credential,
      spool: false,
    });
    const provider = new LoggerProvider({
      processors: [sentinel, withoutSecurityEvents(new SimpleLogRecordProcessor({ exporter: operational }))],
    });
    const logger = provider.getLogger('e2e');
    logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, 'user.id': 'joe' } });
    logger.emit({ body: 'operational' });
    await provider.forceFlush();
    expect(received).toEqual([expect.objectContaining({ EventName: 'authn_login_fail', UserId: 'joe' })]);
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['operational']);
    await provider.shutdown();
  });
});
