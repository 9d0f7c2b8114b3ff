// One POST of an OTLP protobuf body to the upstream: resolves with the status (and Retry-After)
// or with a short, safe error code. Never rejects; never reads more of the answer than it needs.

import { request as httpRequest } from 'node:http';
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';

export type PostOutcome =
  { readonly status: number; readonly retryAfter: string | undefined } | { readonly error: string };

export interface PostTarget {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly agent: HttpAgent | HttpsAgent;
  readonly timeoutMs: number;
}

const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;

function codeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string' && SAFE_CODE.test(code)) return code;
  }
  return error instanceof Error && error.name === 'AbortError' ? 'aborted' : 'request failed';
}

/** POSTs `body` (OTLP protobuf) to the target; `signal` aborts it (shutdown). */
export function postOtlp(target: PostTarget, body: Uint8Array, signal: AbortSignal): Promise<PostOutcome> {
  return new Promise<PostOutcome>((resolve) => {
    if (signal.aborted) {
      resolve({ error: 'aborted' });
      return;
    }
    let settled = false;
    const settle = (outcome: PostOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target.url, {
      method: 'POST',
      agent: target.agent,
      headers: {
        ...target.headers,
        'content-type': 'application/x-protobuf',
        'content-length': String(body.byteLength),
      },
    });
    const onAbort = (): void => {
      settle({ error: 'aborted' });
      req.destroy();
    };
    const timer = setTimeout(() => {
      settle({ error: 'timeout' });
      req.destroy();
    }, target.timeoutMs);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => {
      settle({ error: codeOf(error) });
    });
    req.on('response', (res: IncomingMessage) => {
      const retryAfter = res.headers['retry-after'];
      // The answer's body is not needed (a partial success is the upstream's to report); read it
      // to the end so the connection can be reused.
      res.on('error', () => {
        settle({ error: 'ECONNRESET' });
      });
      res.on('end', () => {
        settle({ status: res.statusCode ?? 0, retryAfter });
      });
      res.resume();
    });
    req.end(body);
  });
}
