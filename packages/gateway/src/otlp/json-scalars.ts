// Proto3 JSON scalars of OTLP/JSON as protobuf message values: 64-bit integers from decimal strings
// or numbers without float loss, enums from names or numbers, bytes from base64, trace and span
// ids from hex. The accepted forms are those of the mapping package's OTLP/JSON reader, and
// include every form the Collector's decoder accepts (docs/otlp-decoding.md lists them).
import { Buffer } from 'node:buffer';

import { describe, fail } from './json-path.js';
import type { Where } from './json-path.js';
import type { Int64Bits } from './schema.js';

// A leading `+` as Go's strconv.ParseInt (the Collector's int32/int64 reader) allows it.
const SIGNED_DECIMAL = /^[+-]?\d+$/;
const UNSIGNED_DECIMAL = /^\d+$/;
// What Go's strconv.ParseFloat (the Collector's double reader) takes in decimal: a sign, digits
// on either side of the point, an exponent; and NaN, Inf, Infinity in any case, signed or not.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^(?:nan|[+-]?inf(?:inity)?)$/i;
// Standard or URL-safe alphabet, padded or not: proto3 JSON accepts all four for bytes.
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;
const INT64_MIN = -9223372036854775808n;
const INT64_MAX = 9223372036854775807n;
const UINT64_MAX = 18446744073709551615n;
const TWO_32 = 4294967296;

/** A JSON integer or decimal string from `min` to `max` (which fit a double exactly). */
export function readInteger(value: unknown, where: Where, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  let n: number;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) n = Number(value);
  else if (typeof value === 'bigint') n = Number(value);
  else fail(where, `expected an integer, got ${describe(value)}`);
  if (n < min || n > max) fail(where, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
  return n;
}

/**
 * An enum field (`severityNumber`, the one enum of a logs request): a JSON integer, a decimal
 * string, or a value name from `names`. An unknown name is an error, as in the Collector's decoder
 * and protobuf's JSON parsers; an unknown number is kept (proto3 enums are open).
 */
export function readEnum(
  value: unknown,
  where: Where,
  names: ReadonlyMap<string, number>,
  what: string,
): number | undefined {
  if (typeof value === 'string' && !SIGNED_DECIMAL.test(value)) {
    const n = names.get(value);
    if (n === undefined) fail(where, `expected an integer or a ${what} name, got ${describe(value)}`);
    return n;
  }
  return readInteger(value, where, INT32_MIN, INT32_MAX);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** int64 (AnyValue.intValue): a JSON integer (exact as a bigint past 2^53) or a decimal string. */
export function readInt64(value: unknown, where: Where): Int64Bits {
  if (typeof value === 'bigint') return int64Bits(value, value, where);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail(where, `expected an integer, got ${describe(value)}`);
    if (Number.isSafeInteger(value)) return bitsOfSafe(value);
    return int64Bits(BigInt(value), value, where);
  }
  if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) {
    const n = Number(value);
    // A decimal string rounds to a safe number only when it is one, so this test is exact.
    if (Number.isSafeInteger(n)) return bitsOfSafe(n);
    return int64Bits(BigInt(value), value, where);
  }
  return fail(where, `expected a decimal string or number, got ${describe(value)}`);
}

function int64Bits(big: bigint, value: unknown, where: Where): Int64Bits {
  if (big < INT64_MIN || big > INT64_MAX)
    fail(where, `expected a 64-bit signed integer, got ${describe(value)}`);
  return bitsOfBig(big);
}

/** fixed64 nanoseconds: a non-negative JSON integer or decimal string; undefined when absent. */
export function readUint64(value: unknown, where: Where): Int64Bits | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'bigint') {
    if (value < 0n) fail(where, `expected a non-negative integer, got ${describe(value)}`);
    return uint64Bits(value, value, where);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      fail(where, `expected a non-negative integer, got ${describe(value)}`);
    if (Number.isSafeInteger(value)) return bitsOfSafe(value);
    // Past 2^53 the JSON number is taken as the exact integer the double holds.
    return uint64Bits(BigInt(value), value, where);
  }
  if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) {
    if (value.length <= 15) return bitsOfSafe(Number(value));
    return uint64Bits(BigInt(value), value, where);
  }
  return fail(where, `expected a decimal string or number, got ${describe(value)}`);
}

function uint64Bits(big: bigint, value: unknown, where: Where): Int64Bits {
  if (big > UINT64_MAX) fail(where, `expected at most ${UINT64_MAX} (uint64), got ${describe(value)}`);
  return bitsOfBig(big);
}

function bitsOfSafe(n: number): Int64Bits {
  // ToUint32 and a floored division give the two's complement halves of any safe integer.
  return { low: n >>> 0, high: Math.floor(n / TWO_32) | 0 };
}

function bitsOfBig(big: bigint): Int64Bits {
  const bits = BigInt.asUintN(64, big);
  return { low: Number(bits & 0xffffffffn), high: Number(bits >> 32n) | 0 };
}

/** double: a number, or a string: a decimal, or NaN / Infinity (JSON has no literal for them). */
export function readDouble(value: unknown, where: Where): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    if (DECIMAL.test(value)) return Number(value);
    if (NOT_FINITE.test(value)) return notFinite(value);
  }
  return fail(where, `expected a number, "NaN", "Infinity" or "-Infinity", got ${describe(value)}`);
}

function notFinite(text: string): number {
  if ((text.charCodeAt(0) | 0x20) === 0x6e) return Number.NaN; // n or N
  return text.charCodeAt(0) === 0x2d ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY; // -
}

export function readBytes(value: unknown, where: Where): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value))
    fail(where, `expected a base64 string, got ${describe(value)}`);
  return Buffer.from(value, 'base64');
}

/** A string field; absent and null are undefined. */
export function readString(value: unknown, where: Where): string | undefined {
  if (value === undefined || value === null) return undefined;
  return requireString(value, where);
}

/**
 * A string with a UTF-8 form. JSON escapes can spell lone surrogates (`"\ud800"`), which protobuf
 * strings cannot carry: forwarded upstream they would make the whole batch invalid.
 */
export function requireString(value: unknown, where: Where): string {
  if (typeof value !== 'string') fail(where, `expected a string, got ${describe(value)}`);
  if (!(value as unknown as WellFormed).isWellFormed()) {
    fail(where, 'contains a lone surrogate (an unpaired \\uD800-\\uDFFF escape), which has no UTF-8 form');
  }
  return value;
}

// String.prototype.isWellFormed is ES2024 (Node 20+); the compiler's lib stops at ES2023.
interface WellFormed {
  isWellFormed(): boolean;
}

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/** A trace id: 32 hex digits in any case (OTLP/JSON, not base64); absent, null and '' are unset. */
export function readTraceId(value: unknown, where: Where): Uint8Array | undefined {
  return readHexId(value, where, TRACE_ID, 32);
}

/** A span id: 16 hex digits in any case; absent, null and '' are unset. */
export function readSpanId(value: unknown, where: Where): Uint8Array | undefined {
  return readHexId(value, where, SPAN_ID, 16);
}

function readHexId(value: unknown, where: Where, pattern: RegExp, digits: number): Uint8Array | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value))
    fail(where, `expected ${digits} hex digits, got ${describe(value)}`);
  return Buffer.from(value, 'hex');
}
