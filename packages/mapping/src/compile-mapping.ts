// Compiles a validated mapping into per-stream router predicates and row mappers, built once.
// Per record the work is straight-line: a few attribute lookups to classify (security-flag.ts),
// the match checks, then one precompiled reader per column. Every outcome is counted; nothing
// throws.

import { coerceDefault, NULL_REASONS } from './coerce.js';
import type { NullReason } from './coerce.js';
import { newSafetyCounters, overflowWalker, planColumn } from './column-reader.js';
import type { ColumnPlan, CompileContext, ReadScratch, SafetyCounters } from './column-reader.js';
import { eventNameReader } from './event-name.js';
import type { LogRecordLike } from './log-record.js';
import { compileMatch } from './match.js';
import { MismatchKeeper } from './mismatch.js';
import type { ColumnMismatch, ColumnMismatchStats, MismatchAction } from './mismatch.js';
import type { RecordPredicate } from './match.js';
import { newRedactionCounts } from './redact.js';
import { securityFlag } from './security-flag.js';
import type { RedactionCounts } from './redact.js';
import { utf8ByteLength } from './truncate.js';
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

/** What `onNull` tells the generated row code to do with a column whose value is null. */
const OMIT = Symbol('omit');
const REJECT = Symbol('reject');

type RowFunction = (record: LogRecordLike) => RowResult;

class StreamMapper implements CompiledStream {
  readonly index: number;
  readonly stream: string;
  readonly table: string;
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly matches: RecordPredicate;
  readonly mapRow: RowFunction;
  rows = 0;
  rejected = 0;
  private readonly scratch: ReadScratch = {
    reason: undefined,
    imprecise: 0,
    chars: 0,
    bytes: 0,
    sanitized: 0,
    sensitiveKeys: 0,
  };
  private lastReject: RowResult | undefined;

  constructor(
    readonly config: StreamConfig,
    readonly plans: readonly ColumnPlan[],
    private readonly counters: SafetyCounters,
    readonly mismatches: MismatchKeeper,
    eventName: (record: LogRecordLike) => unknown,
  ) {
    this.index = config.index;
    this.stream = config.stream;
    this.table = config.table;
    this.endpoint = config.endpoint;
    this.dcrImmutableId = config.dcrImmutableId;
    this.matches = compileMatch(config.match, eventName);
    this.mapRow = this.generate();
  }

  /**
   * Builds the row function as straight-line code: one call site per column, so each column's
   * reader is called monomorphically and can be inlined, and one named store per column, so the
   * row objects of a stream share one shape. Column names are validated identifiers
   * (`^[A-Za-z][A-Za-z0-9_]*$`) and are embedded as JSON string literals.
   */
  private generate(): RowFunction {
    const lines: string[] = [];
    this.plans.forEach((c, i) => {
      lines.push(
        `s.reason = undefined; raw = ${c.getExpr ?? `get${i}(record)`}; v = convert${i}(raw, s);`,
        `if (v === null) { v = onNull(${i}, raw); if (v === REJECT) return reject(); }`,
        `if (v !== OMIT) { row[${JSON.stringify(c.name)}] = v; s.bytes += ${c.keyBytes}; }`,
      );
    });
    const readers = this.plans.flatMap((_, i) => [`get${i}`, `convert${i}`]).join(', ');
    const source = `"use strict";
const { ${readers}${readers === '' ? '' : ','} s, onNull, reject, finish, OMIT, REJECT } = deps;
return function mapRow(record) {
  s.bytes = 2;
  s.chars = 0;
  const row = {};
  let v, raw;
  ${lines.join('\n  ')}
  return finish(row);
};`;
    const deps: Record<string, unknown> = {
      s: this.scratch,
      onNull: (i: number, raw: unknown) => this.onNull(i, raw),
      reject: () => this.lastReject,
      finish: (row: Row) => this.finish(row),
      OMIT,
      REJECT,
    };
    this.plans.forEach((c, i) => {
      deps[`get${i}`] = c.get;
      deps[`convert${i}`] = c.convert;
    });
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- code built once from validated column names
    const factory = new Function('deps', source) as (d: Record<string, unknown>) => RowFunction;
    return factory(deps);
  }

