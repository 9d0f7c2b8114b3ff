// The standard OTEL_BLRP_* variables set the options that mean the same thing; an option and our
// own OTEL_SENTINEL_* names win over them; an invalid one is a warning naming it, and the default
// stays, as the OpenTelemetry SDK does.
import { diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolvePipelineConfig } from '../../src/pipeline/pipeline-config.js';
import { captureWarnings } from '../support/diag-warnings.js';

let warnings: string[] = [];
beforeEach(() => {
  warnings = captureWarnings();
});
afterEach(() => {
  diag.disable();
});

describe('the standard OTEL_BLRP_* variables', () => {
  it('set the queue size, batch size, schedule delay and export timeout', () => {
    const config = resolvePipelineConfig(
      {},
      {
        OTEL_BLRP_MAX_QUEUE_SIZE: '4096',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '512',
        OTEL_BLRP_SCHEDULE_DELAY: '250',
        OTEL_BLRP_EXPORT_TIMEOUT: '10000',
      },
    );

    expect(config).toMatchObject({
      capacity: 4096,
      maxBatchRecords: 512,
      scheduledDelayMillis: 250,
      exportTimeoutMillis: 10_000,
    });
    expect(warnings).toEqual([]);
  });

  it('give way to our own OTEL_SENTINEL_* names, and those to the options', () => {
    const env = {
      OTEL_BLRP_MAX_QUEUE_SIZE: '4096',
      OTEL_SENTINEL_MAX_QUEUE_SIZE: '20000',
      OTEL_BLRP_SCHEDULE_DELAY: '250',
      OTEL_SENTINEL_SCHEDULED_DELAY: '2000',
      OTEL_BLRP_EXPORT_TIMEOUT: '10000',
    };

    expect(resolvePipelineConfig({}, env)).toMatchObject({ capacity: 20_000, scheduledDelayMillis: 2000 });
    expect(
      resolvePipelineConfig({ maxQueueSize: 100, scheduledDelayMillis: 5, exportTimeoutMillis: 7 }, env),
    ).toMatchObject({ capacity: 100, scheduledDelayMillis: 5, exportTimeoutMillis: 7 });
  });

  it('warn, naming the variable, and keep the default when a value is not a whole number ≥ 1', () => {
    const config = resolvePipelineConfig(
      {},
      {
        OTEL_BLRP_MAX_QUEUE_SIZE: 'lots',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '0',
        OTEL_BLRP_SCHEDULE_DELAY: '1.5',
        OTEL_BLRP_EXPORT_TIMEOUT: '-1',
      },
    );

    expect(config).toMatchObject({
      capacity: 10_000,
      maxBatchRecords: 5000,
      scheduledDelayMillis: 1000,
      exportTimeoutMillis: 30_000,
    });
    expect(warnings).toEqual([
      expect.stringContaining('OTEL_BLRP_MAX_QUEUE_SIZE must be a whole number ≥ 1, got "lots"'),
      expect.stringContaining('OTEL_BLRP_MAX_EXPORT_BATCH_SIZE must be a whole number ≥ 1, got "0"'),
      expect.stringContaining('OTEL_BLRP_SCHEDULE_DELAY must be a whole number ≥ 1, got "1.5"'),
      expect.stringContaining('OTEL_BLRP_EXPORT_TIMEOUT must be a whole number ≥ 1, got "-1"'),
    ]);
  });

  it('leave an empty value unset, without a warning', () => {
    expect(resolvePipelineConfig({}, { OTEL_BLRP_MAX_QUEUE_SIZE: ' ' })).toMatchObject({ capacity: 10_000 });
    expect(warnings).toEqual([]);
  });
});
