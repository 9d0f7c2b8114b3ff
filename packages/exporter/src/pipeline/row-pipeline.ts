// The small interface the processor, the exporter and the gateway use to hand rows to delivery:
// queue → batch → ship → retry → spool. Callers map records to rows (the mapping's job) and
// submit them; what happens to each row after that is the pipeline's.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import type { Durability } from './pipeline-config.js';
import type { BatchResult } from './settlement.js';

/** A mapped row with where it goes and its JSON size. */
export interface MappedRow {
  readonly target: StreamTarget;
  readonly row: Row;
  readonly bytes: number;
}

export interface SubmitOptions {
  /**
   * In `disk` durability: `'require'` takes the rows only once all of them are in the
   * write-ahead queue on disk, and none when the store refuses any (the gateway answers 503 then);
   * `'prefer'` (default) keeps rows the store refused in memory, counted and reported.
   */
  readonly persist?: 'require' | 'prefer';
  /** Cut the rows' batches at once instead of after `scheduledDelayMillis`. Default false. */
  readonly sendNow?: boolean;
  /** Resolve `settled` with what became of the rows. Default false (it costs a little per row). */
  readonly track?: boolean;
}

export interface Submission {
  /**
   * True once every row is in the write-ahead queue on disk (`disk` durability); false in
   * `memory` durability, and when the store refused rows.
   */
  readonly persisted: Promise<boolean>;
  /** With `track`: once every row is delivered, spooled, handed over or lost. */
  readonly settled: Promise<BatchResult>;
}

/** Rows an earlier process left in the write-ahead queue, taken over at start. */
export interface RecoveryStatus {
  /** Rows taken over from ended processes since start. */
  readonly resumed: number;
  /** Of those, rows not yet delivered or spooled. */
  readonly remaining: number;
}

export interface RowPipeline {
  readonly durability: Durability;
  /** True when accepted rows are written ahead to disk (`disk` durability, the store open). */
  readonly persistent: boolean;
  /** `maxQueueSize`: most rows held at once. */
  readonly capacity: number;
  /** Rows accepted and not yet delivered, spooled or handed over. */
  readonly held: number;
  /** `capacity − held`; 0 while stopping, or while rows taken over from a previous run wait for room. */
  readonly freeCapacity: number;
  /** Resolves once the store is open and the rows left by ended processes are taken over. Never rejects. */
  readonly ready: Promise<void>;
  /** All of the rows, or none (`undefined`: no room, or stopping). */
  submit(rows: readonly MappedRow[], options?: SubmitOptions): Submission | undefined;
  /** Rows that will not be sent (a record the mapping rejected, a full queue): to the spool, counted. */
  setAside(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<BatchResult>;
  /** Records lost before they became rows (nowhere to keep them): counted and reported. */
  reportLost(records: number, reason: UndeliveredReason, detail: string): void;
  recovery(): RecoveryStatus;
  /** Sends everything held now and waits, at most `timeoutMs`; true when nothing is held any more. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes, then stops: what is left is handed to the write-ahead queue (or counted lost). Idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}
