// The HTTP(S) server: POST /v1/logs (authenticated when a secret is set), /healthz, /readyz and
// /metrics (open: they reveal counts only), 404 and 405 for anything else. Every error is an
// answer in the request's format; nothing a client sends can stop the server.

import type { Server as HttpsServer } from 'node:https';
import fastify from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ExportHandler } from '../export-handler.js';
import type { GatewayCounters } from '../gateway-counters.js';
import type { LogLimiter } from '../log-limiter.js';
import type { ReadinessReport } from '../readiness.js';
import { grpcCodeFor } from '../status-codes.js';
import { CONTENT_TYPES, encodeStatus } from '../otlp/index.js';
import type { InboundAuth } from './inbound-auth.js';
import { encodingOf, errorFormatOf, formatOf, registerOtlpParsers } from './otlp-body.js';

export const LOGS_PATH = '/v1/logs';

/** Methods each known path takes, for 405's `Allow`. */
const ALLOWED: ReadonlyMap<string, string> = new Map([
  [LOGS_PATH, 'POST'],
  ['/healthz', 'GET, HEAD'],
  ['/readyz', 'GET, HEAD'],
  ['/metrics', 'GET, HEAD'],
]);

export interface ServerDeps {
  readonly tls: { readonly cert: string | Buffer; readonly key: string | Buffer } | undefined;
  readonly maxBodyBytes: number;
  readonly handler: ExportHandler;
  readonly auth: InboundAuth;
  readonly counters: GatewayCounters;
  readonly readiness: () => ReadinessReport;
  readonly metrics: { readonly contentType: string; render(): Promise<string> };
  readonly log: LogLimiter;
  /** True once close() has begun: answers then tell clients to close their connection. */
  readonly closing: () => boolean;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function sendStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  message: string,
): FastifyReply {
  const format = errorFormatOf(request.headers['content-type']);
  return reply
    .code(status)
    .header('content-type', CONTENT_TYPES[format])
    .send(Buffer.from(encodeStatus(format, grpcCodeFor(status), message)));
}

/** The message of an error fastify (or a parser) raised; never quotes the body or a header value. */
function messageOf(
  error: FastifyError,
  status: number,
  request: FastifyRequest,
  maxBodyBytes: number,
): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the request body is larger than ${maxBodyBytes} bytes (maxBodyBytes); send smaller batches`;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Content-Type ${request.headers['content-type'] === undefined ? '(none)' : 'of this request'} is not supported; send application/x-protobuf or application/json`;
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return 'the body length does not match Content-Length';
    default:
      if (error instanceof Error && error.name === 'HttpError') return error.message;
      return status >= 500 ? 'internal error' : 'bad request';
  }
}

export function buildServer(deps: ServerDeps): FastifyInstance<HttpsServer> {
  const app = fastify<HttpsServer>({
    https: deps.tls === undefined ? null : { cert: deps.tls.cert, key: deps.tls.key },
    logger: false,
    bodyLimit: deps.maxBodyBytes,
    // A client that opens a request and never finishes it does not hold a socket for ever.
    requestTimeout: 120_000,
    return503OnClosing: true,
  });
  registerOtlpParsers(app, deps.maxBodyBytes);
  registerErrorAnswers(app, deps);
  // A keep-alive connection would otherwise hold close() until the client's idle timeout.
  app.addHook('onSend', async (_request, reply) => {
    if (deps.closing()) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    if (pathOf(request.url) === LOGS_PATH)
      deps.counters.response(reply.statusCode, formatOf(request.headers['content-type']) ?? 'unknown');
  });

  registerLogsRoute(app, deps);
  registerProbes(app, deps);
  return app;
}

/** Errors, unknown paths and wrong methods, answered in the OTLP way (before any body is read). */
function registerErrorAnswers(app: FastifyInstance<HttpsServer>, deps: ServerDeps): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode <= 599
        ? error.statusCode
        : 500;
    if (status >= 500)
      deps.log.line(
        `internal:${error.name}`,
        `internal error on ${request.method} ${pathOf(request.url)} (${error.name}); answered ${status}`,
      );
    return sendStatus(request, reply, status, messageOf(error, status, request, deps.maxBodyBytes));
  });

  // Unknown paths and wrong methods are answered before any body is read.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = pathOf(request.url);
    const allowed = ALLOWED.get(path);
    if (allowed === undefined)
      return sendStatus(request, reply, 404, `no such path: the OTLP logs path is ${LOGS_PATH}`);
    reply.header('allow', allowed);
    return sendStatus(request, reply, 405, `${request.method} is not allowed on ${path}; use ${allowed}`);
  });
  app.setNotFoundHandler((request, reply) => sendStatus(request, reply, 404, 'no such path'));
}

/** `POST /v1/logs`: credentials and encoding first, then the body to the export handler. */
function registerLogsRoute(app: FastifyInstance<HttpsServer>, deps: ServerDeps): void {
  app.post(
    LOGS_PATH,
    {
      onRequest: async (request, reply) => {
        if (!deps.auth.allows(request.headers)) {
          reply.header('www-authenticate', 'Bearer');
          return sendStatus(
            request,
            reply,
            401,
            'missing or wrong credentials: send Authorization: Bearer <token> or x-api-key: <key>',
          );
        }
        if (encodingOf(request.headers['content-encoding']) === undefined)
          return sendStatus(
            request,
            reply,
            415,
            'Content-Encoding is not supported; send gzip or no encoding',
          );
        return undefined;
      },
    },
    async (request, reply) => {
      const format = formatOf(request.headers['content-type']);
      if (format === undefined || !(request.body instanceof Uint8Array))
        return sendStatus(
          request,
          reply,
          415,
          'Content-Type is missing; send application/x-protobuf or application/json',
        );
      const answer = await deps.handler.handle(request.body, format);
      reply.code(answer.status).header('content-type', CONTENT_TYPES[format]);
      if (answer.retryAfterSeconds !== undefined)
        reply.header('retry-after', String(answer.retryAfterSeconds));
      return reply.send(Buffer.from(answer.body.buffer, answer.body.byteOffset, answer.body.byteLength));
    },
  );
}

/** `/healthz`, `/readyz` and `/metrics`. */
function registerProbes(app: FastifyInstance<HttpsServer>, deps: ServerDeps): void {
  app.get('/healthz', async (_request, reply) => reply.code(200).send({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const report = deps.readiness();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) =>
    reply
      .code(200)
      .header('content-type', deps.metrics.contentType)
      .send(await deps.metrics.render()),
  );
}
