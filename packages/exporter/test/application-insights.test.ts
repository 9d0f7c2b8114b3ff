// With the real Application Insights exporter behind withoutSecurityEvents, security records
// never reach Application Insights and operational records never reach Sentinel.
import { gunzipSync } from 'node:zlib';
import { AzureMonitorLogExporter } from '@azure/monitor-opentelemetry-exporter';
import type { MappingInput } from '@otel-sentinel/mapping';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { withoutSecurityEvents } from '../src/without-security-events.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const AI_HOST = 'https://ai-ingest.example.test';
const CONNECTION_STRING = `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${AI_HOST}/`;

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: { EventName: 'eventName', Marker: "attributes['marker']" },
    },
  ],
};

/** Every envelope Application Insights would have stored, as text. */
function applicationInsightsSink(): string[] {
  const envelopes: string[] = [];
  nock(AI_HOST)
    .persist()
    .post(/\/v2(\.1)?\/track/)
    .reply(200, function (_uri, body) {
      const text =
        typeof body === 'string' && body.startsWith('1f8b')
          ? gunzipSync(Buffer.from(body, 'hex')).toString()
          : JSON.stringify(body);
      envelopes.push(text);
      return { itemsReceived: 1, itemsAccepted: 1, errors: [] };
    });
  return envelopes;
}

beforeEach(() => {
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('Sentinel beside Application Insights', () => {
  it('keeps each record on its side', async () => {
    const sentinelSink = ingestionSink();
    const envelopes = applicationInsightsSink();
    const ai = new BatchLogRecordProcessor({
      exporter: new AzureMonitorLogExporter({
        connectionString: CONNECTION_STRING,
        disableOfflineStorage: true,
      }),
    });
    const provider = new LoggerProvider({
      processors: [
        new SentinelLogRecordProcessor({
          mapping: MAPPING,
          credential: new StaticCredential(),
          spool: false,
        }),
        withoutSecurityEvents(ai),
      ],
    });
    const logger = provider.getLogger('app');
    logger.emit({
      eventName: 'authn_login_fail',
      body: 'secret-side',
      attributes: { 'security.event': true, marker: 'S1' },
    });
    logger.emit({ body: 'operational one', attributes: { marker: 'O1' } });
    logger.emit({
      eventName: 'authz_fail',
      body: 'secret-side',
      attributes: { 'security.event': 'true', marker: 'S2' },
    });
    logger.emit({ body: 'operational two', attributes: { marker: 'O2' } });
    await provider.forceFlush();

    expect(sentinelSink.all().map((r) => r.Marker)).toEqual(['S1', 'S2']);
    const ai_text = envelopes.join('\n');
    expect(ai_text).toContain('O1');
    expect(ai_text).toContain('O2');
    expect(ai_text).not.toContain('S1');
    expect(ai_text).not.toContain('S2');
    expect(ai_text).not.toContain('secret-side');
    await provider.shutdown();
  });

  it('lets security records through to Application Insights as well when asked', async () => {
    ingestionSink();
    const envelopes = applicationInsightsSink();
    const ai = new BatchLogRecordProcessor({
      exporter: new AzureMonitorLogExporter({
        connectionString: CONNECTION_STRING,
        disableOfflineStorage: true,
      }),
    });
    const provider = new LoggerProvider({
      processors: [withoutSecurityEvents(ai, { includeSecurityEvents: true })],
    });
    provider
      .getLogger('app')
      .emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, marker: 'S3' } });
    await provider.forceFlush();
    expect(envelopes.join('\n')).toContain('S3');
    await provider.shutdown();
  });
});
