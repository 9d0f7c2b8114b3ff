// Sentinel `datetime` values: ISO 8601 UTC with exactly seven fractional digits (100 ns), built from
// HrTime, Date, epoch numbers and log date-time strings with integer or decimal-string arithmetic only.
import { OtelSentinelError } from './errors/otel-sentinel-error.js';
import type { HrTimeLike } from './log-record.js';

const NANOS_PER_SECOND = 1e9;
const SECONDS_PER_DAY = 86400;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z as Unix seconds: the years a 4-digit ISO year holds. */
const MIN_SECONDS = -62135596800;
const MAX_SECONDS = 253402300799;
const MIN_SECONDS_BIG = BigInt(MIN_SECONDS);
const MAX_SECONDS_BIG = BigInt(MAX_SECONDS);
/** 100 ns ticks per second: the resolution of a Sentinel datetime. */
const TICKS_PER_SECOND_BIG = 10_000_000n;

/** Thrown by `hrTimeToIso` for a time that is not finite or lies outside the years 0001–9999 (UTC). */
export class DateTimeRangeError extends OtelSentinelError {
  declare readonly code: 'E_DATETIME_RANGE';
  readonly time: HrTimeLike;

  constructor(time: HrTimeLike) {
    super(
      'E_DATETIME_RANGE',
      `HrTime [${time[0]}, ${time[1]}] is not a date-time between 0001-01-01 and 9999-12-31 UTC; ` +
        'check where the record timestamp was set',
    );
    this.time = time;
  }
}

/**
 * `[seconds, nanoseconds]` as `YYYY-MM-DDTHH:MM:SS.fffffffZ`. Nanoseconds outside 0..999999999
 * (OpenTelemetry produces negative ones before 1970) are carried into the seconds, and the result
 * is floored to 100 ns. Throws `DateTimeRangeError` when the time is not finite or out of range.
 */
export function hrTimeToIso(t: HrTimeLike): string {
  const split = splitHrTime(t);
  if (split === undefined) throw new DateTimeRangeError(t);
  return `${utcPrefix(split[0])}.${sevenDigits(split[1])}Z`;
}

/**
 * A formatter with the output of `hrTimeToIso` that remembers the `YYYY-MM-DDTHH:MM:SS.` prefix
 * of the last second it formatted: records arrive in bursts within one second, and for those
 * only the fraction is formatted. Create one per stream; it is not shared state.
 */
export function createHrTimeFormatter(): (t: HrTimeLike) => string | null {
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  return (t) => {
    const nanos = t[1];
    if (t[0] === cachedSecond && nanos >= 0 && nanos < NANOS_PER_SECOND) {
      return `${cachedPrefix}${sevenDigits(Math.floor(nanos / 100))}Z`;
    }
    const split = splitHrTime(t);
    if (split === undefined) return null;
    if (split[0] !== cachedSecond) {
      cachedSecond = split[0];
      cachedPrefix = `${utcPrefix(split[0])}.`;
    }
    return `${cachedPrefix}${sevenDigits(split[1])}Z`;
  };
}

/** A `Date` as a Sentinel datetime; null for an invalid Date or one outside 0001–9999. */
export function dateToIso(d: Date): string | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const seconds = Math.floor(ms / 1000);
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return null;
  return `${utcPrefix(seconds)}.${sevenDigits((ms - seconds * 1000) * 10_000)}Z`;
}

// Date, then optionally time (hh:mm, :ss and a 1–9 digit fraction) and an offset; the offset is
// only allowed after a time. Groups: 1 year, 2 month, 3 day, 4 hour, 5 minute, 6 second,
// 7 fraction, 8 Z, 9 sign, 10 offset hours, 11 offset minutes.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * An ISO 8601 / RFC 3339 date-time, or a common log variant of one, as a Sentinel datetime.
 *
 * Accepted: `T`, `t` or one space between date and time; `.` or `,` before a 1–9 digit fraction
 * (digits past the seventh are truncated); seconds may be left out (`08:15Z`); offsets `Z`, `z`,
 * `±hh:mm`, `±hhmm`, `±hh` (hours 00–23, minutes 00–59). **No offset means UTC**, since a log
 * line without one carries no zone we could know. A date alone is midnight UTC. Surrounding
 * whitespace is ignored.
 *
 * Null for anything else, including impossible dates (Feb 30), hour 24, leap second 60, and
 * instants outside 0001–9999 once converted to UTC. `Date.parse` is not used: how lenient it is
 * differs between engines.
 */
