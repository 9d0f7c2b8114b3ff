// decodeLogsRequest on binary OTLP bodies: values, limits, and every way the bytes can be wrong.
import { SeverityNumber } from '@opentelemetry/api-logs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { decodeLogsRequest, OtlpDecodeError } from '../../src/otlp/index.js';
import type { DecodedLogs } from '../../src/otlp/index.js';
import { captureExports } from './real-clients.js';
import { concat, field, nestedBodyRecord, oneGroup, protobufBody, varint, wrapRecord } from './requests.js';

function decode(body: Uint8Array, limits?: { maxDepth?: number; maxRecords?: number }): DecodedLogs {
  return decodeLogsRequest(body, 'protobuf', limits);
}

function firstRecord(body: Uint8Array) {
  const [record] = decode(body).records;
  if (record === undefined) throw new Error('no record decoded');
  return record;
}

/** Decodes, or throws only OtlpDecodeError. */
function decodesOrRejects(body: Uint8Array): boolean {
  try {
    decode(body);
    return true;
  } catch (error) {
    if (error instanceof OtlpDecodeError) return false;
    throw error;
  }
}

let realBody: Uint8Array;

beforeAll(async () => {
  const { protobuf } = await captureExports((provider) => {
    const logger = provider.getLogger('auth', '1.0.0');
    for (let i = 0; i < 3; i++) {
      logger.emit({
        eventName: 'authn_login_fail',
        severityNumber: SeverityNumber.WARN,
        body: { user: 'joebob1', tries: i, tags: ['a', 'b'], raw: new Uint8Array([1, 2]) },
        attributes: { 'user.id': 'joebob1', ok: false, score: 1.5, nested: { deep: [1, 2, { x: 'y' }] } },
      });
    }
  });
  realBody = protobuf[0] ?? new Uint8Array();
});

