// The one table of Node socket and TLS error codes: what each says went wrong on the way to a
// host. The exporter's failure causes (failure-cause.ts) and the CLI's one-line operating errors
// both read it, each phrasing the problem for its reader.

/** What a socket or TLS error code says about the connection. */
export type NetworkProblem =
  | 'refused'
  | 'no-such-host'
  | 'dns-unanswered'
  | 'timeout'
  | 'unreachable'
  | 'reset'
  | 'broken'
  | 'tls-untrusted'
  | 'tls-expired'
  | 'tls-not-yet-valid'
  | 'tls-wrong-host'
  | 'tls-handshake';

const PROBLEMS: ReadonlyMap<string, NetworkProblem> = new Map<string, NetworkProblem>([
  ['ECONNREFUSED', 'refused'],
  ['ENOTFOUND', 'no-such-host'],
  ['EAI_AGAIN', 'dns-unanswered'],
  ['ETIMEDOUT', 'timeout'],
  ['ESOCKETTIMEDOUT', 'timeout'],
  ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
  ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
  ['UND_ERR_BODY_TIMEOUT', 'timeout'],
  ['EHOSTUNREACH', 'unreachable'],
  ['EHOSTDOWN', 'unreachable'],
  ['ENETUNREACH', 'unreachable'],
  ['ENETDOWN', 'unreachable'],
  ['ECONNRESET', 'reset'],
  ['ECONNABORTED', 'broken'],
  ['EPIPE', 'broken'],
  ['ERR_STREAM_PREMATURE_CLOSE', 'broken'],
  ['UND_ERR_SOCKET', 'broken'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-untrusted'],
  ['SELF_SIGNED_CERT_IN_CHAIN', 'tls-untrusted'],
  ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls-untrusted'],
  ['UNABLE_TO_GET_ISSUER_CERT', 'tls-untrusted'],
  ['UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'tls-untrusted'],
  ['CERT_UNTRUSTED', 'tls-untrusted'],
  ['CERT_HAS_EXPIRED', 'tls-expired'],
  ['CERT_NOT_YET_VALID', 'tls-not-yet-valid'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-wrong-host'],
  ['HOSTNAME_MISMATCH', 'tls-wrong-host'],
  ['CERT_REVOKED', 'tls-handshake'],
  ['EPROTO', 'tls-handshake'],
]);

/**
 * The problem a Node error `code` names (`ECONNREFUSED` → `refused`, `CERT_HAS_EXPIRED` →
 * `tls-expired`, any other `ERR_SSL_…`/`ERR_TLS_…` → `tls-handshake`); undefined for a code that
 * is not about reaching a host (`ENOENT`, `EADDRINUSE`, …).
 */
export function networkProblemOf(code: string): NetworkProblem | undefined {
  const problem = PROBLEMS.get(code);
  if (problem !== undefined) return problem;
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') ? 'tls-handshake' : undefined;
}
