// The Logs Ingestion endpoint: POST /dataCollectionRules/{immutableId}/streams/{stream}. Checks
// run in the order below, each answering the service's error shape; rows that pass are typed,
// transformed and stored, and the answer is 204.

import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FaultRule } from '../model.js';
import { authenticate } from './auth.js';
import { compileCatalog } from './compile-catalog.js';
import type { IngestionError } from './error-responses.js';
import { errorBody, ingestionErrors, SUPPORTED_API_VERSIONS } from './error-responses.js';
import type { IngestionDeps, IngestionLimits } from './ingestion-options.js';
import { resolveLimits } from './ingestion-options.js';
import { SlidingMinuteLimiter } from './rate-limiter.js';
import { decodeBody, parseItems } from './request-body.js';
import { runStream } from './stream-pipeline.js';
import type { CompiledStream } from './stream-pipeline.js';
import { ValueCounts } from './value-counts.js';

export const INGESTION_ROUTE = '/dataCollectionRules/:dcr/streams/:stream';

interface RouteTypes {
  Params: { dcr: string; stream: string };
}

/**
 * Registers the ingestion endpoint in a scope of its own (its body parser reads raw bytes and
 * must not replace the app's JSON parser). Compiles every data flow and ensures every output
 * table now, so a bad transform or catalog stops start-up.
 */
export function ingestionRoutes(app: FastifyInstance, deps: IngestionDeps): void {
  const endpoint = new IngestionEndpoint(deps);
  void app.register((scope, _options, done) => {
    endpoint.register(scope);
    done();
  });
}

/** A step that already answered (or dropped the connection, `undefined`): the handler stops. */
interface Answered {
  readonly answered: FastifyReply | undefined;
}

/** Where the rows of an admitted request go, and when it was admitted. */
interface Admitted {
  readonly dcrId: string;
  readonly stream: CompiledStream;
  readonly nowMs: number;
}

class IngestionEndpoint {
  private readonly limits: Required<IngestionLimits>;
  private readonly strict: boolean;
  private readonly now: () => Date;
  private readonly log: ((line: string) => void) | undefined;
  private readonly dcrs: ReturnType<typeof compileCatalog>;
  private readonly valueCounts: ValueCounts;
  private readonly limiter: SlidingMinuteLimiter;
  /** What the log line adds after the status, per request. */
  private readonly outcomes = new WeakMap<object, string>();

  constructor(private readonly deps: IngestionDeps) {
    this.limits = resolveLimits(deps.limits);
    this.strict = deps.strict ?? false;
    this.now = deps.now ?? (() => new Date());
    this.log = deps.log;
    this.dcrs = compileCatalog(deps);
    this.valueCounts = deps.valueCounts ?? new ValueCounts();
    this.limiter = new SlidingMinuteLimiter(this.limits.requestsPerMinute, this.limits.bytesPerMinute);
  }

