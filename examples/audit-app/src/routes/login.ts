// POST /login: checks the password with scrypt, locks the account after repeated failures, and
// issues a session. Emits authn_login_success, authn_login_fail and authn_login_lock.

import type { Logger } from '@opentelemetry/api-logs';
import type { FastifyInstance } from 'fastify';
import type { Lockout } from '../lockout.js';
import { logOperational } from '../operational-log.js';
import { requestAttributes } from '../request-context.js';
import { emitSecurityEvent } from '../security-events.js';
import type { SessionStore } from '../sessions.js';
import type { UserStore } from '../users.js';

export interface LoginDeps {
  readonly logger: Logger;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly lockout: Lockout;
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
  const { logger, users, sessions, lockout, now } = deps;

  app.post<{ Body: LoginBody }>('/login', { schema: loginSchema }, async (request, reply) => {
    // The password stays in this function: it goes to scrypt and nowhere else.
    const { username, password } = request.body;
    const context = { ...requestAttributes(request), 'user.id': username };

    const lockedUntil = lockout.lockedUntil(username, now());
    if (lockedUntil !== undefined) {
      emitSecurityEvent(
        logger,
        'authn_login_fail',
        `User ${username} failed to sign in: account locked`,
        context,
        {
          'event.outcome': 'failure',
          'event.reason': 'account_locked',
        },
      );
      const retryAfter = Math.ceil((lockedUntil - now()) / 1000);
      return reply
        .code(423)
        .header('retry-after', retryAfter)
        .send({ error: 'account locked; try again later' });
    }

    const started = performance.now();
    const user = await users.verify(username, password);
    logOperational(logger, 'DEBUG', 'password checked', { duration_ms: performance.now() - started });

    if (user === undefined) {
      const outcome = lockout.recordFailure(username, now());
      emitSecurityEvent(logger, 'authn_login_fail', `User ${username} failed to sign in`, context, {
        'event.outcome': 'failure',
        'event.reason': users.has(username) ? 'wrong_password' : 'unknown_user',
        'authn.failures': outcome.failures,
      });
      if (outcome.lockedUntil !== undefined) {
        emitSecurityEvent(
          logger,
          'authn_login_lock',
          `User ${username} was locked out after ${outcome.failures} failed sign-ins`,
          context,
          {
            'event.outcome': 'failure',
            'event.reason': 'too_many_failures',
            'authn.failures': outcome.failures,
            'authn.lock_seconds': lockout.lockMs / 1000,
          },
        );
      }
      return reply.code(401).send({ error: 'wrong user name or password' });
    }

    lockout.recordSuccess(username);
    const session = sessions.issue(user, now());
    emitSecurityEvent(
      logger,
      'authn_login_success',
      `User ${user.id} signed in`,
      { ...context, 'user.roles': [user.role], 'session.id': session.sessionId },
      { 'event.outcome': 'success' },
    );
    return { sessionId: session.sessionId, expiresAt: new Date(session.expiresAt).toISOString() };
  });
}
