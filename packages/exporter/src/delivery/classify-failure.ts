// Decides what kind of trouble a failed chunk ran into. Together with retry-policy.ts this is the
// whole failure policy. Errors are read structurally (name, statusCode, code, response.headers),
// never with instanceof, so it works whichever copy of the Azure packages threw them.

import { parseRetryAfter, parseRetryAfterMs } from './backoff.js';
import { causeOfErrno } from './failure-cause.js';

/** How a failure is handled: wait as told, back off, give up, or stop. */
export type FailureKind = 'throttled' | 'transient' | 'permanent' | 'aborted';

/** What went wrong with one chunk, in terms the retry policy, counters and spool entries use. */
export interface Failure {
  readonly kind: FailureKind;
  /** HTTP status of the service's answer, when there was one. */
  readonly status?: number;
  /** Service error code (`OperationFailed`, `ContentLengthLimitExceeded`) or a Node errno (`ECONNRESET`). */
  readonly code?: string;
  /** How long the service asked us to wait (429/503 with `Retry-After`, `retry-after-ms` or `x-ms-retry-after-ms`). */
  readonly retryAfterMs?: number;
  /**
   * Short and safe to log, count and spool: `HTTP 403 OperationFailed`, `ECONNRESET`,
   * `CredentialUnavailableError`. Built only from status codes, error codes and error names,
   * never from a message (messages can carry token-endpoint or service text).
   */
  readonly summary: string;
}

export interface ClassifyContext {
  /** The caller's signal: once it has fired, every failure is `aborted` (nothing is retried after shutdown). */
  readonly signal?: AbortSignal | undefined;
  /** Clock for `Retry-After` given as an HTTP-date. Default `Date.now`. */
  readonly now?: () => number;
}

const ABORTED: Failure = Object.freeze({ kind: 'aborted', summary: 'aborted' });

/** Errors thrown by @azure/identity credentials (matched by name). */
const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
]);

/**
 * Signs that the application's id or secret is wrong, which no retry fixes: OAuth errors
 * `invalid_client`/`unauthorized_client`, and the Entra codes for an invalid (7000215) or
 * expired (7000222) secret, an unknown application (700016) and an unknown tenant (90002, 900023).
 */
const BAD_CLIENT =
  /\b(invalid_client|unauthorized_client)\b|\b(?:AADSTS)?(7000215|7000222|700016|90002|900023)\b/;

/**
 * Connection-level failures: the socket codes failure-cause.ts names (refused, DNS, TLS, timeouts,
 * resets) and the Azure transport's own code for a failed send.
 */
function isNetworkError(code: string): boolean {
  return code === 'REQUEST_SEND_ERROR' || causeOfErrno(code) !== undefined;
}

/** Errors that are bugs or bad configuration on our side: retrying cannot help. */
const PROGRAMMING_ERRORS: ReadonlySet<string> = new Set([
  'TypeError',
  'RangeError',
  'SyntaxError',
  'ReferenceError',
]);

// A code, name or header value is only echoed when it looks like an identifier.
const SAFE_TOKEN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Classifies what an upload failed with:
 * - 429 and 503 with `retry-after-ms`, `x-ms-retry-after-ms` or `Retry-After` (seconds or
 *   HTTP-date): `throttled`, with `retryAfterMs`;
 * - 429 or 503 without it, 408, other 5xx except 501/505, network errors (`ECONNRESET`,
 *   `ETIMEDOUT`, …), request timeouts, and credential errors: `transient`;
 * - credential errors that say the client id or secret is invalid, 501, 505, every other status
 *   (400, 401, 403, 404, 413, …), an invalid endpoint and programming errors: `permanent`;
 * - an `AbortError`, or any failure once `context.signal` has fired: `aborted`.
 * Anything unrecognised is `transient`: the retry budget bounds what that can cost.
 */
export function classifyFailure(cause: unknown, context: ClassifyContext = {}): Failure {
  if (context.signal?.aborted === true) return ABORTED;
  const name = nameOf(cause);
  if (name === 'AbortError') return ABORTED;
  if (name !== undefined && CREDENTIAL_ERRORS.has(name)) return classifyCredentialError(cause, name);
  const status = statusOf(cause);
  if (status !== undefined) return classifyStatus(cause, status, context.now ?? Date.now);
  return classifyWithoutStatus(cause, name);
}

// A failure that got no HTTP answer: a timeout, a bad endpoint, the network, or a bug on our side.
function classifyWithoutStatus(cause: unknown, name: string | undefined): Failure {
  if (name === 'RequestTimeoutError' || name === 'TimeoutError')
    return { kind: 'transient', code: 'ETIMEDOUT', summary: 'request timeout' };
  if (name === 'InvalidEndpointError') return { kind: 'permanent', summary: 'invalid endpoint' };
  const code = errnoOf(cause);
  if (code !== undefined && isNetworkError(code)) return { kind: 'transient', code, summary: code };
  if (name !== undefined && PROGRAMMING_ERRORS.has(name))
    return code === undefined
      ? { kind: 'permanent', summary: name }
      : { kind: 'permanent', code, summary: `${name} ${code}` };
  if (code !== undefined) return { kind: 'transient', code, summary: code };
  return { kind: 'transient', summary: name !== undefined && SAFE_TOKEN.test(name) ? name : 'unknown error' };
}

