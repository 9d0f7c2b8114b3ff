// The KQL errors are otel-sentinel errors: one catch and one `code` field for every package.
import { OtelSentinelError } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { KqlQueryError, UnsupportedKqlError } from '../src/errors.js';
import { runQuery } from '../src/query.js';
import { compileTransform } from '../src/transform.js';
import { kqlFailure, oneTable } from './support/one-table.js';

describe('KQL errors', () => {
  it('a query the parser rejects throws a KqlQueryError that is an OtelSentinelError with its line and column', () => {
    const kql = kqlFailure('T | where', (text) =>
      runQuery(text, oneTable('T', [{ name: 'UserId', type: 'string' }], []), new Date()),
    );
    expect(kql).toBeInstanceOf(KqlQueryError);
    expect(kql).toBeInstanceOf(OtelSentinelError);
    expect(kql.name).toBe('KqlQueryError');
    expect(kql.code).toBe('E_KQL_SYNTAX');
    expect(kql.line).toBe(1);
    expect(kql.column).toBe(kql.position?.column);
  });

  it('a transform that cannot be applied throws an UnsupportedKqlError that is an OtelSentinelError', () => {
    const compile = (): unknown =>
      compileTransform(
        'source | summarize count() by UserId',
        [{ name: 'UserId', type: 'string' }],
        [{ name: 'UserId', type: 'string' }],
      );
    expect(compile).toThrow(UnsupportedKqlError);
    expect(compile).toThrow(OtelSentinelError);
    expect(compile).toThrow(
      expect.objectContaining({ code: 'E_UNSUPPORTED_KQL', message: expect.stringMatching(/summarize/) }),
    );
  });
});
