// The gateway's own counters, as plain numbers: the hot path only adds to fields. `stats()` and
// the Prometheus registry read them (the registry at scrape time), so metrics cost nothing per
// request.

import type { UpstreamDropReason } from './gateway-options.js';

export class GatewayCounters {
  /** `/v1/logs` answers, by `status` then `format`. */
  readonly responses = new Map<number, Map<string, number>>();
  received = 0;
  security = 0;
  operational = 0;
  /** Estimated Application Insights bytes of the operational records (`operationalRowBytes`). */
  operationalBytes = 0;
  rejected = 0;
  unrouted = 0;
  refused = 0;
  readonly rejectedByCode = new Map<string, number>();
  upstreamRequests = 0;
  upstreamRetries = 0;
  upstreamSent = 0;
  /** Operational records the write-ahead queue refused: forwarded from memory only. */
  upstreamNotPersisted = 0;
  /** Operational records not sent at a stop that stay in the write-ahead queue for the next start. */
  upstreamLeftQueued = 0;
  readonly upstreamDropped = new Map<UpstreamDropReason, number>();
  /** Upstream answers by HTTP status, or `error` for no answer. */
  readonly upstreamResponses = new Map<string, number>();
  /** Requests refused for want of room, by queue (`store`: the write-ahead queue refused them). */
  readonly backpressure = new Map<'security' | 'upstream' | 'store', number>();

  response(status: number, format: string): void {
    let byFormat = this.responses.get(status);
    if (byFormat === undefined) this.responses.set(status, (byFormat = new Map<string, number>()));
    byFormat.set(format, (byFormat.get(format) ?? 0) + 1);
  }

  dropped(reason: UpstreamDropReason, records: number): void {
    if (records > 0) this.upstreamDropped.set(reason, (this.upstreamDropped.get(reason) ?? 0) + records);
  }

  refusedFor(queue: 'security' | 'upstream' | 'store', records: number): void {
    this.refused += records;
    this.backpressure.set(queue, (this.backpressure.get(queue) ?? 0) + 1);
  }
}

/** Adds `n` to a counter kept in a map. */
export function bump<K>(map: Map<K, number>, key: K, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
