// routeSecurityEvents() on a LoggerProvider built elsewhere (as the Azure Monitor distro and
// NodeSDK build theirs): Sentinel gets the security records, the provider's own processors keep
// getting everything else, and a provider of an unknown shape is refused untouched.
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { RoutingUnsupportedError, routeSecurityEvents } from '../src/route-security-events.js';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [{ stream: 'Custom-Sec', table: 'Sec_CL', columns: { UserId: "attributes['user.id']" } }],
};

function sentinel(): SentinelLogRecordProcessor {
  return new SentinelLogRecordProcessor({
    mapping: MAPPING,
    credential: new StaticCredential(),
    spool: false,
  });
}

afterEach(() => {
  nock.cleanAll();
});

describe('routeSecurityEvents', () => {
  it('sends security records to Sentinel only and the rest to the processors the provider already had', async () => {
    const sink = ingestionSink();
    const operational = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({
      processors: [new SimpleLogRecordProcessor({ exporter: operational })],
    });
    const processor = sentinel();
    routeSecurityEvents(provider, processor);
    routeSecurityEvents(provider, processor); // a second call neither wraps again nor adds Sentinel twice
    const logger = provider.getLogger('test');
    logger.emit({ body: 'login failed', attributes: { 'security.event': true, 'user.id': 'alice' } });
    logger.emit({ body: 'cache warmed' });
    await provider.forceFlush();
    expect(sink.all()).toEqual([expect.objectContaining({ UserId: 'alice' })]);
    expect(operational.getFinishedLogRecords().map((r) => r.body)).toEqual(['cache warmed']);
    await provider.shutdown();
  });

  it('refuses a logger provider without the SDK processor list, with E_ROUTING_UNSUPPORTED', async () => {
    const processor = sentinel();
    expect(() => {
      routeSecurityEvents({ getLogger: () => undefined }, processor);
    }).toThrow(expect.objectContaining({ code: 'E_ROUTING_UNSUPPORTED' }) as Error);
    expect(() => {
      routeSecurityEvents(new LoggerProvider(), processor);
    }).toThrow(RoutingUnsupportedError);
    await processor.shutdown();
  });
});
