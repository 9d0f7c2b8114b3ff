import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { AnyValueLike, HrTimeLike, LogRecordLike } from '../src/log-record.js';
import {
  MAX_ANY_VALUE_DEPTH,
  OtlpJsonError,
  readOtlpJsonLine,
  readOtlpJsonRequest,
  readOtlpJsonText,
} from '../src/otlp-json.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/otlp/${name}`, import.meta.url), 'utf8');

/** A request with one record built from `record`, under a resource and a scope. */
function requestWith(record: Record<string, unknown>): unknown {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] },
        scopeLogs: [{ scope: { name: 'scope', version: '1.0.0' }, logRecords: [record] }],
      },
    ],
  };
}

function readOne(record: Record<string, unknown>): LogRecordLike {
  const [only, ...rest] = readOtlpJsonRequest(requestWith(record));
  expect(rest).toEqual([]);
  if (only === undefined) throw new Error('expected one record');
  return only;
}

function bodyOf(anyValue: unknown): AnyValueLike {
  return readOne({ timeUnixNano: '1', body: anyValue }).body;
}

function errorOf(fn: () => unknown): OtlpJsonError {
  try {
    fn();
  } catch (error) {
    if (error instanceof OtlpJsonError) return error;
    throw error;
  }
  throw new Error('expected an OtlpJsonError');
}

const ids = { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174' };

describe('readOtlpJsonText on an OpenTelemetry JS JsonLogsSerializer request', () => {
  const requests = [...readOtlpJsonText(fixture('otel-js-json.json'))];
  const records = requests.flat();

  it('reads one request with its six records', () => {
    expect(requests).toHaveLength(1);
    expect(records.map((r) => r.eventName ?? r.severityText)).toEqual([
      'authn_login_success',
      'authn_login_fail',
      'authn_login_fail',
      'authz_fail',
      'DEBUG',
      'DEBUG',
    ]);
  });

  it('reads a login success with its time, ids, severity, body and attributes', () => {
    expect(records[0]).toEqual({
      hrTime: [1795421790, 123456789],
      hrTimeObserved: [1795421790, 123606789],
      spanContext: { traceId: '8a3c60f7d188f8fa79d48a391a778fa6', spanId: '53995c3f42cd8ad8', traceFlags: 1 },
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'authn_login_success',
      body: 'User alice signed in',
      resource: {
        attributes: {
          'service.name': 'identity-service',
          'service.version': '1.8.0',
          'telemetry.sdk.language': 'nodejs',
          'telemetry.sdk.name': 'opentelemetry',
          'telemetry.sdk.version': '2.12.1',
        },
      },
      instrumentationScope: { name: 'identity', version: '1.8.0' },
      attributes: {
        'security.event': true,
        'user.id': 'alice',
        'client.address': '203.0.113.7',
        'session.id': 's-2c41e0',
        'user_agent.original': 'Mozilla/5.0 (Macintosh) Safari/605.1.15',
        'http.request.method': 'POST',
        'url.path': '/api/session',
      },
    });
  });

  it('reads intValue sent as a JSON number as a number', () => {
    expect(records[1]?.attributes['authn.attempt']).toBe(3);
    expect(records[4]?.attributes['cache.size']).toBe(512);
  });

  it('leaves the span context out of a record sent without ids', () => {
    expect(records[2]?.spanContext).toBeUndefined();
  });

  it('shares one resource and one scope object among the records', () => {
    const [first, ...others] = records;
    for (const other of others) {
      expect(other.resource).toBe(first?.resource);
      expect(other.instrumentationScope).toBe(first?.instrumentationScope);
    }
  });
});

describe('readOtlpJsonText on a Collector file export', () => {
  const requests = [...readOtlpJsonText(fixture('collector-file-export.jsonl'))];

  it('yields one array of records per line', () => {
    expect(requests.map((records) => records.length)).toEqual([2, 3, 2]);
  });

  it('reads security.event whether it is a bool or a string', () => {
    const flags = requests.flat().map((r) => r.attributes['security.event']);
    expect(flags).toEqual([true, undefined, 'true', 'true', false, true, undefined]);
  });

  it('reads upper-case hex ids as lower-case', () => {
    expect(requests[1]?.[0]?.spanContext).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
    });
  });

  it('takes the observed time for a record whose time is 0', () => {
    const health = requests[1]?.[2];
    expect(health?.hrTime).toEqual([1795421738, 0]);
    expect(health?.instrumentationScope).toEqual({ name: 'pino', version: undefined });
  });

  it('gives each ScopeLogs its own scope object under a shared resource', () => {
    const [authz, , pino] = requests[1] ?? [];
    expect(authz?.resource).toBe(pino?.resource);
    expect(authz?.instrumentationScope).not.toBe(pino?.instrumentationScope);
  });

  it('reads int64 strings as numbers and a structured body as an object', () => {
    const [, debug] = requests[0] ?? [];
    expect(debug?.attributes['cache.entries']).toBe(1280);
    const error = requests[2]?.[1];
    expect(error?.body).toEqual({ msg: 'payment provider timeout', timeout_ms: 30000, retries: [1, 2] });
  });
});

