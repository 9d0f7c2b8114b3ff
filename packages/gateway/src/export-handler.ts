// Handles one OTLP logs export request: decode; split security from operational records; check
// that both parts fit (all or nothing, so a client's retry never duplicates); map the security
// records (rejections are known at once, for partialSuccess) and hand their rows to the delivery
// pipeline; queue the operational records, re-encoded, for the upstream. With `disk` durability
// the answer waits until both parts are in the write-ahead queue on disk: a 200 means durable.

import type { MappedRow, RowPipeline, SentinelLogExporter } from '@otel-sentinel/exporter';
import { operationalRowBytes } from '@otel-sentinel/exporter';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import type { GatewayCounters } from './gateway-counters.js';
import type { LogLimiter } from './log-limiter.js';
import { RejectionSummary } from './rejection-summary.js';
import { GRPC_CODE } from './status-codes.js';
import { decodeLogsRequest, encodeExportResponse, encodeStatus, OtlpDecodeError } from './otlp/index.js';
import type { DecodedLogs, DecodeLimits, OtlpFormat } from './otlp/index.js';

/** Where mapped security rows go: the exporter's delivery pipeline. */
export type SecurityQueue = Pick<RowPipeline, 'freeCapacity' | 'capacity' | 'submit' | 'persistent'>;

/** Where operational records go: the upstream forwarder. */
export interface OperationalQueue {
  readonly maxBytes: number;
  readonly queuedBytes: number;
  /**
   * Takes an OTLP protobuf body of `records` records — false at once when it does not fit —
   * and resolves once it is queued (on disk too, with `disk` durability).
   */
  enqueue(body: Uint8Array, records: number): false | Promise<void>;
}

/** What the handler needs of the exporter: its mapping, and mapping with reasons. */
export type MappingPipeline = Pick<SentinelLogExporter, 'mapping' | 'mapRecordWithReason' | 'countSeen'>;

export interface ExportReply {
  readonly status: number;
  readonly body: Uint8Array;
  /** For 503: `Retry-After` seconds. */
  readonly retryAfterSeconds?: number;
}

export interface ExportHandlerOptions {
  readonly exporter: MappingPipeline;
  readonly security: SecurityQueue;
  /** Undefined when no upstream is configured: operational records are counted as dropped. */
  readonly upstream: OperationalQueue | undefined;
  readonly counters: GatewayCounters;
  readonly retryAfterSeconds: number;
  readonly log: LogLimiter;
  readonly decodeLimits?: DecodeLimits;
}

export class ExportHandler {
  private readonly exporter: MappingPipeline;
  private readonly security: SecurityQueue;
  private readonly upstream: OperationalQueue | undefined;
  private readonly counters: GatewayCounters;
  private readonly retryAfterSeconds: number;
  private readonly log: LogLimiter;
  private readonly limits: DecodeLimits | undefined;
  private readonly isSecurity: (record: LogRecordLike) => boolean;
  /** The full-success answers, encoded once. */
  private readonly ok: Readonly<Record<OtlpFormat, Uint8Array>>;

  constructor(options: ExportHandlerOptions) {
    this.exporter = options.exporter;
    this.security = options.security;
    this.upstream = options.upstream;
    this.counters = options.counters;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.log = options.log;
    this.limits = options.decodeLimits;
    const mapping = options.exporter.mapping;
    this.isSecurity = (r) => mapping.isSecurity(r);
    this.ok = { protobuf: encodeExportResponse('protobuf'), json: encodeExportResponse('json') };
  }

  /** Never rejects for bad input: an undecodable body is a 400 reply. */
  async handle(body: Uint8Array, format: OtlpFormat): Promise<ExportReply> {
    const decoded = this.decode(body, format);
    if (!('records' in decoded)) return decoded;
    const records = decoded.records;
    const n = records.length;
    this.counters.received += n;
    if (n === 0) return { status: 200, body: this.ok[format] };

    const flags = new Uint8Array(n);
    const securityCount = this.markSecurity(records, flags);
    const operationalCount = n - securityCount;

    const securityRoom = this.checkSecurityRoom(format, securityCount, n);
    if (securityRoom !== undefined) return securityRoom;

    let operationalBody: Uint8Array | undefined;
    if (operationalCount > 0 && this.upstream !== undefined) {
      // A request of operational records only is forwarded as it came (no re-encoding).
      operationalBody =
        securityCount === 0 && format === 'protobuf' ? body : decoded.subset((i) => flags[i] === 0);
      const upstreamRoom = this.checkUpstreamRoom(format, this.upstream, operationalBody?.byteLength ?? 0, n);
      if (upstreamRoom !== undefined) return upstreamRoom;
    }

    // Everything fits: from here on the request is taken whole.
    const operationalBytes = this.operationalBytes(records, flags, operationalCount);
    this.counters.operationalBytes += operationalBytes;
    this.exporter.countSeen(n, operationalCount, operationalBytes);
    let summary: RejectionSummary | undefined;
    let persisted: Promise<boolean> | undefined;
    if (securityCount > 0) {
      const rows: MappedRow[] = [];
      summary = this.mapSecurity(records, flags, rows);
      // In one synchronous turn with the room check above, so the pipeline has the room.
      const submission = this.security.submit(rows, { persist: 'require' });
      if (submission === undefined) {
        this.counters.refusedFor('security', n);
        return this.busy(format, `the security queue is full; retry after ${this.retryAfterSeconds} s`);
      }
      persisted = submission.persisted;
    }
    const forwarded = this.forward(operationalBody, operationalCount);
    const [onDisk] = await Promise.all([persisted, forwarded]);
    if (onDisk === false && this.security.persistent) return this.refusedByStore(format, n);
    return this.taken(format, n, securityCount, operationalCount, summary);
  }

