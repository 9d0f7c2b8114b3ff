// What the gateway reports about itself: the stats() snapshot, the metrics built on it, and the
// problems that make /readyz answer 503.

import type { MetricsSnapshot } from './gateway-metrics.js';
import type { GatewayStats } from './gateway-options.js';
import type { GatewayParts } from './gateway-parts.js';
import type { Readiness } from './readiness.js';

/** A queue at or above this share of its limit makes /readyz answer 503 (a high-water mark). */
const HIGH_WATER = 0.9;

function mapToRecord<K extends string | number>(map: ReadonlyMap<K, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of map) out[String(k)] = v;
  return out;
}

/** Why the gateway is not ready to take requests; empty when it is. */
export function queueProblems(parts: GatewayParts, closing: boolean): string[] {
  const { exporter, upstream } = parts;
  const pipeline = exporter.pipeline;
  const problems: string[] = [];
  if (closing) problems.push('shutting down');
  const held = pipeline.held;
  const capacity = pipeline.capacity;
  if (held >= capacity * HIGH_WATER)
    problems.push(`security queue: ${held} of ${capacity} records held (Sentinel is not keeping up)`);
  const recovery = pipeline.recovery();
  if (recovery.remaining > 0)
    problems.push(
      `resuming: ${recovery.remaining} of ${recovery.resumed} security rows an earlier run left in the write-ahead queue are not delivered yet`,
    );
  if (upstream !== undefined && upstream.resumeRemaining > 0)
    problems.push(
      `resuming: ${upstream.resumeRemaining} operational bodies an earlier run left in the write-ahead queue are not forwarded yet`,
    );
  if (upstream !== undefined && upstream.queuedBytes >= upstream.maxBytes * HIGH_WATER)
    problems.push(
      `upstream queue: ${upstream.queuedBytes} of ${upstream.maxBytes} bytes held (the upstream is not keeping up)`,
    );
  return problems;
}

/** The stats() snapshot: requests, records, queues, durability, readiness and the exporter's own. */
export function gatewayStats(parts: GatewayParts, readiness: Readiness): GatewayStats {
  const { resolved, exporter, counters } = parts;
  const pipeline = exporter.pipeline;
  const byStatus: Record<string, number> = {};
  const byFormat: Record<string, number> = {};
  for (const [status, formats] of counters.responses)
    for (const [format, n] of formats) {
      byStatus[status] = (byStatus[status] ?? 0) + n;
      byFormat[format] = (byFormat[format] ?? 0) + n;
    }
  return {
    requests: byStatus,
    requestsByFormat: byFormat,
    records: {
      received: counters.received,
      security: counters.security,
      operational: counters.operational,
      operationalBytes: counters.operationalBytes,
      rejected: counters.rejected,
      unrouted: counters.unrouted,
      refused: counters.refused,
    },
    backpressure: mapToRecord(counters.backpressure),
    upstream: upstreamStats(parts),
    securityQueue: { held: pipeline.held, capacity: pipeline.capacity },
    durability: { mode: resolved.durability, spool: pipeline.store?.path },
    recovery: pipeline.recovery(),
    ready: readiness.report().ready,
    credentialOk: readiness.credentialOk,
    exporter: exporter.stats(),
  };
}

function upstreamStats({ resolved, counters, upstream }: GatewayParts): GatewayStats['upstream'] {
  return {
    configured: upstream !== undefined,
    requests: counters.upstreamRequests,
    retries: counters.upstreamRetries,
    responses: mapToRecord(counters.upstreamResponses),
    recordsSent: counters.upstreamSent,
    recordsDropped: mapToRecord(counters.upstreamDropped),
    recordsNotPersisted: counters.upstreamNotPersisted,
    recordsLeftQueued: counters.upstreamLeftQueued,
    resumeRemaining: upstream?.resumeRemaining ?? 0,
    queuedBytes: upstream?.queuedBytes ?? 0,
    queuedRecords: upstream?.queuedRecords ?? 0,
    maxQueueBytes: upstream?.maxBytes ?? resolved.maxUpstreamQueueBytes,
  };
}

/** The metrics' source: the snapshot, with the requests counted by status and format together. */
export function metricsSource(parts: GatewayParts, snapshot: () => GatewayStats): () => MetricsSnapshot {
  return (): MetricsSnapshot => {
    const byBoth: Record<string, number> = {};
    for (const [status, formats] of parts.counters.responses)
      for (const [format, n] of formats) byBoth[`${status} ${format}`] = n;
    return { ...snapshot(), requestsByStatusAndFormat: byBoth };
  };
}
