// The protobuf reader against protobufjs, on random well-formed requests whose fields come in any
// order, repeated, mistyped or unknown: reading a body directly must give the records of the
// message protobufjs decodes from it, and a subset must be that message with records left out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeLogsRequest } from '../../src/otlp/index.js';
import { ExportLogsServiceRequest } from '../../src/otlp/schema.js';
import { concat, field } from './requests.js';
import {
  double,
  FIXED32,
  FIXED64,
  fixed32,
  fixed64,
  group,
  LENGTH_DELIMITED,
  tag,
  VARINT,
  varint64,
} from './wire-bytes.js';

type Bytes = fc.Arbitrary<Uint8Array>;

/** Up to `maxLength` fields drawn from `parts`, the first of which is drawn `weight` times as often. */
const bytes = (parts: Bytes[], maxLength = 4, weight = 1): Bytes =>
  fc
    .array(fc.oneof(...parts.map((arbitrary, i) => ({ arbitrary, weight: i === 0 ? weight : 1 }))), {
      maxLength,
    })
    .map((list) => concat(...list));
const text = fc.oneof(
  fc.constantFrom('', 'a', 'user.id', '__proto__', 'ключ', '\uFEFF'),
  fc.string({ maxLength: 8 }),
);
const utf8Field = (number: number): Bytes => text.map((t) => field(number, Buffer.from(t, 'utf8')));
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const varintField = (number: number): Bytes => int64.map((v) => concat(tag(number, VARINT), varint64(v)));
const fixed64Field = (number: number): Bytes => int64.map((v) => concat(tag(number, FIXED64), fixed64(v)));

/** Fields no message here has (numbers from 100), of every wire type, groups included. */
const unknown: Bytes = fc.oneof(
  fc.integer({ min: 100, max: 5000 }).chain((n) => varintField(n)),
  fc.integer({ min: 100, max: 5000 }).map((n) => concat(tag(n, FIXED64), fixed64(5n))),
  fc.integer({ min: 100, max: 5000 }).map((n) => concat(tag(n, FIXED32), fixed32(5))),
  fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.uint8Array({ maxLength: 6 })).map(([n, b]) => field(n, b)),
  fc.integer({ min: 100, max: 5000 }).map((n) => group(n, concat(tag(1, VARINT), [1]))),
);

/** Field `number` with a wire type other than `expected`, which a reader must skip. */
const mistyped = (number: number, expected: number): Bytes =>
  fc
    .constantFrom(VARINT, FIXED64, LENGTH_DELIMITED, FIXED32)
    .filter((w) => w !== expected)
    .map((wireType) => {
      if (wireType === VARINT) return concat(tag(number, VARINT), [0x96, 0x01]);
      if (wireType === FIXED64) return concat(tag(number, FIXED64), fixed64(1n));
      if (wireType === FIXED32) return concat(tag(number, FIXED32), fixed32(1));
      return field(number, [0x08, 0x01]);
    });

const { anyValue, keyValue } = fc.letrec<{ anyValue: Uint8Array; keyValue: Uint8Array }>((tie) => ({
  anyValue: bytes(
    [
      utf8Field(1),
      fc.boolean().map((b) => concat(tag(2, VARINT), [b ? 1 : 0])),
      varintField(3),
      fc.double().map((d) => concat(tag(4, FIXED64), double(d))),
      fc
        .array(
          tie('anyValue').map((v) => field(1, v)),
          { maxLength: 3 },
        )
        .map((values) => field(5, concat(...values))),
      fc
        .array(
          tie('keyValue').map((v) => field(1, v)),
          { maxLength: 3 },
        )
        .map((values) => field(6, concat(...values))),
      fc.uint8Array({ maxLength: 4 }).map((b) => field(7, b)),
      unknown,
      mistyped(3, VARINT),
      mistyped(5, LENGTH_DELIMITED),
    ],
    3,
  ),
  keyValue: bytes(
    [utf8Field(1), tie('anyValue').map((v) => field(2, v)), unknown, mistyped(2, LENGTH_DELIMITED)],
    3,
  ),
}));