  private onNull(i: number, raw: unknown): unknown {
    const c = this.plans[i] as ColumnPlan;
    const s = this.scratch;
    const reason = s.reason ?? 'missing';
    c.nulls[reason]++;
    if (reason !== 'missing') {
      this.mismatches.hold(i, reason, raw);
      if (c.onMismatch === 'reject') {
        this.lastReject = this.reject('E_COLUMN_MISMATCH', c.name, `${reason} for type ${c.type}`);
        this.scratch.imprecise = 0;
        return REJECT;
      }
    }
    if (c.hasDefault) {
      s.bytes += c.defaultBytes;
      return c.defaultValue;
    }
    if (c.required) {
      this.lastReject = this.reject(
        reason === 'missing' ? 'E_REQUIRED_MISSING' : 'E_REQUIRED_INVALID',
        c.name,
        reason,
      );
      this.scratch.imprecise = 0;
      return REJECT;
    }
    return OMIT;
  }

  private finish(row: Row): RowResult {
    const s = this.scratch;
    if (s.imprecise !== 0) {
      this.counters.impreciseNumbers += s.imprecise;
      s.imprecise = 0;
    }
    let action: MismatchAction | undefined;
    if (this.mismatches.pending !== 0) action = this.mismatches.keep(row, s) ? 'kept' : 'emptied';
    if (s.bytes > this.config.maxRowBytes) {
      const size = utf8ByteLength(JSON.stringify(row));
      if (size > this.config.maxRowBytes) return this.reject('E_ROW_TOO_LARGE', undefined, `${size} bytes`);
    }
    // Strings were counted at 6 bytes a character for the limit; at 1 for the estimate.
    const bytes = s.bytes - 5 * s.chars;
    if (action === undefined) return { row, bytes };
    return { row, bytes, mismatches: this.mismatches.settle(action) };
  }

  private reject(code: RejectCode, column: string | undefined, detail: string): RowResult {
    let message: string;
    if (code === 'E_REQUIRED_MISSING') message = `required column ${column ?? ''} has no value`;
    else if (code === 'E_REQUIRED_INVALID')
      message = `required column ${column ?? ''} could not be filled: ${detail}`;
    else if (code === 'E_COLUMN_MISMATCH')
      message = `column ${column ?? ''} rejects a value that does not fit it (onMismatch: reject): ${detail}`;
    else message = `the row is ${detail}, over the ${this.config.maxRowBytes}-byte limit of one request`;
    const rejected: RejectReason = {
      code,
      message,
      stream: this.stream,
      ...(column !== undefined ? { column } : {}),
    };
    return this.mismatches.pending === 0
      ? { rejected }
      : { rejected, mismatches: this.mismatches.settle('rejected') };
  }
}

/** Compiles a validated mapping (from `loadMapping`/`parseMapping`/`validateMapping`). */
export function compileMapping(config: MappingConfig, options: CompileOptions = {}): CompiledMapping {
  const redactions = newRedactionCounts();
  const counters = newSafetyCounters(redactions);
  const eventName = eventNameReader(config.eventNameFrom?.source);
  const ctx: CompileContext = {
    env: options.env ?? process.env,
    missingHashKey: options.missingHashKey ?? 'error',
    securityAttribute: config.securityAttribute,
    eventName: config.eventNameFrom === undefined ? undefined : eventName,
    counters,
    ephemeralKeys: new Set(),
    redactors: new Map(),
    hashKeys: new Map(),
  };
  const streams = config.streams.map((s) => {
    const plans = s.columns.map((c) =>
      planColumn(c, ctx, c.default === undefined ? undefined : coerceDefault(c.default, c.type)),
    );
    const overflow = s.columns.find((c) => c.name === s.overflowColumn);
    const keeper = new MismatchKeeper(
      s.stream,
      plans,
      overflow === undefined ? undefined : { column: overflow.name, walker: overflowWalker(overflow, ctx) },
      counters,
    );
    return new StreamMapper(s, plans, counters, keeper, eventName);
  });
  const attr = config.securityAttribute;
  const totals = { records: 0, skipped: 0, security: 0, unrouted: 0, rows: 0, rejected: 0 };
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
    stats() {
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
    },
  };
}
