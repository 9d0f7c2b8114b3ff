// SentinelLogExporter: an OpenTelemetry JS LogRecordExporter that maps security records to rows
// of Sentinel custom tables and delivers them through the Logs Ingestion API. Records without the
// security flag are ignored even when handed in. Rows that cannot be delivered go to the spool.

import type { TokenCredential } from '@azure/core-auth';
import { defaultCredential } from './default-credential.js';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { createSalvager } from '@otel-sentinel/mapping';
import type {
  CompiledMapping,
  CompiledStream,
  LogRecordLike,
  RejectReason,
  Row,
} from '@otel-sentinel/mapping';
import type { SentinelLogExporterOptions } from './config.js';
import { classifyFailure, isCredentialFailure } from './delivery/classify-failure.js';
import { Delivery } from './delivery/delivery.js';
import { RetryPolicy } from './delivery/retry-policy.js';
import { Uploader } from './delivery/uploader.js';
import { DiagReporter } from './diag-reporter.js';
import { ExporterConfigError, ExporterStoppedError, UndeliveredRowsError } from './errors.js';
import { resolveMapping } from './resolve-mapping.js';
import type { RowBatch, StreamTarget, UndeliveredReason } from './row-batch.js';
import { SelfMetrics } from './self-metrics.js';
import type { ExporterStats } from './self-metrics.js';
import { Spool } from './spool/spool.js';
import type { SpoolOptions } from './spool/spool.js';

export const SPOOL_DIR_ENV = 'OTEL_SENTINEL_SPOOL_DIR';
export const AUDIENCE_ENV = 'OTEL_SENTINEL_AUDIENCE';

/** A mapped row with where it goes and its JSON size. */
export interface MappedRow {
  readonly target: StreamTarget;
  readonly row: Row;
  readonly bytes: number;
}

/**
 * A security record that produced no row, and why. The record has been counted and salvaged into
 * the spool (as `rejected` or `unrouted`) exactly as `mapRecord` does.
 */
export interface UnmappedRecord {
  readonly status: 'rejected' | 'unrouted';
  /** Code, column and stream; never a record value. */
  readonly reason: RejectReason;
}

/** Whether the credential could get a token for the Logs Ingestion scope. */
export type CredentialCheck =
  | { readonly ok: true; readonly scope: string; readonly expiresOnTimestamp: number }
  | {
      readonly ok: false;
      readonly scope: string;
      /** Safe to log: an error name and code (`AuthenticationError AADSTS7000215`), never a message or a secret. */
      readonly reason: string;
    };

export interface CredentialCheckOptions {
  /** Give up after this long (the check then fails as `timed out`). Default 30000 ms. */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

const DEFAULT_AUDIENCE = 'https://monitor.azure.com';

/** What became of a batch. */
export interface BatchResult {
  readonly delivered: number;
  /** Not delivered but safely in the spool. */
  readonly spooled: number;
  /** Not delivered and not spooled (no spool, or the spool refused them): counted and reported. */
  readonly lost: number;
}

const NO_TARGET: StreamTarget = Object.freeze({ endpoint: '', dcrImmutableId: '', stream: '', table: '' });

function targetOf(s: {
  endpoint: string;
  dcrImmutableId: string;
  stream: string;
  table: string;
}): StreamTarget {
  return { endpoint: s.endpoint, dcrImmutableId: s.dcrImmutableId, stream: s.stream, table: s.table };
}

function spoolOptions(
  option: SentinelLogExporterOptions['spool'],
  env: Readonly<Record<string, string | undefined>>,
): SpoolOptions | undefined {
  if (option === false) return undefined;
  if (typeof option === 'string') return { directory: option };
  if (option !== undefined) return option;
  const dir = env[SPOOL_DIR_ENV];
  return dir !== undefined && dir !== '' ? { directory: dir } : undefined;
}

export class SentinelLogExporter {
  /** The compiled mapping: routing, row mapping and its counters. */
  readonly mapping: CompiledMapping;
  /** One target per stream + DCR (batches group by it), looked up by the compiled stream. */
  private readonly targets: ReadonlyMap<CompiledStream, StreamTarget>;
  private readonly uploader: Uploader;
  private readonly policy: RetryPolicy;
  private readonly spool: Spool | undefined;
  private readonly metrics: SelfMetrics;
  private readonly diag: DiagReporter;
  private readonly salvage: (record: LogRecordLike) => Row;
  private readonly credential: TokenCredential;
  private readonly scope: string;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private stopped = false;
  private shutdownPromise: Promise<void> | undefined;

