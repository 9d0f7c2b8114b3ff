// The pipeline's options, validated once. They are options of the exporter (and so of the
// processor and the gateway, which build one): each says what it does, its default and its
// environment variable in `config.ts`.

import { diag } from '@opentelemetry/api';
import { exporterConfigError } from '../errors.js';

export const MAX_QUEUE_SIZE_ENV = 'OTEL_SENTINEL_MAX_QUEUE_SIZE';
export const SCHEDULED_DELAY_ENV = 'OTEL_SENTINEL_SCHEDULED_DELAY';
export const DURABILITY_ENV = 'OTEL_SENTINEL_DURABILITY';

// OpenTelemetry's standard names for the batch log record processor, read where our option means
// the same thing. They set every batch processor of the process, so our own names win over them.
export const BLRP_MAX_QUEUE_SIZE_ENV = 'OTEL_BLRP_MAX_QUEUE_SIZE';
export const BLRP_MAX_EXPORT_BATCH_SIZE_ENV = 'OTEL_BLRP_MAX_EXPORT_BATCH_SIZE';
export const BLRP_SCHEDULE_DELAY_ENV = 'OTEL_BLRP_SCHEDULE_DELAY';
export const BLRP_EXPORT_TIMEOUT_ENV = 'OTEL_BLRP_EXPORT_TIMEOUT';

/** `memory`: rows wait in memory until delivered; `disk`: in the write-ahead queue on disk too. */
export type Durability = 'memory' | 'disk';

export interface PipelineConfig {
  readonly durability: Durability;
  /** Most rows held at once: accepted and not yet delivered, spooled or handed over. */
  readonly capacity: number;
  readonly maxBatchBytes: number;
  readonly maxBatchRecords: number;
  readonly scheduledDelayMillis: number;
  readonly maxConcurrentBatches: number;
  readonly exportTimeoutMillis: number;
  /** Hand what is held to the store on SIGTERM/SIGINT/SIGHUP/exit, and send it at beforeExit. */
  readonly saveOnExit: boolean;
}

export interface PipelineOptionValues {
  readonly durability?: Durability | undefined;
  readonly maxQueueSize?: number | undefined;
  readonly maxBatchBytes?: number | undefined;
  readonly maxBatchRecords?: number | undefined;
  readonly scheduledDelayMillis?: number | undefined;
  readonly maxConcurrentBatches?: number | undefined;
  readonly exportTimeoutMillis?: number | undefined;
  readonly saveOnExit?: boolean | undefined;
}

/** The client cuts requests at 1,000,000 bytes; a batch is never meant to be larger. */
const MAX_REQUEST_BYTES = 1_000_000;

export function positiveInt(option: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1)
    throw exporterConfigError(option, `must be a whole number ≥ 1, got ${String(v)}`);
  return v;
}

export function intFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw exporterConfigError(name, `must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

/**
 * A standard `OTEL_BLRP_*` value. As the OpenTelemetry SDK does, an invalid one is a warning that
 * names the variable, and the default stays: the same variable also sets the app's other batch
 * processors, which accept it, so failing here would stop an app that works without us.
 */
function standardIntFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1) return n;
  diag
    .createComponentLogger({ namespace: '@otel-sentinel/exporter' })
    .warn(`${name} must be a whole number ≥ 1, got "${raw}"; it is ignored and the default applies`);
  return undefined;
}

function durabilityOf(
  value: Durability | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Durability {
  // Checked at run time too: JavaScript callers are not held to the type.
  const given: unknown = value;
  if (given !== undefined) {
    if (given !== 'memory' && given !== 'disk')
      throw exporterConfigError('durability', `must be 'memory' or 'disk', got ${JSON.stringify(given)}`);
    return given;
  }
  const raw = env[DURABILITY_ENV];
  if (raw === undefined || raw === '') return 'memory';
  if (raw !== 'memory' && raw !== 'disk')
    throw exporterConfigError(DURABILITY_ENV, `must be memory or disk, got "${raw}"`);
  return raw;
}

export function resolvePipelineConfig(
  options: PipelineOptionValues,
  env: Readonly<Record<string, string | undefined>>,
): PipelineConfig {
  const maxBatchBytes = positiveInt('maxBatchBytes', options.maxBatchBytes, 990_000);
  if (maxBatchBytes > MAX_REQUEST_BYTES)
    throw exporterConfigError(
      'maxBatchBytes',
      `must be at most ${MAX_REQUEST_BYTES} (the client's request size), got ${maxBatchBytes}`,
    );
  const saveOnExit = options.saveOnExit ?? true;
  if (typeof saveOnExit !== 'boolean')
    throw exporterConfigError('saveOnExit', `must be true or false, got ${JSON.stringify(saveOnExit)}`);
  return {
    durability: durabilityOf(options.durability, env),
    capacity: positiveInt(
      'maxQueueSize',
      options.maxQueueSize ??
        intFromEnv(env, MAX_QUEUE_SIZE_ENV) ??
        standardIntFromEnv(env, BLRP_MAX_QUEUE_SIZE_ENV),
      10_000,
    ),
    maxBatchBytes,
    maxBatchRecords: positiveInt(
      'maxBatchRecords',
      options.maxBatchRecords ?? standardIntFromEnv(env, BLRP_MAX_EXPORT_BATCH_SIZE_ENV),
      5000,
    ),
    scheduledDelayMillis: positiveInt(
      'scheduledDelayMillis',
      options.scheduledDelayMillis ??
        intFromEnv(env, SCHEDULED_DELAY_ENV) ??
        standardIntFromEnv(env, BLRP_SCHEDULE_DELAY_ENV),
      1000,
    ),
    maxConcurrentBatches: positiveInt('maxConcurrentBatches', options.maxConcurrentBatches, 4),
    exportTimeoutMillis: positiveInt(
      'exportTimeoutMillis',
      options.exportTimeoutMillis ?? standardIntFromEnv(env, BLRP_EXPORT_TIMEOUT_ENV),
      30_000,
    ),
    saveOnExit,
  };
}
