// Counts requests for paths that do not exist, per client address. Many within a minute is forced
// browsing (a scanner trying /.env, /wp-admin, /backup.zip, …): reported once when a client reaches
// the threshold (malicious_excess_404), then counted afresh.

import { positive, SlidingWindow } from './sliding-window.js';

export interface NotFoundWatchOptions {
  /** 404s within `windowMs` that make a report. Default 20. */
  readonly threshold?: number;
  /** The window. Default 1 minute. */
  readonly windowMs?: number;
  /** Most client addresses tracked at once. Default 10000. */
  readonly maxTracked?: number;
}

export class NotFoundWatch {
  readonly threshold: number;
  private readonly window: SlidingWindow;

  constructor(options: NotFoundWatchOptions = {}) {
    this.threshold = positive('notFound.threshold', options.threshold ?? 20);
    this.window = new SlidingWindow(
      positive('notFound.windowMs', options.windowMs ?? 60_000),
      positive('notFound.maxTracked', options.maxTracked ?? 10_000),
    );
  }

  /** Counts one 404 for `client`; true when it reaches the threshold (and the count starts again). */
  record(client: string, now: number): boolean {
    if (this.window.add(client, now) < this.threshold) return false;
    this.window.reset(client);
    return true;
  }
}
