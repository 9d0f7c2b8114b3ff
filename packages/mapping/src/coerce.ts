// Converts source values to column types. Every (source kind × column type) pair has one defined
// outcome: a value, or null with a reason the caller counts. See the coercion table in README.md.

import { dateToIso, epochToIso, parseDateTime } from './datetime.js';
import { exactInteger } from './exact-json.js';
import type { ColumnType } from './types.js';

export type NullReason =
  | 'missing'
  | 'type-mismatch'
  | 'not-finite'
  | 'not-an-integer'
  | 'out-of-range'
  | 'unparsable'
  | 'not-a-guid';

export const NULL_REASONS: readonly NullReason[] = [
  'missing',
  'type-mismatch',
  'not-finite',
  'not-an-integer',
  'out-of-range',
  'unparsable',
  'not-a-guid',
];

/** Scratch the caller owns, so coercers return plain values without allocating a result. */
export interface CoerceScratch {
  reason: NullReason | undefined;
  /** Counts doubles beyond 2^53 written to long columns (already imprecise at the source). */
  imprecise: number;
}

export type Coercer = (value: unknown, scratch: CoerceScratch) => unknown;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const REAL_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const GUID =
  /^\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/;

function fail(s: CoerceScratch, reason: NullReason): null {
  s.reason = reason;
  return null;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * `min` inclusive, `maxExclusive` exclusive: 2^63 - 1 has no exact double, 2^63 does. Integers
 * beyond 2^53 come out as `RawJson` of their exact digits (see exact-json.ts); a double there is
 * written as the integer it exactly is, and counted, since its source already lost digits.
 */
function integer(
  v: unknown,
  s: CoerceScratch,
  min: number,
  maxExclusive: number,
  bigMin: bigint,
  bigMax: bigint,
): unknown {
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) return fail(s, 'not-finite');
      if (!Number.isInteger(v)) return fail(s, 'not-an-integer');
      if (v < min || v >= maxExclusive) return fail(s, 'out-of-range');
      if (Number.isSafeInteger(v)) return v;
      s.imprecise++;
      return exactInteger(BigInt(v));
    case 'bigint':
      if (v < bigMin || v > bigMax) return fail(s, 'out-of-range');
      return exactInteger(v);
    case 'string': {
      if (!INTEGER_TEXT.test(v)) return fail(s, 'unparsable');
      const big = BigInt(v.trim());
      return integer(big, s, min, maxExclusive, bigMin, bigMax);
    }
    case 'boolean':
      return v ? 1 : 0;
    default:
      return fail(s, 'type-mismatch');
  }
}

export const toInt: Coercer = (v, s) => integer(v, s, INT_MIN, INT_MAX + 1, BigInt(INT_MIN), BigInt(INT_MAX));
export const toLong: Coercer = (v, s) => integer(v, s, -(2 ** 63), 2 ** 63, LONG_MIN, LONG_MAX);

export const toReal: Coercer = (v, s) => {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? v : fail(s, 'not-finite');
    case 'bigint':
      return Number(v);
    case 'string': {
      if (!REAL_TEXT.test(v)) return fail(s, 'unparsable');
      const n = Number(v);
      return Number.isFinite(n) ? n : fail(s, 'not-finite');
    }
    case 'boolean':
      return v ? 1 : 0;
    default:
      return fail(s, 'type-mismatch');
  }
};

export const toBoolean: Coercer = (v, s) => {
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'string': {
      const t = v.trim().toLowerCase();
      if (t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      return fail(s, 'unparsable');
    }
    case 'number':
      return v === 1 ? true : v === 0 ? false : fail(s, 'type-mismatch');
    case 'bigint':
      return v === 1n ? true : v === 0n ? false : fail(s, 'type-mismatch');
    default:
      return fail(s, 'type-mismatch');
  }
};

function isHrTime(v: unknown): v is readonly [number, number] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && typeof v[1] === 'number';
}

