// The shared OTLP/JSON reading API another decoder builds on (the gateway's): paths in errors,
// the scalar forms proto3 JSON allows, and the AnyValue oneof.
import { describe, expect, it } from 'vitest';

import { OtlpJsonError, otlpJsonReading as json } from '../src/index.js';

function problemOf(read: () => unknown): OtlpJsonError {
  try {
    read();
  } catch (error) {
    if (error instanceof OtlpJsonError) return error;
    throw error;
  }
  throw new Error('expected an OtlpJsonError');
}

const root = json.rootOf();
const where = json.at(json.at(json.at(root, 'resourceLogs'), 0), 'resource');

describe('otlpJsonReading', () => {
  it('names the place and the problem apart', () => {
    const error = problemOf(() => json.objectAt(7, where, 'a Resource'));
    expect(error.path).toBe('resourceLogs[0].resource');
    expect(error.problem).toBe('expected a Resource object, got 7');
    expect(error.message).toBe('resourceLogs[0].resource: expected a Resource object, got 7');
  });

  it('starts paths with the prefix and the line of its root', () => {
    const error = problemOf(() => json.fail(json.at(json.rootOf('[2]', 5), 'resourceLogs'), 'bad'));
    expect(error.path).toBe('[2].resourceLogs');
    expect(error.message).toBe('line 5: [2].resourceLogs: bad');
  });

  it('reads 64-bit integers exactly, as numbers while they are safe', () => {
    expect(json.readInt64('-42', root)).toBe(-42);
    expect(json.readInt64('+7', root)).toBe(7);
    expect(json.readInt64('9223372036854775807', root)).toBe(9223372036854775807n);
    expect(json.readUint64('1700000000000000001', root)).toBe(1700000000000000001n);
    expect(json.readUint64(12, root)).toBe(12);
    expect(json.readUint64(null, root)).toBeUndefined();
    expect(problemOf(() => json.readUint64('18446744073709551616', root)).problem).toBe(
      'expected at most 18446744073709551615 (uint64), got "18446744073709551616"',
    );
    expect(problemOf(() => json.readInt64('9223372036854775808', root)).problem).toBe(
      'expected a 64-bit signed integer, got "9223372036854775808"',
    );
  });

  it('reads severity numbers by name or number, and refuses unknown names', () => {
    expect(json.readSeverityNumber('SEVERITY_NUMBER_WARN2', root)).toBe(14);
    expect(json.readSeverityNumber('17', root)).toBe(17);
    expect(problemOf(() => json.readSeverityNumber('LOUD', root)).problem).toBe(
      'expected an integer or a SeverityNumber name, got "LOUD"',
    );
  });

  it('reads doubles from NaN and Infinity strings, bytes from either base64 alphabet, ids as sent', () => {
    expect(json.readDouble('-Infinity', root)).toBe(Number.NEGATIVE_INFINITY);
    expect(json.readDouble('1e3', root)).toBe(1000);
    expect([...json.readBytes('-_8', root)]).toEqual([251, 255]);
    expect(json.readTraceId('0AF7651916CD43DD8448EB211C80319C', root)).toBe(
      '0AF7651916CD43DD8448EB211C80319C',
    );
    expect(json.readSpanId('', root)).toBeUndefined();
    expect(problemOf(() => json.readSpanId('abc', root)).problem).toBe('expected 16 hex digits, got "abc"');
  });

  it('finds the one member an AnyValue sets, under either spelling', () => {
    expect(json.anyValueMember({ int_value: '1' }, root)).toEqual({ key: 'int_value', field: 'intValue' });
    expect(json.anyValueMember({ stringValue: null }, root)).toBeUndefined();
    expect(problemOf(() => json.anyValueMember({ stringValue: 'a', boolValue: true }, root)).problem).toBe(
      'sets both stringValue and boolValue; an AnyValue holds one value',
    );
  });

  it('parses integers past 2^53 as exact bigints', () => {
    expect(json.parseJsonWithBigInts('{"intValue":12345678901234567890}')).toEqual({
      intValue: 12345678901234567890n,
    });
    expect(json.parseJsonWithBigInts('{"doubleValue":1.5}')).toEqual({ doubleValue: 1.5 });
  });
});
