// Conversions between Kusto types, from and to JSON, and the ordering and identity of values.

import { formatDateTime, formatTimespan, parseDateTime, parseTimespan } from './datetime.js';
import { stringifyExactJson } from './exact-json.js';
import type { KqlType } from './types.js';

/** What a conversion returns when the value cannot become the target type. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const INTEGER = /^[+-]?\d+$/;

function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  return Number(t);
}

/** Kusto `tostring()`. */
export function toKqlString(value: unknown, from: KqlType): string {
  if (value === null || value === undefined) return '';
  switch (from) {
    case 'datetime':
      return typeof value === 'bigint' ? formatDateTime(value) : '';
    case 'timespan':
      return typeof value === 'bigint' ? formatTimespan(value) : '';
    default:
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
        return String(value);
      return stringifyExactJson(value) ?? '';
  }
}

/** A dynamic value as the Kusto type its JSON kind stands for. */
function dynamicKind(value: unknown): KqlType {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(value) ? 'long' : 'real';
    case 'bigint':
      return 'long';
    case 'boolean':
      return 'bool';
    default:
      return 'dynamic';
  }
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export const LONG_MIN = -(2n ** 63n);
export const LONG_MAX = 2n ** 63n - 1n;

/**
 * A long as the runtime holds it: a number within ±(2^53−1), else a bigint (so equal longs are
 * always `===`); null beyond the 64-bit range.
 */
export function canonicalLong(n: bigint): number | bigint | null {
  if (n < LONG_MIN || n > LONG_MAX) return null;
  return n >= MIN_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

/** A number, boolean, numeric string or timespan as a double; undefined when it is none. */
function asDouble(value: unknown, from: KqlType): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseNumber(value);
  if (typeof value === 'bigint' && from === 'timespan') return Number(value);
  return undefined;
}

/** A long held as a bigint (beyond 2^53) as an int (its low 32 bits), a long or a real. */
function fromLong(value: bigint, to: 'int' | 'long' | 'real'): unknown {
  if (to === 'real') return Number(value);
  if (to === 'int') return Number(BigInt.asIntN(32, value));
  return canonicalLong(value) ?? INVALID;
}

/** `toint`, `tolong`, `toreal`: longs beyond 2^53 stay exact (bigints) where the target can hold them. */
function castToNumber(value: unknown, from: KqlType, to: 'int' | 'long' | 'real'): unknown {
  if (typeof value === 'bigint' && from !== 'timespan' && from !== 'datetime') return fromLong(value, to);
  if (to === 'long' && typeof value === 'string' && INTEGER.test(value.trim())) {
    return canonicalLong(BigInt(value.trim())) ?? INVALID;
  }
  const n = asDouble(value, from);
  if (n === undefined || Number.isNaN(n)) return INVALID;
  if (to === 'real') return n;
  if (!Number.isFinite(n)) return INVALID;
  const whole = Math.trunc(n);
  return to === 'int' ? whole | 0 : whole;
}

function castToBool(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  }
  return INVALID;
}

/** A non-null value as a type that is not string, number or bool. */
function castToOther(
  value: unknown,
  from: KqlType,
  to: 'datetime' | 'timespan' | 'guid' | 'dynamic',
): unknown {
  switch (to) {
    case 'datetime':
      if (from === 'datetime') return value;
      return typeof value === 'string' ? (parseDateTime(value) ?? INVALID) : INVALID;
    case 'timespan':
      if (from === 'timespan') return value;
      return typeof value === 'string' ? (parseTimespan(value) ?? INVALID) : INVALID;
    case 'guid':
      return typeof value === 'string' && GUID.test(value) ? value.toLowerCase() : INVALID;
    case 'dynamic':
      return toDynamic(value, from);
  }
}

/**
 * Converts a run-time value of type `from` to type `to` as Kusto's `to*()` functions do.
 * Null stays null ('' for strings); INVALID when there is no such conversion.
 */
