// Decodes OTLP/JSON AnyValues and KeyValue lists into plain JS values: 64-bit integers without float
// loss, bytes from base64, maps as null-prototype objects, nesting bounded against hostile input.
import { setAttribute } from './own-key.js';
import { Buffer } from 'node:buffer';

import type { AnyValueLike } from './log-record.js';
import { at, describe, fail, listAt, objectAt } from './otlp-json-path.js';
import type { Where } from './otlp-json-path.js';

/** Nested AnyValues deeper than this are refused, so hostile input cannot exhaust the stack. */
export const MAX_ANY_VALUE_DEPTH = 64;

export type Attributes = Record<string, AnyValueLike>;

/**
 * A decimal integer as proto3 JSON writes int64 and int32 fields in a string; a leading `+` as Go's
 * strconv.ParseInt (the Collector's reader) allows it.
 */
export const SIGNED_DECIMAL = /^[+-]?\d+$/;
const INT64_MIN_BIG = -9223372036854775808n;
const INT64_MAX_BIG = 9223372036854775807n;

const ANY_VALUE_FIELDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;
type AnyValueField = (typeof ANY_VALUE_FIELDS)[number];

/** Each member's JSON name, then its proto field name: member i has keys 2i and 2i + 1. */
const ANY_VALUE_KEYS: readonly string[] = ANY_VALUE_FIELDS.flatMap((name) => [
  name,
  name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
]);

// What Go's strconv.ParseFloat (the Collector's double reader) takes in decimal: a sign, digits
// on either side of the point, an exponent; and NaN, Inf, Infinity in any case, signed or not.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NOT_FINITE = /^(?:nan|[+-]?inf(?:inity)?)$/i;
// Standard or URL-safe alphabet, padded or not: proto3 JSON accepts all four for bytes.
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$/;

/**
 * An AnyValue as a JS value: string, boolean, number (bigint past 2^53), Uint8Array, array, or a
 * null-prototype object; undefined for an empty AnyValue. `depth` counts from 1 at the top value.
 */
export function readAnyValue(value: unknown, where: Where, depth: number): AnyValueLike {
  if (value === undefined || value === null) return undefined;
  const anyValue = objectAt(value, where, 'an AnyValue');
  if (depth > MAX_ANY_VALUE_DEPTH) {
    fail(where, `AnyValue nests deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  let field: AnyValueField | undefined;
  let key = '';
  for (let i = 0; i < ANY_VALUE_KEYS.length; i++) {
    const name = ANY_VALUE_KEYS[i] as string;
    const v = anyValue[name];
    if (v === undefined || v === null) continue;
    if (field !== undefined) fail(where, `sets both ${key} and ${name}; an AnyValue holds one value`);
    field = ANY_VALUE_FIELDS[i >> 1];
    key = name;
  }
  if (field === undefined) return undefined;
  const v = anyValue[key];
  const valueWhere = at(where, key);
  switch (field) {
    case 'stringValue':
      if (typeof v !== 'string') fail(valueWhere, `expected a string, got ${describe(v)}`);
      return v;
    case 'boolValue':
      if (typeof v !== 'boolean') fail(valueWhere, `expected true or false, got ${describe(v)}`);
      return v;
    case 'intValue':
      return readInt64(v, valueWhere);
    case 'doubleValue':
      return readDouble(v, valueWhere);
    case 'bytesValue':
      return readBytes(v, valueWhere);
    case 'arrayValue': {
      const array = objectAt(v, valueWhere, 'an ArrayValue');
      const valuesWhere = at(valueWhere, 'values');
      const values = listAt(array.values, valuesWhere, 'AnyValues');
      const out = new Array<AnyValueLike>(values.length);
      for (let i = 0; i < values.length; i++) out[i] = readAnyValue(values[i], at(valuesWhere, i), depth + 1);
      return out;
    }
    case 'kvlistValue': {
      const kvlist = objectAt(v, valueWhere, 'a KeyValueList');
      return readKeyValues(kvlist.values, at(valueWhere, 'values'), depth + 1);
    }
  }
}

/**
 * A KeyValue list as a plain object, like the SDK's attributes; `__proto__` is kept as data (see
 * own-key.ts). Values sit at `depth`. Duplicate keys: the last wins.
 */
export function readKeyValues(value: unknown, where: Where, depth: number): Attributes {
  const out: Attributes = {};
  const list = listAt(value, where, 'KeyValues');
  for (let i = 0; i < list.length; i++) {
    const itemWhere = at(where, i);
    const keyValue = objectAt(list[i], itemWhere, 'a KeyValue');
    const key = keyValue.key ?? '';
    if (typeof key !== 'string') fail(at(itemWhere, 'key'), `expected a string, got ${describe(key)}`);
    setAttribute(out, key, readAnyValue(keyValue.value, at(itemWhere, 'value'), depth));
  }
  return out;
}

/** int64: a safe integer stays a number, anything larger becomes a bigint. */
function readInt64(value: unknown, where: Where): number | bigint {
  let big: bigint;
  if (typeof value === 'bigint') {
    // A JSON number past 2^53, kept exact by the text readers (exactJsonParse).
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
  if (big < INT64_MIN_BIG || big > INT64_MAX_BIG) {
    fail(where, `expected a 64-bit signed integer, got ${describe(value)}`);
  }
  return big;
}

/** double: a number, or a string: a decimal, or NaN / Infinity (JSON has no literal for them). */
function readDouble(value: unknown, where: Where): number {
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

function readBytes(value: unknown, where: Where): Uint8Array {
  if (typeof value !== 'string' || !BASE64.test(value)) {
    fail(where, `expected a base64 string, got ${describe(value)}`);
  }
  // Copied out of the Buffer so the value does not pin Node's shared allocation pool.
  return new Uint8Array(Buffer.from(value, 'base64'));
}
