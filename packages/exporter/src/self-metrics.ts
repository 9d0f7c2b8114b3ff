// The exporter's own counters: kept in memory for `stats()` and recorded through the
// OpenTelemetry metrics API (a no-op unless the app registers a MeterProvider).

import { metrics } from '@opentelemetry/api';
import type { Attributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import type { ColumnMismatch, MismatchReason } from '@otel-sentinel/mapping';
import { isCredentialFailure } from './delivery/classify-failure.js';
import type { AttemptEvent } from './delivery/delivery.js';
import type { FailureCauseName } from './delivery/failure-cause.js';
import type { DeploymentCheckStatus, DeploymentFindingSeverity } from './deployment-check.js';
import type { UndeliveredReason } from './row-batch.js';

export interface ExporterStats {
  /** Records handed to the exporter or processor. */
  readonly recordsSeen: number;
  /** Records without the security flag, left to the operational pipeline. */
  readonly recordsFiltered: number;
  /**
   * An estimate of what the filtered records would weigh as Application Insights AppTraces rows
   * in Log Analytics (bytes): message and attributes as text plus a fixed 215 bytes a row
   * (`operationalRowBytes`). The emulator's cost view turns it into the saving per month.
   */
  readonly bytesFiltered: number;
  readonly recordsMapped: number;
  /** Records the mapping rejected or no stream took, by reason. */
  readonly recordsRejected: Readonly<Record<string, number>>;
  /**
   * Values that did not fit their column, by `stream.column` and reason (kept in the overflow
   * column, emptied, or rejected with their record: the metric says which).
   */
  readonly valuesMismatched: Readonly<Record<string, Readonly<Partial<Record<MismatchReason, number>>>>>;
  readonly rowsExported: number;
  readonly bytesExported: number;
  /** Rows that were not delivered, by reason. */
  readonly rowsUndelivered: Readonly<Partial<Record<UndeliveredReason, number>>>;
  readonly rowsSpooled: number;
  /** Rows the spool could not take (full, or an I/O error). */
  readonly rowsSpoolRefused: number;
  readonly requests: number;
  /** Retries by cause (`HTTP 429`, `ECONNRESET`, …). */
  readonly retries: Readonly<Record<string, number>>;
  /**
   * Failed upload attempts (per chunk) where no token could be had or the service answered 401.
   * A token endpoint that cannot be reached counts here too; `failuresByCause` says why.
   */
  readonly authFailures: number;
  /**
   * Failed upload attempts (per chunk, shutdowns aside) by cause: `connection-refused`, `dns`,
   * `tls`, `timeout`, `network`, `credential`, `unauthorized`, `forbidden`, `not-found`,
   * `invalid-stream`, `too-large`, `throttled`, `server-error`, `rejected`, `invalid-endpoint`,
   * `other`. A failure is counted once its cause is known (a hidden token-endpoint cause takes one
   * TLS connection to find).
   */
  readonly failuresByCause: Readonly<Partial<Record<FailureCauseName, number>>>;
  /** The start-up check of the token and each stream (`startupCheck` option). */
  readonly startupCheck: StartupCheckStatus;
  /** Rows written to the write-ahead queue on disk (`durability: 'disk'`). */
  readonly rowsPersisted: number;
  /** Rows the write-ahead queue refused (full, or an I/O error): held in memory only, or refused. */
  readonly rowsNotPersisted: number;
  /** Rows an ended process left in the write-ahead queue, taken over and sent by this one. */
  readonly rowsResumed: number;
  /** Security records earlier processes held in memory only when they crashed (reported at start). */
  readonly rowsLostInEarlierCrash: number;
  /** The start-up deployment check (`deploymentCheck` option): off, running, done or failed. */
  readonly deploymentCheck: DeploymentCheckStatus;
  /** Its findings by severity (`error`: values would be lost). */
  readonly deploymentFindings: Readonly<Partial<Record<DeploymentFindingSeverity, number>>>;
}

/** `off`, `running`, `ok` (a token and every stream answered as expected), or `failed`. */
export type StartupCheckStatus = 'off' | 'running' | 'ok' | 'failed';

export class SelfMetrics {
  private seen = 0;
  private filtered = 0;
  private filteredBytes = 0;
  private mapped = 0;
  private exported = 0;
  private bytes = 0;
  private spooled = 0;
  private spoolRefused = 0;
  private requestCount = 0;
  private authFailureCount = 0;
  private persisted = 0;
  private notPersisted = 0;
  private resumed = 0;
  private crashLost = 0;
  private readonly rejected: Record<string, number> = {};
  private readonly mismatched: Record<string, Partial<Record<MismatchReason, number>>> = {};
  private readonly undelivered: Partial<Record<UndeliveredReason, number>> = {};
  private readonly retryCauses: Record<string, number> = {};
  private readonly findings: Partial<Record<DeploymentFindingSeverity, number>> = {};
  private checkStatus: DeploymentCheckStatus = 'off';
  private readonly failureCauses: Partial<Record<FailureCauseName, number>> = {};
  private startupStatus: StartupCheckStatus = 'off';

  private readonly records: Counter;
  private readonly filteredBytesCounter: Counter;
  private readonly mismatches: Counter;
  private readonly rows: Counter;
  private readonly exportedBytes: Counter;
  private readonly retriesCounter: Counter;
  private readonly latency: Histogram;
  private readonly deploymentFindingsCounter: Counter;
  private readonly deploymentChecks: Counter;
  private readonly failuresCounter: Counter;

  constructor(meterProvider?: MeterProvider) {
    const meter = (meterProvider ?? metrics).getMeter('@otel-sentinel/exporter');
    this.records = meter.createCounter('otel_sentinel.records', {
      description: 'Log records seen by the Sentinel exporter, by outcome',
    });
    this.filteredBytesCounter = meter.createCounter('otel_sentinel.filtered.bytes', {
      description:
        'Estimated bytes the filtered (operational) records would weigh as Application Insights AppTraces rows',
      unit: 'By',
    });
    this.mismatches = meter.createCounter('otel_sentinel.values.mismatched', {
      description: 'Values that did not fit their column, by stream, column, type, reason and action',
    });
    this.rows = meter.createCounter('otel_sentinel.rows', {
      description: 'Rows by outcome: exported, spooled, lost',
    });
    this.exportedBytes = meter.createCounter('otel_sentinel.exported.bytes', {
      description: 'JSON bytes of rows delivered',
      unit: 'By',
    });
    this.retriesCounter = meter.createCounter('otel_sentinel.retries', {
      description: 'Chunk retries by cause',
    });
    this.latency = meter.createHistogram('otel_sentinel.request.duration', {
      description: 'Duration of upload attempts',
      unit: 'ms',
    });
    this.deploymentFindingsCounter = meter.createCounter('otel_sentinel.deployment.findings', {
      description: 'Differences between the mapping and the deployed DCR and tables, by severity and code',
    });
    this.failuresCounter = meter.createCounter('otel_sentinel.failures', {
      description: 'Failed upload attempts by cause: connection-refused, dns, tls, timeout, forbidden, …',
    });
    this.deploymentChecks = meter.createCounter('otel_sentinel.deployment.checks', {
      description: 'Start-up deployment checks, by outcome: no-drift, drift, failed',
    });
  }

  recordsSeen(n: number, filtered: number, filteredBytes = 0): void {
    this.seen += n;
    this.filtered += filtered;
    this.filteredBytes += filteredBytes;
    if (n - filtered > 0) this.records.add(n - filtered, { outcome: 'security' });
    if (filtered > 0) this.records.add(filtered, { outcome: 'filtered' });
    if (filteredBytes > 0) this.filteredBytesCounter.add(filteredBytes);
  }

  recordMapped(): void {
    this.mapped++;
  }

  recordRejected(code: string): void {
    this.rejected[code] = (this.rejected[code] ?? 0) + 1;
    this.records.add(1, { outcome: 'rejected', reason: code });
  }

  valueMismatched(m: ColumnMismatch): void {
    const key = `${m.stream}.${m.column}`;
    const byReason = (this.mismatched[key] ??= {});
    byReason[m.reason] = (byReason[m.reason] ?? 0) + 1;
    this.mismatches.add(1, {
      stream: m.stream,
      column: m.column,
      type: m.type,
      reason: m.reason,
      action: m.action,
    });
  }

  rowsExported(n: number, bytes: number, stream: string): void {
    this.exported += n;
    this.bytes += bytes;
    const attrs: Attributes = { stream };
    this.rows.add(n, { ...attrs, outcome: 'exported' });
    this.exportedBytes.add(bytes, attrs);
  }

  rowsNotDelivered(n: number, reason: UndeliveredReason, spooled: number, refused: number): void {
    this.undelivered[reason] = (this.undelivered[reason] ?? 0) + n;
    this.spooled += spooled;
    this.spoolRefused += refused;
    if (spooled > 0) this.rows.add(spooled, { outcome: 'spooled', reason });
    if (n - spooled > 0) this.rows.add(n - spooled, { outcome: 'lost', reason });
  }

  /** One outcome of an upload round (see `AttemptEvent`). */
  attempt(event: AttemptEvent): void {
    this.requestCount++;
    this.latency.record(event.durationMs);
    const failure = event.failure;
    if (failure === undefined) return;
    if (event.delayMs !== undefined) {
      const cause = failure.summary;
      this.retryCauses[cause] = (this.retryCauses[cause] ?? 0) + 1;
      this.retriesCounter.add(1, { cause });
    }
    if (isCredentialFailure(failure)) this.authFailureCount++;
  }

  /** One failed attempt whose cause is now known. */
  failure(cause: FailureCauseName): void {
    this.failureCauses[cause] = (this.failureCauses[cause] ?? 0) + 1;
    this.failuresCounter.add(1, { cause });
  }

  startupChecked(status: StartupCheckStatus): void {
    this.startupStatus = status;
  }

  rowsPersisted(n: number): void {
    this.persisted += n;
  }

  rowsNotPersisted(n: number): void {
    this.notPersisted += n;
  }

  rowsResumed(n: number): void {
    this.resumed += n;
    this.rows.add(n, { outcome: 'resumed' });
  }

  previousRunLost(n: number): void {
    this.crashLost += n;
    this.rows.add(n, { outcome: 'lost', reason: 'crash' });
  }

  deploymentFinding(severity: DeploymentFindingSeverity, code: string): void {
    this.findings[severity] = (this.findings[severity] ?? 0) + 1;
    this.deploymentFindingsCounter.add(1, { severity, code });
  }

  deploymentCheckStarted(): void {
    this.checkStatus = 'running';
  }

  deploymentChecked(outcome: 'no-drift' | 'drift' | 'failed'): void {
    this.checkStatus = outcome === 'failed' ? 'failed' : 'done';
    this.deploymentChecks.add(1, { outcome });
  }

  snapshot(): ExporterStats {
    return {
      recordsSeen: this.seen,
      recordsFiltered: this.filtered,
      bytesFiltered: this.filteredBytes,
      recordsMapped: this.mapped,
      recordsRejected: { ...this.rejected },
      valuesMismatched: Object.fromEntries(Object.entries(this.mismatched).map(([k, v]) => [k, { ...v }])),
      rowsExported: this.exported,
      bytesExported: this.bytes,
      rowsUndelivered: { ...this.undelivered },
      rowsSpooled: this.spooled,
      rowsSpoolRefused: this.spoolRefused,
      requests: this.requestCount,
      retries: { ...this.retryCauses },
      authFailures: this.authFailureCount,
      failuresByCause: { ...this.failureCauses },
      startupCheck: this.startupStatus,
      rowsPersisted: this.persisted,
      rowsNotPersisted: this.notPersisted,
      rowsResumed: this.resumed,
      rowsLostInEarlierCrash: this.crashLost,
      deploymentCheck: this.checkStatus,
      deploymentFindings: { ...this.findings },
    };
  }
}
