// The Log Analytics query API: `POST|GET /v1/workspaces/{id}/query` and `POST /v1/$batch`,
// answering in the shape the Azure SDKs parse, with longs as JSON numbers of their exact digits.
// Two set-ups reach it (see the README): @azure/monitor-query-logs (JS) takes the full base URL,
// `endpoint: 'https://127.0.0.1:<port>/v1'`, and asks for `https://api.loganalytics.io/.default`;
// Python's azure-monitor-query takes the origin, `endpoint='https://127.0.0.1:<port>'`, appends
// `/v1` itself and asks for `<origin>/.default`. Tokens of either audience are accepted.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  KqlQueryError,
  runQuery,
  stringifyExactJson,
  ticksFromDate,
  type QuerySource,
} from '@otel-sentinel/kql';
import { isOwnOrigin } from '../entra/scopes.js';
import type { Catalog, TokenIssuer } from '../model.js';
import {
  badRequest,
  internalError,
  invalidToken,
  missingAuthorization,
  notBearer,
  queryFailed,
  workspaceNotFound,
  wrongAudience,
  type ApiResponse,
} from './responses.js';
import { parseTimespan, TimespanError, windowed } from './timespan.js';

export interface QueryRoutesDeps {
  readonly catalog: Catalog;
  /** Tables, their columns and their stored rows. */
  readonly store: QuerySource;
  readonly tokens: TokenIssuer;
  /** The clock for `now()`, `ago()` and lone-duration timespans. Default: `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * The emulator's origin once it listens: tokens for `<origin>/.default` (what Python's
   * `LogsQueryClient(endpoint=origin)` asks for) are accepted. Default: none.
   */
  readonly origin?: () => string;
}

/** Audiences of the query API (both public hosts, US Gov, China), compared without a trailing `/`. */
const AUDIENCES = [
  'https://api.loganalytics.io',
  'https://api.loganalytics.azure.com',
  'https://api.loganalytics.us',
  'https://api.loganalytics.azure.cn',
] as const;

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function normaliseAudience(audience: string): string {
  return audience
    .toLowerCase()
    .replace(/\/\.default$/, '')
    .replace(/\/+$/, '');
}

function authenticate(header: string | undefined, deps: QueryRoutesDeps): ApiResponse | undefined {
  if (header === undefined || header.trim() === '') return missingAuthorization();
  const match = BEARER.exec(header);
  const token = match?.[1];
  if (token === undefined) return notBearer();
  const claims = deps.tokens.verify(token);
  if (claims === undefined || claims.tenantId !== deps.catalog.tenantId) return invalidToken();
  const audience = normaliseAudience(claims.audience);
  const origin = deps.origin?.();
  const ownAudience = origin !== undefined && origin !== '' && isOwnOrigin(audience, origin);
  if (!ownAudience && !AUDIENCES.some((a) => a === audience))
    return wrongAudience(claims.audience, [
      ...AUDIENCES.map((a) => `${a}/`),
      ...(origin !== undefined && origin !== '' ? [`${origin}/`] : []),
    ]);
  return undefined;
}

function execute(workspaceId: string, query: unknown, timespan: unknown, deps: QueryRoutesDeps): ApiResponse {
  if (workspaceId.toLowerCase() !== deps.catalog.workspaceId.toLowerCase())
    return workspaceNotFound(workspaceId);
  if (typeof query !== 'string' || query.trim() === '')
    return badRequest("The request must carry a 'query' string");
  if (timespan !== undefined && timespan !== null && typeof timespan !== 'string') {
    return badRequest("'timespan' must be an ISO 8601 duration or interval string");
  }
  const now = (deps.now ?? (() => new Date()))();
  try {
    const source =
      typeof timespan === 'string' && timespan !== ''
        ? windowed(deps.store, parseTimespan(timespan, ticksFromDate(now)))
        : deps.store;
    return { status: 200, body: { tables: [runQuery(query, source, now)] } };
  } catch (error: unknown) {
    if (error instanceof KqlQueryError) return queryFailed(error);
    if (error instanceof TimespanError) return badRequest(error.message);
    return internalError(error);
  }
}

function send(reply: FastifyReply, response: ApiResponse): FastifyReply {
  // Serialised here: a long beyond 2^53 is a bigint, written with its exact digits, as the
  // service writes longs (JSON.stringify would throw on it).
  return reply
    .code(response.status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(stringifyExactJson(response.body));
}

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

interface BatchRequest {
  readonly id: unknown;
  readonly workspace: unknown;
  readonly body: unknown;
}

function batch(body: unknown, deps: QueryRoutesDeps): ApiResponse {
  const requests = field(body, 'requests');
  if (!Array.isArray(requests)) return badRequest("A batch must carry a 'requests' array");
  const responses = (requests as readonly unknown[]).map((raw) => {
    const request: BatchRequest = {
      id: field(raw, 'id'),
      workspace: field(raw, 'workspace'),
      body: field(raw, 'body'),
    };
    const workspace = typeof request.workspace === 'string' ? request.workspace : '';
    const result = execute(workspace, field(request.body, 'query'), field(request.body, 'timespan'), deps);
    return { id: request.id, status: result.status, body: result.body };
  });
  return { status: 200, body: { responses } };
}

/** Registers the query API on `app`. Every request needs a bearer token for the query API. */
export function queryRoutes(app: FastifyInstance, deps: QueryRoutesDeps): void {
  type WorkspaceRequest = FastifyRequest<{
    Params: { workspaceId: string };
    Querystring: Record<string, string | undefined>;
  }>;

  const guarded = (request: FastifyRequest, reply: FastifyReply, run: () => ApiResponse): FastifyReply => {
    const denied = authenticate(request.headers.authorization, deps);
    return send(reply, denied ?? run());
  };

  app.post('/v1/workspaces/:workspaceId/query', (request: WorkspaceRequest, reply) =>
    guarded(request, reply, () =>
      execute(
        request.params.workspaceId,
        field(request.body, 'query'),
        field(request.body, 'timespan'),
        deps,
      ),
    ),
  );
  app.get('/v1/workspaces/:workspaceId/query', (request: WorkspaceRequest, reply) =>
    guarded(request, reply, () =>
      execute(request.params.workspaceId, request.query['query'], request.query['timespan'], deps),
    ),
  );
  app.post('/v1/$batch', (request, reply) => guarded(request, reply, () => batch(request.body, deps)));
}
