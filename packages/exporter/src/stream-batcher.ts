// Groups mapped rows per stream into batches that flush when they near the request size, reach a
// row count, or grow old. Knows nothing of queues or delivery: it only cuts batches.

import type { Row } from '@otel-sentinel/mapping';
import type { MappedRow } from './sentinel-log-exporter.js';
import type { RowBatch, StreamTarget } from './row-batch.js';

interface Pending {
  rows: Row[];
  bytes: number;
  since: number;
}

export class StreamBatcher {
  private readonly pending = new Map<StreamTarget, Pending>();
  /** Rows waiting in unfinished batches. */
  rows = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxRows: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Adds a row; returns the batch it completed, if any. */
  add(m: MappedRow): RowBatch | undefined {
    let p = this.pending.get(m.target);
    let cut: RowBatch | undefined;
    if (p !== undefined && p.rows.length > 0 && p.bytes + m.bytes > this.maxBytes) {
      cut = this.take(m.target, p);
      p = undefined;
    }
    if (p === undefined) {
      p = { rows: [], bytes: 0, since: this.now() };
      this.pending.set(m.target, p);
    }
    p.rows.push(m.row);
    p.bytes += m.bytes;
    this.rows++;
    if (cut === undefined && (p.rows.length >= this.maxRows || p.bytes >= this.maxBytes))
      cut = this.take(m.target, p);
    return cut;
  }

  /** Batches whose first row is at least `ageMs` old (all of them for 0). */
  takeOlderThan(ageMs: number): RowBatch[] {
    const t = this.now();
    const out: RowBatch[] = [];
    for (const [target, p] of this.pending)
      if (p.rows.length > 0 && t - p.since >= ageMs) out.push(this.take(target, p));
    return out;
  }

  /** Milliseconds until the oldest pending batch is due, or undefined when none is pending. */
  nextDue(ageMs: number): number | undefined {
    let oldest: number | undefined;
    for (const p of this.pending.values())
      if (p.rows.length > 0 && (oldest === undefined || p.since < oldest)) oldest = p.since;
    return oldest === undefined ? undefined : Math.max(0, oldest + ageMs - this.now());
  }

  private take(target: StreamTarget, p: Pending): RowBatch {
    this.pending.delete(target);
    this.rows -= p.rows.length;
    return { target, rows: p.rows, bytes: p.bytes };
  }
}
