// format_datetime and format_timespan: a format string of Kusto's specifiers (yyyy, MM, dd, HH,
// hh, mm, ss, f…, F…, tt; d… for the days of a timespan) and separators.

import { typeError, type Call, type ScalarFunction } from './call.js';
import { typed } from './compiled.js';
import { calendarOf } from './calendar-functions.js';
import { TICKS_PER_DAY, TICKS_PER_HOUR, TICKS_PER_MINUTE, TICKS_PER_SECOND } from './datetime.js';
import { textArg } from './function-args.js';
import { readAs } from './operands.js';

/** The fields a specifier reads. */
interface Fields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** The ticks within the second, 0 to 9,999,999. */
  readonly fraction: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

type Specifier = (count: number, f: Fields, forTimespan: boolean) => string | undefined;

/** Up to `max` letters: the field padded to their count. */
const padded =
  (field: (f: Fields, forTimespan: boolean) => number, max: number, timespans = true): Specifier =>
  (count, f, forTimespan) =>
    count <= max && (timespans || !forTimespan) ? pad(field(f, forTimespan), count) : undefined;

/** What each specifier letter writes for a run of `count` of it; undefined when the run is not one. */
const SPECIFIERS: ReadonlyMap<string, Specifier> = new Map<string, Specifier>([
  ['d', (count, f, forTimespan) => (forTimespan || count <= 2 ? pad(f.day, count) : undefined)],
  ['f', (count, f) => (count <= 7 ? pad(f.fraction, 7).slice(0, count) : undefined)],
  ['F', (count, f) => (count <= 7 ? pad(f.fraction, 7).slice(0, count).replace(/0+$/, '') : undefined)],
  ['h', padded((f, forTimespan) => (forTimespan ? f.hour : f.hour % 12 || 12), 2)],
  ['H', padded((f) => f.hour, 2, false)],
  ['m', padded((f) => f.minute, 2)],
  ['s', padded((f) => f.second, 2)],
  ['M', padded((f) => f.month, 2, false)],
  [
    'y',
    (count, f, forTimespan) => {
      if (forTimespan) return undefined;
      return count === 1 ? String(f.year % 100) : count === 2 ? pad(f.year % 100, 2) : pad(f.year, count);
    },
  ],
  ['t', (count, f, forTimespan) => (count === 2 && !forTimespan ? (f.hour < 12 ? 'AM' : 'PM') : undefined)],
]);

function specifier(letter: string, count: number, f: Fields, forTimespan: boolean): string | undefined {
  return SPECIFIERS.get(letter)?.(count, f, forTimespan);
}

/** The runs of a format: a letter repeated, or one separator. */
function runs(format: string): { letter: string; count: number }[] {
  const out: { letter: string; count: number }[] = [];
  for (let i = 0; i < format.length;) {
    const letter = format[i] ?? '';
    let j = i + 1;
    if (/[A-Za-z]/.test(letter)) while (format[j] === letter) j++;
    out.push({ letter, count: j - i });
    i = j;
  }
  return out;
}

/** The formatted text, or the run that is not a specifier. */
function formatWith(format: string, f: Fields, forTimespan: boolean): string | { bad: string } {
  let out = '';
  for (const { letter, count } of runs(format)) {
    if (!/[A-Za-z]/.test(letter)) {
      out += letter;
      continue;
    }
    const text = specifier(letter, count, f, forTimespan);
    if (text === undefined) return { bad: letter.repeat(count) };
    // An F run with nothing to show also drops the '.' before it.
    out = text === '' && letter === 'F' && out.endsWith('.') ? out.slice(0, -1) : out + text;
  }
  return out;
}

function formatter(
  call: Call,
  type: 'datetime' | 'timespan',
  fields: (ticks: bigint) => Fields,
): ReturnType<typeof typed> {
  const value = call.args[0];
  if (value === undefined || (value.type !== type && value.type !== 'dynamic')) {
    throw typeError(call, `argument 1 must be a ${type}`);
  }
  const read = readAs(value, type);
  const format = textArg(call, 1);
  const check = (text: string | { bad: string }): string => {
    if (typeof text === 'string') return text;
    throw typeError(call, `'${text.bad}' is not a ${type} format specifier`);
  };
  if (call.args[1]?.constant !== undefined)
    check(formatWith(format([], { now: 0n }), fields(0n), type === 'timespan'));
  return typed('string', (row, ctx) => {
    const t = read(row, ctx) as bigint | null | undefined;
    if (t === null || t === undefined) return '';
    return check(formatWith(format(row, ctx), fields(t), type === 'timespan'));
  });
}

function datetimeFields(ticks: bigint): Fields {
  const c = calendarOf(ticks);
  const time = c.timeOfDay;
  return {
    year: c.year,
    month: c.month,
    day: c.day,
    hour: Number(time / TICKS_PER_HOUR),
    minute: Number((time % TICKS_PER_HOUR) / TICKS_PER_MINUTE),
    second: Number((time % TICKS_PER_MINUTE) / TICKS_PER_SECOND),
    fraction: Number(time % TICKS_PER_SECOND),
  };
}

/** A timespan's days, hours, minutes, seconds and fraction (of its magnitude). */
function timespanFields(ticks: bigint): Fields {
  const t = ticks < 0n ? -ticks : ticks;
  const time = t % TICKS_PER_DAY;
  return { ...datetimeFields(time), year: 0, month: 0, day: Number(t / TICKS_PER_DAY) };
}

export const FORMAT_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['format_datetime', { min: 2, max: 2, compile: (call) => formatter(call, 'datetime', datetimeFields) }],
  ['format_timespan', { min: 2, max: 2, compile: (call) => formatter(call, 'timespan', timespanFields) }],
];
