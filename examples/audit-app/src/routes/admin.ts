// Admin routes, for admins only (anyone else gets 403 and authz_fail): the user list, role changes,
// lifting a lockout, and switching monitoring. Admin activity is recorded as authz_admin, except
// where a more specific event says who did what: sys_monitor_disabled and sys_monitor_enabled. A
// role change is both: authz_change for the account whose role changed, authz_admin for the admin.

import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { requireRole } from '../auth.js';
import type { Lockout } from '../lockout.js';
import { MONITORS } from '../monitors.js';
import type { Monitor, Monitors } from '../monitors.js';
import { ROLES } from '../users.js';
import type { Role, UserStore } from '../users.js';
import { registerAccountAdmin } from './admin-accounts.js';

export interface AdminDeps {
  readonly security: SecurityEvents;
  readonly users: UserStore;
  readonly lockout: Lockout;
  readonly monitors: Monitors;
  readonly authenticate: preValidationHookHandler;
  readonly now: () => number;
}

interface UserParams {
  readonly id: string;
}

const userParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' } },
} as const;

export function registerAdmin(app: FastifyInstance, deps: AdminDeps): void {
  const { security, users, lockout, monitors, authenticate, now } = deps;
  const adminOnly = [authenticate, requireRole('admin', security)];
  const adminOf = (principal: { readonly userId: string } | null): string => principal?.userId ?? 'anonymous';
  registerAccountAdmin(app, { security, users, adminOnly });

  app.get('/admin/users', { preValidation: adminOnly }, (request, reply) => {
    security.authzAdmin({ userId: adminOf(request.principal), adminEvent: 'user_list' });
    return reply.send(users.list());
  });

  app.put<{ Params: UserParams; Body: { readonly role: Role } }>(
    '/admin/users/:id/role',
    {
      schema: {
        params: userParams,
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: { role: { type: 'string', enum: ROLES } },
        },
      },
      preValidation: adminOnly,
    },
    (request, reply) => {
      const target = request.params.id;
      const toRole = request.body.role;
      const fromRole = users.setRole(target, toRole);
      if (fromRole === undefined) return reply.code(404).send({ error: 'no such user' });
      if (fromRole !== toRole) {
        security.authzChange({ userId: target, fromRole, toRole });
        security.authzAdmin({ userId: adminOf(request.principal), adminEvent: 'user_privilege_change' });
      }
      return reply.send({ id: target, role: toRole });
    },
  );

  app.post<{ Params: UserParams }>(
    '/admin/users/:id/unlock',
    { schema: { params: userParams }, preValidation: adminOnly },
    (request, reply) => {
      const wasLocked = lockout.unlock(request.params.id, now());
      if (wasLocked) security.authzAdmin({ userId: adminOf(request.principal), adminEvent: 'user_unlock' });
      return reply.send({ id: request.params.id, wasLocked });
    },
  );

  app.put<{ Params: { readonly monitor: Monitor }; Body: { readonly enabled: boolean } }>(
    '/admin/monitors/:monitor',
    {
      schema: {
        params: {
          type: 'object',
          required: ['monitor'],
          properties: { monitor: { type: 'string', enum: MONITORS } },
        },
        body: {
          type: 'object',
          required: ['enabled'],
          additionalProperties: false,
          properties: { enabled: { type: 'boolean' } },
        },
      },
      preValidation: adminOnly,
    },
    (request, reply) => {
      const { monitor } = request.params;
      const { enabled } = request.body;
      if (monitors.set(monitor, enabled)) {
        const args = { userId: adminOf(request.principal), monitor };
        if (enabled) security.sysMonitorEnabled(args);
        else security.sysMonitorDisabled(args);
      }
      return reply.send({ monitor, enabled });
    },
  );
}
