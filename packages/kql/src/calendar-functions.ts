// Calendar functions of datetimes: datetime_add, datetime_diff, the parts (dayofweek, hourofday,
// dayofmonth, monthofyear, getyear), start and end of a week, month or year (and endofday),
// make_datetime and the unixtime_*_todatetime conversions. Weeks start on Sunday, as in Kusto.

import { typeError, type Call, type ScalarFunction } from './call.js';
import { typed } from './compiled.js';
import {
  floorDiv,
  TICKS_PER_DAY,
  TICKS_PER_HOUR,
  TICKS_PER_MINUTE,
  TICKS_PER_MS,
  TICKS_PER_SECOND,
} from './datetime.js';
import { longArg, textArg, type Read } from './function-args.js';
import { readAs } from './operands.js';

/** The calendar fields of a datetime (UTC). */
export interface Calendar {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly day: number;
  /** The ticks since midnight. */
  readonly timeOfDay: bigint;
  /** 0 (Sunday) to 6. */
  readonly weekday: number;
}

export function calendarOf(ticks: bigint): Calendar {
  const date = new Date(Number(floorDiv(ticks, TICKS_PER_MS)));
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    timeOfDay: ticks - floorDiv(ticks, TICKS_PER_DAY) * TICKS_PER_DAY,
    weekday: date.getUTCDay(),
  };
}

/** Midnight of a calendar date (months beyond 12 or below 1 roll into other years). */
export function dateTicks(year: number, month: number, day: number): bigint {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return BigInt(date.getTime()) * TICKS_PER_MS;
}

function daysInMonth(year: number, month: number): number {
  return Number((dateTicks(year, month + 1, 1) - dateTicks(year, month, 1)) / TICKS_PER_DAY);
}

/** `months` later, the day clamped to the target month's last day (January 31 + 1 month is February 28). */
function addMonths(ticks: bigint, months: number): bigint {
  const c = calendarOf(ticks);
  const index = c.year * 12 + (c.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return dateTicks(year, month, Math.min(c.day, daysInMonth(year, month))) + c.timeOfDay;
}

const FIXED_PERIODS: ReadonlyMap<string, bigint> = new Map([
  ['week', 7n * TICKS_PER_DAY],
  ['day', TICKS_PER_DAY],
  ['hour', TICKS_PER_HOUR],
  ['minute', TICKS_PER_MINUTE],
  ['second', TICKS_PER_SECOND],
  ['millisecond', TICKS_PER_MS],
  ['microsecond', 10n],
]);

const MONTHS_PER_PERIOD: ReadonlyMap<string, number> = new Map([
  ['year', 12],
  ['quarter', 3],
  ['month', 1],
]);

function addPeriod(period: string, amount: number, ticks: bigint): bigint | undefined {
  const months = MONTHS_PER_PERIOD.get(period);
  if (months !== undefined) return addMonths(ticks, amount * months);
  if (period === 'nanosecond') return ticks + BigInt(Math.trunc(amount / 100));
  const span = FIXED_PERIODS.get(period);
  return span === undefined ? undefined : ticks + BigInt(amount) * span;
}

export function startOfWeek(ticks: bigint): bigint {
  const day = floorDiv(ticks, TICKS_PER_DAY) * TICKS_PER_DAY;
  return day - BigInt(calendarOf(ticks).weekday) * TICKS_PER_DAY;
}

/** The number of `period` boundaries between two datetimes (datetime1 - datetime2), as Kusto counts them. */
function periodsBetween(period: string, a: bigint, b: bigint): number | undefined {
  const ca = calendarOf(a);
  const cb = calendarOf(b);
  switch (period) {
    case 'year':
      return ca.year - cb.year;
    case 'quarter':
      return ca.year * 4 + Math.floor((ca.month - 1) / 3) - (cb.year * 4 + Math.floor((cb.month - 1) / 3));
    case 'month':
      return ca.year * 12 + ca.month - (cb.year * 12 + cb.month);
    case 'week':
      return Number((startOfWeek(a) - startOfWeek(b)) / (7n * TICKS_PER_DAY));
    case 'nanosecond':
      return Number((a - b) * 100n);
    default: {
      const span = FIXED_PERIODS.get(period);
      return span === undefined ? undefined : Number(floorDiv(a, span) - floorDiv(b, span));
    }
  }
}

/** The period argument (a literal such as 'month'), checked when the query is compiled. */
function periodArg(call: Call, check: (period: string) => boolean): Read<string> {
  const read = textArg(call, 0);
  const fixed = call.args[0]?.constant === undefined ? undefined : read([], { now: 0n }).toLowerCase();
  if (fixed !== undefined && !check(fixed)) {
    throw typeError(
      call,
      `'${fixed}' is not a period: use year, quarter, month, week, day, hour, minute, second, millisecond, microsecond or nanosecond`,
    );
  }
  return (row, ctx) => read(row, ctx).toLowerCase();
}

const isPeriod = (p: string): boolean =>
  MONTHS_PER_PERIOD.has(p) || FIXED_PERIODS.has(p) || p === 'nanosecond';

function datetimeArg(call: Call, index: number): Read<bigint | null> {
  const a = call.args[index];
  if (a === undefined || (a.type !== 'datetime' && a.type !== 'dynamic' && a.type !== 'string')) {
    throw typeError(call, `argument ${index + 1} must be a datetime`);
  }
  const read = readAs(a, 'datetime');
  return (row, ctx) => (read(row, ctx) as bigint | null | undefined) ?? null;
}

const datetimeAdd: ScalarFunction = {
  min: 3,
  max: 3,
  compile: (call) => {
    const period = periodArg(call, isPeriod);
    const amount = longArg(call, 1);
    const date = datetimeArg(call, 2);
    return typed('datetime', (row, ctx) => {
      const n = amount(row, ctx);
      const t = date(row, ctx);
      return n === null || t === null ? null : (addPeriod(period(row, ctx), n, t) ?? null);
    });
  },
};

const datetimeDiff: ScalarFunction = {
  min: 3,
  max: 3,
  compile: (call) => {
    const period = periodArg(call, isPeriod);
    const first = datetimeArg(call, 1);
    const second = datetimeArg(call, 2);
    return typed('long', (row, ctx) => {
      const a = first(row, ctx);
      const b = second(row, ctx);
      return a === null || b === null ? null : (periodsBetween(period(row, ctx), a, b) ?? null);
    });
  },
};

/** A function of one datetime. */
function ofDate(
  type: 'int' | 'long' | 'timespan' | 'datetime',
  f: (ticks: bigint) => unknown,
): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const date = datetimeArg(call, 0);
      return typed(type, (row, ctx) => {
        const t = date(row, ctx);
        return t === null ? null : f(t);
      });
    },
  };
}

