// Per-DCR sliding-minute limits on requests and bytes, kept in 60 one-second buckets: cheap on
// every request, and exact to the second about when the window has room again (Retry-After).

const WINDOW_SECONDS = 60;

interface Window {
  /** The second (since the epoch) each bucket holds; a stale bucket is reset before use. */
  readonly second: Float64Array;
  readonly requests: Float64Array;
  readonly bytes: Float64Array;
}

export class SlidingMinuteLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly requestsPerMinute: number,
    private readonly bytesPerMinute: number,
  ) {}

  /** Counts one request for `key`; 0 when admitted, else the seconds until it would be. */
  admitRequest(key: string, nowMs: number): number {
    const w = this.window(key);
    const now = Math.floor(nowMs / 1000);
    const slot = this.bucket(w, now);
    const wait = this.waitFor(w.requests, w, now, nowMs, this.requestsPerMinute - 1);
    if (wait === 0) w.requests[slot] = (w.requests[slot] ?? 0) + 1;
    return wait;
  }

  /** Counts `bytes` for `key`; 0 when admitted, else the seconds until they would be. */
  admitBytes(key: string, bytes: number, nowMs: number): number {
    const w = this.window(key);
    const now = Math.floor(nowMs / 1000);
    const slot = this.bucket(w, now);
    if (bytes > this.bytesPerMinute) return WINDOW_SECONDS;
    const wait = this.waitFor(w.bytes, w, now, nowMs, this.bytesPerMinute - bytes);
    if (wait === 0) w.bytes[slot] = (w.bytes[slot] ?? 0) + bytes;
    return wait;
  }

  private window(key: string): Window {
    let w = this.windows.get(key);
    if (!w) {
      w = {
        second: new Float64Array(WINDOW_SECONDS).fill(-1),
        requests: new Float64Array(WINDOW_SECONDS),
        bytes: new Float64Array(WINDOW_SECONDS),
      };
      this.windows.set(key, w);
    }
    return w;
  }

  private bucket(w: Window, now: number): number {
    const slot = now % WINDOW_SECONDS;
    if (w.second[slot] !== now) {
      w.second[slot] = now;
      w.requests[slot] = 0;
      w.bytes[slot] = 0;
    }
    return slot;
  }

  /** 0 when the window's total in `counts` is at most `room`, else whole seconds until it is. */
  private waitFor(counts: Float64Array, w: Window, now: number, nowMs: number, room: number): number {
    let total = 0;
    for (let s = now - WINDOW_SECONDS + 1; s <= now; s++) total += this.at(counts, w, s);
    if (total <= room) return 0;
    for (let s = now - WINDOW_SECONDS + 1; s <= now; s++) {
      total -= this.at(counts, w, s);
      // What second s counted leaves the window when second s + 60 begins.
      if (total <= room) return Math.max(1, Math.ceil(((s + WINDOW_SECONDS) * 1000 - nowMs) / 1000));
    }
    return WINDOW_SECONDS;
  }

  private at(counts: Float64Array, w: Window, s: number): number {
    const slot = ((s % WINDOW_SECONDS) + WINDOW_SECONDS) % WINDOW_SECONDS;
    return w.second[slot] === s ? (counts[slot] ?? 0) : 0;
  }
}
