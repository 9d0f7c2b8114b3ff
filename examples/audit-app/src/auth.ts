// Authentication and authorisation hooks: the session from the bearer token, and the role a route
// needs. A refused role is a security event (authz_fail); a missing session is only a 401.

import type { Logger } from '@opentelemetry/api-logs';
import type { preHandlerHookHandler } from 'fastify';
import { requestAttributes } from './request-context.js';
import { emitSecurityEvent } from './security-events.js';
import type { Principal, SessionStore } from './sessions.js';
import type { Role } from './users.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set by `authenticate`; `null` without a valid session. */
    principal: Principal | null;
  }
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{16,128})$/;

/** The session id from `Authorization: Bearer <id>`, if the header has that shape. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}

/** Sets `request.principal` from the session, or answers 401. */
export function authenticate(sessions: SessionStore, now: () => number): preHandlerHookHandler {
  return (request, reply, done) => {
    const token = bearerToken(request.headers.authorization);
    const principal = token === undefined ? undefined : sessions.find(token, now());
    if (principal === undefined) {
      void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'sign in first: POST /login' });
      return;
    }
    request.principal = principal;
    done();
  };
}

/** Lets only users with `role` through; anyone else gets 403 and an authz_fail event. */
export function requireRole(role: Role, logger: Logger): preHandlerHookHandler {
  return (request, reply, done) => {
    const principal = request.principal;
    if (principal?.role === role) {
      done();
      return;
    }
    const who = principal?.userId ?? 'anonymous';
    emitSecurityEvent(
      logger,
      'authz_fail',
      `User ${who} was refused ${request.method} ${request.routeOptions.url ?? ''}: it needs the ${role} role`,
      requestAttributes(request),
      { 'event.outcome': 'failure', 'event.reason': 'missing_role', 'authz.required_role': role },
    );
    void reply.code(403).send({ error: `this needs the ${role} role` });
  };
}
