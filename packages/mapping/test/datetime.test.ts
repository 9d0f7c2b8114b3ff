import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  createHrTimeFormatter,
  dateToIso,
  DateTimeRangeError,
  epochToIso,
  hrTimeToIso,
  parseDateTime,
} from '../src/datetime.js';
import type { HrTimeLike } from '../src/log-record.js';

const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** The expected string from BigInt nanoseconds, with the calendar part from `Date` as an oracle. */
function isoFromNanos(nanos: bigint): string {
  const ticks = floorDiv(nanos, 100n);
  const seconds = floorDiv(ticks, 10_000_000n);
  const fraction = ticks - seconds * 10_000_000n;
  const calendar = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${calendar}.${fraction.toString().padStart(7, '0')}Z`;
}

// Seconds kept a day inside the range, so nanos up to ±5 s and offsets up to ±24 h stay in it.
const seconds = fc.integer({ min: MIN_SECONDS + 86400, max: MAX_SECONDS - 86400 });
const nanosInRange = fc.integer({ min: 0, max: 999_999_999 });
const anyNanos = fc.oneof(nanosInRange, fc.integer({ min: -5_000_000_000, max: 5_000_000_000 }));
const hrTime = fc.tuple(seconds, anyNanos).map((t): HrTimeLike => t);

describe('hrTimeToIso', () => {
  it.each<[string, HrTimeLike, string]>([
    ['the epoch', [0, 0], '1970-01-01T00:00:00.0000000Z'],
    ['nanoseconds floored to 100 ns', [1700000000, 123456789], '2023-11-14T22:13:20.1234567Z'],
    ['the last 100 ns of a second', [1700000000, 999999999], '2023-11-14T22:13:20.9999999Z'],
    ['nanoseconds of a whole second carried', [0, 1_000_000_000], '1970-01-01T00:00:01.0000000Z'],
    ['nanoseconds of many seconds carried', [0, 12_345_678_999], '1970-01-01T00:00:12.3456789Z'],
    ['a second before 1970', [-1, 0], '1969-12-31T23:59:59.0000000Z'],
    ['negative nanoseconds as OpenTelemetry makes them', [-1, -500_000_000], '1969-12-31T23:59:58.5000000Z'],
    ['one negative nanosecond floored to the 100 ns before', [0, -1], '1969-12-31T23:59:59.9999999Z'],
    ['the first instant of year 0001', [MIN_SECONDS, 0], '0001-01-01T00:00:00.0000000Z'],
    ['the last instant of year 9999', [MAX_SECONDS, 999_999_999], '9999-12-31T23:59:59.9999999Z'],
    ['a leap day', [951782400, 0], '2000-02-29T00:00:00.0000000Z'],
  ])('formats %s', (_, t, expected) => {
    expect(hrTimeToIso(t)).toBe(expected);
  });

  it.each<[string, HrTimeLike]>([
    ['NaN seconds', [Number.NaN, 0]],
    ['infinite nanoseconds', [0, Number.POSITIVE_INFINITY]],
    ['a time before year 0001', [MIN_SECONDS, -1]],
    ['a time after year 9999', [MAX_SECONDS + 1, 0]],
  ])('throws a DateTimeRangeError for %s', (_, t) => {
    expect(() => hrTimeToIso(t)).toThrow(DateTimeRangeError);
    expect(() => hrTimeToIso(t)).toThrow(expect.objectContaining({ code: 'E_DATETIME_RANGE' }));
  });

  it('equals the string built with BigInt arithmetic for any time in range', () => {
    fc.assert(
      fc.property(hrTime, (t) => {
        expect(hrTimeToIso(t)).toBe(isoFromNanos(BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])));
      }),
    );
  });
});

describe('createHrTimeFormatter', () => {
  it('formats records within one second from the cached prefix', () => {
    const format = createHrTimeFormatter();
    expect(format([1700000000, 1])).toBe('2023-11-14T22:13:20.0000000Z');
    expect(format([1700000000, 500_000_000])).toBe('2023-11-14T22:13:20.5000000Z');
    expect(format([1700000001, 0])).toBe('2023-11-14T22:13:21.0000000Z');
  });

  it('does not serve a cached prefix for nanoseconds that carry into another second', () => {
    const format = createHrTimeFormatter();
    expect(format([1700000000, 0])).toBe('2023-11-14T22:13:20.0000000Z');
    expect(format([1700000000, 1_500_000_000])).toBe('2023-11-14T22:13:21.5000000Z');
    expect(format([1700000000, -1])).toBe('2023-11-14T22:13:19.9999999Z');
  });

  it('returns null for a time out of range, where hrTimeToIso throws (the mapper never throws)', () => {
    const format = createHrTimeFormatter();
    expect(format([Number.NaN, Number.NaN])).toBeNull();
    expect(format([253402300800, 0])).toBeNull();
    expect(format([1700000000, 0])).toBe('2023-11-14T22:13:20.0000000Z');
  });

  it('equals hrTimeToIso for any sequence, with repeated and decreasing seconds', () => {
    const step = fc.tuple(fc.constantFrom(0, 0, 0, 1, -1, 2, -86400, 31_536_000), anyNanos);
    fc.assert(
      fc.property(seconds, fc.array(step, { maxLength: 40 }), (start, steps) => {
        const format = createHrTimeFormatter();
        let second = start;
        for (const [delta, nanos] of steps) {
          // Stay a day inside the range, so nanos of ±5 s never leave it.
          second = Math.min(Math.max(second + delta, MIN_SECONDS + 86400), MAX_SECONDS - 86400);
          const t: HrTimeLike = [second, nanos];
          expect(format(t)).toBe(hrTimeToIso(t));
        }
      }),
    );
  });
});

describe('dateToIso', () => {
  it('formats a Date to 100 ns, with its milliseconds', () => {
    expect(dateToIso(new Date(1700000000123))).toBe('2023-11-14T22:13:20.1230000Z');
    expect(dateToIso(new Date(-1))).toBe('1969-12-31T23:59:59.9990000Z');
  });

  it('returns null for an invalid Date', () => {
    expect(dateToIso(new Date('not a date'))).toBeNull();
  });

  it('returns null for a Date outside the years 0001 to 9999', () => {
    const late = new Date(0);
    late.setUTCFullYear(10000);
    const early = new Date(0);
    early.setUTCFullYear(0);
    expect(dateToIso(late)).toBeNull();
    expect(dateToIso(early)).toBeNull();
  });

  it('agrees with Date.toISOString for any Date in range', () => {
    fc.assert(
      fc.property(fc.integer({ min: MIN_SECONDS * 1000, max: MAX_SECONDS * 1000 + 999 }), (ms) => {
        expect(dateToIso(new Date(ms))).toBe(new Date(ms).toISOString().replace('Z', '0000Z'));
      }),
    );
  });
});

describe('parseDateTime', () => {
  it.each([
    ['RFC 3339 with 7 digits and Z', '2026-11-23T08:15:30.1234567Z', '2026-11-23T08:15:30.1234567Z'],
    ['whole seconds', '2026-11-23T08:15:30Z', '2026-11-23T08:15:30.0000000Z'],
    ['lower-case t and z', '2026-11-23t08:15:30z', '2026-11-23T08:15:30.0000000Z'],
    ['a space between date and time', '2026-11-23 08:15:30Z', '2026-11-23T08:15:30.0000000Z'],
    ['a comma before the fraction', '2026-11-23T08:15:30,5Z', '2026-11-23T08:15:30.5000000Z'],
    ['one fractional digit, padded', '2026-11-23T08:15:30.1Z', '2026-11-23T08:15:30.1000000Z'],
    ['nine fractional digits, truncated', '2026-11-23T08:15:30.123456789Z', '2026-11-23T08:15:30.1234567Z'],
    ['offset ±hh:mm', '2026-11-23T10:15:30+02:00', '2026-11-23T08:15:30.0000000Z'],
    ['offset ±hhmm', '2026-11-23T03:15:30-0500', '2026-11-23T08:15:30.0000000Z'],
    ['offset ±hh', '2026-11-23T10:15:30+02', '2026-11-23T08:15:30.0000000Z'],
    ['a half-hour offset', '2026-11-23T13:45:30.25+05:30', '2026-11-23T08:15:30.2500000Z'],
    ['offset -00:00 as UTC', '2026-11-23T08:15:30-00:00', '2026-11-23T08:15:30.0000000Z'],
    ['no offset, as UTC', '2026-11-23T08:15:30', '2026-11-23T08:15:30.0000000Z'],
    ['a date alone, as midnight UTC', '2026-11-23', '2026-11-23T00:00:00.0000000Z'],
    ['a time without seconds', '2026-11-23T08:15Z', '2026-11-23T08:15:00.0000000Z'],
    ['OWASP example with -0700', '2021-01-01T01:01:01-0700', '2021-01-01T08:01:01.0000000Z'],
    ['OWASP example with a space and comma', '2019-01-01 00:00:00,000', '2019-01-01T00:00:00.0000000Z'],
    ['surrounding whitespace', '  2026-11-23T08:15:30Z \n', '2026-11-23T08:15:30.0000000Z'],
    ['an offset that moves into the next year', '2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00.0000000Z'],
    [
      'an offset that moves into the previous day',
      '2026-11-23T00:30:00+01:00',
      '2026-11-22T23:30:00.0000000Z',
    ],
    ['a leap day', '2024-02-29T12:00:00Z', '2024-02-29T12:00:00.0000000Z'],
    ['a leap day of a 400th year', '2000-02-29', '2000-02-29T00:00:00.0000000Z'],
    ['the first instant of year 0001', '0001-01-01T00:00:00Z', '0001-01-01T00:00:00.0000000Z'],
    ['the last 100 ns of year 9999', '9999-12-31T23:59:59.9999999Z', '9999-12-31T23:59:59.9999999Z'],
    ['year 0000 local time that is 0001 in UTC', '0000-12-31T23:30:00-01:00', '0001-01-01T00:30:00.0000000Z'],
  ])('accepts %s', (_, input, expected) => {
    expect(parseDateTime(input)).toBe(expected);
  });

  it.each([
    ['February 30', '2026-02-30'],
    ['February 29 of a common year', '2023-02-29'],
    ['February 29 of a century that is not a 400th year', '1900-02-29T00:00:00Z'],
    ['month 13', '2026-13-01'],
    ['month 00', '2026-00-10'],
    ['day 00', '2026-11-00'],
    ['November 31', '2026-11-31'],
    ['hour 24', '2026-11-23T24:00:01Z'],
    ['24:00:00', '2026-11-23T24:00:00Z'],
    ['minute 60', '2026-11-23T08:60:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['offset hours 25', '2026-11-23T08:15:30+25:00'],
    ['offset hours 24', '2026-11-23T08:15:30+24:00'],
    ['offset minutes 60', '2026-11-23T08:15:30+05:60'],
    ['an offset with seconds', '2026-11-23T08:15:30+05:30:00'],
    ['ten fractional digits', '2026-11-23T08:15:30.1234567890Z'],
    ['a separator without fraction digits', '2026-11-23T08:15:30.Z'],
    ['an offset on a date alone', '2026-11-23Z'],
    ['an hour without minutes', '2026-11-23T08Z'],
    ['a one-digit hour', '2026-11-23T8:15:30Z'],
    ['a one-digit month', '2026-1-05'],
    ['a two-digit year', '26-11-23'],
    ['slashes', '2026/11/23'],
    ['two spaces between date and time', '2026-11-23  08:15:30Z'],
    ['a space before the offset', '2026-11-23T08:15:30 Z'],
    ['full-width digits', '２０２６-11-23'],
    ['an RFC 2822 date that Date.parse accepts', 'Mon, 23 Nov 2026 08:15:30 GMT'],
    ['a time before year 0001 in UTC', '0001-01-01T00:30:00+01:00'],
    ['a time after year 9999 in UTC', '9999-12-31T23:30:00-01:00'],
    ['a word', 'yesterday'],
    ['an empty string', ''],
    ['whitespace', '   '],
  ])('rejects %s', (_, input) => {
    expect(parseDateTime(input)).toBeNull();
  });

  it('reads back what hrTimeToIso writes', () => {
    fc.assert(
      fc.property(hrTime, (t) => {
        const iso = hrTimeToIso(t);
        expect(parseDateTime(iso)).toBe(iso);
      }),
    );
  });

  it('reads a local time with an offset as the same instant as its UTC form', () => {
    const offsetMinutes = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });
    const style = fc.constantFrom('hh:mm', 'hhmm', 'space');
    fc.assert(
      fc.property(seconds, nanosInRange, offsetMinutes, style, (utcSeconds, nanos, offset, form) => {
        const sign = offset < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const mm = String(Math.abs(offset) % 60).padStart(2, '0');
        const local = hrTimeToIso([utcSeconds + offset * 60, nanos]).slice(0, -1);
        const text =
          form === 'hh:mm'
            ? `${local}${sign}${hh}:${mm}`
            : form === 'hhmm'
              ? `${local}${sign}${hh}${mm}`
              : `${local.replace('T', ' ')}${sign}${hh}:${mm}`;
        expect(parseDateTime(text)).toBe(hrTimeToIso([utcSeconds, nanos]));
      }),
    );
  });
});

describe('epochToIso', () => {
  it.each<[string, number | bigint, string]>([
    ['zero as the epoch', 0, '1970-01-01T00:00:00.0000000Z'],
    ['seconds', 1700000000, '2023-11-14T22:13:20.0000000Z'],
    ['fractional seconds', 1700000000.5, '2023-11-14T22:13:20.5000000Z'],
    ['fractional seconds to 100 ns as written', 1700000000.1234567, '2023-11-14T22:13:20.1234567Z'],
    ['a decimal that is not exact in binary, as written', 1700000000.3, '2023-11-14T22:13:20.3000000Z'],
    ['milliseconds', 1700000000123, '2023-11-14T22:13:20.1230000Z'],
    ['fractional milliseconds', 1700000000123.5, '2023-11-14T22:13:20.1235000Z'],
    ['microseconds', 1700000000123456, '2023-11-14T22:13:20.1234560Z'],
    ['nanoseconds as a number', 1700000000123456000, '2023-11-14T22:13:20.1234560Z'],
    ['nanoseconds as a bigint, exactly', 1700000000123456789n, '2023-11-14T22:13:20.1234567Z'],
    ['seconds as a bigint', 1700000000n, '2023-11-14T22:13:20.0000000Z'],
    ['milliseconds as a bigint', 1700000000123n, '2023-11-14T22:13:20.1230000Z'],
    ['microseconds as a bigint', 1700000000123456n, '2023-11-14T22:13:20.1234560Z'],
    ['a negative bigint', -1n, '1969-12-31T23:59:59.0000000Z'],
    ['a negative second', -1, '1969-12-31T23:59:59.0000000Z'],
    ['a negative fraction, floored', -1.5, '1969-12-31T23:59:58.5000000Z'],
    ['10 ns before the epoch, floored to 100 ns', -0.00000001, '1969-12-31T23:59:59.9999999Z'],
    ['a number printed with an exponent', 5e-7, '1970-01-01T00:00:00.0000005Z'],
    ['the largest value read as seconds (< 1e11)', 99999999999, '5138-11-16T09:46:39.0000000Z'],
    ['1e11 as milliseconds', 1e11, '1973-03-03T09:46:40.0000000Z'],
    ['the largest value read as milliseconds (< 1e14)', 99999999999999, '5138-11-16T09:46:39.9990000Z'],
    ['1e14 as microseconds', 1e14, '1973-03-03T09:46:40.0000000Z'],
    ['1e17 as nanoseconds', 1e17, '1973-03-03T09:46:40.0000000Z'],
    ['1e17 as a bigint of nanoseconds', 100_000_000_000_000_000n, '1973-03-03T09:46:40.0000000Z'],
    ['the first second of year 0001', MIN_SECONDS, '0001-01-01T00:00:00.0000000Z'],
  ])('reads %s', (_, value, expected) => {
    expect(epochToIso(value)).toBe(expected);
  });

  it.each<[string, number | bigint]>([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['seconds before year 0001', MIN_SECONDS - 1],
    ['nanoseconds past year 9999', 1e21],
    ['a huge number', 1e300],
    ['a huge bigint', 10n ** 30n],
    ['a huge negative bigint', -(10n ** 30n)],
  ])('returns null for %s', (_, value) => {
    expect(epochToIso(value)).toBeNull();
  });

  it('reads any bigint of nanoseconds exactly, as hrTimeToIso does', () => {
    const nanos = fc.bigInt({ min: 100_000_000_000_000_000n, max: BigInt(MAX_SECONDS) * 1_000_000_000n });
    fc.assert(
      fc.property(nanos, fc.boolean(), (n, negative) => {
        const value = negative && n <= 62135596800n * 1_000_000_000n ? -n : n;
        expect(epochToIso(value)).toBe(isoFromNanos(value));
      }),
    );
  });

  it('reads any whole milliseconds as a Date would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1e11, max: 1e14 - 1 }), (ms) => {
        expect(epochToIso(ms)).toBe(dateToIso(new Date(ms)));
      }),
    );
  });
});
