import { describe, expect, it } from 'vitest';

import { backoffDelayMs, parseRetryAfter } from '../../src/index.js';

const NOW = Date.UTC(2025, 0, 1);

describe('parseRetryAfter', () => {
  it('reads delay-seconds, whole or decimal, as milliseconds rounded up', () => {
    expect(parseRetryAfter('7', NOW)).toBe(7000);
    expect(parseRetryAfter(' 1.0005 ', NOW)).toBe(1001);
    expect(parseRetryAfter('0', NOW)).toBe(0);
  });

  it('reads an HTTP-date as the time left until it, and a past date as no wait', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:03 GMT', NOW)).toBe(3000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', NOW)).toBe(0);
  });

  it('gives nothing for an absent, blank, negative or unreadable value', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
    expect(parseRetryAfter('  ', NOW)).toBeUndefined();
    expect(parseRetryAfter('-5', NOW)).toBeUndefined();
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('draws below a ceiling that doubles per attempt from initialDelayMs up to maxDelayMs', () => {
    expect(backoffDelayMs(1, 100, 1000, () => 0.5)).toBe(50);
    expect(backoffDelayMs(2, 100, 1000, () => 0.5)).toBe(100);
    expect(backoffDelayMs(4, 100, 1000, () => 0.5)).toBe(400);
    expect(backoffDelayMs(5, 100, 1000, () => 0.5)).toBe(500);
    expect(backoffDelayMs(60, 100, 1000, () => 0.999)).toBe(999);
  });

  it('treats a random source outside [0, 1) as 0', () => {
    expect(backoffDelayMs(3, 100, 1000, () => 1)).toBe(0);
    expect(backoffDelayMs(3, 100, 1000, () => Number.NaN)).toBe(0);
  });
});
