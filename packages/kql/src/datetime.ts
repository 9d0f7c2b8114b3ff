// Datetimes and timespans as bigint ticks (100 ns, the precision of Kusto and of the
// `…1234567Z` strings Log Analytics returns); parsing and formatting both.

export const TICKS_PER_MS = 10_000n;
export const TICKS_PER_SECOND = 10_000_000n;
export const TICKS_PER_MINUTE = 60n * TICKS_PER_SECOND;
export const TICKS_PER_HOUR = 60n * TICKS_PER_MINUTE;
export const TICKS_PER_DAY = 24n * TICKS_PER_HOUR;
/** Ticks from 0001-01-01 (where .NET and Kusto count from) to 1970-01-01. */
export const EPOCH_OFFSET_TICKS = 621_355_968_000_000_000n;

const ISO_DATETIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

export function ticksFromDate(date: Date): bigint {
  return BigInt(date.getTime()) * TICKS_PER_MS;
}

export function dateFromTicks(ticks: bigint): Date {
  return new Date(Number(floorDiv(ticks, TICKS_PER_MS)));
}

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * Parses `2026-11-23`, `2026-11-23 08:15`, `2026-11-23T08:15:30.1234567Z`, with an optional
 * `Z` or `±hh:mm` offset (none means UTC, as in Kusto), and falls back to `Date.parse` for other
 * forms (RFC 1123). Undefined when it is no datetime.
 */
export function parseDateTime(text: string): bigint | undefined {
  if (ISO_DATETIME.test(text.trim())) return parseIsoDateTime(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : BigInt(ms) * TICKS_PER_MS;
}

/** The UTC milliseconds of a calendar date and time; undefined when a field is out of range. */
function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  // Not Date.UTC: it reads years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  // Dates roll 2026-02-31 over into March: reject instead.
  return date.getUTCDate() === day ? date.getTime() : undefined;
}

/** The ticks to subtract for a `Z` or `±hh:mm` zone (none means UTC). */
function zoneOffsetTicks(zone: string | undefined): bigint {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0n;
  const sign = zone.startsWith('-') ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  return sign * BigInt(Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * TICKS_PER_MINUTE;
}

/** Only the ISO 8601 forms `parseDateTime` reads first (no `Date.parse` fallback). */
export function parseIsoDateTime(text: string): bigint | undefined {
  const m = ISO_DATETIME.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = utcMillis(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (ms === undefined) return undefined;
  let ticks = BigInt(ms) * TICKS_PER_MS;
  if (frac !== undefined) ticks += BigInt(frac.slice(0, 7).padEnd(7, '0'));
  return ticks - zoneOffsetTicks(zone);
}

/** `2026-11-23T08:15:30.1234567Z`: always 7 fractional digits, always UTC. */
export function formatDateTime(ticks: bigint): string {
  const ms = floorDiv(ticks, TICKS_PER_MS);
  const sub = ticks - ms * TICKS_PER_MS;
  const iso = new Date(Number(ms)).toISOString();
  return `${iso.slice(0, -1)}${sub.toString().padStart(4, '0')}Z`;
}

const TIMESPAN_UNITS: ReadonlyMap<string, bigint> = new Map([
  ['d', TICKS_PER_DAY],
  ['day', TICKS_PER_DAY],
  ['days', TICKS_PER_DAY],
  ['h', TICKS_PER_HOUR],
  ['hr', TICKS_PER_HOUR],
  ['hrs', TICKS_PER_HOUR],
  ['hour', TICKS_PER_HOUR],
  ['hours', TICKS_PER_HOUR],
  ['m', TICKS_PER_MINUTE],
  ['min', TICKS_PER_MINUTE],
  ['minute', TICKS_PER_MINUTE],
  ['minutes', TICKS_PER_MINUTE],
  ['s', TICKS_PER_SECOND],
  ['sec', TICKS_PER_SECOND],
  ['second', TICKS_PER_SECOND],
  ['seconds', TICKS_PER_SECOND],
  ['ms', TICKS_PER_MS],
  ['milli', TICKS_PER_MS],
  ['millis', TICKS_PER_MS],
  ['millisecond', TICKS_PER_MS],
  ['milliseconds', TICKS_PER_MS],
  ['microsecond', 10n],
  ['microseconds', 10n],
  ['tick', 1n],
  ['ticks', 1n],
]);

const TIMESPAN_UNIT = /^(\d+)(?:\.(\d+))?\s*([a-z]*)$/i;
const TIMESPAN_CLOCK = /^(?:(\d+)\.)?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/**
 * Parses a Kusto timespan: `1d`, `2h`, `30m`, `10s`, `100ms`, `1.5h`, `3microseconds`, a bare
 * number of days, or `[d.]hh:mm[:ss[.fffffff]]`; a leading `-` negates. Undefined otherwise.
 */
export function parseTimespan(text: string): bigint | undefined {
  let t = text.trim();
  let sign = 1n;
  if (t.startsWith('-')) {
    sign = -1n;
    t = t.slice(1);
  }
  const unit = TIMESPAN_UNIT.exec(t);
  if (unit !== null) {
    const [, whole, frac, name] = unit;
    const scale = TIMESPAN_UNITS.get((name ?? '').toLowerCase() || 'd');
    if (scale === undefined) return undefined;
    let ticks = BigInt(whole ?? '0') * scale;
    if (frac !== undefined) ticks += BigInt(Math.round(Number(`0.${frac}`) * Number(scale)));
    return sign * ticks;
  }
  const clock = TIMESPAN_CLOCK.exec(t);
  if (clock === null) return undefined;
  const [, days, hours, minutes, seconds, frac] = clock;
  const ticks =
    BigInt(days ?? '0') * TICKS_PER_DAY +
    BigInt(hours ?? '0') * TICKS_PER_HOUR +
    BigInt(minutes ?? '0') * TICKS_PER_MINUTE +
    BigInt(seconds ?? '0') * TICKS_PER_SECOND +
    BigInt((frac ?? '').padEnd(7, '0'));
  return sign * ticks;
}

/** The .NET/Kusto constant format: `[-][d.]hh:mm:ss[.fffffff]`, e.g. `01:00:00`, `1.00:00:00.5000000`. */
export function formatTimespan(ticks: bigint): string {
  const negative = ticks < 0n;
  let rest = negative ? -ticks : ticks;
  const days = rest / TICKS_PER_DAY;
  rest %= TICKS_PER_DAY;
  const hours = rest / TICKS_PER_HOUR;
  rest %= TICKS_PER_HOUR;
  const minutes = rest / TICKS_PER_MINUTE;
  rest %= TICKS_PER_MINUTE;
  const seconds = rest / TICKS_PER_SECOND;
  const fraction = rest % TICKS_PER_SECOND;
  const two = (n: bigint): string => n.toString().padStart(2, '0');
  return (
    (negative ? '-' : '') +
    (days > 0n ? `${days}.` : '') +
    `${two(hours)}:${two(minutes)}:${two(seconds)}` +
    (fraction > 0n ? `.${fraction.toString().padStart(7, '0')}` : '')
  );
}