/** Datetime from strings, epoch numbers and Dates. HrTime pairs only when the source is a record time. */
export function datetimeCoercer(
  hrTime: ((t: readonly [number, number]) => string | null) | undefined,
): Coercer {
  return (v, s) => {
    switch (typeof v) {
      case 'string':
        return parseDateTime(v) ?? fail(s, 'unparsable');
      case 'number':
        if (!Number.isFinite(v)) return fail(s, 'not-finite');
        return epochToIso(v) ?? fail(s, 'out-of-range');
      case 'bigint':
        return epochToIso(v) ?? fail(s, 'out-of-range');
      case 'object':
        if (v instanceof Date) return dateToIso(v) ?? fail(s, 'unparsable');
        if (hrTime && isHrTime(v)) return hrTime(v) ?? fail(s, 'out-of-range');
        return fail(s, 'type-mismatch');
      default:
        return fail(s, 'type-mismatch');
    }
  };
}

export const toGuid: Coercer = (v, s) => {
  if (typeof v === 'string') {
    const m = GUID.exec(v.trim());
    if (!m) return fail(s, 'not-a-guid');
    return `${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}-${m[4] ?? ''}-${m[5] ?? ''}`.toLowerCase();
  }
  if (v instanceof Uint8Array && v.byteLength === 16) {
    const h = Buffer.from(v.buffer, v.byteOffset, 16).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return fail(s, typeof v === 'object' ? 'type-mismatch' : 'not-a-guid');
};

/**
 * A bigint as JSON: its exact digits as a number within the long range (Kusto reads a long),
 * its decimal text beyond it (no column type holds it as a number).
 */
export function jsonBigInt(v: bigint): unknown {
  return v >= LONG_MIN && v <= LONG_MAX ? exactInteger(v) : v.toString();
}

/** Makes any source value JSON-safe, without safety rules (used for defaults and constants). */
export function plainJson(v: unknown, depth = 0): unknown {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return jsonBigInt(v);
    case 'object': {
      if (v === null || depth > 64) return null;
      if (v instanceof Uint8Array) return toBase64(v);
      if (v instanceof Date) return dateToIso(v);
      if (Array.isArray(v)) return v.map((x: unknown) => plainJson(x, depth + 1));
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) out[k] = plainJson((v as Record<string, unknown>)[k], depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** String form of a value for string columns; maps and arrays become JSON text. */
export function stringCoercer(toJsonText: (v: object) => string): Coercer {
  return (v, s) => {
    switch (typeof v) {
      case 'string':
        return v;
      case 'number':
        return String(v);
      case 'bigint':
        return v.toString();
      case 'boolean':
        return v ? 'true' : 'false';
      case 'object':
        if (v === null) return fail(s, 'missing');
        if (v instanceof Uint8Array) return toBase64(v);
        if (v instanceof Date) return dateToIso(v) ?? fail(s, 'unparsable');
        return toJsonText(v);
      default:
        return fail(s, 'type-mismatch');
    }
  };
}

const SIMPLE: Partial<Record<ColumnType, Coercer>> = {
  int: toInt,
  long: toLong,
  real: toReal,
  boolean: toBoolean,
  guid: toGuid,
};

/** Why a `default` cannot be used for a column of `type`, or undefined when it fits. */
export function checkDefault(value: unknown, type: ColumnType): string | undefined {
  const scratch: CoerceScratch = { reason: undefined, imprecise: 0 };
  if (type === 'dynamic') return undefined;
  if (type === 'string')
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? undefined
      : 'a string default must be a scalar';
  if (type === 'datetime')
    return datetimeCoercer(undefined)(value, scratch) === null ? (scratch.reason ?? 'unparsable') : undefined;
  const c = SIMPLE[type];
  if (!c) return undefined;
  return c(value, scratch) === null ? (scratch.reason ?? 'type-mismatch') : undefined;
}

/** The default value as it will be written (coerced once, at compile time). */
export function coerceDefault(value: unknown, type: ColumnType): unknown {
  const scratch: CoerceScratch = { reason: undefined, imprecise: 0 };
  switch (type) {
    case 'dynamic':
      return plainJson(value);
    case 'string':
      return String(value);
    case 'datetime':
      return datetimeCoercer(undefined)(value, scratch);
    default:
      return (SIMPLE[type] ?? toReal)(value, scratch);
  }
}

export function simpleCoercer(type: 'int' | 'long' | 'real' | 'boolean' | 'guid'): Coercer {
  const c = SIMPLE[type];
  if (!c) throw new Error(`no coercer for ${type}`);
  return c;
}
