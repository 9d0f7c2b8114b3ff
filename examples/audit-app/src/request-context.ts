// Who and where, for every security event of a request: the correlation id, the client address,
// the method and path, the user agent and — once signed in — the user and session.

import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AnyValueMap } from '@opentelemetry/api-logs';
import type { FastifyRequest } from 'fastify';

export const CORRELATION_HEADER = 'x-correlation-id';

// A caller's correlation id is kept only when it looks like one; anything else (too long, control
// characters, a forged log line) is replaced, so an attacker cannot write into the audit trail.
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify `genReqId`: the caller's `x-correlation-id` when it is well-formed, else a new UUID. */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers[CORRELATION_HEADER];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}

/** `url.path`: the path without the query string, which may hold values that are nobody's business. */
export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The attributes every security record of this request carries. */
export function requestAttributes(request: FastifyRequest): AnyValueMap {
  const attributes: AnyValueMap = {
    'correlation.id': request.id,
    'client.address': request.ip,
    'http.request.method': request.method,
    'url.path': pathOf(request.url),
  };
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) attributes['user_agent.original'] = userAgent;
  const principal = request.principal;
  if (principal !== null) {
    attributes['user.id'] = principal.userId;
    attributes['user.roles'] = [principal.role];
    attributes['session.id'] = principal.sessionId;
  }
  return attributes;
}
