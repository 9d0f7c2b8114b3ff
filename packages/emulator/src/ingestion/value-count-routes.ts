// The value-count admin API: GET /admin/value-counts lists, per table (or input stream), column
// and reason, how many values the emulator stored as null, converted, truncated, replaced or
// dropped since start-up; DELETE resets them. Loopback-only, and never part of Azure's API.

import type { FastifyInstance } from 'fastify';
import type { ValueCounts } from './value-counts.js';

export function valueCountRoutes(app: FastifyInstance, counts: ValueCounts): void {
  app.get('/admin/value-counts', (_request, reply) => reply.send({ counts: counts.list() }));
  app.delete('/admin/value-counts', (_request, reply) => {
    counts.clear();
    return reply.code(204).send();
  });
}
