// The protobuf reader on wire forms no encoder of ours writes: fields out of order, repeated,
// mistyped or unknown, merged messages, odd varints, and limits counted before anything is built.
import { describe, expect, it } from 'vitest';

import { decodeLogsRequest, OtlpDecodeError } from '../../src/otlp/index.js';
import type { DecodedLogs } from '../../src/otlp/index.js';
import { tagOf } from '../../src/otlp/wire-fields.js';
import { concat, field, protobufBody, wrapRecord } from './requests.js';
import {
  double,
  FIXED32,
  FIXED64,
  fieldsOfEveryWireType,
  fixed32,
  fixed64,
  group,
  LENGTH_DELIMITED,
  tag,
  VARINT,
  varint64,
} from './wire-bytes.js';

function decode(body: Uint8Array, limits?: { maxDepth?: number; maxRecords?: number }): DecodedLogs {
  return decodeLogsRequest(body, 'protobuf', limits);
}

function recordOf(record: Uint8Array | readonly number[]) {
  const [decoded] = decode(wrapRecord(Uint8Array.from(record))).records;
  if (decoded === undefined) throw new Error('no record decoded');
  return decoded;
}

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const TIME = concat(tag(1, FIXED64), fixed64(1_000_000_000_000_000_001n));
/** AnyValue { string_value: text }. */
const stringValue = (text: string): Uint8Array => field(1, utf8(text));
/** KeyValue { key, value: AnyValue { string_value } }. */
const keyValue = (key: string, text: string): Uint8Array =>
  concat(field(1, utf8(key)), field(2, stringValue(text)));