  /** The body parser, request id, error and log hooks, and the routes, in the endpoint's scope. */
  register(scope: FastifyInstance): void {
    const { limits, log } = this;
    scope.removeAllContentTypeParsers();
    // Every content type (and none) arrives as raw bytes; the handler decides what it accepts.
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: limits.maxBodyBytes },
      (_request, body, parsed) => {
        parsed(null, body);
      },
    );
    scope.addHook('onRequest', (request, reply, next) => {
      reply.header('x-ms-request-id', randomUUID());
      const clientRequestId = request.headers['x-ms-client-request-id'];
      if (typeof clientRequestId === 'string') reply.header('x-ms-client-request-id', clientRequestId);
      next();
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return this.fail(request, reply, ingestionErrors.tooLarge(limits.maxBodyBytes));
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return this.fail(request, reply, { status, code: 'BadRequest', message: error.message });
      }
      log?.(`ingestion ${request.method} ${pathOf(request.url)} failed: ${error.message}`);
      return this.fail(request, reply, ingestionErrors.internal());
    });
    if (log) {
      scope.addHook('onResponse', (request, reply, next) => {
        const parts = [`ingestion ${request.method} ${pathOf(request.url)} ${reply.statusCode}`];
        const outcome = this.outcomes.get(request.raw);
        if (outcome !== undefined) parts.push(outcome);
        parts.push(`${Math.round(reply.elapsedTime)}ms`);
        log(parts.join(' '));
        next();
      });
    }
    scope.post<RouteTypes>(INGESTION_ROUTE, { bodyLimit: limits.maxBodyBytes }, this.handle);
    scope.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url: INGESTION_ROUTE,
      handler: (request, reply) =>
        this.fail(request, reply, ingestionErrors.methodNotAllowed(request.method)),
    });
  }

  /** Answers with the service's error shape and headers, and notes the outcome for the log. */
  private readonly fail = (
    request: FastifyRequest,
    reply: FastifyReply,
    e: IngestionError,
    outcome = e.code,
  ): FastifyReply => {
    this.outcomes.set(request.raw, outcome);
    reply
      .code(e.status)
      .header('x-ms-error-code', e.code)
      .header('content-type', 'application/json; charset=utf-8');
    if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds));
    if (e.wwwAuthenticate !== undefined) reply.header('www-authenticate', e.wwwAuthenticate);
    if (e.allow !== undefined) reply.header('allow', e.allow);
    return reply.send(errorBody(e));
  };

  /** The checks in the order the service makes them; the first that fails answers. */
  private readonly handle = async (
    request: FastifyRequest<RouteTypes>,
    reply: FastifyReply,
  ): Promise<FastifyReply | undefined> => {
    const faulted = await this.injectFault(request, reply);
    if (faulted !== undefined) return faulted.answered;
    const admitted = this.admit(request, reply);
    if ('answered' in admitted) return admitted.answered;
    const read = await this.readItems(request, reply, admitted);
    if ('answered' in read) return read.answered;
    return this.store(request, reply, admitted, read.items, read.bodyBytes);
  };

  /** An injected fault for this path: a reset, an error answer, or a delay before the rest. */
  private async injectFault(
    request: FastifyRequest<RouteTypes>,
    reply: FastifyReply,
  ): Promise<Answered | undefined> {
    const path = pathOf(request.url);
    const fault = this.deps.faults.take(path);
    if (!fault) return undefined;
    if (fault.kind === 'reset') {
      this.log?.(`ingestion ${request.method} ${path} reset (injected fault)`);
      resetConnection(request, reply);
      return { answered: undefined };
    }
    if (fault.kind === 'delay') await sleep(fault.delayMs ?? 0, undefined, { ref: false });
    else return { answered: this.fail(request, reply, injected(fault)) };
    return undefined;
  }

  /** API version, token, DCR, client, stream and the request rate, in that order. */
  private admit(request: FastifyRequest<RouteTypes>, reply: FastifyReply): Admitted | Answered {
    const { deps } = this;
    const fail = (e: IngestionError): Answered => ({ answered: this.fail(request, reply, e) });
    const apiVersion = apiVersionOf(request.raw.url ?? request.url);
    if (apiVersion === undefined) return fail(ingestionErrors.missingApiVersion());
    if (!SUPPORTED_API_VERSIONS.includes(apiVersion)) {
      return fail(ingestionErrors.unsupportedApiVersion(apiVersion));
    }

    const nowMs = this.now().getTime();
    const claims = authenticate(request.headers.authorization, deps.tokens, deps.catalog.tenantId, nowMs);
    if (typeof claims === 'string') {
      const authority = `https://${request.headers.host ?? '127.0.0.1'}/${deps.catalog.tenantId}`;
      const withToken = request.headers.authorization !== undefined && request.headers.authorization !== '';
      return fail(ingestionErrors.unauthenticated(claims, authority, withToken));
    }

    const { dcr: dcrId, stream: streamName } = request.params;
    const entry = this.dcrs.get(dcrId);
    if (!entry) return fail(ingestionErrors.unknownDcr(dcrId));
    if (!entry.dcr.allowedClients.has(claims.clientId)) return fail(ingestionErrors.forbidden(dcrId));
    const stream = entry.streams.get(streamName);
    if (!stream) return fail(ingestionErrors.unknownStream(streamName, dcrId, [...entry.streams.keys()]));

    const requestWait = this.limiter.admitRequest(dcrId, nowMs);
    if (requestWait > 0) return fail(ingestionErrors.throttled('requests-per-minute', dcrId, requestWait));
    return { dcrId, stream, nowMs };
  }

  /** Media type, decoding, the byte rate and the JSON array of items, in that order. */
  private async readItems(
    request: FastifyRequest<RouteTypes>,
    reply: FastifyReply,
    { dcrId, nowMs }: Admitted,
  ): Promise<{ readonly items: readonly Record<string, unknown>[]; readonly bodyBytes: number } | Answered> {
    const fail = (e: IngestionError): Answered => ({ answered: this.fail(request, reply, e) });
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && mediaType(contentType) !== 'application/json') {
      return fail(ingestionErrors.unsupportedMediaType(mediaType(contentType)));
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const encoding = request.headers['content-encoding'];
    const body = await decodeBody(
      raw,
      typeof encoding === 'string' ? encoding : undefined,
      this.limits.maxBodyBytes,
    );
    if (!Buffer.isBuffer(body)) return fail(body);
    const bytesWait = this.limiter.admitBytes(dcrId, body.length, nowMs);
    if (bytesWait > 0) return fail(ingestionErrors.throttled('bytes-per-minute', dcrId, bytesWait));
    const items = parseItems(body);
    if (!Array.isArray(items)) return fail(items as IngestionError);
    return { items, bodyBytes: body.length };
  }

  /** Types, transforms and stores the rows (strict mode: refuses them all if any value changed). */
  private store(
    request: FastifyRequest<RouteTypes>,
    reply: FastifyReply,
    { stream, nowMs }: Admitted,
    items: readonly Record<string, unknown>[],
    bodyBytes: number,
  ): FastifyReply {
    const { limits, strict, deps } = this;
    const receivedAt = new Date(nowMs);
    const run = runStream(stream, items, receivedAt, {
      maxFieldBytes: limits.maxFieldBytes,
      checkSizes: bodyBytes > limits.maxFieldBytes,
      strict,
    });
    const counts =
      `dropped=${run.dropped} mistyped=${run.mistyped} truncated=${run.truncated} filtered=${run.filtered}` +
      (run.timeReplaced > 0 ? ` timeReplaced=${run.timeReplaced}` : '');
    if (strict && run.issueCount > 0) {
      const e = ingestionErrors.strict(run.issues, run.issueCount);
      return this.fail(
        request,
        reply,
        e,
        `${e.code} items=${items.length} ${counts}: ${run.issues.map((d) => d.message).join('; ')}`,
      );
    }
    for (const [table, rows] of run.batches) if (rows.length > 0) deps.store.insert(table, rows, receivedAt);
    this.valueCounts.merge(run.values);
    // Per column and reason, never a value: what GET /admin/value-counts adds up.
    const changed = run.values.size > 0 ? `; values not stored as sent: ${run.values.summary()}` : '';
    this.outcomes.set(request.raw, `rows=${run.rows} items=${items.length} ${counts}${changed}`);
    return reply.code(204).send();
  }
}

function injected(fault: FaultRule): IngestionError {
  switch (fault.kind) {
    case 'throttle':
      return ingestionErrors.injected(429, fault.seconds ?? 1);
    case 'throttle-no-retry-after':
      return ingestionErrors.injected(429, undefined);
    case 'error-503':
      return ingestionErrors.injected(503, fault.seconds);
    default:
      return ingestionErrors.injected(500, undefined);
  }
}

/**
 * Drops the connection without a response: a TCP reset on a plain socket; a TLS socket has no
 * TCP handle to reset, so it is destroyed, which the client sees as ECONNRESET (socket hang up).
 */
function resetConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const socket = request.raw.socket as Partial<Socket> | null;
  try {
    if (socket?.resetAndDestroy) {
      socket.resetAndDestroy();
      return;
    }
  } catch {
    // ERR_INVALID_HANDLE_TYPE on TLS: fall through to a plain destroy.
  }
  reply.raw.destroy();
}

/** The SDK sends `api%2Dversion`; URLSearchParams decodes keys as well as values. */
function apiVersionOf(url: string): string | undefined {
  const q = url.indexOf('?');
  if (q === -1) return undefined;
  return new URLSearchParams(url.slice(q + 1)).get('api-version') ?? undefined;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function mediaType(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}
