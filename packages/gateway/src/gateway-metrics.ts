// /metrics: the gateway's counters, queue gauges and the exporter's stats in the Prometheus text
// format, through prom-client with a Registry of our own (never the global one, so several
// gateways in one process, or an app's own metrics, do not collide). Every value is read from a
// snapshot at scrape time; nothing is recorded per request.

import { Counter, Gauge, Registry } from 'prom-client';
import type { GatewayStats } from './gateway-options.js';

type Labelled = Iterable<readonly [Readonly<Record<string, string>>, number]>;

/** The stats, plus the one breakdown only the metrics need. */
export interface MetricsSnapshot extends GatewayStats {
  /** `/v1/logs` answers keyed `<status> <format>`. */
  readonly requestsByStatusAndFormat: Readonly<Record<string, number>>;
}

const PREFIX = 'otel_sentinel_gateway_';
const EXPORTER = 'otel_sentinel_exporter_';

function entries(record: Readonly<Record<string, number | undefined>>, label: string): Labelled {
  return Object.entries(record).map(([k, v]) => [{ [label]: k }, v ?? 0] as const);
}

export class GatewayMetrics {
  readonly registry = new Registry();
  private snapshot: MetricsSnapshot | undefined;

  constructor(private readonly stats: () => MetricsSnapshot) {
    const s = (): MetricsSnapshot => (this.snapshot ??= this.stats());
    this.registerTraffic(s);
    this.registerGauges(s);
    this.registerExporter(() => s().exporter);
  }

  /** Requests, records by fate, backpressure and the upstream's counters. */
  private registerTraffic(s: () => MetricsSnapshot): void {
    this.counter(
      'requests_total',
      'OTLP /v1/logs requests answered, by HTTP status and body format',
      ['status', 'format'],
      () => {
        const out: [Record<string, string>, number][] = [];
        for (const [key, n] of Object.entries(s().requestsByStatusAndFormat)) {
          const [status = '', format = ''] = key.split(' ');
          out.push([{ status, format }, n]);
        }
        return out;
      },
    );
    this.total('records_received_total', 'Log records in requests that decoded', () => s().records.received);
    this.total(
      'records_security_total',
      'Security log records taken for Sentinel',
      () => s().records.security,
    );
    this.total(
      'records_operational_total',
      'Operational log records taken for the upstream',
      () => s().records.operational,
    );
    this.total(
      'records_operational_bytes_total',
      'Estimated bytes the operational records would weigh as Application Insights rows',
      () => s().records.operationalBytes,
    );
    this.total(
      'records_rejected_total',
      'Security records the mapping rejected (partialSuccess)',
      () => s().records.rejected,
    );
    this.total(
      'records_unrouted_total',
      'Security records no stream takes (partialSuccess)',
      () => s().records.unrouted,
    );
    this.total(
      'records_refused_total',
      'Records of requests refused with 503 or 413 for want of room',
      () => s().records.refused,
    );
    this.counter('backpressure_total', 'Requests refused for want of room, by queue', ['queue'], () =>
      entries(s().backpressure, 'queue'),
    );
    this.registerUpstream(s);
  }

  /** What happens to operational records on their way to the upstream. */
  private registerUpstream(s: () => MetricsSnapshot): void {
    this.counter(
      'upstream_requests_total',
      'Upstream OTLP requests (attempts), by HTTP status or "error"',
      ['status'],
      () => entries(s().upstream.responses, 'status'),
    );
    this.total('upstream_retries_total', 'Upstream requests sent again', () => s().upstream.retries);
    this.total(
      'upstream_records_sent_total',
      'Operational records the upstream accepted',
      () => s().upstream.recordsSent,
    );
    this.counter('upstream_records_dropped_total', 'Operational records dropped, by reason', ['reason'], () =>
      entries(s().upstream.recordsDropped, 'reason'),
    );
    this.total(
      'upstream_records_not_persisted_total',
      'Operational records the write-ahead queue refused (forwarded from memory only)',
      () => s().upstream.recordsNotPersisted,
    );
    this.total(
      'upstream_records_left_queued_total',
      'Operational records not sent at a stop, left in the write-ahead queue for the next start',
      () => s().upstream.recordsLeftQueued,
    );
  }

