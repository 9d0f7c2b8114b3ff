// Impossible travel: a user signs in from another region than their previous sign-in, sooner than
// anyone could travel between the two. The region is the edge's (a CDN or front door geolocates the
// client and sets `x-client-region`), so the app reads it only behind a proxy it trusts. Two
// different regions within the window is enough here; distances are the edge's business.

import { positive } from './sliding-window.js';

export interface TravelOptions {
  /** Sign-ins from two regions closer together than this are impossible travel. Default 2 hours. */
  readonly windowMs?: number;
  /** Most users tracked at once. Default 10000. */
  readonly maxTracked?: number;
}

export interface Travel {
  readonly fromRegion: string;
  readonly toRegion: string;
}

export class TravelCheck {
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly last = new Map<string, { readonly region: string; readonly at: number }>();

  constructor(options: TravelOptions = {}) {
    this.windowMs = positive('travel.windowMs', options.windowMs ?? 2 * 3_600_000);
    this.maxTracked = positive('travel.maxTracked', options.maxTracked ?? 10_000);
  }

  /** Records a sign-in of `userId` from `region`; returns the travel when it was impossible. */
  signIn(userId: string, region: string, now: number): Travel | undefined {
    const previous = this.last.get(userId);
    this.last.delete(userId);
    if (this.last.size >= this.maxTracked) {
      const oldest = this.last.keys().next();
      if (oldest.done !== true) this.last.delete(oldest.value);
    }
    this.last.set(userId, { region, at: now });
    if (previous === undefined || previous.region === region || now - previous.at >= this.windowMs)
      return undefined;
    return { fromRegion: previous.region, toRegion: region };
  }
}
