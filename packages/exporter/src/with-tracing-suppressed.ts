// Runs the exporter's own requests (uploads, token requests, the deployment check, the gateway's
// upstream POSTs) with tracing suppressed, as OpenTelemetry's exporters do: with HTTP
// instrumentation on, they would otherwise be traced, and those spans exported in turn.

import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';

/**
 * Calls `fn` in the active context with tracing suppressed; instrumentations (`http`, `undici`)
 * then start no span for what it sends, including its asynchronous continuations.
 */
export function withTracingSuppressed<T>(fn: () => T): T {
  return context.with(suppressTracing(context.active()), fn);
}
