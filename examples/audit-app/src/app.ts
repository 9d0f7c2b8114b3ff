// buildApp: the Fastify app with its routes and hooks, not listening — main.ts starts it, tests
// call `inject()`. Security events come from @otel-sentinel/owasp's helpers, which take who and
// where from the request context its Fastify plugin captures; operational logs go through the same
// OpenTelemetry `logger`, without the security flag.

import type { Logger } from '@opentelemetry/api-logs';
import { createSecurityEvents, fastifySecurityContext, getSecurityContext } from '@otel-sentinel/owasp';
import Fastify from 'fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { limitRate, notFound, refuseAttackTools } from './abuse-hooks.js';
import { ApiTokenStore } from './api-tokens.js';
import { Authenticator } from './auth.js';
import { RequestCountry } from './geo-country.js';
import { TravelCheck } from './guards/impossible-travel.js';
import type { TravelOptions } from './guards/impossible-travel.js';
import { NotFoundWatch } from './guards/not-found-watch.js';
import type { NotFoundWatchOptions } from './guards/not-found-watch.js';
import { RateLimiter } from './guards/rate-limiter.js';
import type { RateLimitOptions } from './guards/rate-limiter.js';
import { InvoiceStore } from './invoices.js';
import { Lockout } from './lockout.js';
import type { LockoutOptions } from './lockout.js';
import { Monitors } from './monitors.js';
import { logOperational } from './operational-log.js';
import { registerAdmin } from './routes/admin.js';
import { registerInvoices } from './routes/invoices.js';
import { registerLogin } from './routes/login.js';
import { registerTokens } from './routes/tokens.js';
import { SessionStore } from './sessions.js';
import type { SessionOptions } from './sessions.js';
import { UserStore } from './users.js';

/** The response header that carries the request's correlation id (the caller's, or a new one). */
export const CORRELATION_HEADER = 'x-correlation-id';

/** The header the edge (CDN, front door) sets to the client's region, e.g. `US-OR`; read only behind a trusted proxy. */
export const REGION_HEADER = 'x-client-region';

// ISO 3166-1 country, optionally with a subdivision: `NL`, `US-OR`, `CN-SH`.
const REGION = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

export interface AppOptions {
  /** Where every log record goes: security events and operational logs alike. */
  readonly logger: Logger;
  /**
   * The HMAC-SHA-256 key that turns session ids into `SessionHash`: the same key everywhere, kept
   * secret and stable (`OTEL_SENTINEL_HASH_KEY` in main.ts). Required, never empty.
   */
  readonly hashKey: string;
  /** The user table. Default: the demo users (alice is an admin, the others clerks). */
  readonly users?: UserStore;
  /** The invoice store. Default: a new store, warmed with three sample invoices. */
  readonly invoices?: InvoiceStore;
  /** Lockout after failed sign-ins. Default: 3 failures within 15 minutes lock for 15 minutes. */
  readonly lockout?: LockoutOptions;
  /** Session lifetime and how long ended sessions are remembered. Default 30 minutes, 24 hours. */
  readonly sessions?: SessionOptions;
  /** The API rate limit per user. Default 20 requests per 10 seconds. */
  readonly rateLimit?: RateLimitOptions;
  /** When 404s make a report. Default 20 per client address within a minute. */
  readonly notFound?: NotFoundWatchOptions;
  /** Impossible travel. Default: two regions within 2 hours. */
  readonly travel?: TravelOptions;
  /** The clock, in ms since the epoch. Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Fastify's `trustProxy`: set it behind a reverse proxy so `client.address` is the real client
   * (`true`, or the proxies' addresses, e.g. `'loopback'`). The region header is read only then.
   */
  readonly trustProxy?: boolean | string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The id every record of this request carries: the caller's `x-correlation-id`, or a new one. */
    correlationId: string;
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { logger } = options;
  if (options.hashKey === '')
    throw new RangeError('hashKey must not be empty: session ids would go unhashed');
  const now = options.now ?? Date.now;
  const trustProxy = options.trustProxy ?? false;
  const country = new RequestCountry();
  const security = createSecurityEvents({ logger: country.stamp(logger), hashKey: options.hashKey });
  const users = options.users ?? new UserStore();
  const invoices = options.invoices ?? warmedInvoices(logger, now);
  const sessions = new SessionStore(options.sessions);
  const tokens = new ApiTokenStore();
  const lockout = new Lockout(options.lockout);
  const monitors = new Monitors();
  const auth = new Authenticator({ sessions, tokens, users, security, now });
  const rateLimit = limitRate(new RateLimiter(options.rateLimit), security, now);
  const regionOf = (request: FastifyRequest): string | undefined => {
    const region = request.headers[REGION_HEADER];
    return trustProxy !== false && typeof region === 'string' && REGION.test(region) ? region : undefined;
  };

  // Logs go through OpenTelemetry, not Fastify's pino.
  const app = Fastify({ logger: false, trustProxy });
  // First: every later hook, handler and security event runs inside the request's context.
  await app.register(fastifySecurityContext, {
    getUser: (request: FastifyRequest) => auth.userOf(request),
    getSessionId: (request: FastifyRequest) => auth.sessionIdOf(request),
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('correlationId', '');

  app.addHook('onRequest', (request, reply, done) => {
    request.correlationId = getSecurityContext()?.correlationId ?? request.id;
    void reply.header(CORRELATION_HEADER, request.correlationId);
    done();
  });
  app.addHook('onRequest', country.hook(regionOf));
  app.addHook('onRequest', refuseAttackTools(security));
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    logOperational(logger, status >= 500 ? 'ERROR' : 'INFO', 'request done', {
      'http.request.method': request.method,
      'http.route': request.routeOptions.url ?? 'unknown',
      'http.response.status_code': status,
      duration_ms: reply.elapsedTime,
      'correlation.id': request.correlationId,
    });
    done();
  });
  app.setNotFoundHandler(notFound(new NotFoundWatch(options.notFound), security, now));

  const authenticate = auth.hook();
  const authenticateRead = auth.hook({ tokens: true });
  const travel = new TravelCheck(options.travel);
  registerLogin(app, { logger, security, users, sessions, lockout, travel, regionOf, authenticate, now });
  registerInvoices(app, { logger, security, invoices, monitors, authenticate, authenticateRead, rateLimit });
  registerTokens(app, { security, tokens, authenticate, rateLimit, now });
  registerAdmin(app, { security, users, lockout, monitors, authenticate, now });
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
