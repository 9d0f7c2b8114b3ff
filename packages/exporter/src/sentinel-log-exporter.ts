// SentinelLogExporter: an OpenTelemetry JS LogRecordExporter that maps security records to rows
// of Sentinel custom tables and hands them to its delivery pipeline (write-ahead queue, batches,
// retries, spool). Records without the security flag are ignored even when handed in. The
// processor and the gateway use the same mapping and pipeline through `mapRecordWithReason` and
// `pipeline`.

import type { TokenCredential } from '@azure/core-auth';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { createSalvager } from '@otel-sentinel/mapping';
import type {
  ColumnMismatch,
  CompiledMapping,
  CompiledStream,
  LogRecordLike,
  RejectReason,
  Row,
} from '@otel-sentinel/mapping';
import type { SentinelLogExporterOptions } from './config.js';
import { checkCredential } from './check-credential.js';
import type { CredentialCheck, CredentialCheckOptions } from './check-credential.js';
import { defaultCredential } from './default-credential.js';
import { DeploymentCheckRun } from './deployment-check.js';
import type { DeploymentCheckResult } from './deployment-check.js';
import { FailureReporter } from './delivery/failure-reporter.js';
import { RetryPolicy } from './delivery/retry-policy.js';
import { DiagReporter } from './diag-reporter.js';
import { ExporterStoppedError, UndeliveredRowsError } from './errors.js';
import { operationalRowBytes } from './operational-bytes.js';
import { DeliveryPipeline } from './pipeline/delivery-pipeline.js';
import { resolvePipelineConfig } from './pipeline/pipeline-config.js';
import type { MappedRow } from './pipeline/row-pipeline.js';
import type { BatchResult } from './pipeline/settlement.js';
import {
  audienceOf,
  deploymentCheckTimeoutOf,
  newExplainer,
  newUploader,
  scopeOf,
  startupCheckInput,
  streamTargets,
  targetOf,
} from './exporter-setup.js';
import { resolveMapping } from './resolve-mapping.js';
import type { StreamTarget } from './row-batch.js';
import { SelfMetrics } from './self-metrics.js';
import type { ExporterStats } from './self-metrics.js';
import { openSpoolStore } from './spool-store.js';
import { StartupCheckRun, startupCheckWanted } from './startup-check-run.js';
import type { StartupCheckResult } from './startup-check-run.js';

export { SPOOL_DIR_ENV } from './spool-store.js';
export type { MappedRow } from './pipeline/row-pipeline.js';
export type { BatchResult } from './pipeline/settlement.js';
export type { CredentialCheck, CredentialCheckOptions } from './check-credential.js';

/**
 * A security record that produced no row, and why. The record has been counted and salvaged into
 * the spool (as `rejected` or `unrouted`) exactly as `mapRecord` does.
 */
export interface UnmappedRecord {
  readonly status: 'rejected' | 'unrouted';
  /** Code, column and stream; never a record value. */
  readonly reason: RejectReason;
}

const NO_TARGET: StreamTarget = Object.freeze({ endpoint: '', dcrImmutableId: '', stream: '', table: '' });

/** What became of a value that did not fit: names the column, type and reason, never the value. */
function mismatchMessage(m: ColumnMismatch): string {
  const what = `a value of column ${m.column} (${m.type}) of stream ${m.stream} did not fit: ${m.reason};`;
  switch (m.action) {
    case 'kept':
      return `${what} the column is empty and the value is kept in ${m.keptIn ?? ''}["otel_sentinel.mismatch"].${m.column}`;
    case 'emptied':
      return `${what} the column is empty and the value is not kept (onMismatch: keep and a dynamic AdditionalFields column keep such values)`;
    case 'rejected':
      return `${what} the record was rejected and spooled`;
  }
}

function failed(error: unknown): ExportResult {
  return { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) };
}

function outcome(result: BatchResult): ExportResult {
  return result.lost === 0
    ? { code: ExportResultCode.SUCCESS }
    : { code: ExportResultCode.FAILED, error: new UndeliveredRowsError(result.lost, 'see diag', false) };
}

