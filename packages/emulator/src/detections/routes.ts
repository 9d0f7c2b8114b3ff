// The console's detection routes: the rules with their schedule and last run, an on-demand run,
// and the incidents with their alerts and the events behind them. The console guard (Host,
// JSON, same origin) runs before them as before every /console route.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { stringifyExactJson } from '@otel-sentinel/kql';
import { sendConsoleError } from '../console/console-error.js';
import { DetectionError } from './detection-error.js';
import type { Detections } from './detection-types.js';

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  // Longs beyond 2^53 in result rows are bigints: written with their exact digits.
  return reply
    .code(200)
    .header('content-type', 'application/json; charset=utf-8')
    .send(stringifyExactJson(body));
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function runRange(body: unknown): { start?: string; end?: string } | string {
  const range: { start?: string; end?: string } = {};
  for (const name of ['start', 'end'] as const) {
    const value = field(body, name);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') return `${name} must be an ISO 8601 UTC time such as 2026-12-01T10:00:00Z`;
    range[name] = value;
  }
  return range;
}

/** Registers `/console/api/rules`, `/console/api/rules/problems`, `/console/api/rules/:id/run` and `/console/api/incidents[/:number]`. */
export function detectionRoutes(app: FastifyInstance, detections: Detections): void {
  app.get('/console/api/rules', (_request, reply) => sendJson(reply, detections.rules()));
  // The rule files skipped at start-up, one line each (file:line:col and the field).
  app.get('/console/api/rules/problems', (_request, reply) => sendJson(reply, detections.problems));

  app.post('/console/api/rules/:id/run', (request: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const range = runRange(request.body);
    if (typeof range === 'string') return sendConsoleError(reply, 400, 'BadRange', range);
    try {
      const outcome = detections.runRule(request.params.id, range);
      return sendJson(reply, outcome);
    } catch (error: unknown) {
      if (!(error instanceof DetectionError)) throw error;
      const status = error.code === 'E_UNKNOWN_RULE' ? 404 : 400;
      return sendConsoleError(
        reply,
        status,
        error.code === 'E_UNKNOWN_RULE' ? 'UnknownRule' : 'BadRange',
        error.message,
      );
    }
  });

  app.get('/console/api/incidents', (_request, reply) => sendJson(reply, detections.incidents()));

  app.get(
    '/console/api/incidents/:number',
    (request: FastifyRequest<{ Params: { number: string } }>, reply) => {
      const n = Number(request.params.number);
      const detail = Number.isInteger(n) ? detections.incident(n) : undefined;
      if (detail === undefined)
        return sendConsoleError(
          reply,
          404,
          'UnknownIncident',
          `no incident has the number ${request.params.number}; GET /console/api/incidents lists them`,
        );
      return sendJson(reply, detail);
    },
  );
}
