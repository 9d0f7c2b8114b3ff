// Every row the pipeline does not deliver is counted and reported here, once per cause per
// interval through `diag`, saying where the rows went and how to get them back. Messages carry
// counts, stream names and failure summaries: never a row value, a token or a secret.

import type { DiagReporter } from '../diag-reporter.js';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { SpoolWriteError } from '../spool/spool-errors.js';

const NO_SPOOL = 'no spool is configured, so they are lost (set OTEL_SENTINEL_SPOOL_DIR or the spool option)';

function streamOf(target: StreamTarget): string {
  return target.stream === '' ? 'no stream' : `${target.stream} (${target.table})`;
}

export class Undelivered {
  constructor(
    private readonly metrics: SelfMetrics,
    private readonly diag: DiagReporter,
    private readonly hasSpool: boolean,
    /** The network cause behind a failure summary, when one was found (failure-reporter.ts). */
    private readonly causeBehind: (detail: string) => string | undefined = () => undefined,
  ) {}

  /** Rows given up on: `spooled` of them are in the spool, `lost` are not. */
  report(
    target: StreamTarget,
    rows: number,
    reason: UndeliveredReason,
    detail: string,
    spooled: number,
    lost: number,
  ): void {
    if (rows === 0) return;
    this.metrics.rowsNotDelivered(rows, reason, spooled, lost);
    const where = !this.hasSpool
      ? NO_SPOOL
      : lost === 0
        ? 'written to the spool (otel-sentinel replay sends them again)'
        : `${lost} could not be spooled (spool full or not writable) and are lost`;
    const behind = this.causeBehind(detail);
    const why = behind === undefined ? detail : `${detail}: ${behind}`;
    this.diag.warn(
      `${reason}:${target.stream}:${detail}`,
      `${rows} row(s) for ${streamOf(target)} not delivered (${reason}: ${why}); ${where}`,
    );
  }

  /** Records lost before they became rows (the queue and the spool's backlog were both full). */
  lost(records: number, reason: UndeliveredReason, detail: string): void {
    if (records === 0) return;
    this.metrics.rowsNotDelivered(records, reason, 0, records);
    this.diag.warn(`lost:${reason}`, `${records} security record(s) lost (${reason}: ${detail})`);
  }

  /** Rows left in the write-ahead queue at a stop: safe, sent by the next start or `replay`. */
  leftInQueue(target: StreamTarget, rows: number, detail: string): void {
    if (rows === 0) return;
    this.metrics.rowsNotDelivered(rows, 'shutdown', rows, 0);
    this.diag.warn(
      `shutdown:${target.stream}`,
      `${rows} row(s) for ${streamOf(target)} not delivered before the stop (${detail}); they stay in the ` +
        'write-ahead queue, and the next start (or otel-sentinel replay) sends them',
    );
  }

  /** The store refused rows the pipeline wanted on disk. */
  notPersisted(rows: number, error: SpoolWriteError, refusedWhole: boolean): void {
    this.metrics.rowsNotPersisted(rows);
    this.diag.error(
      `store:refused:${error.code}`,
      refusedWhole
        ? `${rows} row(s) refused: the write-ahead queue could not take them (${error.message}); the sender was told to retry`
        : `${rows} row(s) are held in memory only: the write-ahead queue could not take them (${error.message}); ` +
            'they are still delivered, but a crash before that would lose them',
    );
  }

  /** Stored rows given up on that the store could not move to the spool: still in the queue. */
  deadLetterRefused(target: StreamTarget, rows: number, error: SpoolWriteError | undefined): void {
    this.diag.error(
      `store:dead-letter:${error?.code ?? 'error'}`,
      `${rows} row(s) for ${streamOf(target)} could not be moved to the spool (${error?.message ?? 'store error'}); ` +
        'they stay in the write-ahead queue and are sent again after a restart',
    );
  }

  storeUnavailable(path: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.diag.error(
      'store:open',
      `cannot open the spool directory's store ${path} (${reason}); rows that cannot be delivered are ` +
        'counted and lost, and nothing is written ahead to disk, until it can be opened (restart after fixing it)',
    );
  }
}