export function castTo(value: unknown, from: KqlType, to: KqlType): unknown {
  if (to === 'string') return toKqlString(value, from);
  if (value === null || value === undefined) return null;
  if (from === 'dynamic' && to !== 'dynamic') {
    const kind = dynamicKind(value);
    return kind === 'dynamic' ? INVALID : castTo(value, kind, to);
  }
  if (to === 'int' || to === 'long' || to === 'real') return castToNumber(value, from, to);
  if (to === 'bool') return castToBool(value);
  return castToOther(value, from, to);
}

/** A run-time value as a JSON value (what `dynamic` holds). */
export function toDynamic(value: unknown, from: KqlType): unknown {
  if (value === null || value === undefined) return null;
  if (from === 'datetime' || from === 'timespan') return toKqlString(value, from);
  return value;
}

const isWhole = (value: unknown): boolean =>
  (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint';

/** For each type, whether a (non-null) JSON value already has it. */
const JSON_HAS_TYPE: Readonly<Record<KqlType, (value: unknown) => boolean>> = {
  string: (value) => typeof value === 'string',
  int: isWhole,
  long: isWhole,
  real: (value) => typeof value === 'number',
  bool: (value) => typeof value === 'boolean',
  datetime: (value) => typeof value === 'string' && parseDateTime(value) !== undefined,
  timespan: (value) => typeof value === 'string' && parseTimespan(value) !== undefined,
  guid: (value) => typeof value === 'string' && GUID.test(value),
  dynamic: () => true,
};

/** Does a JSON value already have the type (no conversion needed)? */
export function jsonHasType(value: unknown, type: KqlType): boolean {
  return value === null || value === undefined || JSON_HAS_TYPE[type](value);
}

/** Reads a JSON value (a request body field, a stored cell) as `type`; INVALID when impossible. */
export function fromJson(value: unknown, type: KqlType): unknown {
  if (value === undefined || value === null) return type === 'string' ? '' : null;
  if (type === 'dynamic') return value;
  // Read from exact JSON or a database driver: a 64-bit integer keeps its digits as a long.
  if (typeof value === 'bigint') return castTo(value, 'long', type);
  if (value instanceof Date) return fromJson(value.toISOString(), type);
  const kind = typeof value === 'object' ? 'dynamic' : dynamicKind(value);
  return castTo(value, kind, type);
}

/** A run-time value as a table cell: datetimes as ISO strings, dynamic as JSON, the rest as is. */
export function toJsonValue(value: unknown, type: KqlType): unknown {
  if (value === null || value === undefined) return type === 'string' ? '' : null;
  switch (type) {
    case 'datetime':
    case 'timespan':
      return toKqlString(value, type);
    case 'real':
    case 'int':
      return typeof value === 'number' && Number.isFinite(value) ? value : null;
    case 'long':
      return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint'
        ? value
        : null;
    default:
      return value;
  }
}

/** A run-time value as a Log Analytics response cell: like `toJsonValue`, dynamic as JSON text. */
export function toResponseCell(value: unknown, type: KqlType): unknown {
  if (type === 'dynamic')
    return value === null || value === undefined ? null : (stringifyExactJson(value) ?? null);
  return toJsonValue(value, type);
}

function ordered(a: number | bigint, b: number | bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function orderedText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isNumberLike = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

/** Orders two non-null values of one type. */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Longs beyond 2^53 are bigints: < and > compare a bigint and a number exactly.
  if (isNumberLike(a) && isNumberLike(b)) return ordered(a, b);
  if (typeof a === 'string' && typeof b === 'string') return orderedText(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : (stringifyExactJson(a) ?? '');
  const y = typeof b === 'string' ? b : (stringifyExactJson(b) ?? '');
  return orderedText(x, y);
}

/** A string that is equal for equal values (grouping, distinct, dcount, make_set). */
export function valueKey(value: unknown): string {
  if (value === null || value === undefined) return 'z';
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'bigint':
      return `t${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    default:
      return `d${stringifyExactJson(value) ?? ''}`;
  }
}
