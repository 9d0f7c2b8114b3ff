// Names what a failed request ran into by its cause (refused connection, DNS, TLS, timeout, the
// service's 401/403/404/InvalidStream, the token endpoint's AADSTS code); explain-failure.ts says
// in one line what to do about it. Reads errors structurally, through `cause` chains and inner
// `errors`, and keeps only codes, host names and ports: never a message, a token or a secret.

import { networkProblemOf } from './network-problem.js';
import type { NetworkProblem } from './network-problem.js';

/** A failure's cause, as counted in `stats().failuresByCause` and `otel_sentinel.failures`. */
export type FailureCauseName =
  | 'connection-refused'
  | 'dns'
  | 'tls'
  | 'timeout'
  | 'network'
  | 'credential'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid-stream'
  | 'too-large'
  | 'throttled'
  | 'server-error'
  | 'rejected'
  | 'invalid-endpoint'
  | 'other';

/** Which request failed: the token request to Entra ID, or the upload to the Logs Ingestion endpoint. */
export type FailureSite = 'token endpoint' | 'ingestion endpoint';

export interface FailureCause {
  readonly cause: FailureCauseName;
  readonly site: FailureSite;
  /** `ECONNREFUSED`, `CERT_HAS_EXPIRED`, `AADSTS7000215`, `OperationFailed`, `InvalidStream`, … */
  readonly code?: string;
  /** HTTP status of the answer, when there was one. */
  readonly status?: number;
  /** `host:port` the request went to, when known. */
  readonly host?: string;
  /**
   * True for a credential error that carries no cause of its own (MSAL reports a refused or
   * unresolvable token endpoint as `endpoints_resolution_error`): the token endpoint must be
   * tried directly to name the cause (see reach-endpoint.ts).
   */
  readonly opaque?: boolean;
}

/** Where the failed request was going, for the one-line explanation. */
export interface FailureContext {
  /** The Logs Ingestion endpoint (DCE or DCR URI). */
  readonly endpoint?: string;
  readonly dcrImmutableId?: string;
  readonly stream?: string;
  /** The request timeout in milliseconds, for a timeout's line. */
  readonly timeoutMs?: number;
}

const CREDENTIAL_ERRORS: ReadonlySet<string> = new Set([
  'CredentialUnavailableError',
  'AuthenticationError',
  'AuthenticationRequiredError',
  'AggregateAuthenticationError',
]);

// Codes named inside a message ("connect ECONNREFUSED 127.0.0.1:4318", "getaddrinfo ENOTFOUND
// login.example"): only the code and the address after it are taken, never the text around them.
const MESSAGE_ERRNO =
  /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH|CERT_HAS_EXPIRED|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|ERR_TLS_CERT_ALTNAME_INVALID)\b(?:\s+([A-Za-z0-9.-]+(?::\d{1,5})?|\[[0-9a-fA-F:]+\](?::\d{1,5})?))?/;
const AADSTS = /\bAADSTS(\d{5,8})\b/;
const OAUTH_ERROR = /\b(invalid_client|unauthorized_client|invalid_scope|invalid_resource|invalid_request)\b/;
const SAFE_CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

interface Found {
  status?: number;
  serviceCode?: string;
  errno?: string;
  host?: string;
  url?: string;
  credential: boolean;
  aadsts?: string;
  oauth?: string;
  timeout: boolean;
  invalidEndpoint: boolean;
}

/**
 * What a failed upload or token request ran into. `context.endpoint` fills in the host when the
 * error does not say where the request went.
 */
export function failureCauseOf(error: unknown, context: FailureContext = {}): FailureCause {
  const found: Found = { credential: false, timeout: false, invalidEndpoint: false };
  walk(error, found, 0);
  const site: FailureSite = found.credential ? 'token endpoint' : 'ingestion endpoint';
  const host =
    found.host ?? hostOf(found.url) ?? (site === 'ingestion endpoint' ? hostOf(context.endpoint) : undefined);
  const at = host === undefined ? {} : { host };
  if (found.invalidEndpoint) return { cause: 'invalid-endpoint', site, ...at };
  const errno = found.errno;
  if (errno !== undefined) {
    const cause = causeOfErrno(errno);
    if (cause !== undefined) return { cause, site, code: errno, ...at };
  }
  if (found.timeout) return { cause: 'timeout', site, ...at };
  if (found.credential) return credentialCause(found, site, at);
  if (found.status !== undefined) return httpCause(found.status, found.serviceCode, site, at);
  return errno === undefined ? { cause: 'other', site, ...at } : { cause: 'other', site, code: errno, ...at };
}

// A credential error's status is the token endpoint's (identity reports a refused connection as
// "Status code: 400"): only its Entra or OAuth code says anything.
function credentialCause(found: Found, site: FailureSite, at: { host?: string }): FailureCause {
  if (found.aadsts !== undefined) return { cause: 'credential', site, code: `AADSTS${found.aadsts}`, ...at };
  if (found.oauth !== undefined) return { cause: 'credential', site, code: found.oauth, ...at };
  return { cause: 'credential', site, opaque: true, ...at };
}

const CAUSE_OF_PROBLEM: Readonly<Record<NetworkProblem, FailureCauseName>> = {
  refused: 'connection-refused',
  'no-such-host': 'dns',
  'dns-unanswered': 'dns',
  timeout: 'timeout',
  unreachable: 'network',
  reset: 'network',
  broken: 'network',
  'tls-untrusted': 'tls',
  'tls-expired': 'tls',
  'tls-not-yet-valid': 'tls',
  'tls-wrong-host': 'tls',
  'tls-handshake': 'tls',
};

