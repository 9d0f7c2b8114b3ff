// A Fastify plugin that opens a security context for each request. It works without the
// fastify-plugin package: the `skip-override` mark makes Fastify apply its hook to the whole app
// rather than to an encapsulated child. Typed structurally: the package never imports fastify.

import { runInRequestContext } from './request-capture.js';
import type { HttpRequestLike, SecurityContextOptions } from './request-capture.js';
import { defaultErrorHandler, OnceReporter } from './report.js';

/** The parts of a Fastify request the plugin reads. */
export type FastifyRequestLike = HttpRequestLike;

type HookDone = (error?: Error) => void;

/** The part of a Fastify instance the plugin uses. */
export interface FastifyInstanceLike {
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestLike, reply: unknown, done: HookDone) => void,
  ): unknown;
}

/** Options of `fastifySecurityContext` (`app.register(fastifySecurityContext, options)`). */
export type FastifySecurityContextOptions = SecurityContextOptions<FastifyRequestLike>;

/**
 * Captures each request's context (client address from `request.ip`, which follows Fastify's
 * `trustProxy` setting; user agent; method; path; host; correlation id; and the user and session
 * your callbacks return) in an `onRequest` hook that runs the rest of the request inside it.
 * Fastify itself carries the async context across body parsing (its content-type parser runs the
 * rest of the request in an AsyncResource), which the tests check with bodies sent in pieces.
 *
 * @example await app.register(fastifySecurityContext, { getUser: (req) => req.headers['x-user'] })
 */
export const fastifySecurityContext = Object.assign(
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify takes plugins as async functions or callbacks.
  async function fastifySecurityContext(
    instance: FastifyInstanceLike,
    options: FastifySecurityContextOptions = {},
  ): Promise<void> {
    const reporter = new OnceReporter(options.onError ?? defaultErrorHandler());
    instance.addHook('onRequest', (request, _reply, done) => {
      runInRequestContext(request, request.url, options, reporter, done);
    });
  },
  {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: '@otel-sentinel/owasp',
  },
);
