// The smallest context manager that makes `context.with` real, as the SDK's would: tests that emit
// inside a span install it, so the SDK takes the span context from the active context at emit.

import { AsyncLocalStorage } from 'node:async_hooks';

import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context, ContextManager } from '@opentelemetry/api';

export class AsyncLocalStorageContextManager implements ContextManager {
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

/** Installs the manager as the global one; the returned function removes it again. */
export function installContextManager(): () => void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  return () => {
    context.disable();
  };
}
