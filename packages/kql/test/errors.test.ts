// The KQL errors are otel-sentinel errors: one catch and one `code` field for every package.
import { OtelSentinelError } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { compileTransform, KqlQueryError, runQuery, UnsupportedKqlError } from '@otel-sentinel/kql';
import { oneTable } from './support/one-table.js';

function thrownBy(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('KQL errors', () => {
  it('a query the parser rejects throws a KqlQueryError that is an OtelSentinelError with its line and column', () => {
    const error = thrownBy(() =>
      runQuery('T | where', oneTable('T', [{ name: 'UserId', type: 'string' }], []), new Date()),
    );
    expect(error).toBeInstanceOf(KqlQueryError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    const kql = error as KqlQueryError;
    expect(kql.name).toBe('KqlQueryError');
    expect(kql.code).toBe('E_KQL_SYNTAX');
    expect(kql.line).toBe(1);
    expect(kql.column).toBe(kql.position?.column);
  });

  it('a transform that cannot be applied throws an UnsupportedKqlError that is an OtelSentinelError', () => {
    const error = thrownBy(() =>
      compileTransform(
        'source | summarize count() by UserId',
        [{ name: 'UserId', type: 'string' }],
        [{ name: 'UserId', type: 'string' }],
      ),
    );
    expect(error).toBeInstanceOf(UnsupportedKqlError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect((error as UnsupportedKqlError).code).toBe('E_UNSUPPORTED_KQL');
    expect((error as Error).message).toMatch(/summarize/);
  });
});
