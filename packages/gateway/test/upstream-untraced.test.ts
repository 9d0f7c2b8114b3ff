// With HTTP instrumentation on, the gateway's POSTs to its upstream make no span (as the
// exporter's uploads make none); the same POST made outside the forwarder is traced, which shows
// the instrumentation sees it.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { Agent } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayCounters } from '../src/gateway-counters.js';
import { LogLimiter } from '../src/log-limiter.js';
import { resolveOptions } from '../src/resolve-options.js';
import { postOtlp } from '../src/upstream/post-otlp.js';
import { UpstreamForwarder } from '../src/upstream/upstream-forwarder.js';
import { startFakeUpstream } from './support/fake-upstream.js';
import type { FakeUpstream } from './support/fake-upstream.js';
import { operationalRecord, protobufBody } from './support/otlp-bodies.js';

const spans = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const instrumentation = new HttpInstrumentation();
let upstream: FakeUpstream;

function clientSpans(): number {
  return spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CLIENT).length;
}

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  instrumentation.setTracerProvider(provider);
  instrumentation.enable();
  // Patch node:http now, and let its ESM named exports (what post-otlp imports) see the patch, as
  // an app that registers instrumentation before loading the gateway would have it.
  createRequire(import.meta.url)('node:http');
  syncBuiltinESMExports();
  upstream = await startFakeUpstream();
});

afterAll(async () => {
  instrumentation.disable();
  syncBuiltinESMExports();
  await upstream.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
});

beforeEach(() => {
  spans.reset();
});

describe('the upstream forwarder under HTTP instrumentation', () => {
  it('makes no span for its POST to the upstream', async () => {
    const resolved = resolveOptions({ mapping: 'unused.yaml', upstream: upstream.url });
    if (resolved.upstream === undefined) throw new Error('no upstream');
    const forwarder = new UpstreamForwarder({
      upstream: resolved.upstream,
      maxBytes: 1 << 20,
      counters: new GatewayCounters(),
      log: new LogLimiter(() => undefined, 0),
    });

    expect(forwarder.enqueue(protobufBody([operationalRecord(1)]), 1)).not.toBe(false);
    expect(await forwarder.drain(5000)).toBe(true);
    await forwarder.close(1000);

    expect(upstream.received).toHaveLength(1);
    expect(clientSpans()).toBe(0);
  });

  it('is traced when the same POST is made outside the forwarder', async () => {
    const outcome = await postOtlp(
      { url: new URL(upstream.url), headers: {}, agent: new Agent(), timeoutMs: 5000 },
      protobufBody([operationalRecord(1)]),
      new AbortController().signal,
    );

    expect(outcome).toMatchObject({ status: 200 });
    expect(clientSpans()).toBe(1);
  });
});
