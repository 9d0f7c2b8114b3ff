// Giving space back. Pages that settled rows free stay in the file, where later rows reuse them;
// once the file is mostly free pages, and more of them than the last minute's busiest moment
// needed, the worker gives them back to the file system a bounded step at a time, off the hot
// path (at heartbeats), so a store whose rows were delivered shrinks again.

import type { StoreDatabase } from './store-database.ts';

/** Pages given back per step: 8 MiB of 4 KiB pages, a short transaction. */
const STEP_PAGES = 2048;
/** Free pages always kept, and the least worth a step: 1 MiB of 4 KiB pages. */
const KEEP_PAGES = 256;
/** The file is mostly free when its free pages are at least this many times those in use. */
const FREE_RATIO = 4;
/** Heartbeats whose busiest moment the file keeps room for: a minute at the default 5 s. */
export const PEAK_HEARTBEATS = 12;

export class SpaceKeeper {
  /** Pages in use at the busiest moment of each of the last heartbeats' intervals. */
  readonly #peaks: number[] = [];
  #peak = 0;

  /** After a commit: the pages in use now may be this interval's busiest. */
  note(store: StoreDatabase): void {
    const { used } = store.pages();
    if (used > this.#peak) this.#peak = used;
  }

  /** At a heartbeat: the interval's busiest moment joins the window, the oldest leaves it. */
  roll(store: StoreDatabase): void {
    this.#peaks.push(this.#peak);
    if (this.#peaks.length > PEAK_HEARTBEATS) this.#peaks.shift();
    this.#peak = store.pages().used;
  }

  /**
   * Gives one step back when the file is mostly free pages beyond the window's busiest moment
   * (`final`, at a close: beyond what is in use now). Returns true when there is more to give.
   */
  step(store: StoreDatabase, final = false): boolean {
    const { used, free } = store.pages();
    const busiest = final ? used : Math.max(used, this.#peak, ...this.#peaks);
    const spare = free - (busiest - used) - KEEP_PAGES;
    if (free < used * FREE_RATIO || spare < KEEP_PAGES) return false;
    const given = store.giveBack(Math.min(STEP_PAGES, spare));
    const more = given > 0 && spare - given >= KEEP_PAGES;
    if (!more) store.checkpoint();
    return more;
  }
}
