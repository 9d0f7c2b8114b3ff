// Opens a TLS connection to an endpoint and closes it again, to name why a request to it failed
// when the error does not say: MSAL reports a refused, unresolvable or untrusted token endpoint
// only as `endpoints_resolution_error`. Sends no byte of HTTP, so no credential is involved.

import { connect, rootCertificates } from 'node:tls';
import type { ConnectionOptions } from 'node:tls';
import { causeOfErrno } from './failure-cause.js';
import type { FailureCauseName } from './failure-cause.js';

export type Reach =
  | { readonly ok: true; readonly host: string }
  | {
      readonly ok: false;
      readonly host: string;
      readonly cause: FailureCauseName;
      readonly code: string;
    };

export interface ReachOptions {
  /** Give up after this long (cause `timeout`). Default 5000 ms. */
  readonly timeoutMs?: number;
  /** CA certificates to trust besides the system's (and NODE_EXTRA_CA_CERTS), as PEM. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
}

const IP = /^(\d{1,3}(\.\d{1,3}){3}|\[?[0-9a-fA-F:]+\]?)$/;

/** Whether `url`'s host answers a TLS handshake with a certificate trusted here. Never rejects. */
export function reachEndpoint(url: string, options: ReachOptions = {}): Promise<Reach> {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!URL.canParse(url))
    return Promise.resolve({ ok: false, host: url, cause: 'other', code: 'ERR_INVALID_URL' });
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  const port = u.port === '' ? 443 : Number(u.port);
  const host = `${u.hostname}:${port}`;
  return new Promise<Reach>((resolve) => {
    const connection: ConnectionOptions = {
      host: hostname,
      port,
      ...(IP.test(hostname) ? {} : { servername: hostname }),
      ...(options.ca !== undefined ? { ca: withSystemRoots(options.ca) } : {}),
      ALPNProtocols: ['http/1.1'],
    };
    const socket = connect(connection);
    const timer = setTimeout(() => {
      finish({ ok: false, host, cause: 'timeout', code: 'ETIMEDOUT' });
    }, timeoutMs);
    timer.unref();
    let done = false;
    function finish(result: Reach): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }
    socket.once('secureConnect', () => {
      finish({ ok: true, host });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const code = typeof error.code === 'string' ? error.code : 'ERR_SOCKET';
      finish({ ok: false, host, cause: causeOfErrno(code) ?? 'network', code });
    });
  });
}

// A `ca` option replaces the default roots; the endpoint may be a public one, so keep them.
function withSystemRoots(ca: string | Buffer | readonly (string | Buffer)[]): (string | Buffer)[] {
  const given: readonly (string | Buffer)[] = typeof ca === 'string' || Buffer.isBuffer(ca) ? [ca] : ca;
  return [...given, ...rootCertificates];
}
