// Where problems go when the app gave no `onError`: OpenTelemetry `diag` if the API is installed,
// else a single `console.warn`. And the rule that each problem is reported once per key, so a
// helper called in a hot loop with a bad argument cannot flood the app's own logs.

import type { SecurityEventsError } from './errors.js';
import { loadOptionalModule, propertyOf } from './optional-module.js';
import type { ModuleLoader } from './optional-module.js';
import type { SecurityErrorHandler } from './options.js';

const NAMESPACE = '@otel-sentinel/owasp';
/** Distinct keys remembered per reporter; past this, new keys are still reported, then forgotten. */
const MAX_KEYS = 1024;

type Warn = (message: string) => void;

/** The default `onError`: `diag.warn` through a component logger, or one `console.warn`. */
export function defaultErrorHandler(load: ModuleLoader = loadOptionalModule): SecurityErrorHandler {
  let warn: Warn | undefined;
  return (error) => {
    warn ??= diagWarn(load) ?? consoleWarnOnce();
    warn(`${error.code}: ${error.message}`);
  };
}

function diagWarn(load: ModuleLoader): Warn | undefined {
  const api = load('@opentelemetry/api');
  if (!api.ok) return undefined;
  const createComponentLogger = propertyOf(propertyOf(api.exports, 'diag'), 'createComponentLogger');
  if (typeof createComponentLogger !== 'function') return undefined;
  const diag = propertyOf(api.exports, 'diag');
  const logger: unknown = createComponentLogger.call(diag, { namespace: NAMESPACE });
  const warn = propertyOf(logger, 'warn');
  if (typeof warn !== 'function') return undefined;
  return (message) => {
    warn.call(logger, message);
  };
}

function consoleWarnOnce(): Warn {
  let warned = false;
  return (message) => {
    if (warned) return;
    warned = true;
    console.warn(
      `${NAMESPACE}: ${message} (further problems are not printed: install @opentelemetry/api or pass onError)`,
    );
  };
}

/** Calls `handler` once per key; a handler that throws is ignored, as an emit must never throw. */
export class OnceReporter {
  private readonly seen = new Set<string>();

  constructor(private readonly handler: SecurityErrorHandler) {}

  report(key: string, error: () => SecurityEventsError): void {
    if (this.seen.has(key)) return;
    if (this.seen.size >= MAX_KEYS) this.seen.clear();
    this.seen.add(key);
    try {
      this.handler(error());
    } catch {
      // The app's onError failed; there is nowhere left to report to, and the app must go on.
    }
  }
}
