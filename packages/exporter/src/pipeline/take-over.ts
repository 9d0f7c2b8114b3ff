// Taking over what ended processes left in the write-ahead queue: the store adopts their entries
// (at open, and later when it finds another ended owner); this reads them back a page at a time
// as the pipeline has room, reports who left what, and tracks how many are still to deliver.

import type { DiagReporter } from '../diag-reporter.js';
import type { StreamTarget } from '../row-batch.js';
import type { SelfMetrics } from '../self-metrics.js';
import type { AdoptionReport, DeliveryStore, QueuedRow } from '../store/store-types.js';
import type { RecoveryStatus } from './row-pipeline.js';
import { Settlement } from './settlement.js';
import { reportStoreEvents } from './store-events.js';

/** Rows read back from the queue per page. */
const PAGE = 5000;

export interface TakeOverContext {
  readonly metrics: SelfMetrics;
  readonly diag: DiagReporter;
  /** Rows the pipeline can take now. */
  room(): number;
  /** The pipeline is stopping: take no more. */
  stopping(): boolean;
  /** Hands one row read back to the pipeline (already in the queue: it has its id). */
  accept(row: QueuedRow, target: StreamTarget, settlement: Settlement): void;
  /** After a page: send what may be sent. */
  pageTaken(rows: number): void;
}

export class TakeOver {
  /** Rows adopted and not read back yet. */
  backlog = 0;
  private total = 0;
  private forwards = 0;
  private reading = false;
  private readonly rows = new Settlement(0);
  private readonly targets = new Map<string, StreamTarget>();
  private readonly forwardListeners: ((bodies: number) => void)[] = [];

  constructor(
    private readonly store: DeliveryStore,
    private readonly c: TakeOverContext,
  ) {}

  /** Operational bodies adopted so far (the gateway's). */
  get adoptedForwards(): number {
    return this.forwards;
  }

  status(): RecoveryStatus {
    return { resumed: this.total, remaining: this.rows.pending + this.backlog };
  }

  onForwardsAdopted(listener: (bodies: number) => void): void {
    this.forwardListeners.push(listener);
  }

  /** What the store adopted: counted, reported, and read back as room allows. */
  adopted(report: AdoptionReport): void {
    this.forwards += report.forwards;
    if (report.forwards > 0) for (const l of this.forwardListeners) l(report.forwards);
    this.backlog += report.rows;
    this.total += report.rows;
    reportStoreEvents(report, this.c.metrics, this.c.diag);
  }

  /** Reads adopted rows back while there is room; called again whenever rows settle. */
  async readBack(): Promise<void> {
    if (this.reading) return;
    this.reading = true;
    try {
      while (this.backlog > 0 && !this.c.stopping()) {
        const room = this.c.room();
        if (room <= 0) return;
        const page = await this.store.takeAdopted(Math.min(room, PAGE));
        if (page.length === 0) {
          this.backlog = 0;
          break;
        }
        this.backlog = Math.max(0, this.backlog - page.length);
        this.rows.grow(page.length);
        for (const q of page) this.c.accept(q, this.canonical(q.target), this.rows);
        this.c.metrics.rowsResumed(page.length);
        this.c.pageTaken(page.length);
      }
    } finally {
      this.reading = false;
    }
  }

  /** Batches group by target identity: one object per target. */
  private canonical(target: StreamTarget): StreamTarget {
    const key = `${target.endpoint}\n${target.dcrImmutableId}\n${target.stream}\n${target.table}`;
    let t = this.targets.get(key);
    if (t === undefined) this.targets.set(key, (t = target));
    return t;
  }
}
