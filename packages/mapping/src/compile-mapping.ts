// Compiles a validated mapping into per-stream router predicates and row mappers, built once.
// Per record the work is straight-line: a few attribute lookups to classify (security-flag.ts),
// the match checks, then one precompiled reader per column. Every outcome is counted; nothing
// throws.

import { coerceDefault, NULL_REASONS } from './coerce.js';
import type { NullReason } from './coerce.js';
import { newSafetyCounters, overflowWalker, planColumn } from './column-reader.js';
import type { CompileContext, SafetyCounters } from './column-reader.js';
import { eventNameReader } from './event-name.js';
import type { LogRecordLike } from './log-record.js';
import { MismatchKeeper } from './mismatch.js';
import type { ColumnMismatch, ColumnMismatchStats } from './mismatch.js';
import { newRedactionCounts } from './redact.js';
import { securityFlag } from './security-flag.js';
import type { RedactionCounts } from './redact.js';
import { StreamMapper } from './stream-mapper.js';
import type { MappingConfig, StreamConfig } from './types.js';

/**
 * A Sentinel table row: column name → JSON value. Columns whose value is null are left out. A
 * `long` beyond ±(2^53 − 1), and such an integer inside a `dynamic` value, is a `RawJson`
 * (`JSON.rawJSON` of its digits): `JSON.stringify` writes it exactly; see `isRawJson`.
 */
export type Row = Record<string, unknown>;

export type RejectCode =
  'E_REQUIRED_MISSING' | 'E_REQUIRED_INVALID' | 'E_COLUMN_MISMATCH' | 'E_ROW_TOO_LARGE' | 'E_UNROUTED';

/** Why a record produced no row. Never contains record values (they may hold secrets). */
export interface RejectReason {
  readonly code: RejectCode;
  readonly message: string;
  readonly stream?: string;
  readonly column?: string;
}

export type RowResult =
  | {
      readonly row: Row;
      /**
       * Estimated size of the row's JSON in bytes (exact for ASCII text without escapes, numbers
       * counted generously), for batching; the limit check uses a strict upper bound.
       */
      readonly bytes: number;
      readonly rejected?: undefined;
      /** Values of this row that did not fit their column; absent when all fit. */
      readonly mismatches?: readonly ColumnMismatch[];
    }
  | {
      readonly rejected: RejectReason;
      readonly row?: undefined;
      readonly mismatches?: readonly ColumnMismatch[];
    };

export type MapOutcome =
  | { readonly status: 'skipped' }
  | { readonly status: 'unrouted'; readonly reason: RejectReason }
  | {
      readonly status: 'mapped';
      readonly stream: CompiledStream;
      readonly row: Row;
      readonly bytes: number;
      /** Values that did not fit their column (kept in the overflow column, or left out); absent when all fit. */
      readonly mismatches?: readonly ColumnMismatch[];
    }
  | {
      readonly status: 'rejected';
      readonly stream: CompiledStream;
      readonly reason: RejectReason;
      /** Values that did not fit their column, all `rejected` with the record. */
      readonly mismatches?: readonly ColumnMismatch[];
    };

export interface CompileOptions {
  /** Environment holding hash keys; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * What to do when an `hmac-sha256` key variable is unset: `'error'` (default) throws
   * `MappingCompileError` `E_HASH_KEY_MISSING`; `'ephemeral'` uses a random key for this process
   * only and lists the variable in `ephemeralHashKeys` — for dry runs, never for shipping.
   */
  readonly missingHashKey?: 'error' | 'ephemeral';
}

export interface StreamStats {
  readonly rows: number;
  readonly rejected: number;
}

export interface MappingStats {
  /** Records passed to `map`. */
  readonly records: number;
  /** Records without the security flag (left to the operational pipeline). */
  readonly skipped: number;
  readonly security: number;
  /** Security records no stream took. */
  readonly unrouted: number;
  readonly rows: number;
  readonly rejected: number;
  readonly rejectedByCode: Readonly<Record<string, number>>;
  readonly byStream: Readonly<Record<string, StreamStats>>;
  /** `stream.column` → reason → count, for columns that were null (only non-zero entries). */
  readonly nulls: Readonly<Record<string, Readonly<Partial<Record<NullReason, number>>>>>;
  readonly truncatedFields: number;
  readonly sanitizedValues: number;
  readonly sensitiveKeyValues: number;
  /**
   * Values that did not fit their column, by `stream.column`: by reason, and how many were kept in
   * the overflow column, left out, or rejected with their record (only columns with any).
   */
  readonly mismatches: Readonly<Record<string, ColumnMismatchStats>>;
  /** Doubles beyond 2^53 written to long columns (already imprecise at the source). */
  readonly impreciseNumbers: number;
  readonly redactions: Readonly<RedactionCounts>;
}

export interface CompiledStream {
  readonly config: StreamConfig;
  readonly index: number;
  readonly stream: string;
  readonly table: string;
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  /** True when this stream's `match` holds for the record. */
  matches(record: LogRecordLike): boolean;
  /** The row for a record, or why there is none. Never throws. */
  mapRow(record: LogRecordLike): RowResult;
}

export interface CompiledMapping {
  readonly config: MappingConfig;
  readonly streams: readonly CompiledStream[];
  readonly securityAttribute: string;
  /** Hash-key variables replaced by random keys (only with `missingHashKey: 'ephemeral'`). */
  readonly ephemeralHashKeys: readonly string[];
  /**
   * True when the record carries the security flag (boolean true or the string "true"), as a flat
   * attribute (`security.event`) or nested in map attributes (`security: { event: true }`).
   */
  isSecurity(record: LogRecordLike): boolean;
  /** The first stream whose match holds, if any. */
  route(record: LogRecordLike): CompiledStream | undefined;
  /** Classify, route and map one record, counting the outcome. Never throws. */
  map(record: LogRecordLike): MapOutcome;
  /** A snapshot of the counters. */
  stats(): MappingStats;
}

