// A clock and timer the test moves by hand: timers fire in time order as the clock passes them,
// each seeing the clock at its own due time, so a schedule is tested without waiting.

interface Pending {
  readonly at: number;
  readonly run: () => void;
}

export class ManualClock {
  private now: number;
  private pending: Pending[] = [];

  constructor(start: string) {
    this.now = Date.parse(start);
  }

  readonly clock = (): Date => new Date(this.now);

  readonly setTimer = (run: () => void, ms: number): (() => void) => {
    const entry = { at: this.now + ms, run };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  };

  /** Moves the clock forward by `ms`, firing every timer due on the way. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.now = due.at;
      due.run();
    }
    this.now = target;
  }

  /** ISO time `minutes` after the start of the hour `base`. */
  static at(base: string, minutes: number): string {
    return new Date(Date.parse(base) + minutes * 60_000).toISOString();
  }
}
