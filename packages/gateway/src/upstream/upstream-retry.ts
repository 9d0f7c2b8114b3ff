// What to do after an upstream attempt: OTLP/HTTP clients retry only 429, 502, 503 and 504 (and
// failures without an answer), wait as `Retry-After` says, otherwise back off exponentially with
// full jitter, within a budget of attempts and elapsed time — or, for records kept on disk
// (`bounded: false`), for as long as it takes: they were acknowledged, and the queue's byte bound
// (503 to clients once it is full) is what limits an outage then.

import { backoffDelayMs, parseRetryAfter } from '@otel-sentinel/exporter';

import type { UpstreamRetryOptions } from '../gateway-options.js';
import type { PostOutcome } from './post-otlp.js';

const RETRYABLE = new Set([429, 502, 503, 504]);

export type UpstreamDecision =
  | { readonly action: 'done' }
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'drop'; readonly reason: 'rejected' | 'retries-exhausted' | 'shutdown' };

export function decideUpstream(
  outcome: PostOutcome,
  attempt: number,
  elapsedMs: number,
  retry: Readonly<Required<UpstreamRetryOptions>>,
  random: () => number = Math.random,
  now: number = Date.now(),
  bounded = true,
): UpstreamDecision {
  if ('status' in outcome) {
    if (outcome.status >= 200 && outcome.status < 300) return { action: 'done' };
    if (!RETRYABLE.has(outcome.status)) return { action: 'drop', reason: 'rejected' };
  } else if (outcome.error === 'aborted') return { action: 'drop', reason: 'shutdown' };
  const told = 'status' in outcome ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  const delayMs = told ?? backoffDelayMs(attempt, retry.initialDelayMs, retry.maxDelayMs, random);
  if (bounded && (attempt >= retry.maxAttempts || elapsedMs + delayMs > retry.maxElapsedMs))
    return { action: 'drop', reason: 'retries-exhausted' };
  return { action: 'retry', delayMs };
}