  /**
   * Validates the configuration and throws a clear error when it cannot work: an invalid mapping
   * (`MappingValidationError`, every problem with file:line:col), an unset hash key
   * (`MappingCompileError`), or a bad option (`ExporterConfigError`). Nothing is sent yet.
   */
  constructor(options: SentinelLogExporterOptions = {}) {
    const env = options.env ?? process.env;
    this.mapping = resolveMapping(options.mapping, env);
    const byKey = new Map<string, StreamTarget>();
    const targets = new Map<CompiledStream, StreamTarget>();
    for (const s of this.mapping.streams) {
      const key = s.stream + '\u0000' + s.dcrImmutableId;
      let target = byKey.get(key);
      if (target === undefined) byKey.set(key, (target = targetOf(s)));
      targets.set(s, target);
    }
    this.targets = targets;
    const maxConcurrency = options.maxConcurrency ?? 2;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1)
      throw new ExporterConfigError(
        'maxConcurrency',
        `must be a whole number ≥ 1, got ${String(maxConcurrency)}`,
      );
    const audience = options.audience ?? env[AUDIENCE_ENV];
    this.credential = options.credential ?? defaultCredential(env);
    // The scope the client asks for (monitor-ingestion 1.2: `<audience>/.default`).
    this.scope = `${(audience !== undefined && audience !== '' ? audience : DEFAULT_AUDIENCE).replace(/\/+$/, '')}/.default`;
    this.uploader = new Uploader({
      credential: this.credential,
      ...(audience !== undefined && audience !== '' ? { audience } : {}),
      ...(options.clientOptions !== undefined ? { clientOptions: options.clientOptions } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      maxConcurrency,
    });
    const spool = spoolOptions(options.spool, env);
    this.spool = spool ? new Spool(spool) : undefined;
    this.metrics = new SelfMetrics(options.meterProvider);
    this.diag = new DiagReporter(options.diagIntervalMs ?? 60_000);
    this.salvage = createSalvager();
    this.policy = new RetryPolicy(options.retry);
  }

