// Says in one line what a failure's cause means and what to change there (failure-cause.ts names
// the cause). Echoes only codes, host names, DCR ids and stream names: never a secret or a row value.

import type { FailureCause, FailureCauseName, FailureContext } from './failure-cause.js';
import { networkProblemOf } from './network-problem.js';

/** One line: what happened, where, and what to change. Holds no secret and no row value. */
export function explainFailure(f: FailureCause, context: FailureContext = {}): string {
  const where = f.host === undefined ? f.site : `${f.host} (${f.site})`;
  const fix = f.site === 'token endpoint' ? TOKEN_FIX : INGESTION_FIX;
  const dcr = context.dcrImmutableId ?? 'the DCR';
  const status =
    f.status === undefined ? '' : `HTTP ${f.status}${f.code === undefined ? '' : ` ${f.code}`}: `;
  return LINE_OF_CAUSE[f.cause]({ f, context, where, fix, dcr, status });
}

/** What a cause's line is made of. */
interface LineParts {
  readonly f: FailureCause;
  readonly context: FailureContext;
  /** `host:port (site)`, or the site alone when the host is not known. */
  readonly where: string;
  /** What to check, for the site that failed. */
  readonly fix: EndpointFix;
  /** The DCR immutable id, or `the DCR`. */
  readonly dcr: string;
  /** `HTTP 403 OperationFailed: `, or empty when there was no answer. */
  readonly status: string;
}

interface EndpointFix {
  readonly refused: string;
  readonly dns: string;
}

// One entry per cause, so a new cause fails the type check until it has its line.
const LINE_OF_CAUSE: Readonly<Record<FailureCauseName, (parts: LineParts) => string>> = {
  'connection-refused': ({ where, fix }) =>
    `connection refused to ${where}: nothing listens there; ${fix.refused}`,
  dns: ({ f, where, fix }) => `cannot resolve ${where} (${f.code ?? 'DNS'}): ${fix.dns}`,
  tls: ({ f, where }) => `TLS to ${where} failed: ${tlsText(f.code)}`,
  timeout: ({ context, where }) =>
    `no answer from ${where}${context.timeoutMs === undefined ? '' : ` within ${context.timeoutMs} ms`}: check a firewall or proxy between here and there, or raise requestTimeoutMs`,
  network: ({ f, where }) =>
    `the connection to ${where} broke (${f.code ?? 'network error'}): a proxy, firewall or the network dropped it; it is retried`,
  credential: ({ f, where }) => credentialLine(f, where),
  unauthorized: ({ f, status }) =>
    `${status}the Logs Ingestion endpoint ${f.host ?? ''} refused the token: check the audience (OTEL_SENTINEL_AUDIENCE, default https://monitor.azure.com) and that the identity is in the DCR's tenant`,
  forbidden: ({ dcr, status }) =>
    `${status}the identity has no right to send to ${dcr}: give it the Monitoring Metrics Publisher role on that DCR (a new role assignment can take up to 30 minutes to apply)`,
  'not-found': ({ f, dcr, status }) =>
    `${status}${f.host ?? 'the endpoint'} knows no DCR ${dcr}: check the DCR immutable id (SENTINEL_DCR_IMMUTABLE_ID, dcr-…, not the resource name) and that the endpoint is in the DCR's region`,
  'invalid-stream': ({ context, dcr, status }) =>
    `${status}${dcr} declares no stream ${context.stream ?? ''}: the stream in the mapping must be one of the DCR's streamDeclarations (Custom-…)`,
  'too-large': ({ status }) => `${status}a request was over the service's 1 MB limit: lower maxBatchBytes`,
  throttled: ({ dcr, status }) =>
    `${status}${dcr} is throttled (12,000 requests or 2 GB per minute): rows wait and are sent again`,
  'server-error': ({ f, status }) =>
    `${status}the Logs Ingestion service failed at ${f.host ?? 'the endpoint'}: it is retried`,
  rejected: ({ status }) =>
    `${status}the Logs Ingestion endpoint refused the request: run otel-sentinel check <mapping> --against live to compare the mapping with the DCR`,
  'invalid-endpoint': () =>
    'the Logs Ingestion endpoint is not an https:// URL: set SENTINEL_DCE_ENDPOINT (or the mapping) to the DCE or the DCR logsIngestion URI',
  other: ({ f, where }) => `the request to ${where} failed (${f.code ?? 'unknown error'})`,
};

const TOKEN_FIX: EndpointFix = {
  refused:
    'is the authority host right (AZURE_AUTHORITY_HOST; with the local emulator, is it running on that port)?',
  dns: 'check the authority host (AZURE_AUTHORITY_HOST) and this machine’s DNS',
};
const INGESTION_FIX: EndpointFix = {
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
