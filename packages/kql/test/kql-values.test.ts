import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDateTime,
  formatTimespan,
  parseDateTime,
  parseTimespan,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_MS,
  TICKS_PER_SECOND,
} from '../src/datetime.js';
import { castTo, fromJson, INVALID, toResponseCell } from '../src/values.js';

/** Ticks between 0001-01-01 and 9999-12-31, relative to the Unix epoch. */
const ticks = fc.bigInt({ min: -621_355_968_000_000_000n, max: 2_534_023_007_999_999_999n });

describe('datetimes', () => {
  it('round-trip through the 7-digit ISO form without losing a tick', () => {
    fc.assert(
      fc.property(ticks, (t) => {
        const text = formatDateTime(t);
        expect(text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
        expect(parseDateTime(text)).toBe(t);
      }),
    );
  });

  it('read the forms Kusto accepts, without an offset as UTC', () => {
    expect(parseDateTime('2026-11-23')).toBe(parseDateTime('2026-11-23T00:00:00Z'));
    expect(parseDateTime('2026-11-23 08:15')).toBe(parseDateTime('2026-11-23T08:15:00Z'));
    expect(parseDateTime('2026-11-23T08:15:30.1234567Z')).toBe(
      (parseDateTime('2026-11-23T08:15:30Z') ?? 0n) + 1_234_567n,
    );
    expect(parseDateTime('2026-11-23T09:15:30+01:00')).toBe(parseDateTime('2026-11-23T08:15:30Z'));
    expect(parseDateTime('Mon, 23 Nov 2026 08:15:30 GMT')).toBe(parseDateTime('2026-11-23T08:15:30Z'));
  });

  it('refuse dates that do not exist', () => {
    expect(parseDateTime('2026-02-31')).toBeUndefined();
    expect(parseDateTime('2026-13-01')).toBeUndefined();
    expect(parseDateTime('yesterday')).toBeUndefined();
  });
});

describe('timespans', () => {
  it.each([
    ['1d', TICKS_PER_DAY],
    ['2h', 2n * TICKS_PER_HOUR],
    ['30m', 30n * TICKS_PER_MINUTE],
    ['10s', 10n * TICKS_PER_SECOND],
    ['100ms', 100n * TICKS_PER_MS],
    ['1.5h', 90n * TICKS_PER_MINUTE],
    ['3microseconds', 30n],
    ['2days', 2n * TICKS_PER_DAY],
    ['01:30:00', 90n * TICKS_PER_MINUTE],
    ['1.02:00:00.5', TICKS_PER_DAY + 2n * TICKS_PER_HOUR + 5_000_000n],
    ['-1h', -TICKS_PER_HOUR],
  ])('read %s', (text, expected) => {
    expect(parseTimespan(text)).toBe(expected);
  });

  it('round-trip through the [-][d.]hh:mm:ss[.fffffff] form', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (t) => {
        expect(parseTimespan(formatTimespan(t))).toBe(t);
      }),
    );
  });
});

describe('conversions', () => {
  it('read JSON values as the declared type, or INVALID', () => {
    expect(fromJson('42', 'int')).toBe(42);
    expect(fromJson(4.7, 'long')).toBe(4);
    expect(fromJson('x', 'real')).toBe(INVALID);
    expect(fromJson('TRUE', 'bool')).toBe(true);
    expect(fromJson(null, 'string')).toBe('');
    expect(fromJson(undefined, 'int')).toBeNull();
    expect(fromJson({ a: 1 }, 'string')).toBe('{"a":1}');
    expect(fromJson({ a: 1 }, 'int')).toBe(INVALID);
    expect(fromJson('9D4B1F2A-0000-4000-8000-000000000001', 'guid')).toBe(
      '9d4b1f2a-0000-4000-8000-000000000001',
    );
  });

  it('convert any integer to a string and back unchanged', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(castTo(castTo(n, 'long', 'string'), 'string', 'long')).toBe(n);
      }),
    );
  });

  it('give response cells in the Log Analytics form', () => {
    expect(toResponseCell(0n, 'datetime')).toBe('1970-01-01T00:00:00.0000000Z');
    expect(toResponseCell(TICKS_PER_HOUR, 'timespan')).toBe('01:00:00');
    expect(toResponseCell({ a: [1] }, 'dynamic')).toBe('{"a":[1]}');
    expect(toResponseCell(null, 'dynamic')).toBeNull();
    expect(toResponseCell(Number.NaN, 'real')).toBeNull();
  });
});