export function parseDateTime(s: string): string | null {
  const m = DATE_TIME.exec(s.trim());
  if (m === null) return null;
  const year = digits(m[1]);
  const month = digits(m[2]);
  const day = digits(m[3]);
  const hour = digits(m[4]);
  const minute = digits(m[5]);
  const second = digits(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const offset = offsetSeconds(m[9], m[10], m[11]);
  if (offset === null) return null;
  const seconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return null;
  const fraction = `${m[7] ?? ''}0000000`.slice(0, 7);
  return `${utcPrefix(seconds)}.${fraction}Z`;
}

/** The zone offset in seconds east of UTC (0 when none is written), or null when out of range. */
function offsetSeconds(
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
): number | null {
  if (sign === undefined) return 0;
  const offsetHours = digits(hours);
  const offsetMinutes = digits(minutes);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  return (sign === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
}

// `String(number)` always has this shape: sign, digits, optional fraction, optional exponent.
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * A Unix epoch number as a Sentinel datetime, its unit guessed from its magnitude:
 * |v| < 1e11 is seconds (up to the year 5138), < 1e14 milliseconds, < 1e17 microseconds, and
 * anything larger nanoseconds. So seconds before 1970 are read as seconds back to the year
 * -1199 (then null), but a millisecond epoch before 1973-03-03 is read as seconds: logs carrying
 * such values need an explicit unit.
 *
 * A fractional number keeps its fraction to 100 ns as far as its shortest decimal form (what
 * `String(v)` prints) carries it; a bigint is exact. The result is floored to 100 ns. Null for
 * NaN, ±Infinity and instants outside 0001–9999.
 */
export function epochToIso(value: number | bigint): string | null {
  if (typeof value === 'bigint') return ticksToIso(scaleToTicks(value, 0, bigintUnitDigits(value)));
  if (!Number.isFinite(value)) return null;
  const magnitude = Math.abs(value);
  // 1e21 ns is already past the year 9999, and from 1e21 String() switches to exponent form.
  if (magnitude >= 1e21) return null;
  const unitDigits = magnitude < 1e11 ? 0 : magnitude < 1e14 ? 3 : magnitude < 1e17 ? 6 : 9;
  if (Number.isSafeInteger(value) && unitDigits < 9) return wholeEpochToIso(value, unitDigits);
  const m = NUMBER_TEXT.exec(String(value));
  if (m === null) return null;
  const fraction = m[3] ?? '';
  const mantissa = BigInt(`${m[1] ?? ''}${m[2] ?? '0'}${fraction}`);
  const exponent = (m[4] === undefined ? 0 : Number(m[4])) - fraction.length;
  return ticksToIso(scaleToTicks(mantissa, exponent, unitDigits));
}

/** The digits of the unit of a bigint epoch (0 seconds, 3 ms, 6 µs, 9 ns), by its magnitude. */
function bigintUnitDigits(value: bigint): number {
  const magnitude = value < 0n ? -value : value;
  if (magnitude < 100_000_000_000n) return 0;
  if (magnitude < 100_000_000_000_000n) return 3;
  return magnitude < 100_000_000_000_000_000n ? 6 : 9;
}

/** Whole seconds, milliseconds or microseconds: `%` and the division below are exact here. */
function wholeEpochToIso(value: number, unitDigits: number): string | null {
  const perSecond = 10 ** unitDigits;
  let remainder = value % perSecond;
  if (remainder < 0) remainder += perSecond;
  const seconds = (value - remainder) / perSecond;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return null;
  return `${utcPrefix(seconds)}.${sevenDigits(remainder * 10 ** (7 - unitDigits))}Z`;
}

/** `mantissa × 10^exponent` units of `10^-unitDigits` seconds, as 100 ns ticks, floored. */
function scaleToTicks(mantissa: bigint, exponent: number, unitDigits: number): bigint {
  const shift = exponent + 7 - unitDigits;
  if (shift >= 0) return mantissa * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  const quotient = mantissa / divisor;
  // BigInt division truncates toward zero; a datetime floors, so negatives with a remainder step down.
  return mantissa < 0n && quotient * divisor !== mantissa ? quotient - 1n : quotient;
}

function ticksToIso(ticks: bigint): string | null {
  let seconds = ticks / TICKS_PER_SECOND_BIG;
  let remainder = ticks % TICKS_PER_SECOND_BIG;
  if (remainder < 0n) {
    seconds -= 1n;
    remainder += TICKS_PER_SECOND_BIG;
  }
  if (seconds < MIN_SECONDS_BIG || seconds > MAX_SECONDS_BIG) return null;
  return `${utcPrefix(Number(seconds))}.${sevenDigits(Number(remainder))}Z`;
}

/**
 * Whole Unix seconds and 100 ns ticks (0..9999999) of an HrTime, or undefined when it is not
 * finite or out of range. Integer seconds never enter a float product, so nothing is lost.
 */
function splitHrTime(t: HrTimeLike): [number, number] | undefined {
  const [rawSeconds, rawNanos] = t;
  if (!Number.isFinite(rawSeconds) || !Number.isFinite(rawNanos)) return undefined;
  const wholeSeconds = Math.floor(rawSeconds);
  // A fractional second (not produced by OpenTelemetry) can only be as exact as its float.
  const nanos =
    wholeSeconds === rawSeconds ? rawNanos : rawNanos + (rawSeconds - wholeSeconds) * NANOS_PER_SECOND;
  // `%` is exact on doubles, and so is the subtraction of the remainder for integer nanos.
  let remainder = nanos % NANOS_PER_SECOND;
  if (remainder < 0) remainder += NANOS_PER_SECOND;
  let carry = (nanos - remainder) / NANOS_PER_SECOND;
  if (remainder >= NANOS_PER_SECOND) {
    // Only a tiny negative fraction rounds up to a whole second when the second is added back.
    remainder = 0;
    carry += 1;
  }
  const seconds = wholeSeconds + carry;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return undefined;
  return [seconds, Math.floor(remainder / 100)];
}

/** `YYYY-MM-DDTHH:MM:SS` of whole Unix seconds in range (proleptic Gregorian, H. Hinnant's civil_from_days). */
function utcPrefix(seconds: number): string {
  const days = Math.floor(seconds / SECONDS_PER_DAY);
  const secondOfDay = seconds - days * SECONDS_PER_DAY;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay - hour * 3600) / 60);
  const second = secondOfDay - hour * 3600 - minute * 60;
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}`;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A regex group of ASCII digits as a number; an optional group that did not match is 0. */
function digits(group: string | undefined): number {
  return group === undefined ? 0 : Number(group);
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function sevenDigits(ticks: number): string {
  return String(ticks).padStart(7, '0');
}
