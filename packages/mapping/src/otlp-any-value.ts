// Decodes OTLP/JSON AnyValues and KeyValue lists into plain JS values: 64-bit integers without float
// loss, bytes from base64, maps as null-prototype objects, nesting bounded against hostile input.
import { setAttribute } from './own-key.js';

import type { AnyValueLike } from './log-record.js';
import { at, describe, fail, listAt, objectAt } from './otlp-json-path.js';
import type { Where } from './otlp-json-path.js';
import { anyValueMember, readBytes, readDouble, readInt64 } from './otlp-json-scalars.js';

/** Nested AnyValues deeper than this are refused, so hostile input cannot exhaust the stack. */
export const MAX_ANY_VALUE_DEPTH = 64;

export type Attributes = Record<string, AnyValueLike>;

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
  const member = anyValueMember(anyValue, where);
  if (member === undefined) return undefined;
  const v = anyValue[member.key];
  const valueWhere = at(where, member.key);
  switch (member.field) {
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
