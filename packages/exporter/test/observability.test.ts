// What the exporter says about itself: metrics through the OpenTelemetry metrics API, a stats()
// snapshot, and diag reports once per cause — none of them with a token, a secret or a row value.
import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { MappingInput } from '@otel-sentinel/mapping';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { meteredTest } from './support/metric-points.js';
import { StaticCredential, TEST_TOKEN } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: { EventName: { from: 'eventName', required: true }, Note: "attributes['note']" },
    },
  ],
};

beforeEach(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  diag.disable();
});

describe('self-observability', () => {
  it('records records, rows, bytes, latency and retries as OpenTelemetry metrics', async () => {
    ingestionSink();
    const metered = meteredTest();
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
      meterProvider: metered.meterProvider,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('m');
    logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true } });
    logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true } });
    logger.emit({ body: 'operational' });
    logger.emit({ body: 'no event name', attributes: { 'security.event': true } });
    await provider.forceFlush();
    const points = await metered.points();
    expect(points.get('otel_sentinel.records{"outcome":"security"}')).toBe(3);
    expect(points.get('otel_sentinel.records{"outcome":"filtered"}')).toBe(1);
    // The filtered record as an AppTraces row: 215 bytes of fixed columns + 'operational' (11).
    expect(points.get('otel_sentinel.filtered.bytes{}')).toBe(226);
    expect(points.get('otel_sentinel.records{"outcome":"rejected","reason":"E_REQUIRED_MISSING"}')).toBe(1);
    expect(points.get('otel_sentinel.rows{"stream":"Custom-Sec","outcome":"exported"}')).toBe(2);
    expect(points.get('otel_sentinel.exported.bytes{"stream":"Custom-Sec"}')).toBeGreaterThan(0);
    expect(points.get('otel_sentinel.request.duration{}')).toBeGreaterThanOrEqual(1);
    expect(sentinel.exporter.stats()).toMatchObject({
      recordsSeen: 4,
      recordsFiltered: 1,
      bytesFiltered: 226,
      recordsMapped: 2,
      rowsExported: 2,
      requests: 1,
    });
    await provider.shutdown();
    await metered.meterProvider.shutdown();
  });

  it('reports undelivered rows through diag once per cause, without tokens or row values', async () => {
    ingestionSink(403);
    const messages: string[] = [];
    const capture = (...args: unknown[]) => {
      messages.push(args.map(String).join(' '));
    };
    diag.setLogger(
      { error: capture, warn: capture, info: capture, debug: capture, verbose: capture },
      DiagLogLevel.ALL,
    );
    const sentinel = new SentinelLogRecordProcessor({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const provider = new LoggerProvider({ processors: [sentinel] });
    const logger = provider.getLogger('d');
    for (let i = 0; i < 3; i++) {
      logger.emit({
        eventName: 'authn_login_fail',
        attributes: { 'security.event': true, note: `row-value-${i}` },
      });
      await provider.forceFlush();
    }
    const ours = messages.filter((m) => m.includes('not delivered'));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/Custom-Sec \(Sec_CL\) not delivered \(permanent: HTTP 403/);
    const all = messages.join('\n');
    expect(all).not.toContain(TEST_TOKEN);
    expect(all).not.toContain('row-value-');
    expect(sentinel.exporter.stats().rowsUndelivered).toEqual({ permanent: 3 });
    await provider.shutdown();
  });

  it('counts the estimated AppTraces bytes of the records export() filters out, and of those only', async () => {
    ingestionSink();
    const exporter = new SentinelLogExporter({
      mapping: MAPPING,
      credential: new StaticCredential(),
      spool: false,
    });
    const hrTime: [number, number] = [1_700_000_000, 0];
    await new Promise((resolve) => {
      exporter.export(
        [
          {
            hrTime,
            eventName: 'authn_login_fail',
            attributes: { 'security.event': true, note: 'x'.repeat(500) },
          },
          { hrTime, body: 'cache hit', attributes: { key: 'k1' } },
          { hrTime, attributes: { 'security.event': false } },
        ],
        resolve,
      );
    });
    // 'cache hit' (9) + key:'k1' (3 + 6 + 2) = 215 + 20; security.event:false (14 + 6 + 5) = 215 + 25.
    expect(exporter.stats()).toMatchObject({ recordsFiltered: 2, bytesFiltered: 235 + 240 });
    await exporter.shutdown();
  });
});
