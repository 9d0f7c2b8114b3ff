// Who is calling: the session or the API token behind `Authorization: Bearer …`, and the role a
// route needs. Presenting a session that ended (session_use_after_expire) or a token that was
// revoked (authn_token_reuse) is a security event, and so is a refused role or entitlement
// (authz_fail); a missing or unknown credential is only a 401.

import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyReply, FastifyRequest, preValidationHookHandler } from 'fastify';
import { TOKEN_PREFIX } from './api-tokens.js';
import type { ApiTokenStore } from './api-tokens.js';
import type { SessionStore } from './sessions.js';
import type { Role, UserStore } from './users.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, set by `Authenticator.hook`; `null` before it or without a valid credential. */
    principal: Principal | null;
  }
}

export interface Principal {
  readonly userId: string;
  /** The user's role now: a role change applies to sessions already open. */
  readonly role: Role;
  /** The session id, for a signed-in session. */
  readonly sessionId?: string;
  /** The token id, for an API token. */
  readonly tokenId?: string;
}

export interface AuthenticatorDeps {
  readonly sessions: SessionStore;
  readonly tokens: ApiTokenStore;
  readonly users: UserStore;
  readonly security: SecurityEvents;
  readonly now: () => number;
}

/** What a route takes besides a session. */
export interface Accept {
  /** API tokens too (read-only routes). Default: sessions only. */
  readonly tokens?: boolean;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

/** The credential in `Authorization: Bearer <credential>`, if the header has that shape. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** The route a request matched, as declared (`/api/invoices/:id`), for naming what was refused. */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url}`;
}

function unauthorized(reply: FastifyReply): void {
  void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'sign in first: POST /login' });
}

export class Authenticator {
  constructor(private readonly deps: AuthenticatorDeps) {}

  /** The session id a request presents, for the security context (which only ever hashes it). */
  sessionIdOf(request: FastifyRequest): string | undefined {
    const bearer = bearerToken(request.headers.authorization);
    return bearer?.startsWith(TOKEN_PREFIX) === false ? bearer : undefined;
  }

  /** The user behind the request's active session or token, for the security context. */
  userOf(request: FastifyRequest): string | undefined {
    const bearer = bearerToken(request.headers.authorization);
    if (bearer === undefined) return undefined;
    if (bearer.startsWith(TOKEN_PREFIX)) {
      const lookup = this.deps.tokens.find(bearer);
      return lookup?.status === 'active' ? lookup.token.userId : undefined;
    }
    const lookup = this.deps.sessions.find(bearer, this.deps.now());
    return lookup?.status === 'active' ? lookup.session.userId : undefined;
  }

  /** A preValidation hook that sets `request.principal`, or answers 401 (or 403 for a token where it may not go). */
  hook(accept: Accept = {}): preValidationHookHandler {
    return (request, reply, done) => {
      const bearer = bearerToken(request.headers.authorization);
      const principal =
        bearer === undefined
          ? undefined
          : bearer.startsWith(TOKEN_PREFIX)
            ? this.viaToken(bearer, request, reply, accept.tokens === true)
            : this.viaSession(bearer);
      if (principal === undefined) {
        if (!reply.sent) unauthorized(reply);
        return;
      }
      request.principal = principal;
      done();
    };
  }

  private viaSession(sessionId: string): Principal | undefined {
    const { sessions, users, security, now } = this.deps;
    const lookup = sessions.find(sessionId, now());
    if (lookup === undefined) return undefined;
    const { userId } = lookup.session;
    if (lookup.status === 'ended') {
      // A session that was logged out or timed out, presented again: a replayed session id.
      security.sessionUseAfterExpire({ userId });
      return undefined;
    }
    const role = users.roleOf(userId);
    return role === undefined ? undefined : { userId, role, sessionId };
  }

  private viaToken(
    secret: string,
    request: FastifyRequest,
    reply: FastifyReply,
    accepted: boolean,
  ): Principal | undefined {
    const { tokens, users, security } = this.deps;
    const lookup = tokens.find(secret);
    if (lookup === undefined) return undefined;
    const { userId, tokenId } = lookup.token;
    if (lookup.status === 'revoked') {
      security.authnTokenReuse({ userId, tokenId });
      return undefined;
    }
    if (!accepted) {
      // A valid token where only a signed-in session may go (changes, admin, token management).
      security.authzFail({ userId, resource: routeOf(request) });
      void reply.code(403).send({ error: 'API tokens may only read; sign in for this' });
      return undefined;
    }
    const role = users.roleOf(userId);
    return role === undefined ? undefined : { userId, role, tokenId };
  }
}

/** Lets only users with `role` through; anyone else gets 403 and an authz_fail event. */
export function requireRole(role: Role, security: SecurityEvents): preValidationHookHandler {
  return (request, reply, done) => {
    const principal = request.principal;
    if (principal?.role === role) {
      done();
      return;
    }
    security.authzFail({ userId: principal?.userId ?? 'anonymous', resource: routeOf(request) });
    void reply.code(403).send({ error: `this needs the ${role} role` });
  };
}