const attribute = (number: number): Bytes => keyValue.map((kv) => field(number, kv));
const id = (length: number): Bytes =>
  fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ minLength: length, maxLength: length }));

const logRecord: Bytes = fc
  .tuple(
    bytes(
      [
        fixed64Field(1),
        fixed64Field(11),
        varintField(2),
        utf8Field(3),
        anyValue.map((v) => field(5, v)),
        attribute(6),
        attribute(6),
        varintField(7),
        fc.integer().map((n) => concat(tag(8, FIXED32), fixed32(n))),
        id(16).map((b) => field(9, b)),
        id(8).map((b) => field(10, b)),
        utf8Field(12),
        unknown,
        mistyped(1, FIXED64),
        mistyped(6, LENGTH_DELIMITED),
      ],
      8,
    ),
    fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }),
  )
  // A last, non-zero time, so no record takes the time of decoding, which differs between decodes.
  .map(([record, time]) => concat(record, tag(1, FIXED64), fixed64(time)));

const scope: Bytes = bytes([utf8Field(1), utf8Field(2), attribute(3), varintField(4), unknown]);
const resource: Bytes = bytes([attribute(1), varintField(2), unknown]);
const scopeLogs: Bytes = bytes(
  [logRecord.map((r) => field(2, r)), scope.map((s) => field(1, s)), utf8Field(3), unknown],
  6,
  6,
);
const resourceLogs: Bytes = bytes(
  [scopeLogs.map((s) => field(2, s)), resource.map((r) => field(1, r)), utf8Field(3), unknown],
  4,
  4,
);
const request: Bytes = bytes([resourceLogs.map((r) => field(1, r)), unknown], 3, 4);

/** The body as protobufjs reads it, written back: merged, in field order, unknown fields dropped. */
function canonical(body: Uint8Array): Uint8Array {
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.decode(body)).finish();
}

interface Message {
  resourceLogs?: { scopeLogs?: { logRecords?: unknown[] }[] }[];
}

/** protobufjs's message of `body` with only the records `keep` accepts, empty groups dropped. */
function filtered(body: Uint8Array, keep: (index: number) => boolean): Uint8Array {
  const message = ExportLogsServiceRequest.decode(body) as Message;
  let index = 0;
  const resourceLogs = (message.resourceLogs ?? [])
    .map((r) => ({
      ...r,
      scopeLogs: (r.scopeLogs ?? [])
        .map((s) => ({ ...s, logRecords: (s.logRecords ?? []).filter(() => keep(index++)) }))
        .filter((s) => s.logRecords.length > 0),
    }))
    .filter((r) => r.scopeLogs.length > 0);
  return ExportLogsServiceRequest.encode({ resourceLogs }).finish();
}

describe('the protobuf reader next to protobufjs', () => {
  it('gives the records of the message protobufjs decodes, for any order, repeat or kind of field', () => {
    fc.assert(
      fc.property(request, (body) => {
        const direct = decodeLogsRequest(body, 'protobuf').records;
        expect(direct).toStrictEqual(decodeLogsRequest(canonical(body), 'protobuf').records);
      }),
      { numRuns: 1500 },
    );
  });

  it('forwards a subset that protobufjs decodes to the message with the other records left out', () => {
    fc.assert(
      fc.property(request, fc.func(fc.boolean()), (body, keepOf) => {
        const decoded = decodeLogsRequest(body, 'protobuf');
        const keep = (index: number): boolean => keepOf(index);
        const subset = decoded.subset(keep);
        const expected = decoded.records.filter((_, index) => keep(index));
        if (expected.length === 0) {
          expect(subset).toBeUndefined();
          return;
        }
        expect(canonical(subset ?? new Uint8Array())).toStrictEqual(filtered(body, keep));
        expect(decodeLogsRequest(subset ?? new Uint8Array(), 'protobuf').records).toStrictEqual(expected);
      }),
      { numRuns: 800 },
    );
  });
});
