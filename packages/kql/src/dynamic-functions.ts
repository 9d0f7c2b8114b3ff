// Functions of dynamic arrays and property bags: array_length, array_concat, set_union,
// set_has_element, array_index_of, strcat_array, bag_keys, bag_merge, pack/bag_pack, and gettype.

import { arg, typeError, type Call, type ScalarFunction } from './call.js';
import { typed, type Compiled } from './compiled.js';
import { arrayOf, bagOf, longArg, textArg, type Read } from './function-args.js';
import type { KqlType } from './types.js';
import { toDynamic, toKqlString, valueKey } from './values.js';

function fn(min: number, max: number, compile: (call: Call) => Compiled): ScalarFunction {
  return { min, max, compile };
}

/** Every argument as a dynamic value. */
function dynamicArgs(call: Call): Read<unknown>[] {
  return call.args.map(
    ({ type, eval: evaluate }) =>
      (row, ctx) =>
        toDynamic(evaluate(row, ctx), type),
  );
}

/** array_length(array): its number of elements; null when it is not an array. */
const arrayLength = fn(1, 1, (call) => {
  const [value] = dynamicArgs(call);
  return typed('long', (row, ctx) => arrayOf(value?.(row, ctx))?.length ?? null);
});

/** array_concat / set_union: the arrays joined (set_union: each value once); null when one is no array. */
function joined(distinct: boolean): ScalarFunction {
  return fn(1, 64, (call) => {
    const values = dynamicArgs(call);
    return typed('dynamic', (row, ctx) => {
      const out: unknown[] = [];
      const seen = new Set<string>();
      for (const read of values) {
        const items = arrayOf(read(row, ctx));
        if (items === undefined) return null;
        for (const item of items) {
          const key = distinct ? valueKey(item) : '';
          if (distinct && seen.has(key)) continue;
          seen.add(key);
          out.push(item);
        }
      }
      return out;
    });
  });
}

/** The position of `value` in `items` from `start`, by Kusto equality of dynamic values; -1 when absent. */
function positionOf(items: readonly unknown[], value: unknown, start: number): number {
  const key = valueKey(value);
  for (let i = Math.max(0, start); i < items.length; i++) if (valueKey(items[i]) === key) return i;
  return -1;
}

/** set_has_element(array, value): whether the array holds the value; null when it is no array. */
const setHasElement = fn(2, 2, (call) => {
  const [array, value] = dynamicArgs(call);
  return typed('bool', (row, ctx) => {
    const items = arrayOf(array?.(row, ctx));
    return items === undefined ? null : positionOf(items, value?.(row, ctx), 0) !== -1;
  });
});

/** array_index_of(array, value [, start]): the first position of the value, -1 when absent, null for no array. */
const arrayIndexOf = fn(2, 3, (call) => {
  const [array, value] = dynamicArgs(call);
  const start = call.args.length > 2 ? longArg(call, 2) : undefined;
  return typed('long', (row, ctx) => {
    const items = arrayOf(array?.(row, ctx));
    if (items === undefined) return null;
    const from = start?.(row, ctx) ?? 0;
    return positionOf(items, value?.(row, ctx), from < 0 ? items.length + from : from);
  });
});

/** array_slice(array, start, end): the elements from start to end, both included; negative ones count from the end. */
const arraySlice = fn(3, 3, (call) => {
  const [array] = dynamicArgs(call);
  const [start, end] = [longArg(call, 1), longArg(call, 2)];
  return typed('dynamic', (row, ctx) => {
    const items = arrayOf(array?.(row, ctx));
    const s = start(row, ctx);
    const e = end(row, ctx);
    if (items === undefined || s === null || e === null) return null;
    const from = Math.max(0, s < 0 ? items.length + s : s);
    const to = Math.min(items.length - 1, e < 0 ? items.length + e : e);
    return items.slice(from, to + 1);
  });
});

/** strcat_array(array, delimiter): the elements as strings, joined; '' when it is no array. */
const strcatArray = fn(2, 2, (call) => {
  const [array] = dynamicArgs(call);
  const delimiter = textArg(call, 1);
  return typed('string', (row, ctx) => {
    const items = arrayOf(array?.(row, ctx)) ?? [];
    return items.map((item) => toKqlString(item, 'dynamic')).join(delimiter(row, ctx));
  });
});

/** bag_keys(bag): its keys in order; null when it is no property bag. */
const bagKeys = fn(1, 1, (call) => {
  const [bag] = dynamicArgs(call);
  return typed('dynamic', (row, ctx) => {
    const b = bagOf(bag?.(row, ctx));
    return b === undefined ? null : Object.keys(b);
  });
});

/** bag_merge(bag1, bag2, …): one bag; a key in several takes the first bag's value; no-bag arguments are skipped. */
const bagMerge = fn(2, 64, (call) => {
  const bags = dynamicArgs(call);
  return typed('dynamic', (row, ctx) => {
    const out: Record<string, unknown> = {};
    for (const read of bags) {
      const b = bagOf(read(row, ctx));
      if (b === undefined) continue;
      for (const [k, v] of Object.entries(b)) if (!Object.hasOwn(out, k)) out[k] = v;
    }
    return out;
  });
});

/** pack / bag_pack(key1, value1, …): a property bag of the pairs. */
const bagPack = fn(2, 128, (call) => {
  if (call.args.length % 2 !== 0) throw typeError(call, 'needs key/value pairs');
  const values = dynamicArgs(call);
  const keys = call.args.filter((_, i) => i % 2 === 0).map((_, i) => textArg(call, i * 2));
  return typed('dynamic', (row, ctx) => {
    const out: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      out[key(row, ctx)] = values[i * 2 + 1]?.(row, ctx) ?? null;
    });
    return out;
  });
});

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The run-time type name `gettype` gives a dynamic value. */
function dynamicTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'long';
    case 'number':
      if (!Number.isInteger(value)) return 'real';
      return value >= INT32_MIN && value <= INT32_MAX ? 'int' : 'long';
    default:
      return 'dictionary';
  }
}

/** gettype(value): the type's name; for dynamic values, the kind of the value held. */
const getType = fn(1, 1, (call) => {
  const { type, eval: evaluate } = arg(call, 0);
  if (type !== 'dynamic') {
    const name: KqlType = type;
    return typed('string', () => name);
  }
  return typed('string', (row, ctx) => dynamicTypeName(evaluate(row, ctx)));
});

export const DYNAMIC_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['array_length', arrayLength],
  ['array_concat', joined(false)],
  ['set_union', joined(true)],
  ['set_has_element', setHasElement],
  ['array_index_of', arrayIndexOf],
  ['array_slice', arraySlice],
  ['strcat_array', strcatArray],
  ['bag_keys', bagKeys],
  ['bag_merge', bagMerge],
  ['pack', bagPack],
  ['bag_pack', bagPack],
  ['gettype', getType],
];
