// decodeLogsRequest on the exact bodies the OpenTelemetry JS OTLP/HTTP log exporters send.
import { context, trace, TraceFlags } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { readOtlpJsonText } from '@otel-sentinel/mapping';
import type { LogRecordLike } from '@otel-sentinel/mapping';
import { beforeAll, describe, expect, it } from 'vitest';

import { decodeLogsRequest } from '../../src/otlp/index.js';
import { captureExports } from './real-clients.js';
import type { CapturedBodies } from './real-clients.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';

let bodies: CapturedBodies;

beforeAll(async () => {
  bodies = await captureExports(
    (provider) => {
      const auth = provider.getLogger('auth', '1.0.0');
      const spanContext = { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: TraceFlags.SAMPLED };
      auth.emit({
        eventName: 'authn_login_fail',
        severityNumber: SeverityNumber.WARN,
        severityText: 'WARN',
        body: 'login failed for joebob1',
        timestamp: [1763885730, 123456789],
        observedTimestamp: [1763885731, 987654321],
        context: trace.setSpanContext(context.active(), spanContext),
        attributes: {
          'user.id': 'joebob1',
          'security.event': true,
          'http.response.status_code': 401,
          'risk.score': 0.75,
          'balance.delta': -42,
          'big.count': 2 ** 60,
          'client.addresses': ['203.0.113.7', '198.51.100.2'],
          mixed: [1, 'two', false, 3.5],
          nested: { outer: { inner: [1, { deepest: 'yes' }] }, empty: {} },
          'raw.bytes': new Uint8Array([0, 1, 254, 255]),
          'empty.string': '',
        },
      });
      auth.emit({
        severityNumber: SeverityNumber.UNSPECIFIED,
        body: { action: 'token.refresh', sizes: [1, 2, 3], blob: new Uint8Array([7, 8]) },
        timestamp: new Date(Date.UTC(2026, 10, 23, 8, 15, 30, 456)),
        observedTimestamp: [1763885730, 500],
      });
      provider.getLogger('billing').emit({
        body: 42.5,
        severityNumber: SeverityNumber.ERROR2,
        timestamp: [1, 1],
        observedTimestamp: [1763885732, 0],
      });
    },
    resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.id': 'i-1', 'host.cpus': 8 }),
  );
});

function only(list: readonly Buffer[]): Buffer {
  expect(list).toHaveLength(1);
  return list[0] as Buffer;
}

const resource = { attributes: { 'service.name': 'checkout', 'service.instance.id': 'i-1', 'host.cpus': 8 } };

const expected: LogRecordLike[] = [
  {
    hrTime: [1763885730, 123456789],
    hrTimeObserved: [1763885731, 987654321],
    spanContext: { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 },
    severityText: 'WARN',
    severityNumber: 13,
    body: 'login failed for joebob1',
    eventName: 'authn_login_fail',
    resource,
    instrumentationScope: { name: 'auth', version: '1.0.0' },
    attributes: {
      'user.id': 'joebob1',
      'security.event': true,
      'http.response.status_code': 401,
      'risk.score': 0.75,
      'balance.delta': -42,
      'big.count': 1152921504606846976n,
      'client.addresses': ['203.0.113.7', '198.51.100.2'],
      mixed: [1, 'two', false, 3.5],
      nested: { outer: { inner: [1, { deepest: 'yes' }] }, empty: {} },
      'raw.bytes': new Uint8Array([0, 1, 254, 255]),
      'empty.string': '',
    },
  },
  {
    hrTime: [1795421730, 456000000],
    hrTimeObserved: [1763885730, 500],
    spanContext: undefined,
    severityText: undefined,
    severityNumber: undefined,
    body: { action: 'token.refresh', sizes: [1, 2, 3], blob: new Uint8Array([7, 8]) },
    eventName: undefined,
    resource,
    instrumentationScope: { name: 'auth', version: '1.0.0' },
    attributes: {},
  },
  {
    hrTime: [1, 1],
    hrTimeObserved: [1763885732, 0],
    spanContext: undefined,
    severityText: undefined,
    severityNumber: 18,
    body: 42.5,
    eventName: undefined,
    resource,
    instrumentationScope: { name: 'billing', version: undefined },
    attributes: {},
  },
];