const SKIPPED: MapOutcome = Object.freeze({ status: 'skipped' });
const UNROUTED_REASON: RejectReason = Object.freeze({
  code: 'E_UNROUTED',
  message: 'no stream matches this security record; add a catch-all stream (one without match)',
});
const UNROUTED: MapOutcome = Object.freeze({ status: 'unrouted', reason: UNROUTED_REASON });

/** Compiles a validated mapping (from `loadMapping`/`parseMapping`/`validateMapping`). */
export function compileMapping(config: MappingConfig, options: CompileOptions = {}): CompiledMapping {
  const redactions = newRedactionCounts();
  const counters = newSafetyCounters(redactions);
  const eventName = eventNameReader(config.eventNameFrom?.source);
  const ctx = compileContext(config, options, counters, eventName);
  const streams = config.streams.map((s) => compileStream(s, ctx, eventName));
  const attr = config.securityAttribute;
  const totals: Totals = { records: 0, skipped: 0, security: 0, unrouted: 0, rows: 0, rejected: 0 };
  const rejectedByCode: Record<string, number> = {};

  const isSecurity = securityFlag(attr);
  const route = (r: LogRecordLike): CompiledStream | undefined => {
    for (const s of streams) if (s.matches(r)) return s;
    return undefined;
  };

  return {
    config,
    streams,
    securityAttribute: attr,
    ephemeralHashKeys: [...ctx.ephemeralKeys],
    isSecurity,
    route,
    map(r) {
      totals.records++;
      if (!isSecurity(r)) {
        totals.skipped++;
        return SKIPPED;
      }
      totals.security++;
      for (const s of streams) {
        if (!s.matches(r)) continue;
        const result = s.mapRow(r);
        if (result.row) {
          totals.rows++;
          s.rows++;
          if (result.mismatches === undefined)
            return { status: 'mapped', stream: s, row: result.row, bytes: result.bytes };
          return {
            status: 'mapped',
            stream: s,
            row: result.row,
            bytes: result.bytes,
            mismatches: result.mismatches,
          };
        }
        totals.rejected++;
        s.rejected++;
        rejectedByCode[result.rejected.code] = (rejectedByCode[result.rejected.code] ?? 0) + 1;
        if (result.mismatches === undefined)
          return { status: 'rejected', stream: s, reason: result.rejected };
        return { status: 'rejected', stream: s, reason: result.rejected, mismatches: result.mismatches };
      }
      totals.unrouted++;
      return UNROUTED;
    },
    stats: () => mappingStats(streams, totals, rejectedByCode, counters, redactions),
  };
}

/** What every column of every stream is compiled with: options, shared counters and caches. */
function compileContext(
  config: MappingConfig,
  options: CompileOptions,
  counters: SafetyCounters,
  eventName: (record: LogRecordLike) => unknown,
): CompileContext {
  return {
    env: options.env ?? process.env,
    missingHashKey: options.missingHashKey ?? 'error',
    securityAttribute: config.securityAttribute,
    eventName: config.eventNameFrom === undefined ? undefined : eventName,
    counters,
    ephemeralKeys: new Set(),
    redactors: new Map(),
    hashKeys: new Map(),
  };
}

interface Totals {
  records: number;
  skipped: number;
  security: number;
  unrouted: number;
  rows: number;
  rejected: number;
}

/** One stream's column plans, its overflow keeper and its row mapper, built once. */
function compileStream(
  s: StreamConfig,
  ctx: CompileContext,
  eventName: (record: LogRecordLike) => unknown,
): StreamMapper {
  const plans = s.columns.map((c) =>
    planColumn(c, ctx, c.default === undefined ? undefined : coerceDefault(c.default, c.type)),
  );
  const overflow = s.columns.find((c) => c.name === s.overflowColumn);
  const keeper = new MismatchKeeper(
    s.stream,
    plans,
    overflow === undefined ? undefined : { column: overflow.name, walker: overflowWalker(overflow, ctx) },
    ctx.counters,
  );
  return new StreamMapper(s, plans, ctx.counters, keeper, eventName);
}

/** A snapshot of the counters: the totals, and per stream its rows, nulls and mismatches. */
function mappingStats(
  streams: readonly StreamMapper[],
  totals: Readonly<Totals>,
  rejectedByCode: Readonly<Record<string, number>>,
  counters: SafetyCounters,
  redactions: RedactionCounts,
): MappingStats {
  const nulls: Record<string, Partial<Record<NullReason, number>>> = {};
  const byStream: Record<string, StreamStats> = {};
  const mismatches: Record<string, ColumnMismatchStats> = {};
  for (const s of streams) {
    byStream[s.stream] = { rows: s.rows, rejected: s.rejected };
    s.mismatches.stats(mismatches);
    for (const p of s.plans) {
      const entry: Partial<Record<NullReason, number>> = {};
      let any = false;
      for (const reason of NULL_REASONS) {
        if (p.nulls[reason] > 0) {
          entry[reason] = p.nulls[reason];
          any = true;
        }
      }
      if (any) nulls[`${s.stream}.${p.name}`] = entry;
    }
  }
  return {
    ...totals,
    rejectedByCode: { ...rejectedByCode },
    byStream,
    nulls,
    mismatches,
    truncatedFields: counters.truncated,
    sanitizedValues: counters.sanitized,
    sensitiveKeyValues: counters.sensitiveKeys,
    impreciseNumbers: counters.impreciseNumbers,
    redactions: { ...redactions },
  };
}