describe('timestamps', () => {
  it.each<[string, unknown, HrTimeLike]>([
    ['a 19-digit decimal string', '1700000000123456789', [1700000000, 123456789]],
    ['the largest uint64 string', '18446744073709551615', [18446744073, 709551615]],
    ['a string under one second', '123', [0, 123]],
    ['a string with leading zeros', '000000000000000000001700000000000000001', [1700000000, 1]],
    ['a safe integer number', 1700000000123, [1700, 123]],
    ['a number past 2^53, as the double it is', JSON.parse('1700000000123456789'), [1700000000, 123456768]],
  ])('reads %s exactly', (_, timeUnixNano, expected) => {
    expect(readOne({ timeUnixNano }).hrTime).toEqual(expected);
  });

  it('takes the observed time when the time is absent, and keeps both apart', () => {
    const record = readOne({ observedTimeUnixNano: '1700000000000000001' });
    expect(record.hrTime).toEqual([1700000000, 1]);
    expect(record.hrTimeObserved).toEqual([1700000000, 1]);
  });

  it('uses [0, 0] and no observed time when a record has neither', () => {
    const record = readOne({ timeUnixNano: '0' });
    expect(record.hrTime).toEqual([0, 0]);
    expect(record.hrTimeObserved).toBeUndefined();
  });

  it('names the path and the value of a timestamp that is not a number', () => {
    const request = {
      resourceLogs: [
        {
          scopeLogs: [{ logRecords: [] }, { logRecords: [{}, {}, {}, { timeUnixNano: 'abc' }] }],
        },
      ],
    };
    const error = errorOf(() => readOtlpJsonRequest(request));
    expect(error.message).toBe(
      'resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano: expected a decimal string or number, got "abc"',
    );
    expect(error.path).toBe('resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano');
    expect(error.code).toBe('E_OTLP_JSON');
    expect(error.line).toBeUndefined();
  });

  it.each([
    ['past uint64', '18446744073709551616'],
    ['negative', -1],
    ['fractional', 1.5],
    ['a signed string', '-1'],
    ['a boolean', true],
  ])('rejects a timestamp that is %s', (_, observedTimeUnixNano) => {
    expect(() => readOne({ observedTimeUnixNano })).toThrow(
      /logRecords\[0\]\.observedTimeUnixNano: expected/,
    );
  });
});

