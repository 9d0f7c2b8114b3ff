// What became of the rows of one submission, counted as each row settles: delivered, spooled
// (in the spool with a reason), handed over (left in the write-ahead queue for the next start or
// `replay`), or lost (counted and reported). A submission is settled when every row is.

/** What became of a batch or a submission's rows. */
export interface BatchResult {
  readonly delivered: number;
  /** Not delivered but safely in the spool (or, at a stop, in the write-ahead queue). */
  readonly spooled: number;
  /** Not delivered and not stored (no spool, or it refused them): counted and reported. */
  readonly lost: number;
}

export type Outcome = 'delivered' | 'spooled' | 'lost';

export class Settlement {
  delivered = 0;
  spooled = 0;
  lost = 0;
  private remaining: number;
  private resolve: ((result: BatchResult) => void) | undefined;
  readonly done: Promise<BatchResult>;

  constructor(rows: number) {
    this.remaining = rows;
    this.done = new Promise<BatchResult>((resolve) => {
      this.resolve = resolve;
    });
    if (rows === 0) this.finish();
  }

  /** Rows still to settle. */
  get pending(): number {
    return this.remaining;
  }

  /** Adds rows to wait for (rows taken over from an earlier run arrive page by page). */
  grow(rows: number): void {
    this.remaining += rows;
  }

  settle(outcome: Outcome, rows = 1): void {
    this[outcome] += rows;
    this.remaining -= rows;
    if (this.remaining <= 0) this.finish();
  }

  private finish(): void {
    const resolve = this.resolve;
    this.resolve = undefined;
    resolve?.({ delivered: this.delivered, spooled: this.spooled, lost: this.lost });
  }
}
