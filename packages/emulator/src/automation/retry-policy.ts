// What follows an attempt: delivered, another attempt after a wait, or failed with a cause. One
// place for the policy: retry network errors, timeouts, 408, 429 and 5xx; honour Retry-After on
// 429 and 503; otherwise back off exponentially with full jitter; never retry another 4xx.

import { backoffDelayMs, parseRetryAfter } from '@otel-sentinel/exporter/backoff';
import type { AttemptOutcome } from './send-webhook.js';

export type NextStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly waitMs: number; readonly fromRetryAfter: boolean }
  | { readonly kind: 'failed'; readonly cause: string };

/** First backoff ceiling, doubling per attempt up to the cap; the wait is drawn below it. */
export const INITIAL_DELAY_MS = 1_000;
export const MAX_DELAY_MS = 30_000;
/** A longer Retry-After is cut to this: a local test should not hang for an hour. */
export const MAX_RETRY_AFTER_MS = 120_000;

export function nextStep(
  outcome: AttemptOutcome,
  attempt: number,
  maxAttempts: number,
  now: number,
  random: () => number,
): NextStep {
  const { status } = outcome;
  if (status !== undefined && status >= 200 && status < 300) return { kind: 'delivered' };
  if (outcome.code === 'ABORTED') return { kind: 'failed', cause: stoppedCause(attempt, maxAttempts) };
  if (status !== undefined && !retryableStatus(status))
    return { kind: 'failed', cause: refusedCause(status) };
  if (attempt >= maxAttempts) {
    return { kind: 'failed', cause: `gave up after ${attempt} attempts; the last: ${problemOf(outcome)}` };
  }
  const told = status === 429 || status === 503 ? parseRetryAfter(outcome.retryAfter, now) : undefined;
  if (told !== undefined)
    return { kind: 'retry', waitMs: Math.min(told, MAX_RETRY_AFTER_MS), fromRetryAfter: true };
  return {
    kind: 'retry',
    waitMs: backoffDelayMs(attempt, INITIAL_DELAY_MS, MAX_DELAY_MS, random),
    fromRetryAfter: false,
  };
}

/** Why a delivery still pending when the emulator closes is given up. */
export function stoppedCause(attempts: number, maxAttempts: number): string {
  return (
    `stopped: the emulator closed after ${attempts} of ${maxAttempts} attempts; ` +
    'redeliver it once the emulator runs again'
  );
}

function retryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function refusedCause(status: number): string {
  if (status >= 300 && status < 400) {
    return `HTTP ${status}: redirects are not followed; point the automation at the final URL`;
  }
  return `HTTP ${status}: the receiver refused the payload (a 4xx other than 408 and 429 is not retried)`;
}

function problemOf(outcome: AttemptOutcome): string {
  return outcome.status !== undefined ? `HTTP ${outcome.status}` : (outcome.error ?? 'no response');
}
