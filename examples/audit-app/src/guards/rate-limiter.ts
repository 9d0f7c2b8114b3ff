// Per-user request limit on the API: at most `max` requests within a sliding window. A refused
// request is a security event (excess_rate_limit_exceeded): scripts that scrape or hammer the API.

import { positive, SlidingWindow } from './sliding-window.js';

export interface RateLimitOptions {
  /** Requests allowed within `windowMs`. Default 20. */
  readonly max?: number;
  /** The window. Default 10 seconds. */
  readonly windowMs?: number;
  /** Most users tracked at once. Default 10000. */
  readonly maxTracked?: number;
}

export class RateLimiter {
  readonly max: number;
  readonly windowMs: number;
  private readonly window: SlidingWindow;

  constructor(options: RateLimitOptions = {}) {
    this.max = positive('rateLimit.max', options.max ?? 20);
    this.windowMs = positive('rateLimit.windowMs', options.windowMs ?? 10_000);
    this.window = new SlidingWindow(
      this.windowMs,
      positive('rateLimit.maxTracked', options.maxTracked ?? 10_000),
    );
  }

  /** Whether `key` may make one more request now; an allowed request is counted, a refused one not. */
  allow(key: string, now: number): boolean {
    if (this.window.count(key, now) >= this.max) return false;
    this.window.add(key, now);
    return true;
  }
}
