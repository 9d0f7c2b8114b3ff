// Errors of the machine or the network rather than of the program: a port in use, a file that
// cannot be read, a host that does not answer, a certificate that is not trusted. They are found
// by Node's `code` on the error or on any error it wraps (`cause`), and each becomes one line
// naming what failed and what fixes it. Only the structured fields (path, address, port, host
// name) are shown, never the wrapped messages, which may quote a URL or a header. Which network
// code means what comes from the exporter's one table (networkProblemOf); the words are the CLI's.

// The light entry point: every CLI error passes here, and the exporter's main one loads the Azure SDK.
import { networkProblemOf } from '@otel-sentinel/exporter/network-problem';
import type { NetworkProblem } from '@otel-sentinel/exporter/network-problem';

/** The fields Node puts on system errors; all optional, since wrappers carry only some. */
interface SystemErrorFields {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly dest?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly hostname?: unknown;
  readonly host?: unknown;
}

const FILE_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a parent is not a directory',
  EEXIST: 'it already exists',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EMFILE: 'too many open files (raise the limit: ulimit -n)',
};

/** Why a file operation failed, in words (`no such file or directory`), for a known code. */
export function fileReason(code: unknown): string | undefined {
  return typeof code === 'string' ? FILE_REASONS[code] : undefined;
}

const TRUST_FIX =
  'trust its CA with NODE_EXTRA_CA_CERTS=<CA file> (for the emulator: the file it names at start, ' +
  '"trust its CA: NODE_EXTRA_CA_CERTS=…")';

/** The error, then what it wraps (`cause`, AggregateError's `errors`), breadth first, bounded. */
function chain(error: unknown): SystemErrorFields[] {
  const out: SystemErrorFields[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && out.length < 16) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || out.includes(e)) continue;
    out.push(e);
    if ('cause' in e) queue.push(e.cause);
    if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
  }
  return out;
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** `host:port`, `host`, or `the host` when the error does not say. */
function hostPort(e: SystemErrorFields): string {
  const host = text(e.hostname) ?? text(e.host) ?? text(e.address);
  const port = text(e.port);
  if (host === undefined) return 'the host';
  const shown = host.includes(':') && port !== undefined ? `[${host}]` : host;
  return port === undefined ? shown : `${shown}:${port}`;
}

function listening(e: SystemErrorFields, code: string): string | undefined {
  const where = hostPort(e);
  switch (code) {
    case 'EADDRINUSE':
      return `cannot listen on ${where}: the port is in use (another emulator or gateway?); stop that process or choose another port with --port (0 picks a free one)`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to listen on ${where} (ports below 1024 need privileges); choose another port with --port`;
    case 'EADDRNOTAVAIL':
      return `cannot listen on ${where}: no network interface of this machine has that address; choose another with --host`;
    default:
      return undefined;
  }
}

function connecting(e: SystemErrorFields, problem: NetworkProblem): string | undefined {
  const where = hostPort(e);
  switch (problem) {
    case 'refused':
      return `cannot connect to ${where}: connection refused (is the service or the emulator running there?); check the endpoint or URL that names it`;
    case 'no-such-host':
      return `cannot resolve ${where}: no such host; check the host name in the endpoint or URL`;
    case 'dns-unanswered':
      return `cannot resolve ${where}: the DNS server did not answer; check the network and DNS, then try again`;
    case 'timeout':
      return `cannot connect to ${where}: timed out; check the endpoint, the network and any firewall or proxy`;
    case 'unreachable':
      return `cannot reach ${where}: no route to it; check the network, the endpoint and any firewall`;
    case 'reset':
      return `the connection to ${where} was reset; check the endpoint (an http:// URL to an https port?) and any proxy`;
    default:
      // 'broken' (EPIPE, ECONNABORTED) is left to the caller: the CLI meets it on its own output
      // pipes as often as on a connection, and a line about a host would mislead there.
      return undefined;
  }
}

function tls(e: SystemErrorFields, problem: NetworkProblem, code: string): string | undefined {
  const host = hostPort(e);
  const whose = host === 'the host' ? 'the server' : host;
  switch (problem) {
    case 'tls-untrusted':
      return `the TLS certificate of ${whose} is not trusted (${code}); ${TRUST_FIX}`;
    case 'tls-expired':
      return `the TLS certificate of ${whose} has expired (${code}); renew it (the emulator's: delete the certificates in its --data directory and start it again)`;
    case 'tls-not-yet-valid':
      return `the TLS certificate of ${whose} is not valid yet (${code}); check this machine's clock`;
    case 'tls-wrong-host':
      return `the TLS certificate of ${whose} is not for that host name (${code}); use the host name the certificate names (the emulator's is 127.0.0.1)`;
    case 'tls-handshake':
      return `the TLS handshake with ${whose} failed (${code}); check that the endpoint speaks TLS on that port and any TLS-inspecting proxy`;
    default:
      return undefined;
  }
}

function file(e: SystemErrorFields, code: string): string | undefined {
  const reason = fileReason(code);
  if (reason === undefined) return undefined;
  const path = text(e.path);
  // A read of an open file (EISDIR from readFile) does not carry the path.
  if (path === undefined) return `cannot ${verb(text(e.syscall))} a file given: ${reason}; check the paths`;
  const dest = text(e.dest);
  return `cannot ${verb(text(e.syscall))} ${path}${dest !== undefined ? ` to ${dest}` : ''}: ${reason}`;
}

const VERBS: Readonly<Record<string, string>> = {
  mkdir: 'create the directory',
  open: 'open',
  scandir: 'list',
  opendir: 'list',
  write: 'write',
  rename: 'move',
  copyfile: 'copy',
  unlink: 'remove',
  rm: 'remove',
  rmdir: 'remove',
};

function verb(syscall: string | undefined): string {
  return (syscall !== undefined ? VERBS[syscall] : undefined) ?? 'read';
}

/**
 * One line for an operating error found in `error` or anything it wraps, or undefined when it is
 * none: the caller then treats it as a bug.
 */
export function describeOperatingError(error: unknown): string | undefined {
  for (const e of chain(error)) {
    const code = text(e.code);
    if (code === undefined) continue;
    const problem = networkProblemOf(code);
    const line =
      (e.syscall === 'listen' || code === 'EADDRINUSE' ? listening(e, code) : undefined) ??
      (problem === undefined ? undefined : (tls(e, problem, code) ?? connecting(e, problem))) ??
      file(e, code);
    if (line !== undefined) return line;
  }
  return undefined;
}
