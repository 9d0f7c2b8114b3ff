// What the Express middleware and the Fastify plugin capture from a request, once, at its start:
// the client address (as the framework resolved it, trust-proxy included), user agent, method,
// path without the query string (query strings carry tokens), host without the port, a
// correlation id, and the user and session the app's own callbacks name.

import { randomUUID } from 'node:crypto';

import { createStore, runInStore } from './context.js';
import type { ContextStore, SecurityContextFields } from './context.js';
import { ContextCaptureError } from './errors.js';
import type { SecurityErrorHandler } from './options.js';
import type { OnceReporter } from './report.js';

type HeaderValue = string | readonly string[] | undefined;

/** The parts of an incoming request (Express's or Fastify's) the capture reads. */
export interface HttpRequestLike {
  /** The client address as the framework resolved it: behind a proxy, only as its trust-proxy setting allows. */
  readonly ip?: string | undefined;
  readonly method?: string | undefined;
  /** The request target, e.g. `/login?next=%2F`; only its path is kept. */
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>>;
}

/** Options both the Express middleware and the Fastify plugin take. */
export interface SecurityContextOptions<Req> {
  /**
   * The authenticated user of a request, if it is known when the request starts (a session
   * cookie, an API key); otherwise call `setSecurityUser` after authentication. Default: none.
   *
   * @example getUser: (req) => req.session?.userId
   */
  getUser?(request: Req): string | undefined;
  /**
   * The request's session id; it is sealed at once and only its keyed hash (`owasp.session_hash`)
   * is ever emitted. Default: none.
   *
   * @example getSessionId: (req) => req.cookies?.sid
   */
  getSessionId?(request: Req): string | undefined;
  /**
   * Called when `getUser` or `getSessionId` throws (once for each); the request goes on without
   * that field. Default: OpenTelemetry `diag.warn`, else one `console.warn`.
   */
  readonly onError?: SecurityErrorHandler;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}(?:-|$)/;
const ZERO_TRACE_ID = '0'.repeat(32);

/**
 * Runs `next` inside a fresh context captured from `request`, or, should capturing fail (a request
 * object of an unexpected shape), reports it once and runs `next` without one: a request never
 * fails because of its security context.
 */
export function runInRequestContext<Req extends HttpRequestLike>(
  request: Req,
  url: string | undefined,
  options: SecurityContextOptions<Req>,
  reporter: OnceReporter,
  next: () => void,
): void {
  let store: ContextStore;
  try {
    store = captureRequest(request, url, options, reporter);
  } catch (error) {
    reporter.report('capture', () => new ContextCaptureError('capturing the request', error));
    next();
    return;
  }
  runInStore(store, next);
}

/** A fresh request context for `request`; `url` is the request target to take the path from. */
export function captureRequest<Req extends HttpRequestLike>(
  request: Req,
  url: string | undefined,
  options: SecurityContextOptions<Req>,
  reporter: OnceReporter,
): ContextStore {
  const headers = request.headers;
  const fields: { -readonly [K in keyof SecurityContextFields]: SecurityContextFields[K] } = {
    correlationId: correlationIdOf(headers),
  };
  if (typeof request.ip === 'string' && request.ip !== '') fields.clientAddress = request.ip;
  const userAgent = headerOf(headers, 'user-agent');
  if (userAgent !== undefined) fields.userAgent = userAgent;
  if (typeof request.method === 'string') fields.method = request.method;
  if (typeof url === 'string') fields.path = pathOf(url);
  const host = hostOf(headers);
  if (host !== undefined) fields.host = host;
  const userId = ask(options, 'getUser', request, reporter);
  if (userId !== undefined) fields.userId = userId;
  const sessionId = ask(options, 'getSessionId', request, reporter);
  if (sessionId !== undefined) fields.sessionId = sessionId;
  return createStore(fields);
}

function ask<Req>(
  options: SecurityContextOptions<Req>,
  name: 'getUser' | 'getSessionId',
  request: Req,
  reporter: OnceReporter,
): string | undefined {
  try {
    const value: unknown = name === 'getUser' ? options.getUser?.(request) : options.getSessionId?.(request);
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch (error) {
    reporter.report(name, () => new ContextCaptureError(name, error));
    return undefined;
  }
}

/** The first non-empty value of a header, trimmed. */
export function headerOf(headers: Readonly<Record<string, HeaderValue>>, name: string): string | undefined {
  const raw = headers[name];
  const value = typeof raw === 'string' ? raw : raw?.[0];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** `x-correlation-id`, else `x-request-id`, else the `traceparent` trace id, else a new UUID. */
export function correlationIdOf(headers: Readonly<Record<string, HeaderValue>>): string {
  const given = headerOf(headers, 'x-correlation-id') ?? headerOf(headers, 'x-request-id');
  if (given !== undefined) return given;
  const traceparent = headerOf(headers, 'traceparent');
  const m = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.toLowerCase());
  if (m !== null && m[1] !== 'ff' && m[2] !== undefined && m[2] !== ZERO_TRACE_ID) return m[2];
  return randomUUID();
}

/** The path of a request target: no query string, no fragment. */
export function pathOf(url: string): string {
  let end = url.length;
  const query = url.indexOf('?');
  if (query >= 0) end = query;
  const fragment = url.indexOf('#');
  if (fragment >= 0 && fragment < end) end = fragment;
  return end === url.length ? url : url.slice(0, end);
}

/** The Host header (or HTTP/2 `:authority`) without its port, lower-cased; IPv6 without brackets. */
export function hostOf(headers: Readonly<Record<string, HeaderValue>>): string | undefined {
  const raw = headerOf(headers, 'host') ?? headerOf(headers, ':authority');
  if (raw === undefined) return undefined;
  let host = raw;
  if (raw.startsWith('[')) {
    const end = raw.indexOf(']');
    if (end > 0) host = raw.slice(1, end);
  } else {
    const colon = raw.indexOf(':');
    if (colon >= 0 && raw.indexOf(':', colon + 1) < 0) host = raw.slice(0, colon);
  }
  return host === '' ? undefined : host.toLowerCase();
}
