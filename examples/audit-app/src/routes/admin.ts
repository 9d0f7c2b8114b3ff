// GET /admin/users: for admins only. Anyone else gets 403 and an authz_fail event; an admin's read
// of the user list is itself audited.

import type { Logger } from '@opentelemetry/api-logs';
import type { FastifyInstance, preHandlerHookHandler } from 'fastify';
import { requireRole } from '../auth.js';
import { requestAttributes } from '../request-context.js';
import { AuditAction, emitAuditEvent } from '../security-events.js';
import type { UserStore } from '../users.js';

export interface AdminDeps {
  readonly logger: Logger;
  readonly users: UserStore;
  readonly authenticate: preHandlerHookHandler;
}

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  const { logger, users, authenticate } = deps;

  app.get('/admin/users', { preHandler: [authenticate, requireRole('admin', logger)] }, (request, reply) => {
    emitAuditEvent(
      logger,
      AuditAction.Read,
      { entityType: 'user', entityId: '*' },
      requestAttributes(request),
    );
    return reply.send(users.list());
  });
}
