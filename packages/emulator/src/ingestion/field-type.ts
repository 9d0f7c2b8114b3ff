// Whether a JSON value has a stream column's declared type, and the value the emulator keeps
// when it has not (converted where the meaning is plain, else null). How the service converts
// mistyped values is not documented: these rules are the emulator's (see docs/ingestion.md).

import { parseDateTime } from '@otel-sentinel/mapping';
import type { ColumnType } from '../model.js';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;

/** JSON.stringify as it behaves: undefined for what JSON cannot hold (undefined, functions). */
const stringify: (value: unknown, replacer?: (key: string, value: unknown) => unknown) => string | undefined =
  JSON.stringify;

/** True when `v` (not null) already is a value of `type`. */
export function hasType(type: ColumnType, v: unknown): boolean {
  switch (type) {
    case 'string':
    case 'guid':
      return typeof v === 'string';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
    case 'long':
      return typeof v === 'number' && Number.isSafeInteger(v);
    case 'real':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'datetime':
      return typeof v === 'string' && parseDateTime(v) !== null;
    case 'dynamic':
      return true;
  }
}

/** `v` as a value of `type` when its meaning is plain (`"42"` → 42, 7 → `"7"`), else null. */
export function convertTo(type: ColumnType, v: unknown): unknown {
  switch (type) {
    case 'string':
    case 'guid':
      switch (typeof v) {
        case 'number':
        case 'boolean':
          return String(v);
        default:
          return stringify(v) ?? null;
      }
    case 'int':
    case 'long': {
      const n =
        typeof v === 'boolean' ? Number(v) : typeof v === 'string' && INTEGER_TEXT.test(v) ? Number(v) : v;
      if (typeof n !== 'number' || !Number.isFinite(n)) return null;
      const t = Math.trunc(n);
      return type === 'int' ? (t >= INT32_MIN && t <= INT32_MAX ? t : null) : t;
    }
    case 'real': {
      const n = typeof v === 'boolean' ? Number(v) : typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      return typeof n === 'number' && Number.isFinite(n) ? n : null;
    }
    case 'boolean': {
      if (v === 0 || v === 1) return v === 1;
      const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
      return s === 'true' ? true : s === 'false' ? false : null;
    }
    case 'datetime':
      return null;
    case 'dynamic':
      return v;
  }
}

/** The JSON kind of a value, for messages that must not show the value itself. */
export function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