describe('severity, event name and ids', () => {
  it('reads severityNumber as an integer or a numeric string', () => {
    expect(readOne({ severityNumber: 17 }).severityNumber).toBe(17);
    expect(readOne({ severityNumber: '9' }).severityNumber).toBe(9);
  });

  it('treats severityNumber 0 and empty strings as unset', () => {
    const record = readOne({ severityNumber: 0, severityText: '', eventName: '' });
    expect(record.severityNumber).toBeUndefined();
    expect(record.severityText).toBeUndefined();
    expect(record.eventName).toBeUndefined();
  });

  it('rejects a severityNumber that is neither an integer nor a SeverityNumber name', () => {
    expect(() => readOne({ severityNumber: 'WARN' })).toThrow(
      /severityNumber: expected an integer or a SeverityNumber name, got "WARN"/,
    );
  });

  it('keeps the low 8 bits of flags as the trace flags', () => {
    expect(readOne({ ...ids, flags: 0x101 }).spanContext?.traceFlags).toBe(1);
    expect(readOne({ ...ids }).spanContext?.traceFlags).toBe(0);
  });

  it.each([
    ['an all-zero trace id', { ...ids, traceId: '00000000000000000000000000000000' }],
    ['an all-zero span id', { ...ids, spanId: '0000000000000000' }],
    ['empty ids', { traceId: '', spanId: '' }],
    ['a trace id without a span id', { traceId: ids.traceId }],
  ])('sets no span context for %s', (_, record) => {
    expect(readOne(record).spanContext).toBeUndefined();
  });

  it.each([
    ['a short trace id', { ...ids, traceId: 'abc' }, 'traceId: expected 32 hex digits, got "abc"'],
    ['a non-hex span id', { ...ids, spanId: 'zzzzzzzzzzzzzzzz' }, 'spanId: expected 16 hex digits'],
    ['a base64 trace id', { ...ids, traceId: 'W47/95gDgQPSabYzgT/GDA==' }, 'traceId: expected 32 hex digits'],
  ])('rejects %s', (_, record, message) => {
    expect(() => readOne(record)).toThrow(message);
  });
});

