// Sessions issued at sign-in: an unguessable id that the client sends back as a bearer token. The
// id is a secret: security events carry only its keyed hash (SessionHash). A session that ended
// (logged out, or timed out) is remembered for a while, so a later use of it is told apart from a
// made-up id: that is session_use_after_expire, a replayed session.

import { randomBytes } from 'node:crypto';

export interface Session {
  readonly sessionId: string;
  readonly userId: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

/** Why a session ended. */
export type EndReason = 'logout' | 'timeout';

export type SessionLookup =
  | { readonly status: 'active'; readonly session: Session }
  | { readonly status: 'ended'; readonly session: Session; readonly reason: EndReason };

export interface SessionOptions {
  /** How long a session lasts. Default 30 minutes. */
  readonly ttlMs?: number;
  /** How long an ended session is remembered. Default 24 hours. */
  readonly endedRetentionMs?: number;
  /** Most ended sessions remembered at once; the oldest is forgotten past it. Default 10000. */
  readonly maxEnded?: number;
}

interface Ended {
  readonly session: Session;
  readonly reason: EndReason;
  readonly endedAt: number;
}

export class SessionStore {
  private readonly active = new Map<string, Session>();
  private readonly ended = new Map<string, Ended>();
  private readonly ttlMs: number;
  private readonly endedRetentionMs: number;
  private readonly maxEnded: number;

  constructor(options: SessionOptions = {}) {
    this.ttlMs = positive('ttlMs', options.ttlMs ?? 30 * 60_000);
    this.endedRetentionMs = positive('endedRetentionMs', options.endedRetentionMs ?? 24 * 3_600_000);
    this.maxEnded = positive('maxEnded', options.maxEnded ?? 10_000);
  }

  issue(userId: string, now: number): Session {
    this.sweep(now);
    const session: Session = {
      sessionId: randomBytes(32).toString('base64url'),
      userId,
      expiresAt: now + this.ttlMs,
    };
    this.active.set(session.sessionId, session);
    return session;
  }

  /** The session with this id: active, ended (and why), or `undefined` when it is not known. */
  find(sessionId: string, now: number): SessionLookup | undefined {
    const session = this.active.get(sessionId);
    if (session !== undefined) {
      if (session.expiresAt > now) return { status: 'active', session };
      this.end(sessionId, 'timeout', session.expiresAt);
    }
    const ended = this.ended.get(sessionId);
    if (ended === undefined || now - ended.endedAt > this.endedRetentionMs) return undefined;
    return { status: 'ended', session: ended.session, reason: ended.reason };
  }

  /** Ends an active session; returns it, or `undefined` when it was not active. */
  end(sessionId: string, reason: EndReason, now: number): Session | undefined {
    const session = this.active.get(sessionId);
    if (session === undefined) return undefined;
    this.active.delete(sessionId);
    if (this.ended.size >= this.maxEnded) {
      const oldest = this.ended.keys().next();
      if (oldest.done !== true) this.ended.delete(oldest.value);
    }
    this.ended.set(sessionId, { session, reason, endedAt: now });
    return session;
  }

  // Runs at sign-in, not per request: moves timed-out sessions to `ended`, forgets old ended ones.
  private sweep(now: number): void {
    for (const [id, s] of this.active) if (s.expiresAt <= now) this.end(id, 'timeout', s.expiresAt);
    for (const [id, e] of this.ended) if (now - e.endedAt > this.endedRetentionMs) this.ended.delete(id);
  }
}

function positive(option: string, value: number): number {
  if (!Number.isFinite(value) || value < 1)
    throw new RangeError(`sessions.${option} must be ≥ 1, got ${value}`);
  return value;
}