/** startof…/endof…(date [, offset]): the boundary `offset` periods away. */
function boundary(type: 'start' | 'end', step: (ticks: bigint, offset: number) => bigint): ScalarFunction {
  return {
    min: 1,
    max: 2,
    compile: (call) => {
      const date = datetimeArg(call, 0);
      const offset = call.args.length > 1 ? longArg(call, 1) : (): number => 0;
      return typed('datetime', (row, ctx) => {
        const t = date(row, ctx);
        const n = offset(row, ctx);
        if (t === null || n === null) return null;
        return type === 'start' ? step(t, n) : step(t, n + 1) - 1n;
      });
    },
  };
}

const startOfMonth = (t: bigint, n: number): bigint => {
  const c = calendarOf(t);
  return dateTicks(c.year, c.month + n, 1);
};

const startOfYear = (t: bigint, n: number): bigint => dateTicks(calendarOf(t).year + n, 1, 1);
const startOfDay = (t: bigint, n: number): bigint => (floorDiv(t, TICKS_PER_DAY) + BigInt(n)) * TICKS_PER_DAY;
const startOfWeekAt = (t: bigint, n: number): bigint => startOfWeek(t) + BigInt(n) * 7n * TICKS_PER_DAY;

/** Midnight plus a time of day, or null when a field is out of range or the date does not exist. */
function calendarTicks(y: number, mo: number, d: number, h: number, mi: number, s: number): bigint | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s >= 60) return null;
  const time = BigInt(h) * TICKS_PER_HOUR + BigInt(mi) * TICKS_PER_MINUTE;
  return dateTicks(y, mo, d) + time + BigInt(Math.round(s * Number(TICKS_PER_SECOND)));
}

/** make_datetime(year, month, day [, hour, minute, second]); null for a date that does not exist. */
const makeDatetime: ScalarFunction = {
  min: 3,
  max: 6,
  compile: (call) => {
    const parts = call.args.map((a) => readAs(a, 'real'));
    return typed('datetime', (row, ctx) => {
      const values = parts.map((p) => p(row, ctx) as number | null);
      if (values.some((v) => v === null)) return null;
      const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = values.map((v) => Math.trunc(v ?? 0));
      return calendarTicks(y, mo, d, h, mi, values[5] ?? 0);
    });
  },
};

/** unixtime_…_todatetime(n): n units since 1970-01-01 (a real keeps its fraction down to 100 ns). */
function fromUnixTime(ticksPerUnit: number): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const a = call.args[0];
      if (a === undefined) throw typeError(call, 'argument 1 is missing');
      const read = readAs(a, 'real');
      const exact = a.type === 'long' || a.type === 'int';
      return typed('datetime', (row, ctx) => {
        const v = exact ? a.eval(row, ctx) : read(row, ctx);
        if (v === null || v === undefined) return null;
        if (typeof v === 'bigint' || (exact && typeof v === 'number')) {
          const n = BigInt(v);
          return ticksPerUnit >= 1 ? n * BigInt(ticksPerUnit) : n / BigInt(Math.round(1 / ticksPerUnit));
        }
        return BigInt(Math.trunc(Number(v) * ticksPerUnit));
      });
    },
  };
}

export const CALENDAR_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['datetime_add', datetimeAdd],
  ['datetime_diff', datetimeDiff],
  ['dayofweek', ofDate('timespan', (t) => BigInt(calendarOf(t).weekday) * TICKS_PER_DAY)],
  ['hourofday', ofDate('int', (t) => Number(calendarOf(t).timeOfDay / TICKS_PER_HOUR))],
  ['dayofmonth', ofDate('int', (t) => calendarOf(t).day)],
  ['monthofyear', ofDate('int', (t) => calendarOf(t).month)],
  ['getmonth', ofDate('int', (t) => calendarOf(t).month)],
  ['getyear', ofDate('int', (t) => calendarOf(t).year)],
  ['startofweek', boundary('start', startOfWeekAt)],
  ['startofmonth', boundary('start', startOfMonth)],
  ['startofyear', boundary('start', startOfYear)],
  ['endofday', boundary('end', startOfDay)],
  ['endofweek', boundary('end', startOfWeekAt)],
  ['endofmonth', boundary('end', startOfMonth)],
  ['endofyear', boundary('end', startOfYear)],
  ['make_datetime', makeDatetime],
  ['unixtime_seconds_todatetime', fromUnixTime(1e7)],
  ['unixtime_milliseconds_todatetime', fromUnixTime(1e4)],
  ['unixtime_microseconds_todatetime', fromUnixTime(10)],
  ['unixtime_nanoseconds_todatetime', fromUnixTime(0.01)],
];
