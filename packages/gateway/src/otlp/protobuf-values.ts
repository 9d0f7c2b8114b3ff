// Reads AnyValue and KeyValue messages straight from the wire into the values LogRecordLike holds:
// strings, booleans, numbers (bigints past 2^53), byte arrays, arrays and plain objects.
import type { Buffer } from 'node:buffer';

import type { AnyValueLike } from '@otel-sentinel/mapping';

import { setAttribute } from '@otel-sentinel/mapping';
import type protobuf from 'protobufjs';

import type { Cursor } from './record-cursor.js';
import { readKey, readUtf8 } from './utf8.js';
import { tagOf, tagTable } from './wire-fields.js';
import { enterMessage, MAX_MESSAGE_DEPTH, nestingTooDeep, readInt64, skipBytes } from './wire-reading.js';

export type Attributes = Record<string, AnyValueLike>;

const STRING = 1;
const BOOL = 2;
const INT = 3;
const DOUBLE = 4;
const ARRAY = 5;
const KVLIST = 6;
const BYTES = 7;
const ANY_VALUE = tagTable('AnyValue', {
  stringValue: [STRING, 'string'],
  boolValue: [BOOL, 'bool'],
  intValue: [INT, 'int64'],
  doubleValue: [DOUBLE, 'double'],
  arrayValue: [ARRAY, 'ArrayValue'],
  kvlistValue: [KVLIST, 'KeyValueList'],
  bytesValue: [BYTES, 'bytes'],
});

const KEY = 1;
const VALUE = 2;
const KEY_VALUE = tagTable('KeyValue', { key: [KEY, 'string'], value: [VALUE, 'AnyValue'] });
const ARRAY_VALUES = tagOf('ArrayValue', 'values', 'repeated AnyValue');
const KVLIST_VALUES = tagOf('KeyValueList', 'values', 'repeated KeyValue');

/**
 * The reader of one request's values. Message depths (`depth` of the protobuf message, as
 * protobufjs counts it from the request at 0) bound the recursion; value depths (a body or
 * attribute value is 1) are checked against `cursor.maxDepth` and reported to the cursor.
 */
export class ValueReader {
  private readonly reader: protobuf.Reader;
  /** The body `reader` reads. */
  private readonly body: Buffer;
  /** The body as a plain Uint8Array, to copy bytes values out of. */
  private readonly bytes: Uint8Array;
  private readonly cursor: Cursor;

  constructor(reader: protobuf.Reader, body: Buffer, cursor: Cursor) {
    this.reader = reader;
    this.body = body;
    this.bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    this.cursor = cursor;
  }

  /** A length-delimited string field, checked to be UTF-8. */
  string(): string {
    const start = skipBytes(this.reader);
    return readUtf8(this.body, start, this.reader.pos);
  }

  /**
   * A KeyValue message at message depth `depth`, its value at value depth `level`, set on `out`
   * (the last of a repeated key wins; `__proto__` stays data).
   */
  keyValue(out: Attributes, depth: number, level: number): void {
    if (depth > MAX_MESSAGE_DEPTH) throw nestingTooDeep();
    const reader = this.reader;
    const outer = enterMessage(reader);
    let key = '';
    let value: AnyValueLike;
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      switch (tag < KEY_VALUE.length ? KEY_VALUE[tag] : 0) {
        case KEY: {
          const start = skipBytes(reader);
          key = readKey(this.body, start, reader.pos);
          break;
        }
        case VALUE:
          value = this.anyValue(depth + 1, level, value);
          break;
        default:
          reader.skipType(tag & 7, depth, tag >>> 3);
      }
    }
    reader.len = outer;
    setAttribute(out, key, value);
  }

  /**
   * An AnyValue message: the value of the member of its oneof that came last, undefined when none
   * did. `previous` is the value of an earlier occurrence of the same field, which this one is
   * merged into, as protobuf merges a repeated singular message field: a kvlist or array member
   * again extends it, any other member replaces it.
   */
  anyValue(depth: number, level: number, previous: AnyValueLike): AnyValueLike {
    if (depth > MAX_MESSAGE_DEPTH) throw nestingTooDeep();
    const cursor = this.cursor;
    if (level > cursor.maxDepth) cursor.report(`nesting deeper than ${cursor.maxDepth} levels`);
    const reader = this.reader;
    const outer = enterMessage(reader);
    let value = previous;
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      switch (tag < ANY_VALUE.length ? ANY_VALUE[tag] : 0) {
        case STRING:
          value = this.string();
          break;
        case BOOL:
          value = reader.bool();
          break;
        case INT:
          value = readInt64(reader);
          break;
        case DOUBLE:
          value = reader.double();
          break;
        case ARRAY:
          value = this.arrayValue(depth + 1, level + 1, Array.isArray(value) ? value : []);
          break;
        case KVLIST:
          value = this.keyValueList(depth + 1, level + 1, isKvlist(value) ? value : {});
          break;
        case BYTES: {
          // A copy, so the value is a plain Uint8Array that does not pin the request body.
          const start = skipBytes(reader);
          value = this.bytes.slice(start, reader.pos);
          break;
        }
        default:
          reader.skipType(tag & 7, depth, tag >>> 3);
      }
    }
    reader.len = outer;
    return value;
  }

  /** An ArrayValue message, its elements appended to `out`. */
  private arrayValue(depth: number, level: number, out: AnyValueLike[]): AnyValueLike[] {
    if (depth > MAX_MESSAGE_DEPTH) throw nestingTooDeep();
    const reader = this.reader;
    const outer = enterMessage(reader);
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      if (tag === ARRAY_VALUES) out.push(this.anyValue(depth + 1, level, undefined));
      else reader.skipType(tag & 7, depth, tag >>> 3);
    }
    reader.len = outer;
    return out;
  }

  /** A KeyValueList message, its entries set on `out`. */
  private keyValueList(depth: number, level: number, out: Attributes): Attributes {
    if (depth > MAX_MESSAGE_DEPTH) throw nestingTooDeep();
    const reader = this.reader;
    const outer = enterMessage(reader);
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      if (tag === KVLIST_VALUES) this.keyValue(out, depth + 1, level);
      else reader.skipType(tag & 7, depth, tag >>> 3);
    }
    reader.len = outer;
    return out;
  }
}

/** Whether `value` is what a kvlist member becomes: a plain object (not an array or bytes). */
function isKvlist(value: AnyValueLike): value is Attributes {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}
