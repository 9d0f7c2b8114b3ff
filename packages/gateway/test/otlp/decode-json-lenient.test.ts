// decodeLogsRequest on the OTLP/JSON forms beyond lowerCamelCase and integer enums that real senders
// write and the Collector's decoder accepts: enum names, proto field names, int64 as JSON numbers
// past 2^53, signed decimal strings, and Go-style double strings.
import { describe, expect, it } from 'vitest';

import { decodeLogsRequest, OtlpDecodeError } from '../../src/otlp/index.js';

function text(source: string): Uint8Array {
  return new TextEncoder().encode(source);
}

/** The records of a request written as JSON text, so numbers keep every digit as sent. */
function recordsOf(source: string) {
  return decodeLogsRequest(text(source), 'json').records;
}

/** One record, as JSON text, inside a request. */
function request(record: string): string {
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[${record}]}]}]}`;
}

function attributesOf(record: string) {
  const [only] = recordsOf(request(record));
  return only?.attributes;
}

describe('OTLP/JSON enum names', () => {
  it.each([
    ['SEVERITY_NUMBER_TRACE', 1],
    ['SEVERITY_NUMBER_TRACE2', 2],
    ['SEVERITY_NUMBER_DEBUG', 5],
    ['SEVERITY_NUMBER_INFO', 9],
    ['SEVERITY_NUMBER_INFO4', 12],
    ['SEVERITY_NUMBER_WARN', 13],
    ['SEVERITY_NUMBER_ERROR3', 19],
    ['SEVERITY_NUMBER_FATAL', 21],
    ['SEVERITY_NUMBER_FATAL4', 24],
  ])('reads severityNumber %s as %i', (name, number) => {
    const [record] = recordsOf(request(`{"timeUnixNano":"1","severityNumber":"${name}"}`));
    expect(record?.severityNumber).toBe(number);
  });

  it('reads SEVERITY_NUMBER_UNSPECIFIED as no severity, like 0', () => {
    const [record] = recordsOf(
      request('{"timeUnixNano":"1","severityNumber":"SEVERITY_NUMBER_UNSPECIFIED"}'),
    );
    expect(record?.severityNumber).toBeUndefined();
  });

  it('refuses an unknown name with a 400 naming the field, as the Collector does', () => {
    const body = text(request('{"severityNumber":"SEVERITY_NUMBER_LOUD"}'));
    expect(() => decodeLogsRequest(body, 'json')).toThrow(OtlpDecodeError);
    expect(() => decodeLogsRequest(body, 'json')).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: expected an integer or a SeverityNumber name, got "SEVERITY_NUMBER_LOUD"',
    );
  });

  it('keeps an enum name when the record is forwarded as protobuf', () => {
    const decoded = decodeLogsRequest(
      text(request('{"timeUnixNano":"1","severityNumber":"SEVERITY_NUMBER_ERROR"}')),
      'json',
    );
    const forwarded = decoded.subset(() => true);
    expect(decodeLogsRequest(forwarded ?? new Uint8Array(), 'protobuf').records[0]?.severityNumber).toBe(17);
  });
});

describe('OTLP/JSON proto field names (snake_case)', () => {
  const snake = `{"resource_logs":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}],"dropped_attributes_count":0},
    "schema_url":"https://opentelemetry.io/schemas/1.26.0",
    "scope_logs":[{"scope":{"name":"auth","version":"2.0"},"schema_url":"","log_records":[{
      "time_unix_nano":"1763885730123456789","observed_time_unix_nano":"1763885731000000001",
      "severity_number":"SEVERITY_NUMBER_WARN","severity_text":"WARN","event_name":"authn_login_fail",
      "trace_id":"5B8EFFF798038103D269B633813FC60C","span_id":"EEE19B7EC3C1B174","flags":1,
      "dropped_attributes_count":0,
      "body":{"string_value":"login failed"},
      "attributes":[
        {"key":"i","value":{"int_value":"-9223372036854775808"}},
        {"key":"b","value":{"bool_value":true}},
        {"key":"d","value":{"double_value":"0.25"}},
        {"key":"x","value":{"bytes_value":"AAH+/w=="}},
        {"key":"a","value":{"array_value":{"values":[{"string_value":"p"},{"int_value":7}]}}},
        {"key":"m","value":{"kvlist_value":{"values":[{"key":"k","value":{"string_value":"v"}}]}}}
      ]}]}]}]}`;

  const expected = {
    hrTime: [1763885730, 123456789],
    hrTimeObserved: [1763885731, 1],
    spanContext: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', traceFlags: 1 },
    severityText: 'WARN',
    severityNumber: 13,
    body: 'login failed',
    eventName: 'authn_login_fail',
    resource: { attributes: { 'service.name': 'svc' } },
    instrumentationScope: { name: 'auth', version: '2.0' },
    attributes: {
      i: -9223372036854775808n,
      b: true,
      d: 0.25,
      x: new Uint8Array([0, 1, 254, 255]),
      a: ['p', 7],
      m: { k: 'v' },
    },
  };

  it('reads every field of a request written with proto field names', () => {
    expect(recordsOf(snake)).toEqual([expected]);
  });

  it('forwards such a request as protobuf that decodes to the same record', () => {
    const decoded = decodeLogsRequest(text(snake), 'json');
    expect(decodeLogsRequest(decoded.subset(() => true) ?? new Uint8Array(), 'protobuf').records).toEqual([
      expected,
    ]);
  });

  it('refuses a field set under both of its names, naming the place', () => {
    expect(() => recordsOf(request('{"timeUnixNano":"1","time_unix_nano":"2"}'))).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0]: sets both timeUnixNano and time_unix_nano, which name one field',
    );
    expect(() => recordsOf(request('{"body":{"stringValue":"a","string_value":"b"}}'))).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].body: sets both stringValue and string_value; an AnyValue holds one value',
    );
  });

  it('names the field as it was sent in an error', () => {
    expect(() => recordsOf(request('{"severity_text":5}'))).toThrow(
      'resourceLogs[0].scopeLogs[0].logRecords[0].severity_text: expected a string, got 5',
    );
  });
});

describe('OTLP/JSON int64 exactness', () => {
  it.each([
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775807', -9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['9007199254740993', 9007199254740993n],
    ['-9007199254740993', -9007199254740993n],
    ['9007199254740992', 9007199254740992n],
    ['9007199254740991', 9007199254740991],
    ['-9007199254740991', -9007199254740991],
    ['9007199254740990', 9007199254740990],
  ])('reads intValue %s exactly, as a JSON number and as a string', (digits, value) => {
    expect(attributesOf(`{"attributes":[{"key":"n","value":{"intValue":${digits}}}]}`)).toEqual({ n: value });
    expect(attributesOf(`{"attributes":[{"key":"s","value":{"intValue":"${digits}"}}]}`)).toEqual({
      s: value,
    });
  });

  it('refuses an intValue past the int64 range as a JSON number', () => {
    expect(() =>
      attributesOf('{"attributes":[{"key":"n","value":{"intValue":9223372036854775808}}]}'),
    ).toThrow(/attributes\[0\]\.value\.intValue: expected a 64-bit signed integer, got 9223372036854775808/);
  });

  it('reads timeUnixNano written as a JSON number past 2^53 to the nanosecond', () => {
    const [record] = recordsOf(
      request('{"timeUnixNano":1763885730123456789,"observedTimeUnixNano":18446744073709551615}'),
    );
    expect(record?.hrTime).toEqual([1763885730, 123456789]);
    expect(record?.hrTimeObserved).toEqual([18446744073, 709551615]);
  });

  it('reads a decimal string with a plus sign, as Go’s ParseInt does', () => {
    expect(attributesOf('{"attributes":[{"key":"p","value":{"intValue":"+42"}}]}')).toEqual({ p: 42 });
  });

  it('keeps a long number inside a string value a string', () => {
    expect(
      attributesOf('{"attributes":[{"key":"t","value":{"stringValue":"id:12345678901234567890"}}]}'),
    ).toEqual({
      t: 'id:12345678901234567890',
    });
  });
});

describe('OTLP/JSON doubles in strings', () => {
  it.each([
    ['Inf', Number.POSITIVE_INFINITY],
    ['+Infinity', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['nan', Number.NaN],
    ['+1.5', 1.5],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
  ])('reads doubleValue "%s" as Go’s ParseFloat does', (written, value) => {
    expect(attributesOf(`{"attributes":[{"key":"d","value":{"doubleValue":"${written}"}}]}`)).toEqual({
      d: value,
    });
  });

  it('refuses a double string that is no number', () => {
    expect(() => attributesOf('{"attributes":[{"key":"d","value":{"doubleValue":"1,5"}}]}')).toThrow(
      /doubleValue: expected a number/,
    );
  });
});