// The JS JSON exporter writes the int64 of `big.count` (the double 2 ** 60) as the JSON number
// 1152921504606847000, its shortest form, not as a string. An OTLP/JSON reader, the Collector's
// included, reads those digits exactly: a value 24 above what the protobuf body carries.
const BIG_COUNT_IN_JSON = 1152921504606847000n;

function withJsonBigCount(records: readonly LogRecordLike[]): LogRecordLike[] {
  return records.map((r, i) =>
    i === 0 ? { ...r, attributes: { ...r.attributes, 'big.count': BIG_COUNT_IN_JSON } } : r,
  );
}

describe('decoding what the OpenTelemetry JS exporters send', () => {
  it('reads every field of a protobuf body, timestamps to the nanosecond', () => {
    const { records } = decodeLogsRequest(only(bodies.protobuf), 'protobuf');
    expect(records).toEqual(expected);
  });

  it('reads every field of a JSON body, timestamps to the nanosecond', () => {
    const { records } = decodeLogsRequest(only(bodies.json), 'json');
    expect(records).toEqual(withJsonBigCount(expected));
  });

  it('gives identical records for the protobuf and the JSON body of the same export, but for the int64 the JSON rounds', () => {
    const fromProtobuf = decodeLogsRequest(only(bodies.protobuf), 'protobuf').records;
    const fromJson = decodeLogsRequest(only(bodies.json), 'json').records;
    expect(only(bodies.json).toString('utf8')).toContain('"intValue":1152921504606847000');
    expect(fromJson).toStrictEqual(withJsonBigCount(fromProtobuf));
  });

  it("agrees with the mapping package's OTLP/JSON reader on the JSON body", () => {
    const json = only(bodies.json);
    const ours = decodeLogsRequest(json, 'json').records;
    const mappings = [...readOtlpJsonText(json.toString('utf8'))].flat();
    expect(ours).toStrictEqual(mappings);
  });

  it.each(['protobuf', 'json'] as const)(
    'forwards a %s body as protobuf that decodes to the same records',
    (format) => {
      const decoded = decodeLogsRequest(only(bodies[format]), format);
      const forwarded = decoded.subset(() => true);
      expect(decodeLogsRequest(forwarded ?? new Uint8Array(), 'protobuf').records).toStrictEqual(
        decoded.records,
      );
    },
  );

  it('shares one resource and one scope object among the records of a group', () => {
    const [first, second, third] = decodeLogsRequest(only(bodies.protobuf), 'protobuf').records;
    expect(first?.resource).toBe(second?.resource);
    expect(first?.resource).toBe(third?.resource);
    expect(first?.instrumentationScope).toBe(second?.instrumentationScope);
    expect(first?.instrumentationScope).not.toBe(third?.instrumentationScope);
  });

  it('makes attribute maps plain objects, as the SDK does, with no prototype key misread', () => {
    const [first] = decodeLogsRequest(only(bodies.protobuf), 'protobuf').records;
    expect(Object.getPrototypeOf(first?.attributes)).toBe(Object.prototype);
    expect(Object.getPrototypeOf((first?.attributes.nested as Record<string, unknown>).outer)).toBe(
      Object.prototype,
    );
  });

  it('keeps __proto__ and constructor keys as data, at the top and nested', () => {
    const request = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                {
                  attributes: [
                    { key: '__proto__', value: { stringValue: 'p' } },
                    { key: 'constructor', value: { stringValue: 'c' } },
                    {
                      key: 'map',
                      value: { kvlistValue: { values: [{ key: '__proto__', value: { boolValue: true } }] } },
                    },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const [record] = decodeLogsRequest(Buffer.from(JSON.stringify(request)), 'json').records;
    const attributes = record?.attributes ?? {};
    expect(Object.keys(attributes)).toEqual(['__proto__', 'constructor', 'map']);
    expect(Object.getOwnPropertyDescriptor(attributes, '__proto__')?.value).toBe('p');
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    const map = attributes.map as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
