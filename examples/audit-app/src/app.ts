// buildApp: the Fastify app with its routes and hooks, not listening — main.ts starts it, tests
// call `inject()`. Every log record goes through the OpenTelemetry `logger` it is given.

import type { Logger } from '@opentelemetry/api-logs';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { authenticate } from './auth.js';
import { InvoiceStore } from './invoices.js';
import { Lockout } from './lockout.js';
import type { LockoutOptions } from './lockout.js';
import { logOperational } from './operational-log.js';
import { CORRELATION_HEADER, correlationIdOf } from './request-context.js';
import { registerAdmin } from './routes/admin.js';
import { registerInvoices } from './routes/invoices.js';
import { registerLogin } from './routes/login.js';
import { SessionStore } from './sessions.js';
import { UserStore } from './users.js';

export interface AppOptions {
  /** Where every log record goes: security events and operational logs alike. */
  readonly logger: Logger;
  /** The user table. Default: the demo users alice (admin) and bob (clerk). */
  readonly users?: UserStore;
  /** The invoice store. Default: a new store, warmed with three sample invoices. */
  readonly invoices?: InvoiceStore;
  /** Lockout after failed sign-ins. Default: 3 failures within 15 minutes lock for 15 minutes. */
  readonly lockout?: LockoutOptions;
  /** How long a session lasts. Default 30 minutes. */
  readonly sessionTtlMs?: number;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /** Fastify's `trustProxy`: set it behind a reverse proxy so `client.address` is the real client. */
  readonly trustProxy?: boolean | string;
}

export function buildApp(options: AppOptions): FastifyInstance {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const users = options.users ?? new UserStore();
  const invoices = options.invoices ?? warmedInvoices(logger, now);
  const sessions = new SessionStore(options.sessionTtlMs);
  const lockout = new Lockout(options.lockout);

  const app = Fastify({
    // Logs go through OpenTelemetry, not Fastify's pino.
    logger: false,
    requestIdHeader: false,
    genReqId: correlationIdOf,
    trustProxy: options.trustProxy ?? false,
  });
  app.decorateRequest('principal', null);

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header(CORRELATION_HEADER, request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    logOperational(logger, status >= 500 ? 'ERROR' : 'INFO', 'request done', {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unknown',
      'http.response.status_code': status,
      duration_ms: reply.elapsedTime,
      'correlation.id': request.id,
    });
    done();
  });

  const auth = authenticate(sessions, now);
  registerLogin(app, { logger, users, sessions, lockout, now });
  registerInvoices(app, { logger, invoices, authenticate: auth });
  registerAdmin(app, { logger, users, authenticate: auth });
  return app;
}

function warmedInvoices(logger: Logger, now: () => number): InvoiceStore {
  const started = performance.now();
  const store = new InvoiceStore(now);
  const loaded = store.warm();
  logOperational(logger, 'INFO', 'invoice cache warmed', {
    'cache.entries': loaded,
    duration_ms: performance.now() - started,
  });
  return store;
}
