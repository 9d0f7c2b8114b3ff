// Groups accepted rows per stream into batches that are cut when they near the request size,
// reach a row count, or grow old. Each row may carry its id in the write-ahead queue and the
// settlement of the submission it came in; both travel with it to the batch.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget } from '../row-batch.js';
import type { Settlement } from './settlement.js';

/** No id: the row is held in memory only. */
export const NOT_STORED = 0;

/** Rows of one stream on their way: parallel arrays, so a row costs no object of its own. */
export interface PipelineBatch {
  readonly target: StreamTarget;
  readonly rows: Row[];
  /** Queue ids (`NOT_STORED` for a row held in memory only). */
  readonly ids: number[];
  /** The submission each row belongs to, when someone waits for it. */
  readonly settlements: (Settlement | undefined)[];
  bytes: number;
  /** Rows with an id. */
  stored: number;
  readonly since: number;
}

export function emptyBatch(target: StreamTarget, since: number): PipelineBatch {
  return { target, rows: [], ids: [], settlements: [], bytes: 0, stored: 0, since };
}

export function pushRow(
  batch: PipelineBatch,
  row: Row,
  bytes: number,
  id: number,
  settlement: Settlement | undefined,
): void {
  batch.rows.push(row);
  batch.ids.push(id);
  batch.settlements.push(settlement);
  batch.bytes += bytes;
  if (id !== NOT_STORED) batch.stored++;
}

export class RowBatcher {
  private readonly pending = new Map<StreamTarget, PipelineBatch>();
  /** Rows waiting in unfinished batches. */
  rows = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxRows: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a row; returns the batch it completed, if any. */
  add(
    target: StreamTarget,
    row: Row,
    bytes: number,
    id: number,
    settlement: Settlement | undefined,
  ): PipelineBatch | undefined {
    let p = this.pending.get(target);
    let cut: PipelineBatch | undefined;
    if (p !== undefined && p.rows.length > 0 && p.bytes + bytes > this.maxBytes) {
      cut = this.take(p);
      p = undefined;
    }
    if (p === undefined) {
      p = emptyBatch(target, this.now());
      this.pending.set(target, p);
    }
    pushRow(p, row, bytes, id, settlement);
    this.rows++;
    if (cut === undefined && (p.rows.length >= this.maxRows || p.bytes >= this.maxBytes)) cut = this.take(p);
    return cut;
  }

  /** Batches whose first row is at least `ageMs` old (all of them for 0). */
  takeOlderThan(ageMs: number): PipelineBatch[] {
    const t = this.now();
    const out: PipelineBatch[] = [];
    for (const p of this.pending.values())
      if (p.rows.length > 0 && t - p.since >= ageMs) out.push(this.take(p));
    return out;
  }

  /** Milliseconds until the oldest pending batch is due, or undefined when none is pending. */
  nextDue(ageMs: number): number | undefined {
    let oldest: number | undefined;
    for (const p of this.pending.values())
      if (p.rows.length > 0 && (oldest === undefined || p.since < oldest)) oldest = p.since;
    return oldest === undefined ? undefined : Math.max(0, oldest + ageMs - this.now());
  }

  private take(p: PipelineBatch): PipelineBatch {
    this.pending.delete(p.target);
    this.rows -= p.rows.length;
    return p;
  }
}
