// The running gateway's parts that its status, readiness and shutdown read: one object, built
// once at start, instead of a dozen arguments.

import type { SentinelLogExporter } from '@otel-sentinel/exporter';
import type { GatewayCounters } from './gateway-counters.js';
import type { ResolvedOptions } from './resolve-options.js';
import type { UpstreamForwarder } from './upstream/upstream-forwarder.js';

export interface GatewayParts {
  readonly resolved: ResolvedOptions;
  /** The Sentinel side: mapping and delivery pipeline (write-ahead queue, batches, retries, spool). */
  readonly exporter: SentinelLogExporter;
  readonly counters: GatewayCounters;
  /** Undefined when no upstream is configured. */
  readonly upstream: UpstreamForwarder | undefined;
}