/**
 * True when a failure means the caller could not authenticate: a credential error (no token) or
 * an HTTP 401 from the service. A 403 is not one: the token was fine, its identity lacks a role.
 */
export function isCredentialFailure(failure: Failure): boolean {
  if (failure.status === 401) return true;
  const space = failure.summary.indexOf(' ');
  return CREDENTIAL_ERRORS.has(space === -1 ? failure.summary : failure.summary.slice(0, space));
}

function classifyCredentialError(cause: unknown, name: string): Failure {
  const badClient = findBadClientSign(cause, 0);
  return badClient === undefined
    ? { kind: 'transient', summary: name }
    : { kind: 'permanent', code: badClient, summary: `${name} ${badClient}` };
}

// Looks for a BAD_CLIENT sign in the error, its OAuth error response, its cause chain and, for an
// aggregate, its inner errors. Returns the matched constant (safe to echo), never the text around it.
function findBadClientSign(value: unknown, depth: number): string | undefined {
  if (!isRecord(value) || depth > 3) return undefined;
  const texts: unknown[] = [value.message, value.errorCode];
  const response = value.errorResponse;
  if (isRecord(response)) {
    texts.push(response.error);
    if (Array.isArray(response.errorCodes)) texts.push(response.errorCodes.join(' '));
  }
  for (const text of texts) {
    if (typeof text !== 'string') continue;
    const match = BAD_CLIENT.exec(text);
    if (match) return match[1] ?? `AADSTS${match[2] ?? ''}`;
  }
  const inner = Array.isArray(value.errors) ? [...(value.errors as unknown[]), value.cause] : [value.cause];
  for (const error of inner) {
    const found = findBadClientSign(error, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function classifyStatus(cause: unknown, status: number, now: () => number): Failure {
  const code = serviceCodeOf(cause);
  const summary = code === undefined ? `HTTP ${status}` : `HTTP ${status} ${code}`;
  const base = code === undefined ? { status, summary } : { status, code, summary };
  if (status === 429 || status === 503) {
    const retryAfterMs = retryAfterOf(cause, now);
    return retryAfterMs === undefined
      ? { kind: 'transient', ...base }
      : { kind: 'throttled', retryAfterMs, ...base };
  }
  if (status === 408 || (status >= 500 && status !== 501 && status !== 505))
    return { kind: 'transient', ...base };
  return { kind: 'permanent', ...base };
}

/** The HTTP status of a RestError-like error (`statusCode`, else `response.status`). */
function statusOf(cause: unknown): number | undefined {
  if (!isRecord(cause)) return undefined;
  const response = cause.response;
  const status = cause.statusCode ?? (isRecord(response) ? response.status : undefined);
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

/** The service's error code: the RestError's `code` (from the body), else the `x-ms-error-code` header. */
function serviceCodeOf(cause: unknown): string | undefined {
  if (!isRecord(cause)) return undefined;
  if (typeof cause.code === 'string' && SAFE_TOKEN.test(cause.code)) return cause.code;
  const header = headerOf(cause, 'x-ms-error-code');
  return header !== undefined && SAFE_TOKEN.test(header) ? header : undefined;
}

/** The first identifier-like `code` on the error or along its cause chain (`ECONNRESET`, `REQUEST_SEND_ERROR`). */
function errnoOf(cause: unknown): string | undefined {
  let current = cause;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === 'string' && SAFE_TOKEN.test(current.code)) return current.code;
    current = current.cause;
  }
  return undefined;
}

/** Milliseconds to wait, from the headers the Azure SDK's own throttling policy reads, in its order. */
function retryAfterOf(cause: unknown, now: () => number): number | undefined {
  return (
    parseRetryAfterMs(headerOf(cause, 'retry-after-ms')) ??
    parseRetryAfterMs(headerOf(cause, 'x-ms-retry-after-ms')) ??
    parseRetryAfter(headerOf(cause, 'retry-after'), now())
  );
}

// Reads a response header from a RestError-like error: `response.headers` is core's HttpHeaders
// (or a fetch Headers) with get(); a plain object is accepted too.
function headerOf(cause: unknown, name: string): string | undefined {
  if (!isRecord(cause) || !isRecord(cause.response)) return undefined;
  const headers = cause.response.headers;
  if (!isRecord(headers)) return undefined;
  let value: unknown;
  if (typeof headers.get === 'function') {
    value = (headers.get as (this: unknown, key: string) => unknown).call(headers, name);
  } else {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  return typeof value === 'string' ? value : undefined;
}

function nameOf(cause: unknown): string | undefined {
  return isRecord(cause) && typeof cause.name === 'string' ? cause.name : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
