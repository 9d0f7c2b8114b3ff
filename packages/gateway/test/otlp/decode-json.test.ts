// decodeLogsRequest on OTLP/JSON bodies: proto3 JSON rules, OTLP deviations, and bad input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { decodeLogsRequest, OtlpDecodeError } from '../../src/otlp/index.js';
import type { DecodedLogs, DecodeLimits } from '../../src/otlp/index.js';
import { jsonBody, nestedBodyJson, oneGroup } from './requests.js';

function decode(value: unknown, limits?: DecodeLimits): DecodedLogs {
  return decodeLogsRequest(jsonBody(value), 'json', limits);
}

function firstRecord(value: unknown) {
  const [record] = decode(value).records;
  if (record === undefined) throw new Error('no record decoded');
  return record;
}

function text(source: string): Uint8Array {
  return new TextEncoder().encode(source);
}

describe('OTLP/JSON values', () => {
  it('reads the opentelemetry-proto example request', () => {
    const example = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'my.service' } }] },
          scopeLogs: [
            {
              scope: {
                name: 'my.library',
                version: '1.0.0',
                attributes: [{ key: 'my.scope.attribute', value: { stringValue: 'x' } }],
              },
              logRecords: [
                {
                  timeUnixNano: '1544712660300000000',
                  observedTimeUnixNano: '1544712660300000000',
                  severityNumber: 10,
                  severityText: 'Information',
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'EEE19B7EC3C1B174',
                  body: { stringValue: 'Example log record' },
                  attributes: [
                    { key: 'string.attribute', value: { stringValue: 'some string' } },
                    { key: 'boolean.attribute', value: { boolValue: true } },
                    { key: 'int.attribute', value: { intValue: '10' } },
                    { key: 'double.attribute', value: { doubleValue: 637.704 } },
                    {
                      key: 'array.attribute',
                      value: { arrayValue: { values: [{ stringValue: 'many' }, { stringValue: 'values' }] } },
                    },
                    {
                      key: 'map.attribute',
                      value: {
                        kvlistValue: {
                          values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }],
                        },
                      },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(firstRecord(example)).toEqual({
      hrTime: [1544712660, 300000000],
      hrTimeObserved: [1544712660, 300000000],
      spanContext: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 0 },
      severityText: 'Information',
      severityNumber: 10,
      body: 'Example log record',
      resource: { attributes: { 'service.name': 'my.service' } },
      instrumentationScope: { name: 'my.library', version: '1.0.0' },
      attributes: {
        'string.attribute': 'some string',
        'boolean.attribute': true,
        'int.attribute': 10,
        'double.attribute': 637.704,
        'array.attribute': ['many', 'values'],
        'map.attribute': { 'some.map.key': 'some value' },
      },
    });
  });

  it('accepts int64 values as numbers and as decimal strings', () => {
    const attributes = [
      { key: 'n', value: { intValue: 5 } },
      { key: 's', value: { intValue: '5' } },
      { key: 'bigString', value: { intValue: '9007199254740993' } },
      // JSON.stringify writes 2 ** 60 as 1152921504606847000: the digits are read exactly, as the
      // Collector's decoder reads them, not rounded through a double.
      { key: 'bigNumber', value: { intValue: 2 ** 60 } },
      { key: 'negative', value: { intValue: '-9223372036854775808' } },
    ];
    expect(firstRecord(oneGroup({ timeUnixNano: 1, attributes })).attributes).toEqual({
      n: 5,
      s: 5,
      bigString: 9007199254740993n,
      bigNumber: 1152921504606847000n,
      negative: -9223372036854775808n,
    });
  });

  it('accepts timestamps as numbers and as decimal strings, exactly', () => {
    expect(firstRecord(oneGroup({ timeUnixNano: '1763885730123456789' })).hrTime).toEqual([
      1763885730, 123456789,
    ]);
    expect(firstRecord(oneGroup({ timeUnixNano: 1763885730123 })).hrTime).toEqual([1763, 885730123]);
    expect(firstRecord(oneGroup({ timeUnixNano: '18446744073709551615' })).hrTime).toEqual([
      18446744073, 709551615,
    ]);
  });

  it('reads severityNumber as an integer, in a string too', () => {
    expect(firstRecord(oneGroup({ timeUnixNano: 1, severityNumber: 9 })).severityNumber).toBe(9);
    expect(firstRecord(oneGroup({ timeUnixNano: 1, severityNumber: '17' })).severityNumber).toBe(17);
    expect(firstRecord(oneGroup({ timeUnixNano: 1, severityNumber: 0 })).severityNumber).toBeUndefined();
  });

  it('reads bytesValue as base64, standard or URL-safe', () => {
    const attributes = [
      { key: 'std', value: { bytesValue: '+/8=' } },
      { key: 'url', value: { bytesValue: '-_8' } },
    ];
    expect(firstRecord(oneGroup({ timeUnixNano: 1, attributes })).attributes).toEqual({
      std: new Uint8Array([0xfb, 0xff]),
      url: new Uint8Array([0xfb, 0xff]),
    });
  });

  it('reads doubles written as strings', () => {
    const values = ['NaN', 'Infinity', '-Infinity', '2.5'].map((d) => ({ doubleValue: d }));
    const body = { arrayValue: { values } };
    expect(firstRecord(oneGroup({ timeUnixNano: 1, body })).body).toEqual([
      Number.NaN,
      Infinity,
      -Infinity,
      2.5,
    ]);
  });

  it('ignores unknown fields and treats null as absent', () => {
    const record = firstRecord({
      future: { anything: [1] },
      resourceLogs: [
        {
          resource: null,
          entityRefs: [{ type: 'service' }],
          scopeLogs: [
            {
              scope: null,
              logRecords: [
                { timeUnixNano: '7', eventName: null, newField: 'x', body: { stringValue: 'b', extra: 1 } },
              ],
            },
          ],
        },
      ],
    });
    expect(record).toMatchObject({
      hrTime: [0, 7],
      body: 'b',
      eventName: undefined,
      instrumentationScope: { name: '' },
    });
  });

  it('decodes a 10 MB string', () => {
    const big = 'y'.repeat(10 * 1024 * 1024);
    expect(firstRecord(oneGroup({ timeUnixNano: 1, body: { stringValue: big } })).body).toBe(big);
  });
});

