// Records emitted while a resource detector is still answering wait, off the emit path, until the
// resource has settled: the column fed from the resource is filled, not mapped empty. A detector
// that never answers holds them no longer than exportTimeoutMillis.
import { diag } from '@opentelemetry/api';
import { detectResources } from '@opentelemetry/resources';
import type { ResourceDetector } from '@opentelemetry/resources';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MappingInput } from '@otel-sentinel/mapping';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogRecordProcessor } from '../src/sentinel-log-record-processor.js';
import { captureWarnings } from './support/diag-warnings.js';
import { DCR, ENDPOINT, ingestionSink } from './support/ingestion-sink.js';
import { StaticCredential } from './support/static-credential.js';

const MAPPING: MappingInput = {
  version: 1,
  endpoint: ENDPOINT,
  dcrImmutableId: DCR,
  streams: [
    {
      stream: 'Custom-Sec',
      table: 'Sec_CL',
      columns: { EventName: { from: 'eventName' }, Region: "resource['cloud.region']" },
    },
  ],
};

/** A detector whose attribute arrives only when `answer` is called, as a cloud metadata lookup would. */
function lateDetector(): { detector: ResourceDetector; answer: (region: string) => void } {
  let answer: (region: string) => void = () => undefined;
  const region = new Promise<string>((resolve) => {
    answer = resolve;
  });
  return { detector: { detect: () => ({ attributes: { 'cloud.region': region } }) }, answer };
}

function processor(exportTimeoutMillis = 30_000): SentinelLogRecordProcessor {
  return new SentinelLogRecordProcessor({
    mapping: MAPPING,
    credential: new StaticCredential(),
    startupCheck: false,
    spool: false,
    saveOnExit: false,
    scheduledDelayMillis: 10,
    exportTimeoutMillis,
  });
}

let warnings: string[] = [];
beforeEach(() => {
  nock.disableNetConnect();
  warnings = captureWarnings();
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  diag.disable();
});

describe('a resource with asynchronous attributes', () => {
  it('fills a column from a detector that answers after the record was emitted', async () => {
    const sink = ingestionSink();
    const late = lateDetector();
    const sentinel = processor();
    const provider = new LoggerProvider({
      resource: detectResources({ detectors: [late.detector] }),
      processors: [sentinel],
    });

    provider.getLogger('app').emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sentinel.queued).toBe(1); // held, not mapped yet
    expect(sink.requests).toBe(0);
    late.answer('westeurope');
    await provider.forceFlush();
    await provider.shutdown();

    expect(sink.all()).toEqual([
      expect.objectContaining({ EventName: 'authn_login_fail', Region: 'westeurope' }),
    ]);
  });

  it('maps the records without the attribute once exportTimeoutMillis has passed, and says so', async () => {
    const sink = ingestionSink();
    const sentinel = processor(100);
    const provider = new LoggerProvider({
      resource: detectResources({ detectors: [lateDetector().detector] }),
      processors: [sentinel],
    });

    provider.getLogger('app').emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true } });
    await provider.forceFlush();
    await provider.shutdown();

    expect(sink.all()).toEqual([expect.objectContaining({ EventName: 'authn_login_fail' })]);
    expect(sink.all()[0]).not.toHaveProperty('Region', 'westeurope');
    expect(warnings.join('\n')).toContain('gave no attributes within 100 ms (exportTimeoutMillis)');
  });
});
