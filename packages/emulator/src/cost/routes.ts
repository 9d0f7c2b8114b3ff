// The cost view's console API: the figures (GET /console/api/cost) and the operational volume
// reports of exporters and gateways (POST /console/api/operational-volume). The console guard
// (console/guard.ts) has already checked the Host, the content type and the origin.

import type { FastifyInstance } from 'fastify';
import { sendConsoleError } from '../console/console-error.js';
import type { CostView } from './cost-view.js';
import { OperationalReportError, readOperationalReport } from './operational-report.js';

export function costRoutes(app: FastifyInstance, cost: CostView): void {
  app.get('/console/api/cost', () => cost.summary());
  app.post('/console/api/operational-volume', (request, reply) => {
    try {
      cost.reportOperational(readOperationalReport(request.body));
    } catch (error) {
      if (!(error instanceof OperationalReportError)) throw error;
      const status = error.code === 'E_REPORT_SHRANK' ? 409 : 400;
      return sendConsoleError(reply, status, 'BadReport', error.message, {
        reason: error.code,
        ...(error.path !== undefined ? { field: error.path } : {}),
      });
    }
    return reply.code(202).send({ accepted: true });
  });
}
