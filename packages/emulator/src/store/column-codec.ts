// How a Log Analytics column type is kept in SQLite and read back as a JSON value. Writing is
// lenient (a value that cannot be the column's type becomes null), reading is exact.

import type { SQLInputValue, SQLOutputValue } from 'node:sqlite';
import { dateTimeText } from '../ingestion/field-type.js';
import { canonicalLong, parseExactJson, stringifyExactJson } from '@otel-sentinel/kql';
import type { ColumnType } from '../model.js';

/** Sentinel's datetime text for `text`, or null. */
function parseDateTime(text: string): string | null {
  return dateTimeText(text) ?? null;
}

export type SqlType = 'TEXT' | 'INTEGER' | 'REAL';

export function sqlType(type: ColumnType): SqlType {
  switch (type) {
    case 'int':
    case 'long':
    case 'boolean':
      return 'INTEGER';
    case 'real':
      return 'REAL';
    case 'string':
    case 'guid':
    case 'datetime':
    case 'dynamic':
      return 'TEXT';
  }
}

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** A value for a column of `type`, as SQLite stores it; null when it cannot be one. */
export function encodeValue(type: ColumnType, value: unknown): SQLInputValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
    case 'guid':
      return typeof value === 'string' ? value : textOf(value);
    case 'int':
      return integerOf(value, BigInt(INT32_MIN), BigInt(INT32_MAX));
    case 'long':
      return integerOf(value, INT64_MIN, INT64_MAX);
    case 'real':
      return realOf(value);
    case 'boolean':
      return booleanOf(value);
    case 'datetime':
      return datetimeOf(value);
    case 'dynamic':
      return jsonText(value);
  }
}

/** The JSON value of a stored one: booleans back to true/false, dynamic parsed, datetimes as stored. */
export function decodeValue(type: ColumnType, value: SQLOutputValue): unknown {
  if (value === null) return null;
  switch (type) {
    case 'long':
      // Read with setReadBigInts: beyond 2^53 a long stays a bigint, with its exact digits.
      return typeof value === 'bigint' ? canonicalLong(value) : value;
    case 'int':
    case 'real':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'boolean':
      return value !== 0 && value !== 0n;
    case 'dynamic':
      return typeof value === 'string' ? parseJson(value) : value;
    case 'string':
    case 'guid':
    case 'datetime':
      return value;
  }
}

/** Sentinel's datetime form, `YYYY-MM-DDTHH:MM:SS.fffffffZ`: sorts as text in time order. */
export function isoDateTime(d: Date): string {
  return parseDateTime(d.toISOString()) ?? d.toISOString();
}

function textOf(value: unknown): string | null {
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value instanceof Date ? datetimeOf(value) : jsonText(value);
    default:
      return null;
  }
}

function integerOf(value: unknown, min: bigint, max: bigint): number | bigint | null {
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    n = BigInt(Math.trunc(value));
  } else if (typeof value === 'bigint') {
    n = value;
  } else if (typeof value === 'boolean') {
    n = value ? 1n : 0n;
  } else if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
    n = BigInt(value.trim());
  } else {
    return null;
  }
  if (n < min || n > max) return null;
  // Bound as a bigint, SQLite stores all 64 bits; as a number, only what a double holds.
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function realOf(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (typeof value === 'boolean') n = value ? 1 : 0;
  else if (typeof value === 'string' && value.trim() !== '') n = Number(value);
  else return null;
  return Number.isFinite(n) ? n : null;
}

function booleanOf(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === 0 || value === 1) return value;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (s === 'true') return 1;
    if (s === 'false') return 0;
  }
  return null;
}

function datetimeOf(value: unknown): string | null {
  if (typeof value === 'string') return parseDateTime(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoDateTime(value);
  return null;
}

/** JSON text (bigints as numbers with their exact digits), or null for what JSON cannot hold. */
function jsonText(value: unknown): string | null {
  return stringifyExactJson(value) ?? null;
}

function parseJson(text: string): unknown {
  try {
    return parseExactJson(text);
  } catch {
    // Only a value written by another tool can be invalid JSON; show it rather than fail the scan.
    return text;
  }
}
