// The console's query API: POST /console/api/query runs KQL as the Log Analytics query API does
// (same engine, same source, same timespan rules) and answers columns, rows and how to draw
// them; GET /console/api/schema and /console/api/tables describe what queries can read.

import {
  KqlQueryError,
  runQuery,
  stringifyExactJson,
  ticksFromDate,
  type QuerySource,
} from '@otel-sentinel/kql';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { parseTimespan, TimespanError, windowed } from '../query/timespan.js';
import { sendConsoleError } from './console-error.js';
import { engineSchema, schemaTables } from './engine-schema.js';
import { takeRender, visualizationOf } from './visualization.js';

export interface ConsoleQueryDeps {
  /** What queries read: the store's tables (with every lane's tables) and the workspace's functions. */
  readonly source: QuerySource;
  /** The workspace id, the schema's database name. */
  readonly workspaceId: string;
  /** The emulator's origin, the schema's cluster. */
  readonly origin: () => string;
  /** Rows stored in a table. */
  readonly count: (table: string) => number;
  /** The clock for `now()`, `ago()` and lone-duration timespans. */
  readonly now: () => Date;
  /** Where to report an unexpected failure (the reply says only that it happened). */
  readonly log?: (line: string) => void;
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  // Longs beyond 2^53 are bigints: written with their exact digits, as the query API writes them.
  return reply.header('content-type', 'application/json; charset=utf-8').send(stringifyExactJson(body));
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function runConsoleQuery(deps: ConsoleQueryDeps, body: unknown, reply: FastifyReply): FastifyReply {
  const query = field(body, 'query');
  const timespan = field(body, 'timespan');
  if (typeof query !== 'string' || query.trim() === '')
    return sendConsoleError(
      reply,
      400,
      'BadRequest',
      "The body must be { query: '<KQL>', timespan?: 'PT1H' }",
    );
  if (timespan !== undefined && timespan !== null && typeof timespan !== 'string')
    return sendConsoleError(reply, 400, 'BadTimespan', "'timespan' must be an ISO 8601 duration or interval");
  const now = deps.now();
  try {
    const { query: kql, render } = takeRender(query);
    const source =
      typeof timespan === 'string' && timespan !== ''
        ? windowed(deps.source, parseTimespan(timespan, ticksFromDate(now)))
        : deps.source;
    const table = runQuery(kql, source, now);
    const visualization = visualizationOf(kql, render, table.columns);
    return sendJson(reply, {
      columns: table.columns,
      rows: table.rows,
      ...(visualization !== undefined ? { visualization } : {}),
    });
  } catch (error: unknown) {
    if (error instanceof KqlQueryError) {
      const at = error.position;
      const details = at === undefined ? {} : { line: at.line, col: at.column };
      return sendConsoleError(reply, 400, 'BadQuery', error.message, details);
    }
    if (error instanceof TimespanError) return sendConsoleError(reply, 400, 'BadTimespan', error.message);
    deps.log?.(
      `console: the query failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    );
    return sendConsoleError(reply, 500, 'InternalError', 'The query failed inside the emulator; see its log');
  }
}

/** `POST /console/api/query`, `GET /console/api/schema`, `GET /console/api/tables`. */
export function queryRoutes(app: FastifyInstance, deps: ConsoleQueryDeps): void {
  app.post('/console/api/query', (request, reply) => runConsoleQuery(deps, request.body, reply));
  app.get('/console/api/schema', (_request, reply) =>
    sendJson(reply, engineSchema(deps.source, deps.workspaceId, deps.origin())),
  );
  app.get('/console/api/tables', (_request, reply) => {
    const tables = schemaTables(deps.source).map((t) => ({
      name: t.name,
      columns: t.columns,
      rows: rowCount(deps, t.name),
    }));
    const functions = [...(deps.source.functions?.() ?? [])]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((fn) => ({ name: fn.name, parameters: fn.parameters ?? '', body: fn.body }));
    return sendJson(reply, { tables, functions });
  });
}

/** Rows of a table: the store counts its own; a table only the query source knows is scanned. */
function rowCount(deps: ConsoleQueryDeps, table: string): number {
  try {
    return deps.count(table);
  } catch {
    let n = 0;
    for (const row of deps.source.scan(table)) if (typeof row === 'object') n++;
    return n;
  }
}
