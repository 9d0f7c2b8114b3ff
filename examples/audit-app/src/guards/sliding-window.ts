// Event times per key within a sliding window, for counting what one client does in a while: the
// rate limiter's requests, the 404 watch's misses. Bounded: past `maxKeys`, the oldest key goes.

export class SlidingWindow {
  private readonly times = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  /** How many events `key` has within the window ending at `now`, not counting a new one. */
  count(key: string, now: number): number {
    const times = this.times.get(key);
    if (times === undefined) return 0;
    const kept = times.filter((t) => now - t < this.windowMs);
    if (kept.length === 0) this.times.delete(key);
    else this.times.set(key, kept);
    return kept.length;
  }

  /** Adds an event for `key` at `now`; returns how many it now has within the window. */
  add(key: string, now: number): number {
    const times = this.times.get(key);
    if (times === undefined) {
      if (this.times.size >= this.maxKeys) {
        const oldest = this.times.keys().next();
        if (oldest.done !== true) this.times.delete(oldest.value);
      }
      this.times.set(key, [now]);
      return 1;
    }
    const kept = times.filter((t) => now - t < this.windowMs);
    kept.push(now);
    this.times.set(key, kept);
    return kept.length;
  }

  /** Forgets `key`'s events. */
  reset(key: string): void {
    this.times.delete(key);
  }
}

/** A positive option, checked once at construction. */
export function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`${option} must be ≥ 1, got ${value}`);
  return value;
}