/** The cause of a Node socket error code, or undefined when it is none of the network ones. */
export function causeOfErrno(code: string): FailureCauseName | undefined {
  const problem = networkProblemOf(code);
  return problem === undefined ? undefined : CAUSE_OF_PROBLEM[problem];
}

function httpCause(
  status: number,
  serviceCode: string | undefined,
  site: FailureSite,
  at: { host?: string },
): FailureCause {
  const base =
    serviceCode === undefined ? { site, status, ...at } : { site, status, code: serviceCode, ...at };
  if (serviceCode === 'InvalidStream') return { cause: 'invalid-stream', ...base };
  if (status === 401) return { cause: 'unauthorized', ...base };
  if (status === 403) return { cause: 'forbidden', ...base };
  if (status === 404) return { cause: 'not-found', ...base };
  if (status === 413) return { cause: 'too-large', ...base };
  if (status === 429) return { cause: 'throttled', ...base };
  if (status === 408) return { cause: 'timeout', ...base };
  if (status >= 500) return { cause: 'server-error', ...base };
  return { cause: 'rejected', ...base };
}

// Collects what the error graph says, nearest first: the error, its `cause` chain and, for an
// aggregate (AggregateAuthenticationError, AggregateError), its inner `errors`.
function walk(value: unknown, found: Found, depth: number): void {
  if (!isRecord(value) || depth > 5) return;
  readName(value, found);
  readStatusOrErrno(value, found);
  readWhere(value, found);
  readMessage(value.message, found);
  if (isRecord(value.errorResponse)) readErrorResponse(value.errorResponse, found);
  if (Array.isArray(value.errors))
    for (const inner of value.errors as unknown[]) walk(inner, found, depth + 1);
  walk(value.cause, found, depth + 1);
}

function readName(value: Record<string, unknown>, found: Found): void {
  const name = typeof value.name === 'string' ? value.name : undefined;
  if (name !== undefined && CREDENTIAL_ERRORS.has(name)) found.credential = true;
  if (name === 'RequestTimeoutError' || name === 'TimeoutError') found.timeout = true;
  if (name === 'InvalidEndpointError') found.invalidEndpoint = true;
}

// The first HTTP status met (with the service's code beside it); else a socket errno.
function readStatusOrErrno(value: Record<string, unknown>, found: Found): void {
  const status = statusOf(value);
  if (status !== undefined && found.status === undefined) {
    found.status = status;
    const code =
      typeof value.code === 'string' && SAFE_CODE.test(value.code) ? value.code : headerCode(value);
    if (code !== undefined) found.serviceCode = code;
  } else if (
    typeof value.code === 'string' &&
    found.errno === undefined &&
    causeOfErrno(value.code) !== undefined
  ) {
    found.errno = value.code;
  }
}

// Where the request went: the request's URL, or the socket's address and port.
function readWhere(value: Record<string, unknown>, found: Found): void {
  if (found.url === undefined && isRecord(value.request) && typeof value.request.url === 'string')
    found.url = value.request.url;
  if (typeof value.address === 'string' && found.host === undefined)
    found.host = typeof value.port === 'number' ? joinHost(value.address, value.port) : value.address;
}

// The OAuth error response MSAL attaches: its first Entra code and its error text.
function readErrorResponse(r: Record<string, unknown>, found: Found): void {
  if (Array.isArray(r.errorCodes) && found.aadsts === undefined) {
    const first: unknown = r.errorCodes[0];
    if (typeof first === 'number' || (typeof first === 'string' && /^\d{5,8}$/.test(first)))
      found.aadsts = String(first);
  }
  if (typeof r.error === 'string') readMessage(r.error, found);
}

function readMessage(message: unknown, found: Found): void {
  if (typeof message !== 'string') return;
  if (found.errno === undefined) {
    const m = MESSAGE_ERRNO.exec(message);
    if (m?.[1] !== undefined) {
      found.errno = m[1];
      if (m[2] !== undefined && found.host === undefined) found.host = m[2];
    }
  }
  if (found.aadsts === undefined) {
    const a = AADSTS.exec(message);
    if (a?.[1] !== undefined) found.aadsts = a[1];
  }
  if (found.oauth === undefined) {
    const o = OAUTH_ERROR.exec(message);
    if (o?.[1] !== undefined) found.oauth = o[1];
  }
}

function statusOf(value: Record<string, unknown>): number | undefined {
  const response = value.response;
  const status = value.statusCode ?? (isRecord(response) ? response.status : undefined);
  return typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
    ? status
    : undefined;
}

function headerCode(value: Record<string, unknown>): string | undefined {
  const response = value.response;
  if (!isRecord(response) || !isRecord(response.headers)) return undefined;
  const headers = response.headers;
  const raw: unknown =
    typeof headers.get === 'function'
      ? (headers.get as (this: unknown, key: string) => unknown).call(headers, 'x-ms-error-code')
      : headers['x-ms-error-code'];
  return typeof raw === 'string' && SAFE_CODE.test(raw) ? raw : undefined;
}

/** `host:port` of a URL (the default port spelled out), or undefined. Never user or path. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  const u = new URL(url);
  const port = u.port !== '' ? u.port : u.protocol === 'http:' ? '80' : '443';
  return `${u.hostname}:${port}`;
}

function joinHost(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
