import { AsyncLocalStorage } from 'node:async_hooks';

import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { captureSecurityEvents } from './support/capture.js';

// The smallest context manager that makes `context.with` real, as the SDK's would.
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    return this;
  }
}

beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
});

afterAll(() => {
  context.disable();
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
