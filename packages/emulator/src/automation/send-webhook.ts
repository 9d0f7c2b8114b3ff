// One POST of a delivery to its target: node:http or node:https, a timeout over the whole
// exchange, HTTPS verified against the system's CAs plus the emulator's own. Never throws:
// every end is an outcome the retry policy reads.

import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { getCACertificates, rootCertificates } from 'node:tls';
import { networkProblemOf } from '@otel-sentinel/exporter/network-problem';
import type { NetworkProblem } from '@otel-sentinel/exporter/network-problem';
import type { ResolvedTarget } from './automation-options.js';

/** How one attempt ended: a response (`status`), or an error `code` with words for it. */
export interface AttemptOutcome {
  readonly status?: number;
  /** The response's Retry-After header, as sent. */
  readonly retryAfter?: string;
  readonly code?: string;
  readonly error?: string;
}

/**
 * The CAs an HTTPS target is checked against: Node's default set (its bundled roots and
 * NODE_EXTRA_CA_CERTS), the operating system's, and the emulator's own CA.
 */
export function trustedCas(emulatorCaPem: string): string[] {
  // getCACertificates is Node ≥ 22.15; older 22.x fall back to the bundled roots.
  if (typeof getCACertificates !== 'function') return [...rootCertificates, emulatorCaPem];
  const all = new Set([...getCACertificates('default'), ...getCACertificates('system'), emulatorCaPem]);
  return [...all];
}

/** POSTs `body` (JSON) to the target; resolves with how it ended, never rejects. */
export function sendWebhook(
  target: ResolvedTarget,
  body: string,
  ca: readonly string[],
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: AttemptOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const headers = {
      ...target.headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': 'otel-sentinel-emulator (automation)',
    };
    const options = {
      method: 'POST',
      headers,
      signal,
      ...(target.url.protocol === 'https:' ? { ca: [...ca] } : {}),
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target.url, options, (res: IncomingMessage) => {
      // The body is read and dropped: the status is the answer, and reading lets the socket close.
      res.resume();
      res.on('end', () => {
        finish(responseOutcome(res));
      });
      res.on('error', (e: Error) => {
        finish(errorOutcome(e));
      });
    });
    const timer = setTimeout(() => {
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }));
    }, target.timeoutMs);
    timer.unref();
    req.on('error', (e: Error) => {
      finish(errorOutcome(e));
    });
    req.end(body);
  });
}

function responseOutcome(res: IncomingMessage): AttemptOutcome {
  const retryAfter = res.headers['retry-after'];
  return { status: res.statusCode ?? 0, ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

function errorOutcome(error: Error): AttemptOutcome {
  const code = (error as { code?: unknown }).code;
  if (error.name === 'AbortError') return { code: 'ABORTED', error: 'stopped: the emulator closed' };
  const c = typeof code === 'string' ? code : 'ERROR';
  return { code: c, error: `${wordsFor(c)} (${c})` };
}

const WORDS: Readonly<Record<NetworkProblem, string>> = {
  refused: 'connection refused: nothing listens at that host and port',
  'no-such-host': 'no such host',
  'dns-unanswered': 'the DNS lookup got no answer',
  timeout: 'timed out',
  unreachable: 'host or network unreachable',
  reset: 'the connection was reset or dropped before a response',
  broken: 'the connection broke before a response',
  'tls-untrusted': 'the certificate is not trusted (not from a system CA or the emulator CA)',
  'tls-expired': 'the certificate has expired',
  'tls-not-yet-valid': 'the certificate is not valid yet',
  'tls-wrong-host': 'the certificate does not name this host',
  'tls-handshake': 'the TLS handshake failed',
};

function wordsFor(code: string): string {
  if (code === 'ETIMEDOUT') return WORDS.timeout;
  const problem = networkProblemOf(code);
  return problem !== undefined ? WORDS[problem] : 'the request failed';
}
