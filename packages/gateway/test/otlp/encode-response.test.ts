// Response bodies: ExportLogsServiceResponse for 200 and google.rpc.Status for 4xx/5xx.
import { describe, expect, it } from 'vitest';

import { CONTENT_TYPES, encodeExportResponse, encodeStatus } from '../../src/otlp/index.js';
import { ExportLogsServiceResponse, Status } from '../../src/otlp/schema.js';

function json(bytes: Uint8Array): unknown {
  return JSON.parse(new TextDecoder().decode(bytes));
}

function protobufResponse(bytes: Uint8Array): Record<string, unknown> {
  return ExportLogsServiceResponse.toObject(ExportLogsServiceResponse.decode(bytes), { longs: String });
}

describe('encodeExportResponse', () => {
  it('answers full success with the empty message', () => {
    expect(encodeExportResponse('protobuf')).toHaveLength(0);
    expect(protobufResponse(encodeExportResponse('protobuf'))).toEqual({});
    expect(new TextDecoder().decode(encodeExportResponse('json'))).toBe('{}');
  });

  it('encodes a partial success in protobuf', () => {
    const body = encodeExportResponse('protobuf', {
      rejectedLogRecords: 3,
      errorMessage: '3 records had no EventName',
    });
    expect(protobufResponse(body)).toEqual({
      partialSuccess: { rejectedLogRecords: '3', errorMessage: '3 records had no EventName' },
    });
  });

  it('encodes a partial success in JSON with the int64 count as a decimal string', () => {
    const body = encodeExportResponse('json', {
      rejectedLogRecords: 3,
      errorMessage: '3 records had no "EventName"',
    });
    expect(new TextDecoder().decode(body)).toBe(
      '{"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"3 records had no \\"EventName\\""}}',
    );
  });

  it('keeps a warning with nothing rejected as a set partialSuccess', () => {
    const protobuf = ExportLogsServiceResponse.decode(
      encodeExportResponse('protobuf', { rejectedLogRecords: 0, errorMessage: 'slow down' }),
    );
    expect(Object.hasOwn(protobuf, 'partialSuccess')).toBe(true);
    expect(json(encodeExportResponse('json', { rejectedLogRecords: 0, errorMessage: 'slow down' }))).toEqual({
      partialSuccess: { errorMessage: 'slow down' },
    });
  });

  it('carries counts past 2^32 exactly', () => {
    const rejectedLogRecords = 2 ** 40 + 1;
    const body = encodeExportResponse('protobuf', { rejectedLogRecords, errorMessage: '' });
    expect(protobufResponse(body)).toEqual({
      partialSuccess: { rejectedLogRecords: String(rejectedLogRecords) },
    });
  });

  it('refuses a count that is not a non-negative integer', () => {
    expect(() => encodeExportResponse('json', { rejectedLogRecords: -1, errorMessage: '' })).toThrow(
      RangeError,
    );
    expect(() => encodeExportResponse('protobuf', { rejectedLogRecords: 1.5, errorMessage: '' })).toThrow(
      RangeError,
    );
  });
});

describe('encodeStatus', () => {
  it('encodes a google.rpc.Status in protobuf', () => {
    const body = encodeStatus('protobuf', 3, 'resourceLogs[0]: expected an object');
    expect(Status.toObject(Status.decode(body))).toEqual({
      code: 3,
      message: 'resourceLogs[0]: expected an object',
    });
  });

  it('encodes a google.rpc.Status in JSON', () => {
    expect(json(encodeStatus('json', 8, 'too many requests'))).toEqual({
      code: 8,
      message: 'too many requests',
    });
    expect(json(encodeStatus('json', 0, ''))).toEqual({});
  });

  it('refuses a code outside int32', () => {
    expect(() => encodeStatus('protobuf', 2 ** 31, 'x')).toThrow(RangeError);
  });
});

describe('CONTENT_TYPES', () => {
  it('names the OTLP/HTTP media types', () => {
    expect(CONTENT_TYPES).toEqual({ protobuf: 'application/x-protobuf', json: 'application/json' });
    expect(Object.isFrozen(CONTENT_TYPES)).toBe(true);
  });
});
