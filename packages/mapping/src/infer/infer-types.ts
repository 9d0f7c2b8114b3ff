// The column type sample values suggest (int, long, real, datetime, guid, string, dynamic), and the
// narrowest type that holds every sample of a key.

import { parseDateTime } from '../datetime.js';
import type { ColumnType } from '../types.js';
import type { Field } from './collect-fields.js';
import { UUID } from './values.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 2 ** 63;

/** Number keys that count, measure or identify: long even when the sample value is small. */
const LONG_KEY = /(?:id|count|bytes|size|ms|_ns|_at|time|timestamp|epoch)$|duration/;

/** Number keys that are fractional by nature, even when the sample value was `2.0` or `2`. */
const REAL_KEY = /(?:^|_)(?:ratio|score|latency)(?:_|$)|_seconds$/;

/** The type one sample value suggests; undefined when it tells nothing (null, ""). */
export function typeOfValue(normalizedKey: string, value: unknown, real: boolean): ColumnType | undefined {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return value >= -(2n ** 63n) && value < 2n ** 63n ? 'long' : 'real';
    case 'number':
      return typeOfNumber(normalizedKey, value, real);
    case 'string':
      return typeOfString(value);
    case 'object':
      if (value === null) return undefined;
      return value instanceof Uint8Array ? 'string' : 'dynamic';
    default:
      return undefined;
  }
}

/** A number: real when fractional (or its key says so), long past int32 or for long-ish keys. */
function typeOfNumber(normalizedKey: string, value: number, real: boolean): ColumnType {
  if (real || REAL_KEY.test(normalizedKey) || !Number.isInteger(value)) return 'real';
  if (Math.abs(value) >= INT64_LIMIT) return 'real';
  if (LONG_KEY.test(normalizedKey) || value < INT32_MIN || value > INT32_MAX) return 'long';
  return 'int';
}

/** A string: a datetime or a guid when it reads as one; undefined when empty. */
function typeOfString(value: string): ColumnType | undefined {
  if (value === '') return undefined;
  if (parseDateTime(value) !== null) return 'datetime';
  return UUID.test(value) ? 'guid' : 'string';
}

const NUMERIC_RANK: Partial<Record<ColumnType, number>> = { int: 0, long: 1, real: 2 };

/** The narrowest type that holds both: int → long → real; dynamic absorbs all; else string. */
function widen(a: ColumnType, b: ColumnType): ColumnType {
  if (a === b) return a;
  if (a === 'dynamic' || b === 'dynamic') return 'dynamic';
  const ra = NUMERIC_RANK[a];
  const rb = NUMERIC_RANK[b];
  if (ra !== undefined && rb !== undefined) return ra > rb ? a : b;
  return 'string';
}

/** An epoch number plausible as an event time (seconds to nanoseconds, years 2001–2286). */
export function isEpoch(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value)) return false;
  const a = Math.abs(value);
  return (
    (a >= 1e9 && a < 1e10) || (a >= 1e12 && a < 1e13) || (a >= 1e15 && a < 1e16) || (a >= 1e18 && a < 1e19)
  );
}

export function inferType(f: Field, normalizedKey: string, notes: string[]): ColumnType {
  const seen: ColumnType[] = [];
  let type: ColumnType | undefined;
  for (const v of f.values) {
    const t = typeOfValue(normalizedKey, v, f.real);
    if (t === undefined) continue;
    if (!seen.includes(t)) seen.push(t);
    type = type === undefined ? t : widen(type, t);
  }
  if (type === undefined) {
    notes.push(`sample value was ${f.values.some((v) => v === '') ? 'empty' : 'null'}; type guessed`);
    return 'string';
  }
  if (seen.length > 1 && (type === 'string' || type === 'dynamic'))
    notes.push(`samples differ (${seen.join(', ')})`);
  else if (
    type === 'long' &&
    f.values.some((v) => typeof v === 'number' && v >= INT32_MIN && v <= INT32_MAX)
  ) {
    notes.push('long: the name suggests an id, count, size, duration or time');
  } else if (type === 'real' && !f.real && f.values.every((v) => Number.isInteger(v))) {
    notes.push('real: the name suggests a fractional value');
  }
  return type;
}
