// Makes an OpenTelemetry SDK LoggerProvider that someone else built (the Azure Monitor distro's
// `useAzureMonitor()`, a NodeSDK) send security records to Sentinel only. The distro appends its
// own Application Insights processor after the user's and offers no filter hook, so the only way
// to keep a record away from it is to wrap it in place, through the SDK's internal processor list.

import { OtelSentinelError } from '@otel-sentinel/mapping';
import type { SentinelLogRecordProcessor } from './sentinel-log-record-processor.js';
import { withoutSecurityEvents } from './without-security-events.js';
import type { LogRecordProcessorLike } from './without-security-events.js';

/** The provider does not have the internal shape this was tested against; nothing was changed. */
export class RoutingUnsupportedError extends OtelSentinelError {
  declare readonly code: 'E_ROUTING_UNSUPPORTED';
  constructor(detail: string) {
    super(
      'E_ROUTING_UNSUPPORTED',
      `routeSecurityEvents: ${detail}. It supports the LoggerProvider of @opentelemetry/sdk-logs 0.22x and 3.x ` +
        '(the one useAzureMonitor() and NodeSDK register); pass logs.getLoggerProvider() after the SDK has started, ' +
        'or build your own LoggerProvider with withoutSecurityEvents() (see the exporter README)',
    );
  }
}

// Wrappers this module made, so a second call does not wrap twice.
const routed = new WeakSet<object>();

/**
 * Hands `sentinel` every record of `loggerProvider` (adding it first if it is not there yet) and
 * wraps every other processor of the provider (the distro's Application Insights processors
 * included) in `withoutSecurityEvents`, so security records reach Sentinel only and all other
 * records reach the other processors as before. Call it once, right after `useAzureMonitor()`
 * (again after each `useAzureMonitor()` call, which builds a new provider).
 *
 * Touches the SDK's internal processor list (`_sharedState.processors`); throws
 * `RoutingUnsupportedError`, changing nothing, when that list is not where it is expected.
 */
export function routeSecurityEvents(loggerProvider: unknown, sentinel: SentinelLogRecordProcessor): void {
  const processors = sharedProcessors(loggerProvider);
  const securityAttribute = sentinel.exporter.mapping.securityAttribute;
  for (let i = 0; i < processors.length; i++) {
    const processor = processors[i];
    if (processor === undefined || processor === sentinel || routed.has(processor)) continue;
    const wrapped = withoutSecurityEvents(processor, { securityAttribute });
    routed.add(wrapped);
    processors[i] = wrapped;
  }
  if (!processors.includes(sentinel)) processors.unshift(sentinel);
}

// The array the SDK's Logger reads for enabled() and its MultiLogRecordProcessor for onEmit,
// forceFlush and shutdown: one array in sdk-logs 0.22x and 3.x, changed in place.
function sharedProcessors(loggerProvider: unknown): LogRecordProcessorLike[] {
  const state = field(loggerProvider, '_sharedState');
  if (state === undefined) throw new RoutingUnsupportedError('the logger provider has no _sharedState');
  const processors = field(state, 'processors');
  const active = field(field(state, 'activeProcessor'), 'processors');
  if (!Array.isArray(processors) || processors.length === 0) {
    throw new RoutingUnsupportedError('the logger provider has no processor list, or an empty one');
  }
  if (active !== processors) {
    throw new RoutingUnsupportedError(
      'the logger provider emits through a processor list other than its own',
    );
  }
  for (const p of processors as unknown[]) {
    if (typeof field(p, 'onEmit') !== 'function') {
      throw new RoutingUnsupportedError('an entry of the processor list has no onEmit');
    }
  }
  return processors as LogRecordProcessorLike[];
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[name] : undefined;
}
