// What the gateway's protobuf messages need beyond the mapping package's OTLP/JSON reading, which
// checks every field: 64-bit integers as the two 32-bit halves protobufjs encodes, ids as bytes,
// and strings that have a UTF-8 form.
import { Buffer } from 'node:buffer';

import { otlpJsonReading as json } from '@otel-sentinel/mapping';

import type { Int64Bits } from './schema.js';

const TWO_32 = 4294967296;

/** A 64-bit integer (a safe number or a bigint, as the readers give it) as two's complement halves. */
export function int64Bits(n: number | bigint): Int64Bits {
  // ToUint32 and a floored division give the two's complement halves of any safe integer.
  if (typeof n === 'number') return { low: n >>> 0, high: Math.floor(n / TWO_32) | 0 };
  const bits = BigInt.asUintN(64, n);
  return { low: Number(bits & 0xffffffffn), high: Number(bits >> 32n) | 0 };
}

/** A trace or span id's hex digits as bytes; undefined stays unset. */
export function hexBytes(hex: string | undefined): Uint8Array | undefined {
  return hex === undefined ? undefined : Buffer.from(hex, 'hex');
}

/** A string field (absent and null are undefined) that protobuf can carry. */
export function readText(value: unknown, where: json.Where): string | undefined {
  const text = json.readString(value, where);
  return text === undefined ? undefined : wellFormed(text, where);
}

/** A string that must be present, and that protobuf can carry. */
export function requireText(value: unknown, where: json.Where): string {
  if (typeof value !== 'string') json.fail(where, `expected a string, got ${json.describe(value)}`);
  return wellFormed(value, where);
}

/**
 * JSON escapes can spell lone surrogates (`"\ud800"`), which protobuf strings cannot carry:
 * forwarded upstream they would make the whole batch invalid.
 */
function wellFormed(text: string, where: json.Where): string {
  if (!(text as unknown as WellFormed).isWellFormed()) {
    json.fail(
      where,
      'contains a lone surrogate (an unpaired \\uD800-\\uDFFF escape), which has no UTF-8 form',
    );
  }
  return text;
}

// String.prototype.isWellFormed is ES2024 (Node 20+); the compiler's lib stops at ES2023.
interface WellFormed {
  isWellFormed(): boolean;
}
