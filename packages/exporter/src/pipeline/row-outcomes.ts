// What becomes of rows once the pipeline stops holding them: delivered rows leave the write-ahead
// queue; rows given up on move to the spool with their reason (one transaction for a queued row);
// rows a stop could not send stay in the queue, or are written there, for the next start; rows
// with nowhere to go are counted lost. Every row settles exactly once, here.

import type { Row } from '@otel-sentinel/mapping';
import type { StreamTarget, UndeliveredReason } from '../row-batch.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { DeliveryStore } from '../store/store-types.js';
import { NOT_STORED } from './row-batcher.js';
import type { PipelineBatch } from './row-batcher.js';
import type { BatchResult, Outcome } from './settlement.js';
import type { Shipped, UndeliveredGroup } from './ship-batch.js';
import type { Undelivered } from './undelivered.js';
import { within } from './within.js';

/** How long a stop soon after the start waits for the store to open before handing rows over. */
const OPEN_GRACE_MS = 5000;

/** Rows accepted and not settled, and how many of them exist only in memory. */
export class HeldRows {
  count = 0;
  /** What a crash would lose. */
  memoryOnly = 0;
}

export interface OutcomeContext {
  readonly held: HeldRows;
  readonly undelivered: Undelivered;
  readonly metrics: SelfMetrics;
  /** Resolves once the store is open, or could not be. */
  readonly ready: Promise<void>;
  /** The store once open; undefined without one, or when it could not be opened. */
  store(): DeliveryStore | undefined;
  /** Registers a write the pipeline's flush and stop wait for. */
  track<T>(work: Promise<T>): Promise<T>;
}

export class RowOutcomes {
  /** Memory-only rows of a stop, written to the queue at the end of it. */
  private readonly leftover: { batch: PipelineBatch; index: number }[] = [];

  constructor(private readonly c: OutcomeContext) {}

  /** Rows waiting to be written to the queue at the end of a stop (still held). */
  get leftoverRows(): number {
    return this.leftover.length;
  }

  settleRow(batch: PipelineBatch, index: number, outcome: Outcome): void {
    batch.settlements[index]?.settle(outcome);
    this.c.held.count--;
    if ((batch.ids[index] ?? NOT_STORED) === NOT_STORED) this.c.held.memoryOnly--;
  }

  /** Settles a shipped batch: delivered rows leave the queue, the others are given up on. */
  async settleBatch(batch: PipelineBatch, shipped: Shipped): Promise<void> {
    const failed = new Set<number>();
    for (const g of shipped.undelivered) for (const i of g.indexes) failed.add(i);
    const delivered: number[] = [];
    for (let i = 0; i < batch.rows.length; i++) {
      if (failed.has(i)) continue;
      const id = batch.ids[i] ?? NOT_STORED;
      if (id !== NOT_STORED) delivered.push(id);
      this.settleRow(batch, i, 'delivered');
    }
    if (shipped.delivered > 0) {
      const bytes = Math.round((batch.bytes * shipped.delivered) / batch.rows.length);
      this.c.metrics.rowsExported(shipped.delivered, bytes, batch.target.stream);
    }
    const store = this.c.store();
    if (delivered.length > 0 && store !== undefined) void this.c.track(store.remove(delivered));
    for (const g of shipped.undelivered) await this.giveUp(batch, g);
  }

  /** Rows the pipeline stops trying to send: the spool, or at a stop the write-ahead queue. */
  async giveUp(batch: PipelineBatch, group: UndeliveredGroup): Promise<void> {
    const stored: number[] = [];
    const memory: number[] = [];
    for (const i of group.indexes) ((batch.ids[i] ?? NOT_STORED) === NOT_STORED ? memory : stored).push(i);
    const { target } = batch;
    if (group.reason === 'shutdown') {
      // Stored rows stay in the queue for the next start; memory-only rows join it at the end of the stop.
      for (const i of stored) this.settleRow(batch, i, 'spooled');
      this.c.undelivered.leftInQueue(target, stored.length, group.detail);
      this.leave(batch, memory);
      return;
    }
    let spooled = 0;
    let lost = 0;
    const store = this.c.store();
    if (stored.length > 0 && store !== undefined) {
      const ids = stored.map((i) => batch.ids[i] ?? NOT_STORED);
      const r = await this.c.track(store.deadLetter(ids, group.reason, group.detail));
      // A move the store refused leaves the rows in the queue: sent again after a restart, not lost.
      spooled += stored.length;
      for (const i of stored) this.settleRow(batch, i, 'spooled');
      if (r.refused > 0) this.c.undelivered.deadLetterRefused(target, r.refused, r.error);
    }
    if (memory.length > 0) {
      const rows = memory.map((i) => batch.rows[i] ?? {});
      const r = await this.writeSpool(target, rows, group.reason, group.detail);
      spooled += r.written;
      lost += r.refused;
      memory.forEach((i, k) => {
        this.settleRow(batch, i, k < r.written ? 'spooled' : 'lost');
      });
    }
    this.c.undelivered.report(target, spooled + lost, group.reason, group.detail, spooled, lost);
  }

  /** Memory-only rows of `batch` at these positions are written to the queue at the end of a stop. */
  leave(batch: PipelineBatch, indexes: readonly number[]): void {
    for (const index of indexes) this.leftover.push({ batch, index });
  }

  /** Rows that were never queued go straight to the spool, counted and reported. */
  async spoolRows(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<BatchResult> {
    const r = await this.writeSpool(target, rows, reason, detail);
    this.c.undelivered.report(target, rows.length, reason, detail, r.written, r.refused);
    return { delivered: 0, spooled: r.written, lost: r.refused };
  }

  /** Memory-only rows left at a stop go to the write-ahead queue, for the next start or `replay`. */
  async handOverLeftover(): Promise<void> {
    const items = this.leftover.splice(0);
    if (items.length === 0) return;
    // A stop soon after the start may come before the store is open: the rows wait for it.
    await within(this.c.ready, OPEN_GRACE_MS);
    const byTarget = new Map<StreamTarget, { batch: PipelineBatch; index: number }[]>();
    for (const item of items) {
      const list = byTarget.get(item.batch.target);
      if (list === undefined) byTarget.set(item.batch.target, [item]);
      else list.push(item);
    }
    for (const [target, list] of byTarget) {
      const rows = list.map(({ batch, index }) => batch.rows[index] ?? {});
      const store = this.c.store();
      const r = store === undefined ? undefined : await store.enqueue(target, rows);
      const saved = r?.ok === true;
      for (const { batch, index } of list) this.settleRow(batch, index, saved ? 'spooled' : 'lost');
      if (saved) this.c.undelivered.leftInQueue(target, rows.length, 'not sent before the stop');
      else
        this.c.undelivered.report(
          target,
          rows.length,
          'shutdown',
          'not sent before the stop',
          0,
          rows.length,
        );
    }
  }

  private async writeSpool(
    target: StreamTarget,
    rows: readonly Row[],
    reason: UndeliveredReason,
    detail: string,
  ): Promise<{ written: number; refused: number }> {
    if (rows.length === 0) return { written: 0, refused: 0 };
    await this.c.ready;
    const store = this.c.store();
    if (store === undefined) return { written: 0, refused: rows.length };
    const r = await store.spool(target, rows, reason, detail);
    return { written: r.written, refused: rows.length - r.written };
  }
}
