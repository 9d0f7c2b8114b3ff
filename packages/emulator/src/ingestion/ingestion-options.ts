// What the ingestion endpoint needs and how it can be tuned; checked once, at start-up.

import {
  ConfigError,
  MAX_DCR_BYTES_PER_MINUTE,
  MAX_DCR_REQUESTS_PER_MINUTE,
  MAX_FIELD_VALUE_BYTES,
  MAX_REQUEST_BYTES,
} from '@otel-sentinel/mapping';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { Catalog, DataFlowDef, DcrDef, RowTransform, Store, TokenIssuer } from '../model.js';
import type { ValueCounts } from './value-counts.js';

/** The service's limits; a test may lower any of them, never raise it above the service's. */
export interface IngestionLimits {
  /**
   * Most bytes one request body may have, compressed and again after gunzip; more is a 413
   * `ContentLengthLimitExceeded`. Default and maximum 1,048,576 (the service's 1 MB). Example: `4096`.
   */
  readonly maxBodyBytes?: number;
  /**
   * Most UTF-8 bytes of one field value; longer strings are truncated on a code-point boundary.
   * Default and maximum 65,536 (the service's 64 KB). Example: `1024`.
   */
  readonly maxFieldBytes?: number;
  /** Requests per DCR per sliding minute before 429s. Default and maximum 12,000. Example: `5`. */
  readonly requestsPerMinute?: number;
  /**
   * Uncompressed body bytes per DCR per sliding minute before 429s. Default and maximum
   * 2,000,000,000 (the service's 2 GB). Example: `100_000`.
   */
  readonly bytesPerMinute?: number;
}

export interface IngestionDeps {
  /** The DCRs, streams and tables served. A DCR's `allowedClients` is read on every request. */
  readonly catalog: Catalog;
  /** Where rows land; every output table is ensured at start-up. */
  readonly store: Store;
  /** Verifies bearer tokens. */
  readonly tokens: TokenIssuer;
  /** The compiled transform of a data flow; called once per flow at start-up (it may throw). */
  readonly transforms: (dcr: DcrDef, flow: DataFlowDef) => RowTransform;
  /** Fault injection; consulted before anything else on every request. */
  readonly faults: FaultInjector;
  /** Lowered limits for tests; default the service's. */
  readonly limits?: IngestionLimits;
  /**
   * Reject (400 `StrictModeViolation`, nothing stored) a request in which any field is
   * undeclared, mistyped, or not a column of the output table, listing each. Default false:
   * drop or convert silently, as the service does.
   */
  readonly strict?: boolean;
  /** The clock: `_TimeReceived`, token expiry and rate windows. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** One line per request (method, path, status, rows, counts); never tokens or values. Default none. */
  readonly log?: (line: string) => void;
  /**
   * Where the counts of values not stored as sent (per table, column and reason) add up, for
   * `GET /admin/value-counts`. Default: counts kept by the routes alone.
   */
  readonly valueCounts?: ValueCounts;
}

export const SERVICE_LIMITS: Required<IngestionLimits> = {
  maxBodyBytes: MAX_REQUEST_BYTES,
  maxFieldBytes: MAX_FIELD_VALUE_BYTES,
  requestsPerMinute: MAX_DCR_REQUESTS_PER_MINUTE,
  bytesPerMinute: MAX_DCR_BYTES_PER_MINUTE,
};

/** A `ConfigError` `E_INGESTION_CONFIG` for an ingestion option, e.g. `limits.maxBodyBytes: …`. */
export function ingestionConfigError(option: string, message: string): ConfigError {
  return new ConfigError('E_INGESTION_CONFIG', option, `${option}: ${message}`);
}

export function resolveLimits(limits: IngestionLimits = {}): Required<IngestionLimits> {
  const out = { ...SERVICE_LIMITS };
  for (const key of Object.keys(SERVICE_LIMITS) as (keyof IngestionLimits)[]) {
    const v = limits[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1 || v > SERVICE_LIMITS[key]) {
      throw ingestionConfigError(
        `limits.${key}`,
        `must be a whole number from 1 to the service's ${SERVICE_LIMITS[key]}; got ${v}. The emulator may be stricter than Azure, never more lenient.`,
      );
    }
    out[key] = v;
  }
  return out;
}
