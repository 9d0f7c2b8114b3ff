// The unit the delivery pipeline works on: rows of one stream (one DCR, one endpoint), already
// mapped, coerced, redacted and size-checked by @otel-sentinel/mapping.

import type { Row } from '@otel-sentinel/mapping';

/** Where a batch goes: a DCR stream on a Logs Ingestion endpoint. */
export interface StreamTarget {
  /** Logs Ingestion endpoint (DCE or DCR logsIngestion URI), https. */
  readonly endpoint: string;
  /** DCR immutable id, `dcr-…`. */
  readonly dcrImmutableId: string;
  /** DCR input stream, `Custom-…`. */
  readonly stream: string;
  /** Destination table, `…_CL` (for spool entries and messages). */
  readonly table: string;
}

export interface RowBatch {
  readonly target: StreamTarget;
  readonly rows: readonly Row[];
  /** Approximate JSON size of the rows in bytes (what the batching counted). */
  readonly bytes: number;
}

/** Why rows were not delivered: stable codes for counters, spool entries and diag messages. */
export type UndeliveredReason =
  | 'permanent' // the service refused the rows (400/401/403/404/413 …)
  | 'retries-exhausted' // transient failures outlasted the retry budget
  | 'queue-full' // the processor's bounded queue overflowed
  | 'shutdown' // forceFlush/shutdown timed out with rows still pending
  | 'rejected' // the mapping rejected the record (required column, row too large)
  | 'unrouted'; // a security record no stream takes
