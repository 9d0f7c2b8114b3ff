// The owner's row while the worker thread is still starting (a few hundred milliseconds on a busy
// machine): written from the calling thread, so a process killed in that window is still known
// at the next start, with what it held in memory only. Best effort: it never throws, never waits
// long for a lock, and commits without fsync (a heartbeat need not survive a power cut).

import { StoreDatabase } from './store-database.ts';
import type { StoreConfig } from './store-database.ts';
import { upsertOwner } from './store-owners.ts';
import type { OwnerRegistration } from './store-owners.ts';

/** A lock held longer than this (the worker creating the file) skips an early write. */
const EARLY_BUSY_TIMEOUT_MS = 20;
/** Early writes of the held count are at least this far apart. */
const EARLY_WRITE_MS = 250;

export class EarlyOwner {
  readonly #store: StoreDatabase;
  readonly #owner: OwnerRegistration;
  #written = -1;
  #writtenAt = 0;
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;

  private constructor(store: StoreDatabase, owner: OwnerRegistration) {
    this.#store = store;
    this.#owner = owner;
  }

  /** Registers the owner with `held`; undefined when the store cannot be written now. */
  static open(config: StoreConfig, owner: OwnerRegistration, held: number): EarlyOwner | undefined {
    let store: StoreDatabase | undefined;
    try {
      // A store of an earlier layout is left to the worker to convert: never on the app's thread.
      store = StoreDatabase.open(
        { ...config, durability: 'memory', busyTimeoutMs: EARLY_BUSY_TIMEOUT_MS },
        { convert: false },
      );
      const early = new EarlyOwner(store, owner);
      early.write(held);
      return early;
    } catch {
      // The worker opens the store again and reports why it cannot.
      store?.close();
      return undefined;
    }
  }

  /** Writes a changed count, at most every 250 ms; a change in between is written when they are up. */
  write(held: number): void {
    this.#pending = held;
    if (this.#timer !== undefined) return;
    const wait = this.#writtenAt + EARLY_WRITE_MS - Date.now();
    if (wait <= 0) {
      this.#flush();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, wait);
    this.#timer.unref();
  }

  #flush(): void {
    const held = this.#pending;
    if (held === this.#written) return;
    const now = Date.now();
    try {
      this.#store.transaction({ durable: false, intake: false }, () => {
        upsertOwner(this.#store, this.#owner, held, now);
      });
      this.#written = held;
      this.#writtenAt = now;
    } catch {
      // Busy or failing: the next change, or the worker when it opens, writes it.
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      this.#store.close();
    } catch {
      // Nothing of it is needed any more.
    }
  }
}