export class SentinelLogExporter {
  /** The compiled mapping: routing, row mapping and its counters. */
  readonly mapping: CompiledMapping;
  /** Where mapped rows go: write-ahead queue, batches, retries, spool. */
  readonly pipeline: DeliveryPipeline;
  /** One target per stream + DCR (batches group by it), looked up by the compiled stream. */
  private readonly targets: ReadonlyMap<CompiledStream, StreamTarget>;
  private readonly metrics: SelfMetrics;
  private readonly salvage: (record: LogRecordLike) => Row;
  private readonly diag: DiagReporter;
  private readonly credential: TokenCredential;
  private readonly scope: string;
  private readonly check: DeploymentCheckRun;
  private readonly startup: StartupCheckRun;
  private stopped = false;

  /**
   * Validates the configuration and throws a clear error when it cannot work: an invalid mapping
   * (`MappingValidationError`, every problem with file:line:col), an unset hash key
   * (`MappingCompileError`), or a bad option (`ConfigError`), including
   * `durability: 'disk'` without a usable spool directory. Nothing is sent yet.
   */
  constructor(options: SentinelLogExporterOptions = {}) {
    const env = options.env ?? process.env;
    this.mapping = resolveMapping(options.mapping, env);
    const targets = streamTargets(this.mapping.streams);
    this.targets = targets.byStream;
    const checkTimeoutMs = deploymentCheckTimeoutOf(options);
    const config = resolvePipelineConfig(options, env);
    const audience = audienceOf(options, env);
    this.credential = options.credential ?? defaultCredential(env);
    this.scope = scopeOf(audience);
    const uploader = newUploader(options, this.credential, audience);
    const store = openSpoolStore(options.spool, env, config.durability, options.ownerRole ?? 'exporter');
    this.metrics = new SelfMetrics(options.meterProvider);
    this.salvage = createSalvager();
    this.diag = new DiagReporter(options.diagIntervalMs ?? 60_000);
    const explainer = newExplainer(options, env);
    this.pipeline = new DeliveryPipeline({
      config,
      uploader,
      policy: new RetryPolicy(options.retry),
      store,
      metrics: this.metrics,
      diag: this.diag,
      failures: new FailureReporter(explainer, this.metrics, this.diag),
    });
    // Last: nothing above may throw once the checks are started.
    this.check = new DeploymentCheckRun(
      options.deploymentCheck,
      this.mapping.config,
      this.metrics,
      checkTimeoutMs,
    );
    this.startup = new StartupCheckRun(
      startupCheckWanted(options.startupCheck, env)
        ? startupCheckInput(options, this.credential, targets.distinct, explainer, audience)
        : undefined,
      this.metrics,
    );
  }

  /**
   * OpenTelemetry `LogRecordExporter.export`: maps and hands the rows over; never throws; always
   * calls `done`: SUCCESS once every row is delivered or safely stored (in `disk` durability,
   * once it is in the write-ahead queue), FAILED with `UndeliveredRowsError` when rows were lost.
   */
  export(records: readonly LogRecordLike[], done: (result: ExportResult) => void): void {
    if (this.stopped) {
      done({ code: ExportResultCode.FAILED, error: new ExporterStoppedError() });
      return;
    }
    let rows: MappedRow[];
    try {
      rows = this.mapAll(records);
    } catch (error) {
      // Mapping never throws by design; this guards the app against a bug of ours.
      done(failed(error));
      return;
    }
    this.handOver(rows).then(done, (error: unknown) => {
      done(failed(error));
    });
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
    const result = this.mapping.map(record);
    if (result.status !== 'skipped' && result.status !== 'unrouted' && result.mismatches !== undefined)
      this.mismatched(result.mismatches);
    switch (result.status) {
      case 'skipped':
        return undefined;
      case 'mapped': {
        this.metrics.recordMapped();
        const s = result.stream;
        // The mapping's estimate (the JSON size for ASCII text): serialising here only to measure
        // would cost as much as the mapping. Batches only need to be about right: the client
        // cuts requests at 1 MB by its own measure.
        return { target: this.targets.get(s) ?? targetOf(s), row: result.row, bytes: result.bytes };
      }
      case 'rejected':
        this.noRow(record, result.reason, targetOf(result.stream), 'rejected');
        return { status: 'rejected', reason: result.reason };
      case 'unrouted':
        this.noRow(record, result.reason, NO_TARGET, 'unrouted');
        return { status: 'unrouted', reason: result.reason };
    }
  }

  /**
   * Asks the credential for a token for the Logs Ingestion scope (`<audience>/.default`), as an
   * upload would; for readiness probes. Never rejects; the failure reason holds no secret.
   */
  checkCredential(options: CredentialCheckOptions = {}): Promise<CredentialCheck> {
    return checkCredential(this.credential, this.scope, options);
  }

