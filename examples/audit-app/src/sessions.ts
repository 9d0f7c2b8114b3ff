// Sessions issued at sign-in: an unguessable id that the client sends back as a bearer token. The
// id is a secret; it reaches Sentinel only as an HMAC (the mapping's SessionHash column).

import { randomBytes } from 'node:crypto';
import type { Role, User } from './users.js';

export interface Principal {
  readonly userId: string;
  readonly role: Role;
  readonly sessionId: string;
  /** ms since the epoch. */
  readonly expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Principal>();

  /** `ttlMs`: how long a session lasts. Default 30 minutes. */
  constructor(private readonly ttlMs = 30 * 60_000) {}

  issue(user: User, now: number): Principal {
    this.dropExpired(now);
    const principal: Principal = {
      userId: user.id,
      role: user.role,
      sessionId: randomBytes(32).toString('base64url'),
      expiresAt: now + this.ttlMs,
    };
    this.sessions.set(principal.sessionId, principal);
    return principal;
  }

  find(sessionId: string, now: number): Principal | undefined {
    const principal = this.sessions.get(sessionId);
    return principal !== undefined && principal.expiresAt > now ? principal : undefined;
  }

  private dropExpired(now: number): void {
    for (const [id, p] of this.sessions) if (p.expiresAt <= now) this.sessions.delete(id);
  }
}