  /** Queue depths and limits, readiness, the credential and the process's memory. */
  private registerGauges(s: () => MetricsSnapshot): void {
    this.gauge(
      'recovery_rows_remaining',
      'Security rows an earlier run left in the write-ahead queue, not delivered yet',
      () => s().recovery.remaining,
    );
    this.gauge(
      'security_queue_records',
      'Security records held (mapped, waiting to be sent)',
      () => s().securityQueue.held,
    );
    this.gauge(
      'security_queue_capacity',
      'Security records the queue holds at most (maxQueueSize)',
      () => s().securityQueue.capacity,
    );
    this.gauge(
      'upstream_queue_bytes',
      'Operational bytes waiting for or in flight to the upstream',
      () => s().upstream.queuedBytes,
    );
    this.gauge(
      'upstream_queue_records',
      'Operational records waiting for or in flight to the upstream',
      () => s().upstream.queuedRecords,
    );
    this.gauge('upstream_queue_limit_bytes', 'maxUpstreamQueueBytes', () => s().upstream.maxQueueBytes);
    this.gauge('ready', '1 when /readyz answers 200', () => (s().ready ? 1 : 0));
    this.gauge('credential_ok', '1 when the last token request for the Logs Ingestion scope succeeded', () =>
      s().credentialOk === true ? 1 : 0,
    );
    this.gauge('process_resident_memory_bytes', 'Resident set size of the gateway process', () =>
      process.memoryUsage.rss(),
    );
  }

  /** The delivery pipeline's own counters (mapping, uploads, failures by cause). */
  private registerExporter(e: () => GatewayStats['exporter']): void {
    this.total('records_mapped_total', 'Security records mapped to rows', () => e().recordsMapped, EXPORTER);
    this.counter(
      'records_rejected_by_code_total',
      'Security records without a row, by reject code',
      ['code'],
      () => entries(e().recordsRejected, 'code'),
      EXPORTER,
    );
    this.total(
      'rows_exported_total',
      'Rows the Logs Ingestion API accepted',
      () => e().rowsExported,
      EXPORTER,
    );
    this.registerUploads(e);
  }

  /** The rows and bytes sent to the Logs Ingestion API, and the upload attempts and their failures. */
  private registerUploads(e: () => GatewayStats['exporter']): void {
    this.total('bytes_exported_total', 'JSON bytes of the rows accepted', () => e().bytesExported, EXPORTER);
    this.total(
      'rows_persisted_total',
      'Rows written to the write-ahead queue on disk',
      () => e().rowsPersisted,
      EXPORTER,
    );
    this.total(
      'rows_not_persisted_total',
      'Rows the write-ahead queue refused (full, or an I/O error)',
      () => e().rowsNotPersisted,
      EXPORTER,
    );
    this.total(
      'rows_resumed_total',
      'Rows an ended run left in the write-ahead queue, taken over and sent',
      () => e().rowsResumed,
      EXPORTER,
    );
    this.total(
      'rows_spooled_total',
      'Rows written to the spool (not delivered)',
      () => e().rowsSpooled,
      EXPORTER,
    );
    this.total(
      'rows_spool_refused_total',
      'Rows the spool could not take (lost)',
      () => e().rowsSpoolRefused,
      EXPORTER,
    );
    this.counter(
      'rows_undelivered_total',
      'Rows not delivered, by reason',
      ['reason'],
      () => entries(e().rowsUndelivered, 'reason'),
      EXPORTER,
    );
    this.total('requests_total', 'Logs Ingestion upload attempts', () => e().requests, EXPORTER);
    this.counter(
      'retries_total',
      'Logs Ingestion retries, by cause',
      ['cause'],
      () => entries(e().retries, 'cause'),
      EXPORTER,
    );
    this.total('auth_failures_total', 'Uploads that got no token or a 401', () => e().authFailures, EXPORTER);
    this.counter(
      'failures_total',
      'Failed Logs Ingestion upload attempts, by cause (connection-refused, dns, tls, timeout, forbidden, …)',
      ['cause'],
      () => entries(e().failuresByCause, 'cause'),
      EXPORTER,
    );
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text; one stats snapshot serves every metric of a scrape. */
  async render(): Promise<string> {
    this.snapshot = undefined;
    try {
      return await this.registry.metrics();
    } finally {
      this.snapshot = undefined;
    }
  }

  /** A counter fed from a cumulative number: each scrape adds what it grew by. */
  private total(name: string, help: string, read: () => number, prefix = PREFIX): void {
    let last = 0;
    new Counter({
      name: prefix + name,
      help,
      registers: [this.registry],
      collect() {
        const v = read();
        if (v > last) this.inc(v - last);
        last = v;
      },
    });
  }

  private counter(
    name: string,
    help: string,
    labelNames: string[],
    read: () => Labelled,
    prefix = PREFIX,
  ): void {
    const last = new Map<string, number>();
    new Counter({
      name: prefix + name,
      help,
      labelNames,
      registers: [this.registry],
      collect() {
        for (const [labels, v] of read()) {
          const key = labelNames.map((l) => labels[l] ?? '').join('\u0000');
          const before = last.get(key) ?? 0;
          if (v > before) this.inc(labels, v - before);
          last.set(key, v);
        }
      },
    });
  }

  private gauge(name: string, help: string, read: () => number): void {
    new Gauge({
      name: PREFIX + name,
      help,
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }
}
