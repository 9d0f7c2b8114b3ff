// Names what a failed request ran into by its cause (refused connection, DNS, TLS, timeout, the
// service's 401/403/404/InvalidStream, the token endpoint's AADSTS code) and says in one line what
// to do. Reads errors structurally, through `cause` chains and inner `errors`, and echoes only
// codes, host names, ports, DCR ids and stream names: never a message, a token or a secret.

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

/** Entra ID codes a misconfigured app meets, and what each means. */
const AADSTS_TEXT: Readonly<Record<string, string>> = {
  '7000215': 'the client secret is wrong',
  '7000222': 'the client secret has expired',
  '700016': 'no application with this client id in the tenant',
  '90002': 'no such tenant',
  '900023': 'the tenant id is not valid',
  '500011': 'the resource (audience) is not known in the tenant',
  '700024': 'the client assertion is not within its valid time range',
  '7000232': 'the managed identity or federated credential is not set up',
};

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
  if (found.credential) {
    // A credential error's status is the token endpoint's (identity reports a refused connection
    // as "Status code: 400"): only its Entra or OAuth code says anything.
    if (found.aadsts !== undefined)
      return { cause: 'credential', site, code: `AADSTS${found.aadsts}`, ...at };
    if (found.oauth !== undefined) return { cause: 'credential', site, code: found.oauth, ...at };
    return { cause: 'credential', site, opaque: true, ...at };
  }
  if (found.status !== undefined) return httpCause(found.status, found.serviceCode, site, at);
  return errno === undefined ? { cause: 'other', site, ...at } : { cause: 'other', site, code: errno, ...at };
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

/** One line: what happened, where, and what to change. Holds no secret and no row value. */
export function explainFailure(f: FailureCause, context: FailureContext = {}): string {
  const where = f.host === undefined ? f.site : `${f.host} (${f.site})`;
  const fix = f.site === 'token endpoint' ? TOKEN_FIX : INGESTION_FIX;
  const dcr = context.dcrImmutableId ?? 'the DCR';
  const status =
    f.status === undefined ? '' : `HTTP ${f.status}${f.code === undefined ? '' : ` ${f.code}`}: `;
  switch (f.cause) {
    case 'connection-refused':
      return `connection refused to ${where}: nothing listens there; ${fix.refused}`;
    case 'dns':
      return `cannot resolve ${where} (${f.code ?? 'DNS'}): ${fix.dns}`;
    case 'tls':
      return `TLS to ${where} failed: ${tlsText(f.code)}`;
    case 'timeout':
      return `no answer from ${where}${context.timeoutMs === undefined ? '' : ` within ${context.timeoutMs} ms`}: check a firewall or proxy between here and there, or raise requestTimeoutMs`;
    case 'network':
      return `the connection to ${where} broke (${f.code ?? 'network error'}): a proxy, firewall or the network dropped it; it is retried`;
    case 'credential':
      return credentialLine(f, where);
    case 'unauthorized':
      return `${status}the Logs Ingestion endpoint ${f.host ?? ''} refused the token: check the audience (OTEL_SENTINEL_AUDIENCE, default https://monitor.azure.com) and that the identity is in the DCR's tenant`;
    case 'forbidden':
      return `${status}the identity has no right to send to ${dcr}: give it the Monitoring Metrics Publisher role on that DCR (a new role assignment can take up to 30 minutes to apply)`;
    case 'not-found':
      return `${status}${f.host ?? 'the endpoint'} knows no DCR ${dcr}: check the DCR immutable id (SENTINEL_DCR_IMMUTABLE_ID, dcr-…, not the resource name) and that the endpoint is in the DCR's region`;
    case 'invalid-stream':
      return `${status}${dcr} declares no stream ${context.stream ?? ''}: the stream in the mapping must be one of the DCR's streamDeclarations (Custom-…)`;
    case 'too-large':
      return `${status}a request was over the service's 1 MB limit: lower maxBatchBytes`;
    case 'throttled':
      return `${status}${dcr} is throttled (12,000 requests or 2 GB per minute): rows wait and are sent again`;
    case 'server-error':
      return `${status}the Logs Ingestion service failed at ${f.host ?? 'the endpoint'}: it is retried`;
    case 'rejected':
      return `${status}the Logs Ingestion endpoint refused the request: run otel-sentinel check <mapping> --against live to compare the mapping with the DCR`;
    case 'invalid-endpoint':
      return 'the Logs Ingestion endpoint is not an https:// URL: set SENTINEL_DCE_ENDPOINT (or the mapping) to the DCE or the DCR logsIngestion URI';
    case 'other':
      return `the request to ${where} failed (${f.code ?? 'unknown error'})`;
  }
}

