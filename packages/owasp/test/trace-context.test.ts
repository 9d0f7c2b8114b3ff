import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { captureSecurityEvents } from './support/capture.js';
import { installContextManager } from './support/context-manager.js';

let uninstall: () => void = () => undefined;

beforeAll(() => {
  uninstall = installContextManager();
});

afterAll(() => {
  uninstall();
});

it('carries the active span context, as the SDK takes it at emit', () => {
  const { security, only } = captureSecurityEvents();
  const span = {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
  };

  context.with(trace.setSpanContext(ROOT_CONTEXT, span), () => {
    security.authzFail({ userId: 'joebob1', resource: '/admin' });
  });

  expect(only().spanContext).toMatchObject({ traceId: span.traceId, spanId: span.spanId });
});
