// The error model: every error the mapping package throws is an OtelSentinelError with the
// documented code and the place at fault (docs/errors.md), reached through the real entry points.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileMapping,
  ConfigError,
  createRedactor,
  hrTimeToIso,
  inferMapping,
  loadMapping,
  MappingCompileError,
  MappingValidationError,
  OtelSentinelError,
  parseMapping,
  parseSampleText,
  readOtlpJsonText,
} from '../src/index.js';
import type { SecretKind } from '../src/index.js';
import { ENV, oneStream } from './helpers.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('OtelSentinelError', () => {
  it('carries the code, the option or place, the cause, and its own class name', () => {
    const cause = new Error('disk full');
    const error = new OtelSentinelError('E_EXAMPLE', 'set it to 1', {
      option: 'maxConcurrency',
      path: 'mapping.yaml',
      line: 3,
      column: 7,
      cause,
    });

    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('OtelSentinelError');
    expect(error.message).toBe('set it to 1');
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({
      code: 'E_EXAMPLE',
      option: 'maxConcurrency',
      path: 'mapping.yaml',
      line: 3,
      column: 7,
    });
  });

  it('has no option, path, line, column or cause property when none was given', () => {
    const error = new OtelSentinelError('E_EXAMPLE', 'message');

    expect(Object.keys(error).sort()).toEqual(['code', 'name']);
    expect('cause' in error).toBe(false);
  });

  it('names a subclass after the subclass, so String(error) says which error it is', () => {
    const error = new ConfigError('E_EXPORTER_CONFIG', 'maxBatchBytes', 'maxBatchBytes: must be > 0');

    expect(error.name).toBe('ConfigError');
    expect(String(error)).toBe('ConfigError: maxBatchBytes: must be > 0');
    expect(error.option).toBe('maxBatchBytes');
    expect(error).toBeInstanceOf(OtelSentinelError);
  });
});

describe('the mapping package throws', () => {
  it('MappingValidationError E_MAPPING_INVALID at the file, line and column of the first error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'errors-test-'));
    const file = join(dir, 'app.mapping.yaml');
    // Line 8 is the column; its source `eventNam` starts at column 26 (6 spaces, `EventName: { from: `).
    writeFileSync(file, oneStream('      EventName: { from: eventNam, type: string }\n'));
    try {
      const error = thrown(() => loadMapping(file, { env: ENV }));

      expect(error).toBeInstanceOf(MappingValidationError);
      expect(error).toBeInstanceOf(OtelSentinelError);
      expect(error).toMatchObject({ code: 'E_MAPPING_INVALID', path: file, line: 8, column: 26 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('MappingValidationError names <mapping> without a line for an in-memory mapping', () => {
    const error = thrown(() => loadMapping({ version: 1 }));

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ code: 'E_MAPPING_INVALID', path: '<mapping>' });
    expect(error).not.toHaveProperty('line');
  });

  it('MappingCompileError E_HASH_KEY_MISSING at the column when a hash key variable is unset', () => {
    const { config } = parseMapping(
      oneStream('      Sess: { from: "attributes[\'session.id\']", transform: hmac-sha256 }\n'),
      { env: ENV },
    );
    if (config === undefined) throw new Error('the test mapping should be valid');

    const error = thrown(() => compileMapping(config, { env: {} }));

    expect(error).toBeInstanceOf(MappingCompileError);
    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ code: 'E_HASH_KEY_MISSING', path: 'Sess' });
  });

  it('OtlpJsonError E_OTLP_JSON at the line and the place in the request', () => {
    const error = thrown(() => [...readOtlpJsonText('{}\n{"resourceLogs":[{"scopeLogs":5}]}\n')]);

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({
      name: 'OtlpJsonError',
      code: 'E_OTLP_JSON',
      line: 2,
      path: 'resourceLogs[0].scopeLogs',
    });
  });

  it('InferError E_INFER_INPUT at the line of a sample that is not JSON', () => {
    const error = thrown(() => parseSampleText('{"a":1}\n{"a":\n'));

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ name: 'InferError', code: 'E_INFER_INPUT', line: 2 });
  });

  it('InferError E_INFER_INPUT for no samples at all', () => {
    const error = thrown(() => inferMapping([]));

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ name: 'InferError', code: 'E_INFER_INPUT' });
  });

  it('UnknownSecretKindError E_UNKNOWN_SECRET_KIND for a kind it does not know', () => {
    const error = thrown(() => createRedactor(['jwt', 'pgp-key' as SecretKind]));

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({
      name: 'UnknownSecretKindError',
      code: 'E_UNKNOWN_SECRET_KIND',
      kind: 'pgp-key',
    });
  });

  it('DateTimeRangeError E_DATETIME_RANGE for a time past the year 9999', () => {
    const error = thrown(() => hrTimeToIso([253402300800, 0]));

    expect(error).toBeInstanceOf(OtelSentinelError);
    expect(error).toMatchObject({ name: 'DateTimeRangeError', code: 'E_DATETIME_RANGE' });
  });
});