describe('malformed OTLP/JSON', () => {
  it.each([['[]'], ['"resourceLogs"'], ['null'], ['42'], ['true']])(
    'rejects %s at the top level',
    (source) => {
      expect(() => decodeLogsRequest(text(source), 'json')).toThrow(
        /^expected an ExportLogsServiceRequest object/,
      );
    },
  );

  it('rejects text that is not JSON', () => {
    expect(() => decodeLogsRequest(text('{"resourceLogs": ['), 'json')).toThrow(/^not valid JSON \(/);
    expect(() => decodeLogsRequest(new Uint8Array(), 'json')).toThrow(OtlpDecodeError);
  });

  it('rejects bytes that are not UTF-8', () => {
    const body = Uint8Array.from([...text('{"resourceLogs":[],"x":"'), 0xff, ...text('"}')]);
    expect(() => decodeLogsRequest(body, 'json')).toThrow(/^invalid UTF-8 in the JSON text/);
  });

  it('rejects a lone surrogate escape, which protobuf could not carry upstream', () => {
    const source = '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a\\ud800b"}}]}]}]}';
    expect(() => decodeLogsRequest(text(source), 'json')).toThrow(
      /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body\.stringValue: contains a lone surrogate/,
    );
  });

  it.each([
    ['too short', '5b8efff798038103d269b633813fc6', 'traceId', /expected 32 hex digits/],
    ['not hex', '5b8efff798038103d269b633813fc6zz', 'traceId', /expected 32 hex digits/],
    ['base64', 'W47/95gDgQPSabYzgT/GDA==', 'traceId', /expected 32 hex digits/],
    ['a number', 12, 'spanId', /expected 16 hex digits, got 12/],
    ['too long', 'eee19b7ec3c1b17400', 'spanId', /expected 16 hex digits/],
  ])('rejects a %s id, naming the field', (_, id, key, problem) => {
    const value = oneGroup({}, { [key]: id });
    expect(() => decode(value)).toThrow(OtlpDecodeError);
    expect(() => decode(value)).toThrow(
      new RegExp(`^resourceLogs\\[0\\]\\.scopeLogs\\[0\\]\\.logRecords\\[1\\]\\.${key}: `),
    );
    expect(() => decode(value)).toThrow(problem);
  });

  it.each([
    [{ resourceLogs: {} }, /^resourceLogs: expected an array of ResourceLogs, got an object/],
    [{ resourceLogs: [{ resource: [] }] }, /^resourceLogs\[0\]\.resource: expected a Resource object/],
    [oneGroup({ severityText: 5 }), /logRecords\[0\]\.severityText: expected a string, got 5/],
    [
      oneGroup({ severityNumber: 'WARN' }),
      /logRecords\[0\]\.severityNumber: expected an integer or a SeverityNumber name, got "WARN"/,
    ],
    [oneGroup({ timeUnixNano: -1 }), /logRecords\[0\]\.timeUnixNano: expected a non-negative integer/],
    [
      oneGroup({ timeUnixNano: '18446744073709551616' }),
      /timeUnixNano: expected at most 18446744073709551615/,
    ],
    [oneGroup({ timeUnixNano: '1.5e18' }), /timeUnixNano: expected a decimal string or number/],
    [oneGroup({ flags: 4294967296 }), /logRecords\[0\]\.flags: expected an integer from 0 to 4294967295/],
    [oneGroup({ body: 'text' }), /logRecords\[0\]\.body: expected an AnyValue object, got "text"/],
    [oneGroup({ body: { intValue: 1.5 } }), /body\.intValue: expected an integer, got 1\.5/],
    [
      oneGroup({ body: { intValue: '9223372036854775808' } }),
      /body\.intValue: expected a 64-bit signed integer/,
    ],
    [oneGroup({ body: { boolValue: 'true' } }), /body\.boolValue: expected true or false/],
    [oneGroup({ body: { bytesValue: 'not base64!' } }), /body\.bytesValue: expected a base64 string/],
    [oneGroup({ body: { stringValue: 'a', intValue: 1 } }), /body: sets both stringValue and intValue/],
    [oneGroup({ attributes: {} }), /logRecords\[0\]\.attributes: expected an array of KeyValues/],
    [oneGroup({ attributes: [{ key: 1, value: {} }] }), /attributes\[0\]\.key: expected a string, got 1/],
    [oneGroup({ droppedAttributesCount: -1 }), /droppedAttributesCount: expected an integer from 0/],
    [
      {
        resourceLogs: [
          { scopeLogs: [{ scope: { name: 'a', attributes: [{ key: 'k', value: { intValue: 'x' } }] } }] },
        ],
      },
      /scope\.attributes\[0\]\.value\.intValue: /,
    ],
    [{ resourceLogs: [{ schemaUrl: 3 }] }, /^resourceLogs\[0\]\.schemaUrl: expected a string/],
  ])('rejects a wrong type for a known field: %j', (value, problem) => {
    expect(() => decode(value)).toThrow(problem);
  });

  it('throws OtlpDecodeError, not RangeError, for 100 000 nested arrays or kvlists', () => {
    for (const kind of ['array', 'kvlist'] as const) {
      const body = text(nestedBodyJson(100_000, kind));
      expect(() => decodeLogsRequest(body, 'json')).toThrow(OtlpDecodeError);
      expect(() => decodeLogsRequest(body, 'json')).toThrow(/nesting deeper than 32 levels$/);
    }
  });

  it('accepts 32 levels of nesting and refuses 33', () => {
    expect(decodeLogsRequest(text(nestedBodyJson(32, 'kvlist')), 'json').records).toHaveLength(1);
    expect(() => decodeLogsRequest(text(nestedBodyJson(33, 'array')), 'json')).toThrow(
      new RegExp(
        String.raw`^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body(\.arrayValue\.values\[0\]){32}: ` +
          'nesting deeper than 32 levels$',
      ),
    );
  });

  it('refuses more records than maxRecords', () => {
    const records = Array.from({ length: 6 }, () => ({ timeUnixNano: 1 }));
    const value = { resourceLogs: [{ scopeLogs: [{ logRecords: records }, { logRecords: records }] }] };
    expect(decode(value, { maxRecords: 12 }).records).toHaveLength(12);
    expect(() => decode(value, { maxRecords: 11 })).toThrow(/^more than 11 log records/);
  });

  it('decodes any JSON value or throws OtlpDecodeError', () => {
    const otlpish = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 2 }),
        fc.dictionary(
          fc.constantFrom(
            'resourceLogs',
            'scopeLogs',
            'logRecords',
            'body',
            'attributes',
            'values',
            'key',
            'value',
            'intValue',
            'kvlistValue',
            'arrayValue',
            'traceId',
            'timeUnixNano',
            'resource',
            'scope',
          ),
          tie('value'),
          { maxKeys: 4 },
        ),
        fc.array(tie('value'), { maxLength: 3 }),
      ),
    })).value;
    fc.assert(
      fc.property(otlpish, (value) => {
        try {
          decode(value);
        } catch (error) {
          if (!(error instanceof OtlpDecodeError)) throw error;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('forwarding', () => {
  it('keeps the records when a decoded request is forwarded as protobuf and read again', () => {
    fc.assert(
      fc.property(otlpRequest, (request) => {
        const decoded = decode(request);
        const forwarded = decoded.subset(() => true);
        const again = forwarded === undefined ? [] : decodeLogsRequest(forwarded, 'protobuf').records;
        expect(again).toStrictEqual(decoded.records);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- generated OTLP/JSON requests --------------------------------------------------------------

const text16 = fc.string({ unit: 'binary', maxLength: 12 });
const int64String = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const hex = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => Buffer.from(b).toString('hex'));

const anyValue = fc.letrec<{ value: Record<string, unknown> }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    text16.map((s) => ({ stringValue: s })),
    fc.boolean().map((b) => ({ boolValue: b })),
    fc.oneof(int64String, fc.maxSafeInteger()).map((i) => ({ intValue: i })),
    fc.double().map((d) => ({ doubleValue: Number.isFinite(d) ? d : String(d) })),
    fc.uint8Array({ maxLength: 6 }).map((b) => ({ bytesValue: Buffer.from(b).toString('base64') })),
    fc.constant({}),
    fc.array(tie('value'), { maxLength: 3 }).map((values) => ({ arrayValue: { values } })),
    fc
      .array(fc.record({ key: text16, value: tie('value') }), { maxLength: 3 })
      .map((values) => ({ kvlistValue: { values } })),
  ),
})).value;

const keyValues = fc.array(fc.record({ key: text16, value: anyValue }), { maxLength: 4 });

const logRecord = fc.record(
  {
    timeUnixNano: fc.oneof(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String), fc.integer({ min: 1 })),
    observedTimeUnixNano: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String),
    severityNumber: fc.integer({ min: 0, max: 24 }),
    severityText: text16,
    body: anyValue,
    attributes: keyValues,
    flags: fc.nat({ max: 0xffffffff }),
    traceId: fc.oneof(hex(16), fc.constant('00000000000000000000000000000000')),
    spanId: hex(8),
    eventName: text16,
  },
  { requiredKeys: ['timeUnixNano'] },
);

const otlpRequest = fc.record({
  resourceLogs: fc.array(
    fc.record(
      {
        resource: fc.record({ attributes: keyValues }, { requiredKeys: [] }),
        scopeLogs: fc.array(
          fc.record(
            {
              scope: fc.record(
                { name: text16, version: text16, attributes: keyValues },
                { requiredKeys: [] },
              ),
              logRecords: fc.array(logRecord, { maxLength: 3 }),
              schemaUrl: text16,
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        schemaUrl: text16,
      },
      { requiredKeys: [] },
    ),
    { maxLength: 3 },
  ),
});
