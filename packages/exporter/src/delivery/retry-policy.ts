// The retry budget: given a classified failure, whether a chunk is sent again and after how long.
// Together with classify-failure.ts this is the whole failure policy.

import { backoffDelayMs } from './backoff.js';
import { deliveryConfigError } from './errors.js';
import type { Failure } from './classify-failure.js';

/**
 * The retry budget of one chunk. No environment variable sets these; they come from the
 * exporter's `retry` option. Example: `{ maxAttempts: 4, maxElapsedMs: 30_000 }`.
 */
export interface RetryOptions {
  /** Attempts per chunk, the first included. A whole number ≥ 1; 1 means never retry. Default 6. */
  maxAttempts?: number;
  /**
   * Give up on a chunk when the next attempt would start more than this long after its first
   * attempt. Milliseconds, ≥ 0. Default 120000.
   */
  maxElapsedMs?: number;
  /** First backoff ceiling; it doubles per attempt and the delay is drawn below it (full jitter). ≥ 0. Default 1000 ms. */
  initialDelayMs?: number;
  /** Cap of the backoff ceiling. ≥ `initialDelayMs`. Default 30000 ms. */
  maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this gives up at once (`retries-exhausted`) instead of holding the
   * rows that long. ≥ 0. Default 60000 ms.
   */
  maxRetryAfterMs?: number;
}

export const DEFAULT_RETRY_OPTIONS: Readonly<Required<RetryOptions>> = Object.freeze({
  maxAttempts: 6,
  maxElapsedMs: 120_000,
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
});

/** Why a chunk is not sent again. */
export type GiveUpReason = 'permanent' | 'retries-exhausted' | 'aborted';

export type RetryDecision =
  | { readonly action: 'retry'; readonly delayMs: number }
  | { readonly action: 'give-up'; readonly reason: GiveUpReason };

/** What Delivery needs from a policy; tests may inject their own. */
export interface RetryDecider {
  /**
   * @param attempt the attempt that just failed, 1 for the first.
   * @param elapsedMs time since the chunk's first attempt started.
   */
  decide(failure: Failure, attempt: number, elapsedMs: number): RetryDecision;
}

export interface RetryPolicyTestHooks {
  /** Source of jitter in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
}

const GIVE_UP_PERMANENT: RetryDecision = Object.freeze({ action: 'give-up', reason: 'permanent' });
const GIVE_UP_EXHAUSTED: RetryDecision = Object.freeze({ action: 'give-up', reason: 'retries-exhausted' });
const GIVE_UP_ABORTED: RetryDecision = Object.freeze({ action: 'give-up', reason: 'aborted' });

export class RetryPolicy implements RetryDecider {
  readonly options: Readonly<Required<RetryOptions>>;
  private readonly random: () => number;

  /** @throws ConfigError naming the option when a value is out of range. */
  constructor(options: RetryOptions = {}, hooks: RetryPolicyTestHooks = {}) {
    this.options = Object.freeze(validate(options));
    this.random = hooks.random ?? Math.random;
  }

  /**
   * Throttled: wait exactly the `Retry-After` (unless it exceeds `maxRetryAfterMs`). Transient:
   * exponential backoff with full jitter. Permanent and aborted: give up at once. Either way, a
   * chunk gets at most `maxAttempts` attempts and none starts after `maxElapsedMs`.
   */
  decide(failure: Failure, attempt: number, elapsedMs: number): RetryDecision {
    if (failure.kind === 'aborted') return GIVE_UP_ABORTED;
    if (failure.kind === 'permanent') return GIVE_UP_PERMANENT;
    const { maxAttempts, maxElapsedMs, maxRetryAfterMs } = this.options;
    if (attempt >= maxAttempts) return GIVE_UP_EXHAUSTED;
    let delayMs: number;
    if (failure.kind === 'throttled' && failure.retryAfterMs !== undefined) {
      if (failure.retryAfterMs > maxRetryAfterMs) return GIVE_UP_EXHAUSTED;
      delayMs = failure.retryAfterMs;
    } else {
      delayMs = this.backoffMs(attempt);
    }
    if (elapsedMs + delayMs > maxElapsedMs) return GIVE_UP_EXHAUSTED;
    return { action: 'retry', delayMs };
  }

  /** Full jitter: uniform in [0, min(maxDelayMs, initialDelayMs · 2^(attempt−1))). */
  backoffMs(attempt: number): number {
    return backoffDelayMs(attempt, this.options.initialDelayMs, this.options.maxDelayMs, this.random);
  }
}

function validate(options: RetryOptions): Required<RetryOptions> {
  const merged = { ...DEFAULT_RETRY_OPTIONS };
  for (const key of Object.keys(DEFAULT_RETRY_OPTIONS) as (keyof RetryOptions)[]) {
    const value: unknown = options[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
      throw deliveryConfigError(`retry.${key}`, 'must be a finite number ≥ 0', value);
    merged[key] = value;
  }
  if (!Number.isInteger(merged.maxAttempts) || merged.maxAttempts < 1)
    throw deliveryConfigError('retry.maxAttempts', 'must be a whole number ≥ 1', merged.maxAttempts);
  if (merged.maxDelayMs < merged.initialDelayMs)
    throw deliveryConfigError(
      'retry.maxDelayMs',
      `must be ≥ retry.initialDelayMs (${merged.initialDelayMs})`,
      merged.maxDelayMs,
    );
  return merged;
}