describe('protobuf values', () => {
  it('converts fixed64 timestamps without losing a nanosecond, up to the largest uint64', () => {
    const record = firstRecord(
      protobufBody(
        oneGroup({ timeUnixNano: '18446744073709551615', observedTimeUnixNano: '1763885730999999999' }),
      ),
    );
    expect(record.hrTime).toEqual([18446744073, 709551615]);
    expect(record.hrTimeObserved).toEqual([1763885730, 999999999]);
  });

  it('takes the observed time when the event time is 0, and the decoding time when both are', () => {
    const observedOnly = firstRecord(
      protobufBody(oneGroup({ timeUnixNano: '0', observedTimeUnixNano: '5000000001' })),
    );
    expect(observedOnly.hrTime).toEqual([5, 1]);
    const before = Date.now();
    const neither = firstRecord(protobufBody(oneGroup({ body: { stringValue: 'x' } })));
    const after = Date.now();
    const ms = neither.hrTime[0] * 1000 + neither.hrTime[1] / 1e6;
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    expect(neither.hrTimeObserved).toBeUndefined();
  });

  it('keeps int64 values exact: numbers while safe, bigints beyond', () => {
    const values = ['9007199254740991', '9007199254740992', '-9007199254740991', '-9007199254740992'];
    values.push('9223372036854775807', '-9223372036854775808', '-1', '0');
    values.push('9007199254740993', '-9007199254740993', '-9223372036854775807');
    const attributes = values.map((v, i) => ({ key: `k${i}`, value: { intValue: v } }));
    expect(firstRecord(protobufBody(oneGroup({ attributes }))).attributes).toEqual({
      k0: 9007199254740991,
      k1: 9007199254740992n,
      k2: -9007199254740991,
      k3: -9007199254740992n,
      k4: 9223372036854775807n,
      k5: -9223372036854775808n,
      k6: -1,
      k7: 0,
      k8: 9007199254740993n,
      k9: -9007199254740993n,
      k10: -9223372036854775807n,
    });
  });

  it('sets spanContext from lower-case hex ids, with the low 8 bits of flags as traceFlags', () => {
    const traceId = Buffer.from('5B8EFFF798038103D269B633813FC60C', 'hex');
    const spanId = Buffer.from('EEE19B7EC3C1B174', 'hex');
    const record = firstRecord(protobufBody(oneGroup({ traceId, spanId, flags: 0x101 })));
    expect(record.spanContext).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      traceFlags: 1,
    });
  });

  it('leaves spanContext unset for all-zero or missing ids', () => {
    const spanId = Buffer.from('eee19b7ec3c1b174', 'hex');
    expect(
      firstRecord(protobufBody(oneGroup({ traceId: new Uint8Array(16), spanId }))).spanContext,
    ).toBeUndefined();
    expect(
      firstRecord(protobufBody(oneGroup({ traceId: new Uint8Array(16).fill(1) }))).spanContext,
    ).toBeUndefined();
  });

  it('rejects a trace id that is not 16 bytes, naming the field', () => {
    const body = protobufBody(oneGroup({ body: { stringValue: 'x' } }, { traceId: new Uint8Array(5) }));
    expect(() => decode(body)).toThrow(
      new OtlpDecodeError('expected 16 bytes, got 5', 'resourceLogs[0].scopeLogs[0].logRecords[1].traceId'),
    );
    expect(() => decode(protobufBody(oneGroup({ spanId: new Uint8Array(9) })))).toThrow(
      /logRecords\[0\]\.spanId: expected 8 bytes/,
    );
  });

  it('decodes multi-byte UTF-8 in every string field', () => {
    const text = 'naïve — 日本語 🎉 '.repeat(8);
    const record = firstRecord(
      protobufBody({
        resourceLogs: [
          {
            scopeLogs: [
              {
                scope: { name: text },
                logRecords: [
                  {
                    severityText: text,
                    eventName: text,
                    body: { stringValue: text },
                    attributes: [{ key: text, value: { stringValue: text } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    expect([record.severityText, record.eventName, record.body, record.instrumentationScope?.name]).toEqual([
      text,
      text,
      text,
      text,
    ]);
    expect(record.attributes).toEqual({ [text]: text });
  });

  it('decodes a 10 MB string', () => {
    const big = 'x'.repeat(10 * 1024 * 1024 - 1) + 'é';
    expect(firstRecord(protobufBody(oneGroup({ body: { stringValue: big } }))).body).toBe(big);
  });

  it('decodes a body held in a plain Uint8Array view at an offset into a larger buffer', () => {
    const body = protobufBody(oneGroup({ timeUnixNano: '5', body: { stringValue: 'in a view' } }));
    const backing = new Uint8Array(body.length + 7);
    backing.set(body, 3);
    const view = new Uint8Array(backing.buffer, 3, body.length);
    expect(decode(view).records).toStrictEqual(decode(body).records);
  });

  it('keeps an empty string, zero and false as set values, apart from an empty AnyValue', () => {
    const attributes = [
      { key: 'empty', value: { stringValue: '' } },
      { key: 'zero', value: { intValue: '0' } },
      { key: 'no', value: { boolValue: false } },
      { key: 'nothing', value: {} },
      { key: 'absent' },
    ];
    const record = firstRecord(protobufBody(oneGroup({ attributes })));
    expect(record.attributes).toStrictEqual({
      empty: '',
      zero: 0,
      no: false,
      nothing: undefined,
      absent: undefined,
    });
  });

  it('reads the last member when a sender sets two, as protobuf oneof merging does', () => {
    // AnyValue { string_value: "s", int_value: 5 } and the reverse order on the wire.
    expect(firstRecord(wrapRecord(field(5, [0x0a, 0x01, 0x73, 0x18, 0x05]))).body).toBe(5);
    expect(firstRecord(wrapRecord(field(5, [0x18, 0x05, 0x0a, 0x01, 0x73]))).body).toBe('s');
  });

  it('skips unknown fields at every level', () => {
    const unknown = concat(
      [0xf8, 0x06, 0x2a],
      field(101, [1, 2, 3]),
      [0xed, 0x06, 1, 2, 3, 4],
      [0xe9, 0x06, 1, 2, 3, 4, 5, 6, 7, 8],
    );
    const record = concat(
      [0x09, 1, 0, 0, 0, 0, 0, 0, 0],
      unknown,
      field(5, concat(unknown, field(1, [0x68, 0x69]))),
    );
    const scope = concat(unknown, field(2, record), unknown);
    const body = concat(unknown, field(1, concat(unknown, field(2, scope))), unknown);
    const plain = wrapRecord(concat([0x09, 1, 0, 0, 0, 0, 0, 0, 0], field(5, field(1, [0x68, 0x69]))));
    expect(decode(body).records).toStrictEqual(decode(plain).records);
    expect(decode(body).records[0]?.body).toBe('hi');
  });
});

describe('malformed protobuf', () => {
  it('rejects or decodes every prefix of a real body, never throwing anything else', () => {
    expect(realBody.length).toBeGreaterThan(100);
    let rejected = 0;
    for (let end = 0; end < realBody.length; end++)
      if (!decodesOrRejects(realBody.subarray(0, end))) rejected++;
    expect(rejected).toBeGreaterThan(realBody.length / 2);
  });

  it('says a cut-off body is truncated', () => {
    expect(() => decode(realBody.subarray(0, realBody.length - 3))).toThrow(
      /^truncated message \(index out of range/,
    );
  });

  it('rejects a length that runs past its parent', () => {
    const scope = field(2, field(5, field(1, [0x68, 0x69])));
    // The ScopeLogs field claims one byte more than its ResourceLogs holds.
    const resourceLogs = concat([0x12, ...varint(scope.length + 1)], scope);
    expect(() => decode(field(1, resourceLogs))).toThrow(/^truncated message/);
  });

  it('rejects an invalid wire type and a field number of 0', () => {
    expect(() => decode(wrapRecord(Uint8Array.from([0x0f, 0x00])))).toThrow(/invalid wire type 7/);
    expect(() => decode(wrapRecord(Uint8Array.from([0x00, 0x01])))).toThrow(/field number 0/);
  });

  it('skips a known field sent with the wrong wire type, as an unknown one', () => {
    // body (5) as a varint, time (1) as length-delimited: neither is read.
    const record = firstRecord(wrapRecord(concat([0x28, 0x01], field(1, [1, 2, 3]), [0x1a, 0x01, 0x41])));
    expect(record.body).toBeUndefined();
    expect(record.severityText).toBe('A');
  });

  it.each([
    ['a short body string', field(5, field(1, [0x61, 0xff, 0x62]))],
    ['a long body string', field(5, field(1, [...Buffer.from('a'.repeat(100)), 0xc3, 0x28]))],
    ['an attribute key', field(6, field(1, [0xed, 0xa0, 0x80]))],
    ['the severity text', field(3, [0xf0, 0x28, 0x8c, 0xbc])],
    ['an overlong encoding', field(12, [0xc0, 0xaf])],
  ])('rejects invalid UTF-8 in %s instead of replacing it', (_, record) => {
    expect(() => decode(wrapRecord(record))).toThrow(/^invalid UTF-8 in a string field/);
  });

  it('rejects invalid UTF-8 in a scope name', () => {
    const body = field(1, field(2, field(1, field(1, [0x80]))));
    expect(() => decode(body)).toThrow(/invalid UTF-8/);
  });

  it('throws OtlpDecodeError, not RangeError, for 100 000 nested arrays or kvlists', () => {
    for (const kind of ['array', 'kvlist'] as const) {
      const body = wrapRecord(nestedBodyRecord(100_000, kind));
      expect(() => decode(body)).toThrow(OtlpDecodeError);
      expect(() => decode(body)).toThrow(/^nesting too deep/);
    }
  });

  it('accepts 32 levels of arrays or kvlists and refuses 33, naming the value', () => {
    for (const kind of ['array', 'kvlist'] as const) {
      expect(decode(wrapRecord(nestedBodyRecord(32, kind))).records).toHaveLength(1);
      expect(() => decode(wrapRecord(nestedBodyRecord(33, kind)))).toThrow(
        new OtlpDecodeError(
          'nesting deeper than 32 levels',
          'resourceLogs[0].scopeLogs[0].logRecords[0].body',
        ),
      );
    }
  });

  it('applies a smaller maxDepth to attributes, resource and scope attributes too', () => {
    const deep = { arrayValue: { values: [{ arrayValue: { values: [{ intValue: '1' }] } }] } };
    const attribute = [
      { key: 'a', value: { stringValue: 'ok' } },
      { key: 'deep', value: deep },
    ];
    const limits = { maxDepth: 1 };
    expect(() => decode(protobufBody(oneGroup({ attributes: attribute })), limits)).toThrow(
      /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.attributes\[1\]: nesting deeper than 1 levels$/,
    );
    const onResource = { resourceLogs: [{ resource: { attributes: attribute } }] };
    expect(() => decode(protobufBody(onResource), limits)).toThrow(
      /^resourceLogs\[0\]\.resource\.attributes\[1\]: /,
    );
    const onScope = { resourceLogs: [{}, { scopeLogs: [{ scope: { attributes: attribute } }] }] };
    expect(() => decode(protobufBody(onScope), limits)).toThrow(
      /^resourceLogs\[1\]\.scopeLogs\[0\]\.scope\.attributes\[1\]: /,
    );
    expect(decode(protobufBody(oneGroup({ attributes: attribute })), { maxDepth: 3 }).records).toHaveLength(
      1,
    );
  });

  it('refuses more records than maxRecords, before decoding them', () => {
    const records = Array.from({ length: 11 }, () => ({ body: { stringValue: 'x' } }));
    expect(decode(protobufBody(oneGroup(...records)), { maxRecords: 11 }).records).toHaveLength(11);
    expect(() => decode(protobufBody(oneGroup(...records)), { maxRecords: 10 })).toThrow(
      /^more than 10 log records in one request/,
    );
    // A flood of empty records across many groups: two bytes each.
    const flood = field(
      1,
      field(
        2,
        new Uint8Array(2_000_000).fill(0x12).map((b, i) => (i % 2 === 0 ? b : 0)),
      ),
    );
    expect(() => decode(flood)).toThrow(/^more than 100000 log records/);
  });

  it('refuses bad limits as a caller error', () => {
    expect(() => decode(new Uint8Array(), { maxDepth: 33 })).toThrow(RangeError);
    expect(() => decode(new Uint8Array(), { maxRecords: 0 })).toThrow(RangeError);
  });

  it('decodes random bytes or throws OtlpDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        decodesOrRejects(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it('decodes a real body with random bytes changed, or throws OtlpDecodeError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const body = Uint8Array.from(realBody);
          for (const [at, byte] of edits) body[at % body.length] = byte;
          decodesOrRejects(body);
        },
      ),
      { numRuns: 5000 },
    );
  });
});
