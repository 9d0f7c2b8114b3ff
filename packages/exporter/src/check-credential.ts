// Asks a credential for a token for the Logs Ingestion scope, as an upload would: for readiness
// probes. Bounded by a timeout, cancellable, never rejects, and the failure reason holds no secret.

import type { TokenCredential } from '@azure/core-auth';
import { classifyFailure } from './delivery/classify-failure.js';
import { withTracingSuppressed } from './with-tracing-suppressed.js';

/** Whether the credential could get a token for the Logs Ingestion scope. */
export type CredentialCheck =
  | { readonly ok: true; readonly scope: string; readonly expiresOnTimestamp: number }
  | {
      readonly ok: false;
      readonly scope: string;
      /** Safe to log: an error name and code (`AuthenticationError AADSTS7000215`), never a message or a secret. */
      readonly reason: string;
    };

export interface CredentialCheckOptions {
  /** Give up after this long (the check then fails as `timed out`). Default 30000 ms. */
  readonly timeoutMs?: number;
  readonly abortSignal?: AbortSignal;
}

export async function checkCredential(
  credential: TokenCredential,
  scope: string,
  options: CredentialCheckOptions,
): Promise<CredentialCheck> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeout = new AbortController();
  const timer = setTimeout(() => {
    timeout.abort();
  }, timeoutMs);
  timer.unref();
  const signal =
    options.abortSignal === undefined
      ? timeout.signal
      : AbortSignal.any([timeout.signal, options.abortSignal]);
  let stop: (() => void) | undefined;
  const stopped = new Promise<'stopped'>((resolve) => {
    stop = () => {
      resolve('stopped');
    };
    signal.addEventListener('abort', stop, { once: true });
  });
  try {
    const token = await Promise.race([
      withTracingSuppressed(() => credential.getToken(scope, { abortSignal: signal })),
      stopped,
    ]);
    if (token === 'stopped')
      return {
        ok: false,
        scope,
        reason: timeout.signal.aborted ? `no token within ${timeoutMs} ms` : 'aborted',
      };
    if (token === null) return { ok: false, scope, reason: 'the credential returned no token' };
    return { ok: true, scope, expiresOnTimestamp: token.expiresOnTimestamp };
  } catch (error) {
    if (timeout.signal.aborted) return { ok: false, scope, reason: `no token within ${timeoutMs} ms` };
    return { ok: false, scope, reason: classifyFailure(error).summary };
  } finally {
    clearTimeout(timer);
    if (stop) signal.removeEventListener('abort', stop);
  }
}
