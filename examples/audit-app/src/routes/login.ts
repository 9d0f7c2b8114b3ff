// POST /login checks the password with scrypt, locks the account after repeated failures, notices
// impossible travel and issues a session; POST /logout ends it. Emits authn_login_success (or
// authn_login_successafterfail), authn_login_fail, authn_login_lock, authn_impossible_travel and
// session_logout.

import type { Logger } from '@opentelemetry/api-logs';
import { setSecuritySession, setSecurityUser } from '@otel-sentinel/owasp';
import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import type { TravelCheck } from '../guards/impossible-travel.js';
import type { Lockout } from '../lockout.js';
import { logOperational } from '../operational-log.js';
import type { SessionStore } from '../sessions.js';
import type { UserStore } from '../users.js';

export interface LoginDeps {
  readonly logger: Logger;
  readonly security: SecurityEvents;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly lockout: Lockout;
  readonly travel: TravelCheck;
  /** The region the edge says the client is in, if the app trusts it. */
  readonly regionOf: (request: FastifyRequest) => string | undefined;
  readonly authenticate: preValidationHookHandler;
  readonly now: () => number;
}

interface LoginBody {
  readonly username: string;
  readonly password: string;
}

const loginSchema = {
  body: {
    type: 'object',
    required: ['username', 'password'],
    additionalProperties: false,
    properties: {
      username: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' },
      password: { type: 'string', minLength: 1, maxLength: 256 },
    },
  },
} as const;

export function registerLogin(app: FastifyInstance, deps: LoginDeps): void {
  const { logger, security, users, sessions, lockout, travel, regionOf, authenticate, now } = deps;

  app.post<{ Body: LoginBody }>('/login', { schema: loginSchema }, async (request, reply) => {
    // The password stays in this function: it goes to scrypt and nowhere else.
    const { username, password } = request.body;

    const lockedUntil = lockout.lockedUntil(username, now());
    if (lockedUntil !== undefined) {
      lockout.recordRefused(username);
      security.authnLoginFail({ userId: username, reason: 'account_locked' });
      const retryAfter = Math.ceil((lockedUntil - now()) / 1000);
      return reply
        .code(423)
        .header('retry-after', retryAfter)
        .send({ error: 'account locked; try again later' });
    }

    if (users.isArchived(username)) {
      security.authnLoginFail({ userId: username, reason: 'account_disabled' });
      return reply.code(401).send({ error: 'wrong user name or password' });
    }

    const started = performance.now();
    const user = await users.verify(username, password);
    logOperational(logger, 'DEBUG', 'password checked', { duration_ms: performance.now() - started });

    if (user === undefined) {
      const outcome = lockout.recordFailure(username, now());
      const reason = users.has(username) ? 'wrong_password' : 'unknown_user';
      security.authnLoginFail({ userId: username, reason });
      if (outcome.lockedUntil !== undefined)
        security.authnLoginLock({ userId: username, reason: 'maxretries' });
      return reply.code(401).send({ error: 'wrong user name or password' });
    }

    const retries = lockout.recordSuccess(user.id);
    const session = sessions.issue(user.id, now());
    // The rest of this request's events are the user's, with the new session's hash.
    setSecurityUser(user.id);
    setSecuritySession(session.sessionId);
    if (retries > 0) security.authnLoginSuccessafterfail({ userId: user.id, retries });
    else security.authnLoginSuccess({ userId: user.id });

    const region = regionOf(request);
    const trip = region === undefined ? undefined : travel.signIn(user.id, region, now());
    if (trip !== undefined) security.authnImpossibleTravel({ userId: user.id, ...trip });

    return { sessionId: session.sessionId, expiresAt: new Date(session.expiresAt).toISOString() };
  });

  app.post('/logout', { preValidation: authenticate }, (request, reply) => {
    const sessionId = request.principal?.sessionId;
    const ended = sessionId === undefined ? undefined : sessions.end(sessionId, 'logout', now());
    if (ended !== undefined) security.sessionLogout({ userId: ended.userId });
    return reply.code(204).send();
  });
}