describe('protobuf records as they may come on the wire', () => {
  it('reads a record whose fields are split by unknown fields of every wire type, groups included', () => {
    const unknown = fieldsOfEveryWireType(99);
    const split = recordOf(
      concat(
        TIME,
        unknown,
        field(3, utf8('WARN')),
        unknown,
        field(6, keyValue('a', 'x')),
        unknown,
        field(5, stringValue('hi')),
      ),
    );
    const plain = recordOf(
      concat(TIME, field(3, utf8('WARN')), field(6, keyValue('a', 'x')), field(5, stringValue('hi'))),
    );
    expect(split).toStrictEqual(plain);
    expect(split.body).toBe('hi');
  });

  it('skips every known LogRecord field sent with another wire type, never misreading it', () => {
    const plain = recordOf(TIME);
    const payloads: Record<number, readonly number[]> = {
      [VARINT]: [0x96, 0x01],
      [FIXED64]: fixed64(0x0102030405060708n),
      [LENGTH_DELIMITED]: [2, 0x0a, 0x00],
      [FIXED32]: fixed32(0x01020304),
    };
    const expected: Record<number, number> = { 1: FIXED64, 11: FIXED64, 2: VARINT, 7: VARINT, 8: FIXED32 };
    for (const number of [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]) {
      for (const wireType of [VARINT, FIXED64, LENGTH_DELIMITED, FIXED32]) {
        if (wireType === (expected[number] ?? LENGTH_DELIMITED)) continue;
        const mistyped = concat(tag(number, wireType), payloads[wireType] ?? []);
        expect(recordOf(concat(TIME, mistyped)), `field ${number}, wire type ${wireType}`).toStrictEqual(
          plain,
        );
      }
    }
  });

  it('takes the scope and the resource even when they come after the records', () => {
    const resourceFirst = protobufBody({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] },
          scopeLogs: [
            { scope: { name: 'auth', version: '2' }, logRecords: [{ body: { stringValue: 'r' } }] },
          ],
        },
      ],
    });
    const scopeLogs = concat(
      field(2, field(5, stringValue('r'))),
      field(1, concat(field(1, utf8('auth')), field(2, utf8('2')))),
    );
    const resource = field(1, field(1, keyValue('service.name', 'a')));
    const resourceLast = field(1, concat(field(2, scopeLogs), resource));
    const [first] = decode(resourceFirst).records;
    const [last] = decode(resourceLast).records;
    expect(last?.resource).toStrictEqual({ attributes: { 'service.name': 'a' } });
    expect(last?.instrumentationScope).toStrictEqual({ name: 'auth', version: '2' });
    expect({ ...last, hrTime: undefined }).toStrictEqual({ ...first, hrTime: undefined });
  });

  it('keeps the last value of a singular field sent twice, an empty one included', () => {
    const record = recordOf(
      concat(
        TIME,
        field(3, utf8('INFO')),
        field(3, utf8('WARN')),
        field(12, utf8('first')),
        field(12, []),
        tag(2, VARINT),
        [9],
        tag(2, VARINT),
        [13],
        tag(1, FIXED64),
        fixed64(5_000_000_007n),
      ),
    );
    expect(record).toMatchObject({
      severityText: 'WARN',
      eventName: undefined,
      severityNumber: 13,
      hrTime: [5, 7],
    });
  });

  it('merges a body sent twice, as protobuf merges a singular message field', () => {
    const kvlist = (key: string, text: string): Uint8Array => field(6, field(1, keyValue(key, text)));
    const array = (text: string): Uint8Array => field(5, field(1, stringValue(text)));
    expect(recordOf(concat(field(5, kvlist('a', '1')), field(5, kvlist('b', '2')))).body).toStrictEqual({
      a: '1',
      b: '2',
    });
    expect(recordOf(concat(field(5, array('a')), field(5, array('b')))).body).toStrictEqual(['a', 'b']);
    // Within one AnyValue too, and another member in between starts afresh.
    expect(recordOf(field(5, concat(array('a'), stringValue('s'), array('b')))).body).toStrictEqual(['b']);
    expect(recordOf(concat(field(5, kvlist('a', '1')), field(5, []))).body).toStrictEqual({ a: '1' });
    expect(recordOf(concat(field(5, stringValue('s')), field(5, concat(tag(3, VARINT), [5])))).body).toBe(5);
    expect(recordOf(concat(field(5, array('a')), field(5, kvlist('k', 'v')))).body).toStrictEqual({ k: 'v' });
  });

  it('keeps the last of two AnyValue members of every kind', () => {
    const members: [Uint8Array | number[], unknown][] = [
      [stringValue('s'), 's'],
      [concat(tag(2, VARINT), [1]), true],
      [concat(tag(3, VARINT), varint64(-5n)), -5],
      [concat(tag(4, FIXED64), double(2.5)), 2.5],
      [field(5, field(1, stringValue('e'))), ['e']],
      [field(6, field(1, keyValue('k', 'v'))), { k: 'v' }],
      [field(7, [1, 2]), new Uint8Array([1, 2])],
    ];
    for (const [first] of members) {
      for (const [second, value] of members) {
        // Two arrays are one array value sent in two parts.
        const expected = first === second && Array.isArray(value) ? [...value, ...value] : value;
        expect(recordOf(field(5, concat(first, second))).body).toStrictEqual(expected);
      }
    }
  });

  it('reads fixed64 timestamps at the top of the range, and any order of the two halves of an int64', () => {
    const max = recordOf(
      concat(tag(1, FIXED64), fixed64(2n ** 64n - 1n), tag(11, FIXED64), fixed64(2n ** 63n)),
    );
    expect(max.hrTime).toEqual([18446744073, 709551615]);
    expect(max.hrTimeObserved).toEqual([9223372036, 854775808]);
    const low = recordOf(concat(tag(1, FIXED64), fixed64(0xffffffffn)));
    expect(low.hrTime).toEqual([4, 294967295]);
    const ints = [
      2n ** 63n - 1n,
      -(2n ** 63n),
      2n ** 53n,
      2n ** 53n - 1n,
      -(2n ** 53n) + 1n,
      2n ** 32n,
      2n ** 31n,
      2n ** 28n - 1n,
      2n ** 28n,
      -1n,
    ];
    for (const value of ints) {
      const body = recordOf(field(5, concat(tag(3, VARINT), varint64(value)))).body;
      expect(body, String(value)).toBe(
        Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? Number(value) : value,
      );
    }
  });

  it('reads non-minimal varints, and refuses one longer than 10 bytes or cut off', () => {
    // 5 padded to 10 bytes, as an int64 and as the severity number.
    const padded = [0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
    expect(recordOf(field(5, concat(tag(3, VARINT), padded))).body).toBe(5);
    expect(recordOf(concat(TIME, tag(2, VARINT), padded)).severityNumber).toBe(5);
    const tooLong = [0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];
    expect(() => recordOf(field(5, concat(tag(3, VARINT), tooLong)))).toThrow(/invalid varint encoding/);
    expect(() => recordOf(field(5, concat(tag(3, VARINT), [0x80, 0x80])))).toThrow(/^truncated message/);
    expect(() => recordOf(concat(tag(1, FIXED64), [1, 2, 3]))).toThrow(/^truncated message/);
  });

  it('copies bytes values into plain Uint8Arrays that do not share the body', () => {
    const body = wrapRecord(field(5, field(7, [1, 2, 3])));
    const value = decode(body).records[0]?.body as Uint8Array;
    expect(Object.getPrototypeOf(value)).toBe(Uint8Array.prototype);
    body.fill(0);
    expect(value).toStrictEqual(new Uint8Array([1, 2, 3]));
  });

  it('keeps a leading byte-order mark and reads keys past the cache: long, non-ASCII, or sharing a slot', () => {
    expect(recordOf(field(5, stringValue('\uFEFFx'))).body).toBe('\uFEFFx');
    const keys = Array.from({ length: 5000 }, (_, i) => `key.${i}`);
    keys.push('k'.repeat(65), 'ключ', '', '__proto__', 'constructor');
    const attributes = keys.map((key, i) => field(6, keyValue(key, String(i))));
    for (let round = 0; round < 2; round++) {
      const record = recordOf(concat(TIME, ...attributes));
      expect(Object.keys(record.attributes)).toEqual(keys);
      expect(
        keys.every((key, i) => Object.getOwnPropertyDescriptor(record.attributes, key)?.value === String(i)),
      ).toBe(true);
    }
  });
});

