// The console's automation API: the targets, the delivery log, one delivery with its payload,
// and redelivery. The console guard (console/guard.ts) has checked Host, content type and
// Origin before any of these runs.

import type { FastifyInstance } from 'fastify';
import { sendConsoleError } from '../console/console-error.js';
import { AutomationError } from './automation-error.js';
import type { EmulatorAutomation } from './automation.js';

export function automationRoutes(app: FastifyInstance, automation: EmulatorAutomation): void {
  app.get('/console/api/automation', (_request, reply) => reply.send({ targets: automation.targets() }));

  app.get('/console/api/deliveries', (_request, reply) => reply.send(automation.deliveries()));

  app.get<{ Params: { id: string } }>('/console/api/deliveries/:id', (request, reply) => {
    const d = automation.delivery(request.params.id);
    if (d === undefined) {
      return sendConsoleError(
        reply,
        404,
        'E_UNKNOWN_DELIVERY',
        `no delivery has the id ${request.params.id}`,
      );
    }
    return reply.send(d);
  });

  app.post<{ Params: { id: string } }>('/console/api/deliveries/:id/redeliver', (request, reply) => {
    try {
      return reply.code(202).send(automation.redeliver(request.params.id));
    } catch (e) {
      if (e instanceof AutomationError) return sendConsoleError(reply, e.httpStatus, e.code, e.message);
      throw e;
    }
  });
}
