// The request context: who and where a security event comes from (client address, user agent,
// route, correlation id, user, session), held in AsyncLocalStorage so helpers called anywhere in
// a request's async flow fill those attributes without arguments. Values are cleaned once, when
// they are written, not on every event.

import { AsyncLocalStorage } from 'node:async_hooks';

import { cleanString } from './hygiene.js';
import { SealedSession } from './session.js';

/** The context fields that are written to attributes as given (CONTEXT_ATTRIBUTES minus the session hash). */
export type ContextField =
  'clientAddress' | 'userAgent' | 'method' | 'path' | 'host' | 'correlationId' | 'userId';

export const CONTEXT_FIELDS: readonly ContextField[] = [
  'clientAddress',
  'userAgent',
  'method',
  'path',
  'host',
  'correlationId',
  'userId',
];

/** What `withSecurityContext` takes; every field is optional and inner contexts override outer ones. */
export interface SecurityContextFields {
  /** The client's address (`client.address`), e.g. `203.0.113.7`. */
  readonly clientAddress?: string;
  /** The User-Agent header (`user_agent.original`). */
  readonly userAgent?: string;
  /** The HTTP method (`http.request.method`), e.g. `POST`. */
  readonly method?: string;
  /** The URL path without its query string (`url.path`), e.g. `/login`. */
  readonly path?: string;
  /** The server name the client asked for, without the port (`server.address`). */
  readonly host?: string;
  /** An id shared by every record of one request or transaction (`correlation.id`). */
  readonly correlationId?: string;
  /** The authenticated user (`user.id`), for events whose arguments name none. */
  readonly userId?: string;
  /** The session id: sealed on write and only ever emitted as `owasp.session_hash`. */
  readonly sessionId?: string;
}

/** What `getSecurityContext` returns: the cleaned fields, and whether a session is set (never the id). */
export interface SecurityContext extends Omit<SecurityContextFields, 'sessionId'> {
  readonly hasSession: boolean;
}

type ContextValues = { [K in ContextField]?: string };

/** One request's context. Mutable only through setSecurityUser / setSecuritySession. */
export class ContextStore {
  constructor(
    readonly values: ContextValues,
    public session: SealedSession | undefined,
  ) {}
}

const storage = new AsyncLocalStorage<ContextStore>();

/** The context of the running async flow, if any. */
export function currentStore(): ContextStore | undefined {
  return storage.getStore();
}

/** A context made of `fields` (cleaned) over `outer`'s. Non-string fields are ignored. */
export function createStore(fields: SecurityContextFields, outer?: ContextStore): ContextStore {
  const values: ContextValues = outer === undefined ? {} : { ...outer.values };
  for (const field of CONTEXT_FIELDS) {
    const value = fields[field];
    if (typeof value === 'string') values[field] = cleanString(value);
  }
  const session = typeof fields.sessionId === 'string' ? new SealedSession(fields.sessionId) : outer?.session;
  return new ContextStore(values, session);
}

/** Runs `fn` with `store` as the context of everything it starts, synchronously or not. */
export function runInStore<T>(store: ContextStore, fn: () => T): T {
  return storage.run(store, fn);
}

/**
 * Runs `fn` inside a security context made of `fields` over the current one (inner fields win), and
 * returns what `fn` returns. Helpers called anywhere in `fn`'s async flow get these attributes.
 *
 * @example withSecurityContext({ clientAddress: msg.sourceIp, correlationId: msg.id }, () => handle(msg))
 */
export function withSecurityContext<T>(fields: SecurityContextFields, fn: () => T): T {
  return storage.run(createStore(fields, storage.getStore()), fn);
}

/** A snapshot of the current context, or undefined outside one. The session id is never in it. */
export function getSecurityContext(): SecurityContext | undefined {
  const store = storage.getStore();
  if (store === undefined) return undefined;
  return { ...store.values, hasSession: store.session !== undefined };
}

/**
 * Records the authenticated user in the current context (call it once authentication succeeds), so
 * later events of the request carry `user.id`. Returns false, and does nothing, outside a context.
 */
export function setSecurityUser(userId: string): boolean {
  const store = storage.getStore();
  if (store === undefined || !isString(userId)) return false;
  store.values.userId = cleanString(userId);
  return true;
}

/**
 * Records the session id in the current context, sealed: events carry only its keyed hash,
 * `owasp.session_hash`. Returns false, and does nothing, outside a context.
 */
export function setSecuritySession(sessionId: string): boolean {
  const store = storage.getStore();
  if (store === undefined || !isString(sessionId)) return false;
  store.session = new SealedSession(sessionId);
  return true;
}

// Callers in plain JavaScript can pass anything; the types say string.
function isString(value: unknown): value is string {
  return typeof value === 'string';
}