describe('protobuf limits', () => {
  it('counts records against maxRecords before building them, even where the framing scan gives up', () => {
    // An unknown group at the top stops the scan of the framing; the reader still counts. The third
    // record holds invalid UTF-8: refusing the request for its count shows it was never read.
    const records = concat(
      field(2, field(3, utf8('a'))),
      field(2, field(3, utf8('b'))),
      field(2, field(3, [0xff])),
    );
    const body = concat(group(7, tag(1, VARINT).concat([1])), field(1, field(2, records)));
    expect(() => decode(body, { maxRecords: 2 })).toThrow(/^more than 2 log records in one request/);
    expect(() => decode(body, { maxRecords: 3 })).toThrow(/^invalid UTF-8/);
  });

  it('refuses unknown groups nested past 100 messages as too deep, not with a RangeError', () => {
    let nested: Uint8Array = Uint8Array.from(tag(1, VARINT).concat([1]));
    for (let i = 0; i < 200; i++) nested = group(50, nested);
    expect(() => decode(wrapRecord(nested))).toThrow(OtlpDecodeError);
    expect(() => decode(wrapRecord(nested))).toThrow(/^nesting too deep/);
  });

  it('reports a malformed body as malformed even when a value before the damage is bad too', () => {
    const badTraceId = concat(TIME, field(9, [1, 2, 3]));
    expect(() => decode(wrapRecord(badTraceId))).toThrow(/traceId: expected 16 bytes, got 3$/);
    const cut = concat(field(1, field(2, concat(field(2, badTraceId), [0x12, 0x05, 0x1a]))));
    expect(() => decode(cut)).toThrow(/^truncated message/);
  });

  it('names the first bad value of the body when there are several', () => {
    const deep = field(5, field(5, field(1, stringValue('x'))));
    const records = concat(field(2, concat(TIME, deep)), field(2, concat(TIME, field(9, [1]))));
    expect(() => decode(field(1, field(2, records)), { maxDepth: 1 })).toThrow(
      new OtlpDecodeError('nesting deeper than 1 levels', 'resourceLogs[0].scopeLogs[0].logRecords[0].body'),
    );
  });
});

describe('the schema the reader is built from', () => {
  it('gives the tags of proto/logs.proto, and refuses at start-up a field of another type than the reader reads', () => {
    expect(tagOf('LogRecord', 'timeUnixNano', 'fixed64')).toBe(0x09);
    expect(tagOf('LogRecord', 'attributes', 'repeated KeyValue')).toBe(0x32);
    expect(() => tagOf('LogRecord', 'timeUnixNano', 'uint64')).toThrow(
      /LogRecord\.timeUnixNano is not the uint64/,
    );
    expect(() => tagOf('LogRecord', 'attributes', 'KeyValue')).toThrow(/is not the KeyValue/);
    expect(() => tagOf('LogRecord', 'noSuchField', 'string')).toThrow(/has no field noSuchField/);
  });
});
