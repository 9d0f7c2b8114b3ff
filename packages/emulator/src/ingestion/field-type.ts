// The emulator's own check of one JSON value against a stream column's declared type: the value
// it keeps (as is, converted where the meaning is plain, or null) and why it changed. Written
// here, not borrowed from the mapping package or the exporter, so that it can catch their errors.
// How the service converts mistyped values is not documented: see docs/ingestion.md.

import { canonicalLong, formatDateTime, parseIsoDateTime } from '@otel-sentinel/kql';
import type { ColumnType } from '../model.js';

/** Why a value was not stored as sent (stable codes: the admin endpoint and the log use them). */
export type ValueIssue =
  /** Another JSON kind with a plain meaning, converted: `"42"` → 42, `7` → `"7"`. */
  | 'converted'
  /** Another JSON kind with no meaning in the column's type: null is stored. */
  | 'type-mismatch'
  /** A number outside the column type's range (int: 32 bits, long: 64 bits): null is stored. */
  | 'out-of-range'
  /** A string (or a dynamic value's JSON) over the per-field limit, cut on a code-point boundary. */
  | 'truncated'
  /** A field the stream does not declare: the service drops it. */
  | 'undeclared'
  /** A transform output column the table does not have: the service drops it. */
  | 'not-in-table'
  /** `TimeGenerated` more than 2 days old or 1 day ahead: replaced with the time received. */
  | 'time-replaced';

export interface CheckedValue {
  readonly value: unknown;
  /** Set when `value` is not the value sent. */
  readonly issue?: ValueIssue;
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
/** Kusto's datetime range: years 1 to 9999. */
const MIN_YEAR_TICKS = -621_355_968_000_000_000n;
const MAX_YEAR_TICKS = 2_534_023_007_999_999_999n;

const same = (value: unknown): CheckedValue => ({ value });
const changed = (value: unknown, issue: ValueIssue): CheckedValue => ({ value, issue });

/** `v` (not null, not undefined) as the emulator stores it in a column of `type`. */
export function checkValue(type: ColumnType, v: unknown): CheckedValue {
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string' ? same(v) : toText(v);
    case 'int':
      return toInt(v);
    case 'long':
      return toLong(v);
    case 'real':
      return toReal(v);
    case 'boolean':
      return toBoolean(v);
    case 'datetime':
      return toDateTime(v);
    case 'dynamic':
      return same(v);
  }
}

/** A datetime text in Sentinel's form (`…T08:15:30.1234567Z`), or undefined. ISO 8601 only. */
export function dateTimeText(text: string): string | undefined {
  const ticks = parseIsoDateTime(text);
  if (ticks === undefined || ticks < MIN_YEAR_TICKS || ticks > MAX_YEAR_TICKS) return undefined;
  return formatDateTime(ticks);
}

function toText(v: unknown): CheckedValue {
  switch (typeof v) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return changed(String(v), 'converted');
    default:
      // Objects and arrays: their JSON text (bigints with their digits); see exact-json.ts.
      return changed(v, 'converted');
  }
}

function integerOf(v: unknown): bigint | undefined {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && INTEGER_TEXT.test(v)) return BigInt(v.trim());
  return undefined;
}

function toInt(v: unknown): CheckedValue {
  if (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return same(v);
  const n = integerOf(v);
  if (n === undefined) return changed(null, 'type-mismatch');
  if (n < BigInt(INT32_MIN) || n > BigInt(INT32_MAX)) return changed(null, 'out-of-range');
  return changed(Number(n), 'converted');
}

/** 2^63: an in-range integer literal arrives as a bigint (exact-json.ts), so a double this large is out of range. */
const TWO_TO_63 = 2 ** 63;

function toLong(v: unknown): CheckedValue {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return same(v);
  if (typeof v === 'number' && Math.abs(v) >= TWO_TO_63) return changed(null, 'out-of-range');
  const n = integerOf(v);
  if (n === undefined) return changed(null, 'type-mismatch');
  const long = canonicalLong(n);
  if (long === null) return changed(null, 'out-of-range');
  // A JSON integer beyond 2^53 (bigint) or an integral double is a long as sent.
  const integral = typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
  return integral ? same(long) : changed(long, 'converted');
}

function toReal(v: unknown): CheckedValue {
  if (typeof v === 'number') return same(v);
  // A JSON integer literal beyond 2^53 is a real number too; a double holds it as well as it can.
  if (typeof v === 'bigint') return same(Number(v));
  const n = typeof v === 'boolean' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? changed(n, 'converted') : changed(null, 'type-mismatch');
}

function toBoolean(v: unknown): CheckedValue {
  if (typeof v === 'boolean') return same(v);
  if (v === 0 || v === 1) return changed(v === 1, 'converted');
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'true' || s === 'false') return changed(s === 'true', 'converted');
  return changed(null, 'type-mismatch');
}

function toDateTime(v: unknown): CheckedValue {
  const text = typeof v === 'string' ? dateTimeText(v) : undefined;
  return text === undefined ? changed(null, 'type-mismatch') : same(text);
}

/** The JSON kind of a value, for messages that must not show the value itself. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'number';
  return typeof v;
}