  /** OpenTelemetry `LogRecordExporter.export`: maps and delivers; never throws; always calls `done`. */
  export(records: readonly LogRecordLike[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new ExporterStoppedError() });
      return;
    }
    let batches: RowBatch[];
    try {
      batches = this.mapToBatches(records);
    } catch (error) {
      // Mapping never throws by design; this guards the app against a bug of ours.
      done({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      return;
    }
    this.track(Promise.all(batches.map((b) => this.sendBatch(b)))).then(
      (results) => {
        const lost = results.reduce((n, r) => n + r.lost, 0);
        done(
          lost === 0
            ? { code: ExportResultCode.SUCCESS }
            : { code: ExportResultCode.FAILED, error: new UndeliveredRowsError(lost, 'see diag', false) },
        );
      },
      (error: unknown) => {
        done({
          code: ExportResultCode.FAILED,
          error: error instanceof Error ? error : new Error(String(error)),
        });
      },
    );
  }

  /**
   * Maps one record: undefined for a record without the security flag, and for a record that
   * produced no row (rejected or unrouted: counted, reported, and salvaged into the spool).
   */
  mapRecord(record: LogRecordLike): MappedRow | undefined {
    const m = this.mapRecordWithReason(record);
    return m === undefined || 'status' in m ? undefined : m;
  }

  /**
   * Like `mapRecord`, but a security record that produced no row comes back as an
   * `UnmappedRecord` with its reason (for a receiver that must tell its client what it rejected).
   * It is counted and salvaged into the spool all the same. Never throws.
   */
  mapRecordWithReason(record: LogRecordLike): MappedRow | UnmappedRecord | undefined {
    const outcome = this.mapping.map(record);
    switch (outcome.status) {
      case 'skipped':
        return undefined;
      case 'mapped': {
        this.metrics.recordMapped();
        const s = outcome.stream;
        const target = this.targets.get(s) ?? targetOf(s);
        // The mapping's estimate (the JSON size for ASCII text): serialising here only to measure
        // would cost as much as the mapping. Batches only need to be about right: the client
        // cuts requests at 1 MB by its own measure.
        return { target, row: outcome.row, bytes: outcome.bytes };
      }
      case 'rejected':
        this.noRow(record, outcome.reason, targetOf(outcome.stream), 'rejected');
        return { status: 'rejected', reason: outcome.reason };
      case 'unrouted':
        this.noRow(record, outcome.reason, NO_TARGET, 'unrouted');
        return { status: 'unrouted', reason: outcome.reason };
    }
  }

  /**
   * Asks the credential for a token for the Logs Ingestion scope (`<audience>/.default`), as an
   * upload would; for readiness probes. The credential's own cache makes repeated checks cheap.
   * Never rejects; the failure reason holds no secret.
   */
  async checkCredential(options: CredentialCheckOptions = {}): Promise<CredentialCheck> {
    const scope = this.scope;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      timeout.abort();
    }, timeoutMs);
    timer.unref();
    const signal =
      options.abortSignal === undefined
        ? timeout.signal
        : AbortSignal.any([timeout.signal, options.abortSignal]);
    let stop: (() => void) | undefined;
    const stopped = new Promise<'stopped'>((resolve) => {
      stop = () => {
        resolve('stopped');
      };
      signal.addEventListener('abort', stop, { once: true });
    });
    try {
      const token = await Promise.race([this.credential.getToken(scope, { abortSignal: signal }), stopped]);
      if (token === 'stopped')
        return {
          ok: false,
          scope,
          reason: timeout.signal.aborted ? `no token within ${timeoutMs} ms` : 'aborted',
        };
      if (token === null) return { ok: false, scope, reason: 'the credential returned no token' };
      return { ok: true, scope, expiresOnTimestamp: token.expiresOnTimestamp };
    } catch (error) {
      if (timeout.signal.aborted) return { ok: false, scope, reason: `no token within ${timeoutMs} ms` };
      return { ok: false, scope, reason: classifyFailure(error).summary };
    } finally {
      clearTimeout(timer);
      if (stop) signal.removeEventListener('abort', stop);
    }
  }

  /** Counts security records that were neither queued nor spooled (the spool's backlog was full). */
  countLost(records: number, reason: UndeliveredReason, detail: string): void {
    this.metrics.rowsNotDelivered(records, reason, 0, records);
    this.diag.warn(`lost:${reason}`, `${records} security record(s) lost (${reason}: ${detail})`);
  }

  /** Counts records seen by the processor's filter (the processor maps only security records). */
  countSeen(total: number, filtered: number): void {
    this.metrics.recordsSeen(total, filtered);
  }

  /** Delivers one batch (one stream); rows that cannot be delivered go to the spool. Never rejects. */
  sendBatch(batch: RowBatch): Promise<BatchResult> {
    return this.track(this.deliver(batch));
  }

  /** Writes rows that will not be sent (e.g. a full queue) to the spool, counting them. */
  spoolRows(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<BatchResult> {
    return this.track(this.undelivered(target, rows, reason, detail));
  }

  /** Waits for every delivery and spool write under way. */
  async forceFlush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
    await this.spool?.flush();
  }

  /**
   * Stops accepting records, waits up to `timeoutMillis` (default 30000) for deliveries under
   * way, then cancels the rest (their rows go to the spool as `shutdown`) and closes the spool.
   * Idempotent: later calls return the same promise.
   */
  shutdown(timeoutMillis = 30_000): Promise<void> {
    this.shutdownPromise ??= this.stop(timeoutMillis);
    return this.shutdownPromise;
  }

  /** A snapshot of the counters (the mapping's own are in `mapping.stats()`). */
  stats(): ExporterStats {
    return this.metrics.snapshot();
  }

  get isShutdown(): boolean {
    return this.stopped;
  }

  private async stop(timeoutMillis: number): Promise<void> {
    this.stopped = true;
    // Not unref'd, on purpose: a shutdown must be able to finish (deliver, or spool what is left)
    // even when nothing else keeps the process alive; the timeout bounds how long it holds it.
    const timer = setTimeout(() => {
      this.abort.abort();
    }, timeoutMillis);
    try {
      await this.forceFlush();
    } finally {
      clearTimeout(timer);
    }
    await this.spool?.close();
  }

  private mapToBatches(records: readonly LogRecordLike[]): RowBatch[] {
    const groups = new Map<StreamTarget, { rows: Row[]; bytes: number }>();
    let filtered = 0;
    for (const record of records) {
      if (!this.mapping.isSecurity(record)) {
        filtered++;
        continue;
      }
      const m = this.mapRecord(record);
      if (!m) continue;
      let g = groups.get(m.target);
      if (!g) groups.set(m.target, (g = { rows: [], bytes: 0 }));
      g.rows.push(m.row);
      g.bytes += m.bytes;
    }
    this.metrics.recordsSeen(records.length, filtered);
    return [...groups].map(([target, g]) => ({ target, rows: g.rows, bytes: g.bytes }));
  }

  private async deliver(batch: RowBatch): Promise<BatchResult> {
    let spooled = 0;
    let lost = 0;
    // One Delivery per batch, so what it could not deliver is counted against this batch.
    const delivery = new Delivery({
      uploader: this.uploader,
      policy: this.policy,
      onUndelivered: async (target, rows, reason, failure) => {
        const r = await this.undelivered(target, rows, reason, failure.summary);
        spooled += r.spooled;
        lost += r.lost;
      },
      onAttempt: (event) => {
        this.metrics.attempt(
          event.durationMs,
          event.failure !== undefined && event.delayMs !== undefined ? event.failure.summary : undefined,
        );
        if (event.failure !== undefined && isCredentialFailure(event.failure)) this.metrics.authFailure();
      },
    });
    const result = await delivery.deliver(batch, this.abort.signal);
    if (result.delivered > 0) {
      const bytes =
        batch.rows.length > 0 ? Math.round((batch.bytes * result.delivered) / batch.rows.length) : 0;
      this.metrics.rowsExported(result.delivered, bytes, batch.target.stream);
    }
    return { delivered: result.delivered, spooled, lost };
  }

  private async undelivered(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<BatchResult> {
    let written = 0;
    let refused = rows.length;
    if (this.spool) {
      const r = await this.spool.write({ target, rows, bytes: 0 }, reason, detail);
      written = r.written;
      refused = r.refused;
    }
    this.metrics.rowsNotDelivered(rows.length, reason, written, refused);
    const where = this.spool
      ? refused === 0
        ? 'written to the spool'
        : `${refused} could not be spooled (spool full or not writable) and are lost`
      : 'no spool is configured, so they are lost (set OTEL_SENTINEL_SPOOL_DIR or the spool option)';
    const to = target.stream === '' ? 'no stream' : `${target.stream} (${target.table})`;
    this.diag.warn(
      `${reason}:${target.stream}:${detail}`,
      `${rows.length} row(s) for ${to} not delivered (${reason}: ${detail}); ${where}`,
    );
    return { delivered: 0, spooled: written, lost: refused };
  }

  private noRow(
    record: LogRecordLike,
    reason: RejectReason,
    target: StreamTarget,
    kind: 'rejected' | 'unrouted',
  ): void {
    this.metrics.recordRejected(reason.code);
    const detail = reason.column !== undefined ? `${reason.code} ${reason.column}` : reason.code;
    void this.spoolRows(target, [this.salvage(record)], kind, detail);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.inFlight.add(p);
    const done = (): void => {
      this.inFlight.delete(p);
    };
    p.then(done, done);
    return p;
  }
}
