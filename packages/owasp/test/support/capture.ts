// A real OpenTelemetry LoggerProvider whose records land in memory, so tests assert on what the
// SDK actually built from an emit, not on what the helper passed it.

import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';

import { createSecurityEvents } from '../../src/index.js';
import type { SecurityEvents, SecurityEventsError, SecurityEventsOptions } from '../../src/index.js';

export const TEST_HASH_KEY = 'test-hash-key-0123456789abcdef0123456789';

export interface Capture {
  readonly provider: LoggerProvider;
  readonly security: SecurityEvents;
  /** Problems reported through onError. */
  readonly errors: SecurityEventsError[];
  readonly records: () => readonly ReadableLogRecord[];
  /** The only record emitted so far; fails the test when there is not exactly one. */
  readonly only: () => ReadableLogRecord;
}

/**
 * Helpers emitting into a fresh provider. Unless `defaults` is false, they use the test hash key
 * and collect problems in `errors`; `options` override both.
 */
export function captureSecurityEvents(options: SecurityEventsOptions = {}, defaults = true): Capture {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const errors: SecurityEventsError[] = [];
  const security = createSecurityEvents({
    logger: provider.getLogger('test'),
    ...(defaults
      ? { hashKey: TEST_HASH_KEY, onError: (error: SecurityEventsError) => errors.push(error) }
      : {}),
    ...options,
  });
  return {
    provider,
    security,
    errors,
    records: () => exporter.getFinishedLogRecords(),
    only: () => {
      const records = exporter.getFinishedLogRecords();
      const [first] = records;
      if (records.length !== 1 || first === undefined)
        throw new Error(`expected one record, got ${records.length}`);
      return first;
    },
  };
}

/** Milliseconds since the epoch of a record's time. */
export function millisOf(record: ReadableLogRecord): number {
  return record.hrTime[0] * 1000 + record.hrTime[1] / 1e6;
}

/** Resolves after a random delay of up to `maxMs`, so concurrent requests interleave. */
export function randomPause(maxMs = 5): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * maxMs)));
}
