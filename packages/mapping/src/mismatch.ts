// Values that did not fit their column, within one stream: held while a row is mapped, then kept
// in the stream's overflow column (`onMismatch: keep`), or left out, and counted per column,
// reason and outcome. Nothing here runs for a row whose values all fit.

import { isRawJson } from './exact-json.js';
import { NULL_REASONS } from './coerce.js';
import type { NullReason } from './coerce.js';
import type { ColumnPlan, ReadScratch, SafetyCounters } from './column-reader.js';
import type { DynamicWalker } from './dynamic.js';
import { truncateUtf8, utf8ByteLength } from './truncate.js';
import type { ColumnType } from './types.js';

/** Why a value did not fit: every null reason but `missing`. */
export type MismatchReason = Exclude<NullReason, 'missing'>;

export const MISMATCH_REASONS: readonly MismatchReason[] = NULL_REASONS.filter(
  (r): r is MismatchReason => r !== 'missing',
);

/**
 * What became of such a value: kept in the overflow column (the column itself is empty or holds
 * its `default`), emptied without a copy (`onMismatch: empty`, or `keep` where the stream has no
 * overflow column or its value is not a map), or the record was rejected.
 */
export type MismatchAction = 'kept' | 'emptied' | 'rejected';

/** The key of the overflow column's map under which values that did not fit are kept. */
export const MISMATCH_KEY = 'otel_sentinel.mismatch';

/** One value that did not fit its column. Never holds the value (it may be a secret). */
export interface ColumnMismatch {
  readonly stream: string;
  readonly column: string;
  readonly type: ColumnType;
  readonly reason: MismatchReason;
  readonly action: MismatchAction;
  /** The column whose `otel_sentinel.mismatch` entry holds the original (action `kept`). */
  readonly keptIn?: string;
}

/** Counts of one column's values that did not fit, by reason and by what became of them. */
export interface ColumnMismatchStats {
  readonly type: ColumnType;
  readonly reasons: Readonly<Partial<Record<MismatchReason, number>>>;
  readonly kept: number;
  readonly emptied: number;
  readonly rejected: number;
}

interface Held {
  plan: number;
  reason: MismatchReason;
  raw: unknown;
}

interface ColumnCounts {
  readonly reasons: Record<MismatchReason, number>;
  kept: number;
  emptied: number;
  rejected: number;
}

/** Bytes an entry adds besides its value: `"<name>":{"value":,"type":"…","reason":"…"}`. */
const ENTRY_BYTES = 64;

export class MismatchKeeper {
  /** Values held for the row being mapped; `length` is 0 for nearly every row. */
  private readonly held: Held[] = [];
  private readonly counts = new Map<number, ColumnCounts>();
  private readonly descriptors = new Map<string, ColumnMismatch>();

  constructor(
    private readonly stream: string,
    private readonly plans: readonly ColumnPlan[],
    /** The overflow column and the walker of its values, when the stream has one. */
    private readonly overflow: { readonly column: string; readonly walker: DynamicWalker } | undefined,
    private readonly counters: SafetyCounters,
  ) {}

  get pending(): number {
    return this.held.length;
  }

  hold(plan: number, reason: MismatchReason, raw: unknown): void {
    this.held.push({ plan, reason, raw });
  }

  /**
   * Puts the held values in the overflow column's map under `otel_sentinel.mismatch`: column
   * name → `{ value, type, reason }`, the value redacted and sanitised as the overflow column's
   * own. False when there is nowhere to put them (no overflow column, or its value is no map).
   */
  keep(row: Record<string, unknown>, s: ReadScratch): boolean {
    if (this.overflow === undefined) return false;
    const { column, walker } = this.overflow;
    const current = row[column];
    if (current !== undefined && !isMap(current)) return false;
    let entries: Record<string, unknown> | undefined;
    const sanitized = s.sanitized;
    const sensitive = s.sensitiveKeys;
    for (const h of this.held) {
      const plan = this.plans[h.plan] as ColumnPlan;
      if (plan.onMismatch !== 'keep') continue;
      entries ??= {};
      s.bytes += ENTRY_BYTES + plan.name.length;
      entries[plan.name] = {
        value: this.bounded(walker, h.raw, plan.maxBytes, s),
        type: plan.type,
        reason: h.reason,
      };
    }
    if (entries === undefined) return false;
    this.counters.sanitized += s.sanitized - sanitized;
    this.counters.sensitiveKeys += s.sensitiveKeys - sensitive;
    // A copy: the column's value may be its `default`, which every row shares.
    row[column] =
      current === undefined ? { [MISMATCH_KEY]: entries } : { ...current, [MISMATCH_KEY]: entries };
    s.bytes += MISMATCH_KEY.length + 8 + (current === undefined ? 2 : 0);
    return true;
  }

  /**
   * Counts the held values with what became of them, forgets them, and describes them: `kept`
   * applies only to columns whose policy keeps; the others were emptied.
   */
  settle(action: MismatchAction): readonly ColumnMismatch[] {
    const out = this.held.map((h) =>
      this.describe(
        h,
        action === 'kept' && (this.plans[h.plan] as ColumnPlan).onMismatch !== 'keep' ? 'emptied' : action,
      ),
    );
    this.held.length = 0;
    return out;
  }

  /** The counts per column (`stream.column`), for `stats()`; only columns with any. */
  stats(into: Record<string, ColumnMismatchStats>): void {
    for (const [i, c] of this.counts) {
      const plan = this.plans[i] as ColumnPlan;
      const reasons: Partial<Record<MismatchReason, number>> = {};
      for (const r of MISMATCH_REASONS) if (c.reasons[r] > 0) reasons[r] = c.reasons[r];
      into[`${this.stream}.${plan.name}`] = {
        type: plan.type,
        reasons,
        kept: c.kept,
        emptied: c.emptied,
        rejected: c.rejected,
      };
    }
  }

  private describe(h: Held, action: MismatchAction): ColumnMismatch {
    let c = this.counts.get(h.plan);
    if (c === undefined) {
      const reasons = {} as Record<MismatchReason, number>;
      for (const r of MISMATCH_REASONS) reasons[r] = 0;
      c = { reasons, kept: 0, emptied: 0, rejected: 0 };
      this.counts.set(h.plan, c);
    }
    c.reasons[h.reason]++;
    if (action === 'kept') c.kept++;
    else if (action === 'emptied') c.emptied++;
    else c.rejected++;
    const key = `${h.plan} ${h.reason} ${action}`;
    let d = this.descriptors.get(key);
    if (d === undefined) {
      const plan = this.plans[h.plan] as ColumnPlan;
      d = Object.freeze({
        stream: this.stream,
        column: plan.name,
        type: plan.type,
        reason: h.reason,
        action,
        ...(action === 'kept' && this.overflow !== undefined ? { keptIn: this.overflow.column } : {}),
      });
      this.descriptors.set(key, d);
    }
    return d;
  }

  /** The value as JSON, at most `max` bytes: a longer string is cut, a larger structure becomes its cut JSON text. */
  private bounded(walker: DynamicWalker, raw: unknown, max: number, s: ReadScratch): unknown {
    const before = s.bytes;
    const chars = s.chars;
    const v = walker.value(raw, s, 0);
    if (s.bytes - before <= max) return v;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    if (utf8ByteLength(text) <= max) return v;
    this.counters.truncated++;
    const cut = truncateUtf8(text, max);
    s.bytes = before + cut.length * 6 + 2;
    s.chars = chars + cut.length;
    return cut;
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isRawJson(v);
}
