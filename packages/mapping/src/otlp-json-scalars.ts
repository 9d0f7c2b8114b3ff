// The scalar fields of OTLP/JSON as proto3 JSON writes them, checked once for every reader of it
// (the mapping's record reader here, the gateway's protobuf-message decoder): 64-bit integers from
// numbers or decimal strings without float loss, enums by name or number, bytes from base64,
// trace and span ids from hex, and which member of an AnyValue is set. The accepted forms include
// every form the Collector's decoder accepts (the gateway's docs/otlp-decoding.md lists them).
import { Buffer } from 'node:buffer';

import { describe, fail } from './otlp-json-path.js';
import type { JsonObject, Where } from './otlp-json-path.js';

/**
 * A decimal integer as proto3 JSON writes int64 and int32 fields in a string; a leading `+` as Go's
 * strconv.ParseInt (the Collector's reader) allows it.
 */
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
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** An integer field (int32, uint32) from a JSON integer or decimal string; undefined when absent or null. */
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

/** The value names of the SeverityNumber enum, which proto3 JSON encoders write by default. */
const SEVERITY_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  // Each level has four numbers, e.g. WARN = 13, WARN2 = 14, WARN3 = 15, WARN4 = 16.
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, i) =>
    [1, 2, 3, 4].map((step): [string, number] => [
      `SEVERITY_NUMBER_${level}${step === 1 ? '' : step}`,
      i * 4 + step,
    ]),
  ),
]);

/**
 * `severityNumber`, the one enum of a logs request: a JSON integer, a decimal string, or a value
 * name (`"SEVERITY_NUMBER_WARN"`). An unknown name is an error, as in the Collector's decoder and
 * protobuf's JSON parsers; an unknown number is kept (proto3 enums are open). Undefined when absent.
 */
export function readSeverityNumber(value: unknown, where: Where): number | undefined {
  if (typeof value === 'string' && !SIGNED_DECIMAL.test(value)) {
    const n = SEVERITY_NUMBERS.get(value);
    if (n === undefined) fail(where, `expected an integer or a SeverityNumber name, got ${describe(value)}`);
    return n;
  }
  return readInteger(value, where, INT32_MIN, INT32_MAX);
}

/**
 * int64 (AnyValue.intValue): a JSON integer (a bigint past 2^53, as `parseJsonWithBigInts` reads
 * it) or a decimal string. A safe integer comes back as a number (never -0), anything larger as a bigint.
 */
export function readInt64(value: unknown, where: Where): number | bigint {
  let big: bigint;
  if (typeof value === 'bigint') {
    big = value;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) fail(where, `expected an integer, got ${describe(value)}`);
    if (Number.isSafeInteger(value)) return value === 0 ? 0 : value;
    big = BigInt(value);
  } else if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) {
    // A decimal string rounds to a safe number only when it is one, so this test is exact.
    const n = Number(value);
    if (Number.isSafeInteger(n)) return n === 0 ? 0 : n;
    big = BigInt(value);
  } else {
    fail(where, `expected a decimal string or number, got ${describe(value)}`);
  }
  if (big < INT64_MIN || big > INT64_MAX)
    fail(where, `expected a 64-bit signed integer, got ${describe(value)}`);
  return big;
}

/**
 * fixed64 (the nanosecond timestamps): a non-negative JSON integer or decimal string, as a number
 * when it is a safe integer, else as a bigint; undefined when absent or null. Past 2^53 a JSON
 * number is taken as the exact integer the double holds.
 */
export function readUint64(value: unknown, where: Where): number | bigint | undefined {
  if (value === undefined || value === null) return undefined;
  let big: bigint;
  if (typeof value === 'bigint') {
    if (value < 0n) fail(where, `expected a non-negative integer, got ${describe(value)}`);
    big = value;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      fail(where, `expected a non-negative integer, got ${describe(value)}`);
    if (Number.isSafeInteger(value)) return value;
    big = BigInt(value);
  } else if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) {
    if (value.length <= 15) return Number(value);
    big = BigInt(value);
  } else {
    fail(where, `expected a decimal string or number, got ${describe(value)}`);
  }
  if (big > UINT64_MAX) fail(where, `expected at most ${UINT64_MAX} (uint64), got ${describe(value)}`);
  return big;
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

/** bytes: base64, standard or URL-safe, padded or not. */
export function readBytes(value: unknown, where: Where): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    fail(where, `expected a base64 string, got ${describe(value)}`);
  }
  // Copied out of the Buffer so the value does not pin Node's shared allocation pool.
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** A string field as sent; undefined when absent or null. */
export function readString(value: unknown, where: Where): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(where, `expected a string, got ${describe(value)}`);
  return value;
}

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;

/** A trace id: 32 hex digits in any case (OTLP/JSON, not base64), as sent; absent, null and '' are unset. */
export function readTraceId(value: unknown, where: Where): string | undefined {
  return readHexId(value, where, TRACE_ID, 32);
}

/** A span id: 16 hex digits in any case, as sent; absent, null and '' are unset. */
export function readSpanId(value: unknown, where: Where): string | undefined {
  return readHexId(value, where, SPAN_ID, 16);
}

function readHexId(value: unknown, where: Where, pattern: RegExp, digits: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value))
    fail(where, `expected ${digits} hex digits, got ${describe(value)}`);
  return value;
}

const ANY_VALUE_FIELDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;

/** The members of the AnyValue oneof, by their JSON names. */
export type AnyValueField = (typeof ANY_VALUE_FIELDS)[number];

/** One way an AnyValue member is spelled: its JSON name or its proto field name. */
export interface AnyValueMember {
  /** The key as sent: `intValue` or `int_value`. */
  readonly key: string;
  readonly field: AnyValueField;
}

/** Each member under its JSON name, then its proto field name; built once, shared by every read. */
const ANY_VALUE_MEMBERS: readonly AnyValueMember[] = ANY_VALUE_FIELDS.flatMap((field) =>
  [field, field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)].map((key) => Object.freeze({ key, field })),
);

/**
 * The one member an AnyValue sets (null counts as unset); undefined for an empty AnyValue, an
 * error when two are set.
 */
export function anyValueMember(anyValue: JsonObject, where: Where): AnyValueMember | undefined {
  let set: AnyValueMember | undefined;
  for (const member of ANY_VALUE_MEMBERS) {
    const v = anyValue[member.key];
    if (v === undefined || v === null) continue;
    if (set !== undefined) fail(where, `sets both ${set.key} and ${member.key}; an AnyValue holds one value`);
    set = member;
  }
  return set;
}
