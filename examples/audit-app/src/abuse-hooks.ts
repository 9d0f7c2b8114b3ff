// The hooks that turn what the guards notice into answers and security events: a refused attack
// tool (malicious_attack_tool, 403), a user over the API rate limit (excess_rate_limit_exceeded,
// 429), and a client asking for too many paths that do not exist (malicious_excess_404).

import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { onRequestHookHandler, preValidationHookHandler, RouteHandlerMethod } from 'fastify';
import { attackToolOf } from './guards/attack-tools.js';
import type { NotFoundWatch } from './guards/not-found-watch.js';
import type { RateLimiter } from './guards/rate-limiter.js';

/** An onRequest hook that refuses requests from attack tools, before any routing or parsing. */
export function refuseAttackTools(security: SecurityEvents): onRequestHookHandler {
  return (request, reply, done) => {
    const toolName = attackToolOf(request.headers['user-agent']);
    if (toolName === undefined) {
      done();
      return;
    }
    security.maliciousAttackTool({ toolName });
    void reply.code(403).send({ error: 'forbidden' });
  };
}

/** A preValidation hook, after authentication: at most `limiter.max` API requests per user per window. */
export function limitRate(
  limiter: RateLimiter,
  security: SecurityEvents,
  now: () => number,
): preValidationHookHandler {
  const retryAfter = Math.ceil(limiter.windowMs / 1000);
  return (request, reply, done) => {
    const userId = request.principal?.userId;
    if (userId === undefined || limiter.allow(userId, now())) {
      done();
      return;
    }
    security.excessRateLimitExceeded({ userId, max: limiter.max });
    void reply.code(429).header('retry-after', retryAfter).send({ error: 'too many requests' });
  };
}

/** The not-found handler: counts the client's misses and reports one that keeps missing. */
export function notFound(
  watch: NotFoundWatch,
  security: SecurityEvents,
  now: () => number,
): RouteHandlerMethod {
  return (request, reply) => {
    if (watch.record(request.ip, now())) security.maliciousExcess404();
    return reply.code(404).send({ error: 'not found' });
  };
}
