import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Failure } from '../../src/delivery/classify-failure.js';
import { ConfigError } from '@otel-sentinel/mapping';
import { DEFAULT_RETRY_OPTIONS, RetryPolicy } from '../../src/delivery/retry-policy.js';
import type { RetryOptions } from '../../src/delivery/retry-policy.js';

const transient: Failure = { kind: 'transient', status: 500, summary: 'HTTP 500' };
const permanent: Failure = {
  kind: 'permanent',
  status: 403,
  code: 'OperationFailed',
  summary: 'HTTP 403 OperationFailed',
};
const aborted: Failure = { kind: 'aborted', summary: 'aborted' };
const throttled = (retryAfterMs: number): Failure => ({
  kind: 'throttled',
  status: 429,
  retryAfterMs,
  summary: 'HTTP 429',
});

/** random() just below 1, so the delay is the backoff ceiling minus rounding. */
const almostOne = (): number => 0.999_999;

describe('RetryPolicy options', () => {
  it('defaults to 6 attempts, 120 s, 1 s doubling to 30 s, and Retry-After up to 60 s', () => {
    expect(new RetryPolicy().options).toEqual({
      maxAttempts: 6,
      maxElapsedMs: 120_000,
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      maxRetryAfterMs: 60_000,
    });
    expect(DEFAULT_RETRY_OPTIONS.maxAttempts).toBe(6);
  });

  it('keeps the options it is given', () => {
    expect(new RetryPolicy({ maxAttempts: 2, initialDelayMs: 5, maxDelayMs: 5 }).options).toMatchObject({
      maxAttempts: 2,
      initialDelayMs: 5,
      maxDelayMs: 5,
    });
  });

  it.each<[RetryOptions, string]>([
    [{ maxAttempts: 0 }, 'retry.maxAttempts'],
    [{ maxAttempts: 2.5 }, 'retry.maxAttempts'],
    [{ maxElapsedMs: -1 }, 'retry.maxElapsedMs'],
    [{ initialDelayMs: Number.NaN }, 'retry.initialDelayMs'],
    [{ maxDelayMs: Number.POSITIVE_INFINITY }, 'retry.maxDelayMs'],
    [{ maxRetryAfterMs: -5 }, 'retry.maxRetryAfterMs'],
    [{ initialDelayMs: 50_000 }, 'retry.maxDelayMs'],
    [{ maxAttempts: '3' as unknown as number }, 'retry.maxAttempts'],
  ])('rejects %j with an error naming %s', (options, option) => {
    let caught: unknown;
    try {
      new RetryPolicy(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(caught).toMatchObject({ code: 'E_DELIVERY_CONFIG', option });
    expect((caught as Error).message).toMatch(new RegExp(`^${option.replace('.', '\\.')} `));
  });
});

describe('RetryPolicy.decide', () => {
  const policy = new RetryPolicy({}, { random: almostOne });

  it('gives up on a permanent failure at once', () => {
    expect(policy.decide(permanent, 1, 0)).toEqual({ action: 'give-up', reason: 'permanent' });
  });

  it('gives up on an aborted failure at once', () => {
    expect(policy.decide(aborted, 1, 0)).toEqual({ action: 'give-up', reason: 'aborted' });
  });

  it('waits exactly the Retry-After when throttled', () => {
    expect(policy.decide(throttled(4_321), 1, 0)).toEqual({ action: 'retry', delayMs: 4_321 });
    expect(policy.decide(throttled(0), 1, 0)).toEqual({ action: 'retry', delayMs: 0 });
  });

  it('gives up when the Retry-After is longer than maxRetryAfterMs', () => {
    expect(policy.decide(throttled(60_001), 1, 0)).toEqual({
      action: 'give-up',
      reason: 'retries-exhausted',
    });
  });

  it('backs off a throttled failure without a Retry-After like a transient one', () => {
    const noHeader: Failure = { kind: 'throttled', status: 429, summary: 'HTTP 429' };
    expect(policy.decide(noHeader, 2, 0)).toEqual({ action: 'retry', delayMs: 1_999 });
  });

  it('doubles the backoff ceiling per attempt up to maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => policy.backoffMs(attempt));
    expect(delays).toEqual([999, 1_999, 3_999, 7_999, 15_999]);
    expect(new RetryPolicy({ maxAttempts: 20 }, { random: almostOne }).backoffMs(10)).toBe(29_999);
  });

  it('draws the delay anywhere from 0 up to the ceiling (full jitter)', () => {
    expect(new RetryPolicy({}, { random: () => 0 }).decide(transient, 3, 0)).toEqual({
      action: 'retry',
      delayMs: 0,
    });
    expect(new RetryPolicy({}, { random: () => 0.5 }).decide(transient, 3, 0)).toEqual({
      action: 'retry',
      delayMs: 2_000,
    });
  });

  it('gives up after maxAttempts attempts', () => {
    const three = new RetryPolicy({ maxAttempts: 3 }, { random: () => 0 });
    expect(three.decide(transient, 2, 0).action).toBe('retry');
    expect(three.decide(transient, 3, 0)).toEqual({ action: 'give-up', reason: 'retries-exhausted' });
    expect(three.decide(throttled(1), 3, 0)).toEqual({ action: 'give-up', reason: 'retries-exhausted' });
  });

  it('never retries when maxAttempts is 1', () => {
    expect(new RetryPolicy({ maxAttempts: 1 }).decide(throttled(1), 1, 0).action).toBe('give-up');
  });

  it('gives up when the next attempt would start after maxElapsedMs', () => {
    const budget = new RetryPolicy({ maxElapsedMs: 10_000 }, { random: almostOne });
    expect(budget.decide(throttled(3_000), 1, 7_000)).toEqual({ action: 'retry', delayMs: 3_000 });
    expect(budget.decide(throttled(3_001), 1, 7_000)).toEqual({
      action: 'give-up',
      reason: 'retries-exhausted',
    });
    expect(budget.decide(transient, 1, 10_001)).toEqual({ action: 'give-up', reason: 'retries-exhausted' });
  });

  it('keeps every retry within the attempt and time budget', () => {
    fc.assert(
      fc.property(
        fc.record({
          maxAttempts: fc.integer({ min: 1, max: 10 }),
          maxElapsedMs: fc.integer({ min: 0, max: 200_000 }),
          initialDelayMs: fc.integer({ min: 0, max: 5_000 }),
          extraDelayMs: fc.integer({ min: 0, max: 60_000 }),
          maxRetryAfterMs: fc.integer({ min: 0, max: 100_000 }),
        }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.constantFrom<Failure['kind']>('throttled', 'transient', 'permanent', 'aborted'),
        fc.option(fc.integer({ min: 0, max: 200_000 })),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 200_000 }),
        (o, r, kind, retryAfterMs, attempt, elapsedMs) => {
          const policy = new RetryPolicy(
            { ...o, maxDelayMs: o.initialDelayMs + o.extraDelayMs },
            { random: () => r },
          );
          const failure: Failure =
            retryAfterMs === null ? { kind, summary: 's' } : { kind, retryAfterMs, summary: 's' };
          const decision = policy.decide(failure, attempt, elapsedMs);
          if (decision.action === 'give-up') return;
          expect(kind === 'throttled' || kind === 'transient').toBe(true);
          expect(attempt).toBeLessThan(o.maxAttempts);
          expect(decision.delayMs).toBeGreaterThanOrEqual(0);
          expect(elapsedMs + decision.delayMs).toBeLessThanOrEqual(o.maxElapsedMs);
          if (kind === 'throttled' && retryAfterMs !== null) expect(decision.delayMs).toBe(retryAfterMs);
          else expect(decision.delayMs).toBeLessThanOrEqual(o.initialDelayMs + o.extraDelayMs);
        },
      ),
    );
  });
});