  /**
   * The result of the start-up deployment check (`deploymentCheck` option): `off` without one;
   * else its findings once it ran, or why it could not. Never rejects.
   */
  deploymentCheck(): Promise<DeploymentCheckResult> {
    return this.check.result;
  }

  /**
   * The result of the start-up check (`startupCheck` option): `off`, or the token and each
   * stream's finding, each with one line saying what to change. Never rejects.
   */
  startupCheck(): Promise<StartupCheckResult> {
    return this.startup.result;
  }

  /**
   * Counts records seen by a processor or receiver that filtered them itself; `filteredBytes` is
   * what the filtered ones would weigh as Application Insights rows (`operationalRowBytes`).
   */
  countSeen(total: number, filtered: number, filteredBytes = 0): void {
    this.metrics.recordsSeen(total, filtered, filteredBytes);
  }

  /** Sends everything held and waits, within `timeoutMillis` (default `exportTimeoutMillis`). */
  async forceFlush(timeoutMillis?: number): Promise<void> {
    await this.pipeline.flush(timeoutMillis);
  }

  /**
   * Stops accepting records, sends what it can within `timeoutMillis` (default
   * `exportTimeoutMillis`), then hands what is left to the write-ahead queue of the spool
   * directory (the next start or `otel-sentinel replay` sends it) and closes it. Idempotent.
   */
  shutdown(timeoutMillis?: number): Promise<void> {
    this.stopped = true;
    this.check.stop();
    this.startup.stop();
    return this.pipeline.shutdown(timeoutMillis);
  }

  /** The exporter's own counters (see the README). */
  stats(): ExporterStats {
    return this.metrics.snapshot();
  }

  get isShutdown(): boolean {
    return this.stopped;
  }

  private async handOver(rows: readonly MappedRow[]): Promise<ExportResult> {
    const submission = this.pipeline.submit(rows, { sendNow: true });
    if (submission === undefined) return outcome(await this.setAsideFull(rows));
    if (this.pipeline.durability === 'disk' && (await submission.persisted))
      return { code: ExportResultCode.SUCCESS };
    return outcome(await submission.settled);
  }

  /** The pipeline is full: the rows go to the spool as `queue-full`. */
  private async setAsideFull(rows: readonly MappedRow[]): Promise<BatchResult> {
    const byTarget = new Map<StreamTarget, Row[]>();
    for (const m of rows) {
      const list = byTarget.get(m.target);
      if (list === undefined) byTarget.set(m.target, [m.row]);
      else list.push(m.row);
    }
    const detail = `the queue of ${this.pipeline.capacity} rows was full`;
    const results = await Promise.all(
      [...byTarget].map(([target, list]) => this.pipeline.setAside(target, list, 'queue-full', detail)),
    );
    return results.reduce(
      (a, r) => ({ delivered: 0, spooled: a.spooled + r.spooled, lost: a.lost + r.lost }),
      { delivered: 0, spooled: 0, lost: 0 },
    );
  }

  private mapAll(records: readonly LogRecordLike[]): MappedRow[] {
    const rows: MappedRow[] = [];
    let filtered = 0;
    let filteredBytes = 0;
    for (const record of records) {
      if (!this.mapping.isSecurity(record)) {
        filtered++;
        filteredBytes += operationalRowBytes(record);
        continue;
      }
      const m = this.mapRecord(record);
      if (m !== undefined) rows.push(m);
    }
    this.metrics.recordsSeen(records.length, filtered, filteredBytes);
    return rows;
  }

  /** Counts each value that did not fit its column, and says so once per column and reason per interval. */
  private mismatched(list: readonly ColumnMismatch[]): void {
    for (const m of list) {
      this.metrics.valueMismatched(m);
      this.diag.warn(`mismatch ${m.stream}.${m.column} ${m.reason}`, mismatchMessage(m));
    }
  }

  private noRow(
    record: LogRecordLike,
    reason: RejectReason,
    target: StreamTarget,
    kind: 'rejected' | 'unrouted',
  ): void {
    this.metrics.recordRejected(reason.code);
    const detail = reason.column !== undefined ? `${reason.code} ${reason.column}` : reason.code;
    void this.pipeline.setAside(target, [this.salvage(record)], kind, detail);
  }
}
