// With HTTP instrumentation on, the exporter's own requests (uploads and the token requests for
// them) make no spans, as OpenTelemetry's exporters suppress tracing for theirs; the same requests
// made by the app are traced, which shows the instrumentation sees them.
import { createRequire } from 'node:module';
import { LogsIngestionClient } from '@azure/monitor-ingestion';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SentinelLogExporter } from '../src/sentinel-log-exporter.js';
import { SinkCredential, startHttpsSink } from './support/https-sink.js';
import type { HttpsSink } from './support/https-sink.js';

const DCR = 'dcr-0123456789abcdef0123456789abcdef';
const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const instrumentation = new HttpInstrumentation();
let sink: HttpsSink;

/** The client spans (the sink's own server spans are not the point), as `METHOD path`. */
function tracedRequests(): string[] {
  return spans
    .getFinishedSpans()
    .filter((s) => s.kind === SpanKind.CLIENT)
    .map((s) => {
      const a = s.attributes;
      const url = String(a['http.url'] ?? a['url.full'] ?? '');
      return `${String(a['http.method'] ?? a['http.request.method'])} ${URL.canParse(url) ? new URL(url).pathname : url}`;
    });
}

/** An exporter whose mapping sends one column to the sink, with its token from the sink too. */
function exporterForSink(startupCheck = false): SentinelLogExporter {
  return new SentinelLogExporter({
    mapping: {
      version: 1,
      endpoint: sink.origin,
      dcrImmutableId: DCR,
      streams: [{ stream: 'Custom-Sec', table: 'Sec_CL', columns: { EventName: { from: 'eventName' } } }],
    },
    credential: new SinkCredential(sink),
    startupCheck,
    spool: false,
    saveOnExit: false,
    clientOptions: { tlsOptions: { ca: sink.ca } },
  });
}

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  // The client loads node:https as a CommonJS module; requiring it after enable() patches it.
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  sink = await startHttpsSink();
});

afterAll(async () => {
  instrumentation.disable();
  await sink.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => {
  spans.reset();
  sink.paths.length = 0;
});

describe("the exporter's own requests", () => {
  it('make no span for the upload POST or its token request', async () => {
    const exporter = exporterForSink();

    const result = await new Promise<ExportResult>((resolve) => {
      exporter.export(
        [
          {
            eventName: 'authn_login_fail',
            attributes: { 'security.event': true },
            hrTime: [1_700_000_000, 0],
          },
        ],
        resolve,
      );
    });
    await exporter.shutdown();

    expect(result).toEqual({ code: ExportResultCode.SUCCESS });
    expect(sink.paths).toEqual(['/token', expect.stringMatching(/^\/dataCollectionRules\//)]);
    expect(tracedRequests()).toEqual([]);
  });

  it('make no span for the token request of a credential check', async () => {
    const exporter = exporterForSink();

    const check = await exporter.checkCredential();
    await exporter.shutdown();

    expect(check.ok).toBe(true);
    expect(sink.paths).toEqual(['/token']);
    expect(tracedRequests()).toEqual([]);
  });

  it('make no span for the token request and the stream probe of the start-up check', async () => {
    const exporter = exporterForSink(true);

    const result = await exporter.startupCheck();
    await exporter.shutdown();

    expect(result).toMatchObject({ status: 'done', ok: true });
    expect(sink.paths).toEqual([
      '/token',
      expect.stringMatching(/^\/dataCollectionRules\/[^/]+\/streams\/Custom-Sec\?/),
    ]);
    expect(tracedRequests()).toEqual([]);
  });

  it('are traced when the app makes the same requests itself', async () => {
    const client = new LogsIngestionClient(sink.origin, new SinkCredential(sink), {
      tlsOptions: { ca: sink.ca },
      retryOptions: { maxRetries: 0 },
    });

    await client.upload(DCR, 'Custom-Sec', [{ EventName: 'authn_login_fail' }]);

    expect(tracedRequests()).toEqual(['POST /token', expect.stringMatching(/^POST \/dataCollectionRules\//)]);
  });
});
