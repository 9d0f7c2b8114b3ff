// Wraps any log record processor (typically a BatchLogRecordProcessor around the Application
// Insights exporter) so that security records never reach it: processors fan out independently
// in the OpenTelemetry SDK, so the only way to keep a record away from one is not to hand it over.

import { DEFAULT_SECURITY_ATTRIBUTE, securityFlag } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';

/** The part of the OpenTelemetry `LogRecordProcessor` interface this wrapper needs. */
export interface LogRecordProcessorLike<R extends LogRecordLike = LogRecordLike, C = unknown, E = unknown> {
  onEmit(record: R, context?: C): void;
  forceFlush(options?: { timeoutMillis?: number }): Promise<void>;
  shutdown(): Promise<void>;
  enabled?(options: E): boolean;
}

export interface WithoutSecurityEventsOptions {
  /**
   * The attribute that flags a security record, flat or nested, read by the mapping's own rule
   * (`securityFlag`); default `security.event` (use the mapping's `securityAttribute`).
   */
  readonly securityAttribute?: string;
  /**
   * Pass security records to the wrapped processor as well (e.g. to keep them in Application
   * Insights too). Default false.
   */
  readonly includeSecurityEvents?: boolean;
}

/** A processor that hands the wrapped one every record except security records. */
export function withoutSecurityEvents<R extends LogRecordLike, C, E>(
  processor: LogRecordProcessorLike<R, C, E>,
  options: WithoutSecurityEventsOptions = {},
): LogRecordProcessorLike<R, C, E> {
  if (options.includeSecurityEvents === true) return processor;
  const isSecurity = securityFlag(options.securityAttribute ?? DEFAULT_SECURITY_ATTRIBUTE);
  const wrapped: LogRecordProcessorLike<R, C, E> = {
    onEmit(record, context) {
      if (isSecurity(record)) return;
      processor.onEmit(record, context);
    },
    forceFlush: (o) => processor.forceFlush(o),
    shutdown: () => processor.shutdown(),
  };
  if (processor.enabled) {
    const enabled = processor.enabled.bind(processor);
    wrapped.enabled = (o) => enabled(o);
  }
  return wrapped;
}
