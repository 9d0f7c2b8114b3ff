// Express middleware that opens a security context for each request and runs the rest of the
// request inside it. Typed structurally: the package never imports express.

import { runInRequestContext } from './request-capture.js';
import type { HttpRequestLike, SecurityContextOptions } from './request-capture.js';
import { defaultErrorHandler, OnceReporter } from './report.js';

/** The parts of an Express request the middleware reads. */
export interface ExpressRequestLike extends HttpRequestLike {
  /** The URL as received, before any router mount point was removed from `url`. */
  readonly originalUrl?: string | undefined;
}

/** An Express middleware (`app.use(...)`). */
export type ExpressSecurityContextMiddleware = (
  request: ExpressRequestLike,
  response: unknown,
  next: (error?: unknown) => void,
) => void;

/** Options of `securityContextMiddleware`. */
export type ExpressSecurityContextOptions = SecurityContextOptions<ExpressRequestLike>;

/**
 * A middleware that captures each request's context (client address from `req.ip`, which follows
 * Express's `trust proxy` setting; user agent; method; path; host; correlation id; and the user and
 * session your callbacks return) and runs the rest of the request inside it. Register it before
 * the routes whose events should carry the context.
 *
 * @example app.use(securityContextMiddleware({ getSessionId: (req) => req.cookies?.sid }))
 */
export function securityContextMiddleware(
  options: ExpressSecurityContextOptions = {},
): ExpressSecurityContextMiddleware {
  const reporter = new OnceReporter(options.onError ?? defaultErrorHandler());
  return function securityContext(request, _response, next) {
    runInRequestContext(request, request.originalUrl ?? request.url, options, reporter, next);
  };
}