  private decode(body: Uint8Array, format: OtlpFormat): DecodedLogs | ExportReply {
    try {
      return decodeLogsRequest(body, format, this.limits);
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      const what = format === 'json' ? 'OTLP/JSON' : 'OTLP protobuf';
      return this.status(
        format,
        400,
        `cannot decode the body as an ${what} ExportLogsServiceRequest: ${error.message}`,
      );
    }
  }

  /** Sets `flags[i]` to 1 for each security record and returns how many there are. */
  private markSecurity(records: readonly LogRecordLike[], flags: Uint8Array): number {
    let securityCount = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r !== undefined && this.isSecurity(r)) {
        flags[i] = 1;
        securityCount++;
      }
    }
    return securityCount;
  }

  /** What the unflagged (operational) records would weigh as Application Insights rows (an estimate). */
  private operationalBytes(records: readonly LogRecordLike[], flags: Uint8Array, count: number): number {
    if (count === 0) return 0;
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (flags[i] === 0 && r !== undefined) bytes += operationalRowBytes(r);
    }
    return bytes;
  }

  /** Maps the flagged records into `rows`; returns what was rejected or unrouted, if anything. */
  private mapSecurity(
    records: readonly LogRecordLike[],
    flags: Uint8Array,
    rows: MappedRow[],
  ): RejectionSummary | undefined {
    let summary: RejectionSummary | undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (flags[i] === 0 || r === undefined) continue;
      const m = this.exporter.mapRecordWithReason(r);
      if (m === undefined) continue;
      if ('status' in m) (summary ??= new RejectionSummary()).add(m.reason);
      else rows.push(m);
    }
    return summary;
  }

  /** Queues the operational records for the upstream, or counts them dropped without one. */
  private forward(
    operationalBody: Uint8Array | undefined,
    operationalCount: number,
  ): false | Promise<void> | undefined {
    if (operationalCount === 0) return undefined;
    if (this.upstream === undefined) this.counters.dropped('no-upstream', operationalCount);
    else if (operationalBody !== undefined) return this.upstream.enqueue(operationalBody, operationalCount);
    return undefined;
  }

  // The write-ahead queue refused the rows (disk full, I/O error): none of them was taken.
  private refusedByStore(format: OtlpFormat, n: number): ExportReply {
    this.counters.refusedFor('store', n);
    this.log.line(
      'store:refused',
      'refusing requests with 503: the write-ahead queue cannot take security rows (see the exporter diagnostics)',
    );
    return this.busy(
      format,
      `the gateway could not write the security records to disk; retry after ${this.retryAfterSeconds} s`,
    );
  }

  /** The request is taken: counts it, and tells the client which records were rejected. */
  private taken(
    format: OtlpFormat,
    n: number,
    securityCount: number,
    operationalCount: number,
    summary: RejectionSummary | undefined,
  ): ExportReply {
    this.counters.security += securityCount;
    this.counters.operational += operationalCount;
    if (summary === undefined) return { status: 200, body: this.ok[format] };
    this.counters.rejected += summary.rejected - summary.unrouted;
    this.counters.unrouted += summary.unrouted;
    return {
      status: 200,
      body: encodeExportResponse(format, {
        rejectedLogRecords: summary.rejected,
        errorMessage: summary.message(n),
      }),
    };
  }

  private checkSecurityRoom(format: OtlpFormat, securityCount: number, n: number): ExportReply | undefined {
    if (securityCount === 0) return undefined;
    const { capacity, freeCapacity } = this.security;
    if (securityCount > capacity) {
      this.counters.refusedFor('security', n);
      return this.status(
        format,
        413,
        `the request holds ${securityCount} security log records, more than the gateway holds at once (maxQueueSize ${capacity}); send smaller batches`,
      );
    }
    if (securityCount <= freeCapacity) return undefined;
    this.counters.refusedFor('security', n);
    const held = capacity - freeCapacity;
    this.log.line(
      'backpressure:security',
      `refusing requests with 503: the security queue holds ${held} of ${capacity} records (Sentinel is slower than the input, or unreachable)`,
    );
    return this.busy(
      format,
      `the security queue is full (${held} of ${capacity} records held, the request has ${securityCount}); retry after ${this.retryAfterSeconds} s`,
    );
  }

  private checkUpstreamRoom(
    format: OtlpFormat,
    upstream: OperationalQueue,
    bytes: number,
    n: number,
  ): ExportReply | undefined {
    if (bytes > upstream.maxBytes) {
      this.counters.refusedFor('upstream', n);
      return this.status(
        format,
        413,
        `the request's operational log records take ${bytes} bytes, more than the upstream queue holds (maxUpstreamQueueBytes ${upstream.maxBytes}); send smaller batches`,
      );
    }
    if (upstream.queuedBytes + bytes <= upstream.maxBytes) return undefined;
    this.counters.refusedFor('upstream', n);
    this.log.line(
      'backpressure:upstream',
      `refusing requests with 503: the upstream queue holds ${upstream.queuedBytes} of ${upstream.maxBytes} bytes (the upstream is slower than the input, or unreachable)`,
    );
    return this.busy(
      format,
      `the upstream queue is full (${upstream.queuedBytes} of ${upstream.maxBytes} bytes held); retry after ${this.retryAfterSeconds} s`,
    );
  }

  private busy(format: OtlpFormat, message: string): ExportReply {
    return {
      status: 503,
      body: encodeStatus(format, GRPC_CODE.UNAVAILABLE, message),
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }

  private status(format: OtlpFormat, status: 400 | 413, message: string): ExportReply {
    return {
      status,
      body: encodeStatus(
        format,
        status === 400 ? GRPC_CODE.INVALID_ARGUMENT : GRPC_CODE.RESOURCE_EXHAUSTED,
        message,
      ),
    };
  }
}
