// Admin routes that open and close accounts: user_created when an admin opens one (with its role
// as its attribute), user_archived when an admin closes one. A closed account keeps its history;
// signing in with it is refused as account_disabled.

import type { SecurityEvents } from '@otel-sentinel/owasp';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { ROLES } from '../users.js';
import type { Role, UserStore } from '../users.js';

export interface AccountAdminDeps {
  readonly security: SecurityEvents;
  readonly users: UserStore;
  /** Authentication, then the admin role. */
  readonly adminOnly: readonly preValidationHookHandler[];
}

interface NewAccount {
  readonly id: string;
  readonly role: Role;
  readonly password: string;
}

const ID = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._@-]+$' } as const;

export function registerAccountAdmin(app: FastifyInstance, deps: AccountAdminDeps): void {
  const { security, users } = deps;
  const adminOnly = [...deps.adminOnly];
  const adminOf = (principal: { readonly userId: string } | null): string => principal?.userId ?? 'anonymous';

  app.post<{ Body: NewAccount }>(
    '/admin/users',
    {
      schema: {
        body: {
          type: 'object',
          required: ['id', 'role', 'password'],
          additionalProperties: false,
          properties: {
            id: ID,
            role: { type: 'string', enum: ROLES },
            password: { type: 'string', minLength: 12, maxLength: 256 },
          },
        },
      },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      const { id, role, password } = request.body;
      if (!(await users.add(id, role, password)))
        return reply.code(409).send({ error: 'the user id is taken' });
      security.userCreated({ userId: adminOf(request.principal), targetUserId: id, userAttributes: [role] });
      return reply.code(201).send({ id, role });
    },
  );

  app.post<{ Params: { readonly id: string } }>(
    '/admin/users/:id/archive',
    {
      schema: { params: { type: 'object', required: ['id'], properties: { id: ID } } },
      preValidation: adminOnly,
    },
    (request, reply) => {
      const target = request.params.id;
      if (!users.has(target)) return reply.code(404).send({ error: 'no such user' });
      if (users.archive(target))
        security.userArchived({ userId: adminOf(request.principal), targetUserId: target });
      return reply.send({ id: target, archived: true });
    },
  );
}