describe('AnyValue', () => {
  it.each<[string, unknown, AnyValueLike]>([
    ['stringValue', { stringValue: 'hi' }, 'hi'],
    ['boolValue', { boolValue: false }, false],
    ['intValue as a string', { intValue: '-42' }, -42],
    ['intValue as a number', { intValue: 42 }, 42],
    ['intValue past 2^53 as a bigint', { intValue: '9007199254740993' }, 9007199254740993n],
    ['the smallest int64', { intValue: '-9223372036854775808' }, -9223372036854775808n],
    ['a JSON number intValue past 2^53 as a bigint', { intValue: 2 ** 60 }, 2n ** 60n],
    ['doubleValue', { doubleValue: 1.5 }, 1.5],
    ['doubleValue "NaN"', { doubleValue: 'NaN' }, Number.NaN],
    ['doubleValue "Infinity"', { doubleValue: 'Infinity' }, Number.POSITIVE_INFINITY],
    ['doubleValue "-Infinity"', { doubleValue: '-Infinity' }, Number.NEGATIVE_INFINITY],
    ['doubleValue as a decimal string', { doubleValue: '2.5e3' }, 2500],
    ['bytesValue', { bytesValue: 'AQL/' }, new Uint8Array([1, 2, 255])],
    ['URL-safe unpadded bytesValue', { bytesValue: '-_8' }, new Uint8Array([251, 255])],
    ['empty bytesValue', { bytesValue: '' }, new Uint8Array([])],
    [
      'arrayValue',
      { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }, {}] } },
      ['a', 1, undefined],
    ],
    ['an empty arrayValue', { arrayValue: {} }, []],
    [
      'kvlistValue',
      {
        kvlistValue: {
          values: [
            { key: 'a', value: { boolValue: true } },
            { key: 'b', value: { arrayValue: {} } },
          ],
        },
      },
      { a: true, b: [] },
    ],
    ['an empty AnyValue', {}, undefined],
    ['null', null, undefined],
  ])('reads %s', (_, anyValue, expected) => {
    expect(bodyOf(anyValue)).toEqual(expected);
  });

  it('returns bytes as a plain Uint8Array, not a Buffer', () => {
    const bytes = bodyOf({ bytesValue: 'AQID' });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(bytes)).toBe(false);
  });

  it('makes kvlist objects and attribute maps plain objects, as the SDK does', () => {
    const record = readOne({
      body: { kvlistValue: { values: [{ key: 'k', value: { stringValue: 'v' } }] } },
      attributes: [{ key: 'k', value: { stringValue: 'v' } }],
    });
    expect(Object.getPrototypeOf(record.body)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(record.attributes)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(record.resource?.attributes)).toBe(Object.prototype);
  });

  it('stores __proto__ and constructor keys as data and touches no prototype', () => {
    const text = JSON.stringify(
      requestWith({
        attributes: [
          {
            key: '__proto__',
            value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } },
          },
          { key: 'constructor', value: { stringValue: 'data' } },
        ],
        body: { kvlistValue: { values: [{ key: '__proto__', value: { stringValue: 'x' } }] } },
      }),
    );
    const [record] = [...readOtlpJsonText(text)].flat();
    expect(Object.keys(record?.attributes ?? {})).toEqual(['__proto__', 'constructor']);
    expect(record?.attributes.constructor).toBe('data');
    expect(Object.getOwnPropertyDescriptor(record?.body, '__proto__')?.value).toBe('x');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the last of duplicate keys', () => {
    const record = readOne({
      attributes: [
        { key: 'user.id', value: { stringValue: 'first' } },
        { key: 'user.id', value: { stringValue: 'last' } },
      ],
    });
    expect(record.attributes).toEqual({ 'user.id': 'last' });
  });

  it.each([
    [
      'two values in one AnyValue',
      { stringValue: 'a', intValue: 1 },
      'body: sets both stringValue and intValue',
    ],
    ['a stringValue that is a number', { stringValue: 1 }, 'body.stringValue: expected a string, got 1'],
    ['a boolValue that is a string', { boolValue: 'true' }, 'body.boolValue: expected true or false'],
    [
      'an intValue past int64',
      { intValue: '9223372036854775808' },
      'body.intValue: expected a 64-bit signed integer',
    ],
    ['a fractional intValue', { intValue: 1.5 }, 'body.intValue: expected an integer, got 1.5'],
    ['a doubleValue that is a word', { doubleValue: 'lots' }, 'body.doubleValue: expected a number'],
    [
      'bytesValue that is not base64',
      { bytesValue: 'not base64!' },
      'body.bytesValue: expected a base64 string',
    ],
    [
      'arrayValue values that are not an array',
      { arrayValue: { values: {} } },
      'body.arrayValue.values: expected an array',
    ],
    ['an AnyValue that is a bare string', 'text', 'body: expected an AnyValue object, got "text"'],
    [
      'a kvlist entry without an object',
      { kvlistValue: { values: [7] } },
      'body.kvlistValue.values[0]: expected a KeyValue object, got 7',
    ],
  ])('rejects %s, naming the path', (_, anyValue, message) => {
    expect(() => bodyOf(anyValue)).toThrow(`resourceLogs[0].scopeLogs[0].logRecords[0].${message}`);
  });

  function nestedArrays(depth: number): unknown {
    let value: unknown = { stringValue: 'leaf' };
    for (let i = 1; i < depth; i++) value = { arrayValue: { values: [value] } };
    return value;
  }

  it(`reads values nested ${MAX_ANY_VALUE_DEPTH} deep`, () => {
    let value = bodyOf(nestedArrays(MAX_ANY_VALUE_DEPTH));
    for (let i = 1; i < MAX_ANY_VALUE_DEPTH; i++) value = (value as unknown[])[0];
    expect(value).toBe('leaf');
  });

  it(`rejects values nested deeper than ${MAX_ANY_VALUE_DEPTH}, naming the path`, () => {
    const error = errorOf(() => bodyOf(nestedArrays(MAX_ANY_VALUE_DEPTH + 1)));
    const levels = '.arrayValue.values[0]'.repeat(MAX_ANY_VALUE_DEPTH);
    expect(error.path).toBe(`resourceLogs[0].scopeLogs[0].logRecords[0].body${levels}`);
    expect(error.message).toContain('AnyValue nests deeper than 64 levels');
  });

  it('rejects hostile nesting of 100000 levels with an OtlpJsonError, not a stack overflow', () => {
    const depth = 100_000;
    const body = `${'{"arrayValue":{"values":['.repeat(depth)}{}${']}}'.repeat(depth)}`;
    const text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${body}}]}]}]}`;
    expect(() => [...readOtlpJsonText(text)]).toThrow(OtlpJsonError);
  });
});

describe('request structure', () => {
  it('reads an empty request as no records', () => {
    expect(readOtlpJsonRequest({})).toEqual([]);
    expect(readOtlpJsonRequest({ resourceLogs: [] })).toEqual([]);
  });

  it('ignores unknown fields at every level', () => {
    const [record] = readOtlpJsonRequest({
      futureTopLevel: true,
      resourceLogs: [
        {
          schemaUrl: 'https://opentelemetry.io/schemas/1.38.0',
          resource: { attributes: [], droppedAttributesCount: 3, entityRefs: [{ type: 'service' }] },
          scopeLogs: [
            {
              scope: {
                name: 's',
                attributes: [{ key: 'x', value: { stringValue: 'y' } }],
                droppedAttributesCount: 0,
              },
              logRecords: [
                {
                  timeUnixNano: '5',
                  droppedAttributesCount: 2,
                  somethingNew: { deeply: ['nested'] },
                  body: { stringValueStrindex: 4 },
                  attributes: [{ key: 'a', keyStrindex: 9, value: { stringValue: 'b', extra: 1 } }],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(record?.hrTime).toEqual([0, 5]);
    expect(record?.body).toBeUndefined();
    expect(record?.attributes).toEqual({ a: 'b' });
    expect(record?.instrumentationScope).toEqual({ name: 's' });
  });

  it('gives every record the same keys, with undefined for what is absent', () => {
    const sparse = readOne({});
    const full = readOne({
      ...ids,
      timeUnixNano: '1',
      severityNumber: 9,
      severityText: 'INFO',
      eventName: 'e',
      body: {},
    });
    expect(Object.keys(sparse)).toEqual(Object.keys(full));
    expect(sparse.hrTimeObserved).toBeUndefined();
    expect(sparse.body).toBeUndefined();
  });

  it('sets an empty resource and scope when the request has none', () => {
    const [record] = readOtlpJsonRequest({ resourceLogs: [{ scopeLogs: [{ logRecords: [{}] }] }] });
    expect(record?.resource).toEqual({ attributes: {} });
    expect(record?.instrumentationScope).toEqual({ name: '' });
  });

  it('rejects a request that is not an object', () => {
    expect(() => readOtlpJsonRequest([])).toThrow(
      'expected an ExportLogsServiceRequest object, got an array',
    );
  });

  it('rejects resourceLogs that are not an array', () => {
    expect(() => readOtlpJsonRequest({ resourceLogs: {} })).toThrow(
      'resourceLogs: expected an array of ResourceLogs, got an object',
    );
  });

  it('puts the given path in front of error paths', () => {
    const error = errorOf(() => readOtlpJsonRequest({ resourceLogs: [7] }, 'requests[2]'));
    expect(error.path).toBe('requests[2].resourceLogs[0]');
  });
});

describe('readOtlpJsonText', () => {
  const line = (record: Record<string, unknown>): string => JSON.stringify(requestWith(record));

  it('reads JSON lines, skipping blank lines, with CRLF endings', () => {
    const text = [line({ timeUnixNano: '1' }), '', '   ', line({ timeUnixNano: '2' }), ''].join('\r\n');
    const times = [...readOtlpJsonText(text)].map((records) => records.map((r) => r.hrTime));
    expect(times).toEqual([[[0, 1]], [[0, 2]]]);
  });

  it('reads a raw U+2028 or U+2029 inside a string as part of its line', () => {
    const text = [
      line({ timeUnixNano: '1', body: { stringValue: 'a\u2028b' } }),
      line({ timeUnixNano: '2', body: { stringValue: '\u2029' } }),
    ].join('\n');
    const bodies = [...readOtlpJsonText(text)].map((records) => records.map((r) => r.body));
    expect(bodies).toEqual([['a\u2028b'], ['\u2029']]);
  });

  it('names the line of JSON that does not parse', () => {
    const text = [line({}), '', '{"resourceLogs": [', line({})].join('\n');
    const error = errorOf(() => [...readOtlpJsonText(text)]);
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^line 3: not valid JSON \(/);
  });

  it('names the line and the path of a bad record', () => {
    const text = [line({}), line({ severityNumber: true })].join('\n');
    const error = errorOf(() => [...readOtlpJsonText(text)]);
    expect(error.line).toBe(2);
    expect(error.path).toBe('resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber');
    expect(error.message).toBe(
      'line 2: resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: expected an integer, got true',
    );
  });

  it('yields the requests before a bad line', () => {
    const reader = readOtlpJsonText(
      [line({ timeUnixNano: '1' }), line({ timeUnixNano: '2' }), 'nope'].join('\n'),
    );
    expect(reader.next().value).toHaveLength(1);
    expect(reader.next().value).toHaveLength(1);
    expect(() => reader.next()).toThrow('line 3: not valid JSON');
  });

  it('reads a pretty-printed request as one request', () => {
    const text = JSON.stringify(requestWith({ timeUnixNano: '1' }), null, 2);
    expect([...readOtlpJsonText(text)]).toHaveLength(1);
  });

  it('reads a JSON array as several requests, naming the index in errors', () => {
    const text = JSON.stringify([requestWith({}), requestWith({}), requestWith({ flags: 'x' })]);
    const reader = readOtlpJsonText(text);
    expect(reader.next().value).toHaveLength(1);
    expect(reader.next().value).toHaveLength(1);
    const error = errorOf(() => reader.next());
    expect(error.path).toBe('[2].resourceLogs[0].scopeLogs[0].logRecords[0].flags');
    expect(error.line).toBeUndefined();
  });

  it('yields nothing for empty text', () => {
    expect([...readOtlpJsonText('')]).toEqual([]);
    expect([...readOtlpJsonText('\n \n')]).toEqual([]);
  });
});

// ---- round trip through a small OTLP/JSON serializer -------------------------------------------

type Attributes = Record<string, AnyValueLike>;

function fromEntries(entries: readonly (readonly [string, AnyValueLike])[]): Attributes {
  const out = Object.create(null) as Attributes;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

interface Style {
  readonly intsAsStrings: boolean;
  readonly upperCaseIds: boolean;
}

/** An AnyValue as OTel JS and the Collector write it: the kind follows from the JS type. */
function toAnyValue(value: AnyValueLike, style: Style): unknown {
  if (value === undefined) return {};
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'bigint') return { intValue: String(value) };
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return { intValue: style.intsAsStrings ? String(value) : value };
    return { doubleValue: Number.isFinite(value) ? value : String(value) };
  }
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString('base64') };
  if (Array.isArray(value))
    return { arrayValue: { values: value.map((v: AnyValueLike) => toAnyValue(v, style)) } };
  return { kvlistValue: { values: toKeyValues(value as Attributes, style) } };
}

function toKeyValues(attributes: Attributes, style: Style): unknown[] {
  return Object.keys(attributes).map((key) => ({ key, value: toAnyValue(attributes[key], style) }));
}

const toNanos = (t: HrTimeLike): string => String(BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]));

function toLogRecord(record: LogRecordLike, style: Style): unknown {
  const ids = record.spanContext;
  const hex = (id: string): string => (style.upperCaseIds ? id.toUpperCase() : id);
  return {
    timeUnixNano: toNanos(record.hrTime),
    observedTimeUnixNano: record.hrTimeObserved === undefined ? undefined : toNanos(record.hrTimeObserved),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    eventName: record.eventName,
    body: record.body === undefined ? undefined : toAnyValue(record.body, style),
    attributes: toKeyValues(record.attributes, style),
    droppedAttributesCount: 0,
    flags: ids?.traceFlags,
    traceId: ids === undefined ? undefined : hex(ids.traceId),
    spanId: ids === undefined ? undefined : hex(ids.spanId),
  };
}

function toRequest(records: readonly LogRecordLike[], style: Style): unknown {
  // Records arrive grouped: consecutive records with the same resource and scope objects share a block.
  const resourceLogs: { resource: unknown; scopeLogs: { scope: unknown; logRecords: unknown[] }[] }[] = [];
  let lastResource: unknown;
  let lastScope: unknown;
  for (const record of records) {
    if (record.resource !== lastResource || resourceLogs.length === 0) {
      resourceLogs.push({
        resource: { attributes: toKeyValues(record.resource?.attributes ?? {}, style) },
        scopeLogs: [],
      });
      lastResource = record.resource;
      lastScope = undefined;
    }
    const scopes = resourceLogs[resourceLogs.length - 1]?.scopeLogs ?? [];
    if (record.instrumentationScope !== lastScope || scopes.length === 0) {
      scopes.push({ scope: { ...record.instrumentationScope }, logRecords: [] });
      lastScope = record.instrumentationScope;
    }
    scopes[scopes.length - 1]?.logRecords.push(toLogRecord(record, style));
  }
  return { resourceLogs };
}

const key = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'prototype', 'user.id', 'security.event'),
);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const leaf: fc.Arbitrary<AnyValueLike> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.boolean(),
  fc.maxSafeInteger().map((n) => (n === 0 ? 0 : n)),
  fc
    .bigInt({ min: INT64_MIN, max: INT64_MAX })
    .filter((n) => n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)),
  fc.double().map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.uint8Array({ maxLength: 12 }).map((bytes) => new Uint8Array(bytes)),
  fc.constant(undefined),
);
const { anyValue } = fc.letrec<{ anyValue: AnyValueLike; array: AnyValueLike[]; kvlist: Attributes }>(
  (tie) => ({
    anyValue: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('kvlist')),
    array: fc.array(tie('anyValue'), { maxLength: 4 }),
    kvlist: fc
      .uniqueArray(fc.tuple(key, tie('anyValue')), { selector: ([k]) => k, maxLength: 4 })
      .map((entries) => fromEntries(entries)),
  }),
);
const attributes = fc
  .uniqueArray(fc.tuple(key, anyValue), { selector: ([k]) => k, maxLength: 5 })
  .map((entries) => fromEntries(entries));
// Up to the largest uint64 nanosecond count, and never 0 (which reads as unset).
const time = fc.tuple(fc.integer({ min: 1, max: 18446744072 }), fc.integer({ min: 0, max: 999_999_999 }));
const hexId = (length: number): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: length, maxLength: length })
    .filter((id) => /[^0]/.test(id));
const text = fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined });

function recordsOf(
  resource: LogRecordLike['resource'],
  instrumentationScope: LogRecordLike['instrumentationScope'],
): fc.Arbitrary<LogRecordLike> {
  return fc.record({
    hrTime: time,
    hrTimeObserved: fc.option(time, { nil: undefined }),
    spanContext: fc.option(
      fc.record({ traceId: hexId(32), spanId: hexId(16), traceFlags: fc.integer({ min: 0, max: 255 }) }),
      { nil: undefined },
    ),
    severityNumber: fc.option(fc.integer({ min: 1, max: 24 }), { nil: undefined }),
    severityText: text,
    eventName: text,
    body: anyValue,
    resource: fc.constant(resource),
    instrumentationScope: fc.constant(instrumentationScope),
    attributes,
  });
}

const scopeBlock = (resource: LogRecordLike['resource']): fc.Arbitrary<LogRecordLike[]> =>
  fc
    .record({ name: fc.string({ maxLength: 8 }), version: text })
    .chain((scope) => fc.array(recordsOf(resource, scope), { minLength: 1, maxLength: 3 }));
const resourceBlock = attributes
  .map((resourceAttributes) => ({ attributes: resourceAttributes }))
  .chain((resource) => fc.array(scopeBlock(resource), { minLength: 1, maxLength: 3 }))
  .map((blocks) => blocks.flat());
const request = fc.array(resourceBlock, { maxLength: 3 }).map((blocks) => blocks.flat());
const style = fc.record({ intsAsStrings: fc.boolean(), upperCaseIds: fc.boolean() });

describe('round trip', () => {
  it('reads back equal records that a serializer wrote as OTLP/JSON lines', () => {
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 3 }), style, (requests, how) => {
        const lines = requests.map((records) => JSON.stringify(toRequest(records, how)));
        expect([...readOtlpJsonText(lines.join('\n'))]).toEqual(requests);
      }),
    );
  });
});

describe('readOtlpJsonLine', () => {
  it('reads one request per line, skips blank lines and names the line of an error', () => {
    const request = JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [{ logRecords: [{ timeUnixNano: '1700000000000000001', body: { stringValue: 'a' } }] }],
        },
      ],
    });
    expect(readOtlpJsonLine(request, 1)?.map((r) => r.body)).toEqual(['a']);
    expect(readOtlpJsonLine('   ', 2)).toBeUndefined();
    expect(() => readOtlpJsonLine('{"resourceLogs": [', 7)).toThrow(
      expect.objectContaining({ code: 'E_OTLP_JSON', line: 7 }),
    );
  });
});

describe('the OTLP/JSON forms the Collector also accepts', () => {
  /** One record, as JSON text, inside a request, read as `otel-sentinel map` reads a file. */
  function readText(record: string): LogRecordLike {
    const [only] = [
      ...readOtlpJsonText(`{"resourceLogs":[{"scopeLogs":[{"logRecords":[${record}]}]}]}`),
    ].flat();
    if (only === undefined) throw new Error('expected one record');
    return only;
  }

  it.each([
    ['SEVERITY_NUMBER_TRACE2', 2],
    ['SEVERITY_NUMBER_INFO', 9],
    ['SEVERITY_NUMBER_WARN', 13],
    ['SEVERITY_NUMBER_ERROR', 17],
    ['SEVERITY_NUMBER_FATAL4', 24],
  ])('reads severityNumber %s as %i', (name, number) => {
    expect(readOne({ timeUnixNano: '1', severityNumber: name }).severityNumber).toBe(number);
  });

  it('refuses an unknown severityNumber name, naming the field', () => {
    expect(() => readOne({ severity_number: 'SEVERITY_NUMBER_LOUD' })).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].severity_number: expected an integer or a SeverityNumber name, got "SEVERITY_NUMBER_LOUD"',
    );
  });

  it('reads a request written with proto field names', () => {
    const [record] = readOtlpJsonRequest({
      resource_logs: [
        {
          scope_logs: [
            {
              scope: { name: 'auth' },
              log_records: [
                {
                  time_unix_nano: '1763885730123456789',
                  observed_time_unix_nano: '1763885731000000001',
                  severity_number: 'SEVERITY_NUMBER_WARN',
                  severity_text: 'WARN',
                  event_name: 'authn_login_fail',
                  trace_id: '5b8efff798038103d269b633813fc60c',
                  span_id: 'eee19b7ec3c1b174',
                  body: { string_value: 'login failed' },
                  attributes: [
                    { key: 'i', value: { int_value: '-9223372036854775808' } },
                    { key: 'b', value: { bool_value: false } },
                    { key: 'd', value: { double_value: '-Inf' } },
                    { key: 'x', value: { bytes_value: 'AAH+/w==' } },
                    { key: 'a', value: { array_value: { values: [{ int_value: '+7' }] } } },
                    {
                      key: 'm',
                      value: { kvlist_value: { values: [{ key: 'k', value: { string_value: 'v' } }] } },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(record).toEqual({
      hrTime: [1763885730, 123456789],
      hrTimeObserved: [1763885731, 1],
      spanContext: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 0 },
      severityText: 'WARN',
      severityNumber: 13,
      body: 'login failed',
      eventName: 'authn_login_fail',
      resource: { attributes: {} },
      instrumentationScope: { name: 'auth', version: undefined },
      attributes: {
        i: -9223372036854775808n,
        b: false,
        d: Number.NEGATIVE_INFINITY,
        x: new Uint8Array([0, 1, 254, 255]),
        a: [7],
        m: { k: 'v' },
      },
    });
  });

  it('refuses a field set under both of its names', () => {
    expect(() => readOne({ timeUnixNano: '1', time_unix_nano: '2' })).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0]: sets both timeUnixNano and time_unix_nano, which name one field',
    );
  });

  it.each([
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775807', -9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9007199254740993', 9007199254740993n],
    ['-9007199254740993', -9007199254740993n],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
  ])('reads intValue %s exactly from text, as a JSON number and as a string', (digits, value) => {
    const record = readText(
      `{"attributes":[{"key":"n","value":{"intValue":${digits}}},{"key":"s","value":{"intValue":"${digits}"}}]}`,
    );
    expect(record.attributes).toEqual({ n: value, s: value });
  });

  it('reads a JSON number past 2^53 exactly from JSON lines too', () => {
    const line =
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":1763885730123456789,"body":{"intValue":-9007199254740993}}]}]}]}';
    const [record] = readOtlpJsonLine(line, 1) ?? [];
    expect(record?.hrTime).toEqual([1763885730, 123456789]);
    expect(record?.body).toBe(-9007199254740993n);
  });
});