const TOKEN_FIX = {
  refused:
    'is the authority host right (AZURE_AUTHORITY_HOST; with the local emulator, is it running on that port)?',
  dns: 'check the authority host (AZURE_AUTHORITY_HOST) and this machine’s DNS',
};
const INGESTION_FIX = {
  refused:
    'is the endpoint in the mapping right (SENTINEL_DCE_ENDPOINT; with the local emulator, is it running on that port)?',
  dns: 'check the endpoint in the mapping (SENTINEL_DCE_ENDPOINT) and this machine’s DNS',
};

function tlsText(code: string | undefined): string {
  switch (code === undefined ? undefined : networkProblemOf(code)) {
    case 'tls-expired':
      return `its certificate has expired (${code})`;
    case 'tls-not-yet-valid':
      return `its certificate is not valid yet (${code}): check this machine’s clock`;
    case 'tls-wrong-host':
      return `its certificate is for another host name (${code}): use the host name the certificate names`;
    case 'tls-untrusted':
      return `its certificate is not trusted here (${code}): trust its CA with NODE_EXTRA_CA_CERTS=<ca.pem> (the local emulator prints its own) or clientOptions.tlsOptions.ca, or check for a TLS-inspecting proxy`;
    default:
      return `the handshake failed (${code ?? 'TLS error'})`;
  }
}

function credentialLine(f: FailureCause, where: string): string {
  const code = f.code;
  if (code?.startsWith('AADSTS') === true) {
    const text = AADSTS_TEXT[code.slice(6)];
    return `${where} refused the credential (${code}${text === undefined ? '' : `: ${text}`}): check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate`;
  }
  if (code !== undefined)
    return `${where} refused the credential (${code}): check AZURE_TENANT_ID, AZURE_CLIENT_ID and the secret or certificate`;
  return `no token from ${where}: the credential found no identity to use (set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET, or run where a managed or workload identity is available)`;
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
  const name = typeof value.name === 'string' ? value.name : undefined;
  if (name !== undefined && CREDENTIAL_ERRORS.has(name)) found.credential = true;
  if (name === 'RequestTimeoutError' || name === 'TimeoutError') found.timeout = true;
  if (name === 'InvalidEndpointError') found.invalidEndpoint = true;
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
  if (found.url === undefined && isRecord(value.request) && typeof value.request.url === 'string')
    found.url = value.request.url;
  if (typeof value.address === 'string' && found.host === undefined)
    found.host = typeof value.port === 'number' ? joinHost(value.address, value.port) : value.address;
  readMessage(value.message, found);
  if (isRecord(value.errorResponse)) {
    const r = value.errorResponse;
    if (Array.isArray(r.errorCodes) && found.aadsts === undefined) {
      const first: unknown = r.errorCodes[0];
      if (typeof first === 'number' || (typeof first === 'string' && /^\d{5,8}$/.test(first)))
        found.aadsts = String(first);
    }
    if (typeof r.error === 'string') readMessage(r.error, found);
  }
  if (Array.isArray(value.errors))
    for (const inner of value.errors as unknown[]) walk(inner, found, depth + 1);
  walk(value.cause, found, depth + 1);
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
