// One stream's row mapper: the straight-line row function generated once per stream, and what it
// does with a null column, a finished row and a rejected record.

import type { ColumnPlan, ReadScratch, SafetyCounters } from './column-reader.js';
import type { CompiledStream, RejectCode, RejectReason, Row, RowResult } from './compile-mapping.js';
import type { LogRecordLike } from './log-record.js';
import { compileMatch } from './match.js';
import type { RecordPredicate } from './match.js';
import type { MismatchAction, MismatchKeeper } from './mismatch.js';
import { utf8ByteLength } from './truncate.js';
import type { StreamConfig } from './types.js';

/** What `onNull` tells the generated row code to do with a column whose value is null. */
const OMIT = Symbol('omit');
const REJECT = Symbol('reject');

type RowFunction = (record: LogRecordLike) => RowResult;

export class StreamMapper implements CompiledStream {
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
