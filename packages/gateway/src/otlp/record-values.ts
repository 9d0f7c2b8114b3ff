// The conversions both decoders share, from OTLP wire values to what LogRecordLike holds: int64
// and fixed64 from their two 32-bit halves, and a record's span context from its id bytes.
import { Buffer } from 'node:buffer';

import type { HrTimeLike, SpanContextLike } from '@otel-sentinel/mapping';

import { SPAN_ID, TRACE_ID } from './record-cursor.js';
import type { Cursor } from './record-cursor.js';

/** int64 from its halves in two's complement: a safe integer as a number, anything larger as a bigint. */
export function int64(low: number, high: number): number | bigint {
  const signedHigh = high | 0;
  const unsignedLow = low >>> 0;
  // Exact whenever the result is a safe integer, and never safe when the true value is not.
  const value = signedHigh * 4294967296 + unsignedLow;
  if (Number.isSafeInteger(value)) return value;
  return BigInt(signedHigh) * 4294967296n + BigInt(unsignedLow);
}

/**
 * A fixed64 count of nanoseconds, from its halves, as `[seconds, nanoseconds]`; undefined when 0.
 * Long division in 16-bit steps keeps every intermediate below 2^53, so no nanosecond is lost.
 */
export function unixNano(low: number, high: number): HrTimeLike | undefined {
  const h = high >>> 0;
  const l = low >>> 0;
  if (h === 0 && l === 0) return undefined;
  const qHigh = Math.floor(h / 1e9);
  let rest = (h - qHigh * 1e9) * 65536 + (l >>> 16);
  const q1 = Math.floor(rest / 1e9);
  rest = (rest - q1 * 1e9) * 65536 + (l & 0xffff);
  const q0 = Math.floor(rest / 1e9);
  return [qHigh * 4294967296 + q1 * 65536 + q0, rest - q0 * 1e9];
}

/**
 * A record's span context from its trace id (`trace` from `traceStart` to `traceEnd`) and span id
 * bytes: set only when both are present and not all zero, as for an OpenTelemetry SDK record (the
 * mapping's OTLP/JSON reader does the same), with the low 8 bits of `flags` as trace flags. A
 * wrong-length id is reported to `cursor`.
 */
export function spanContextOf(
  trace: Uint8Array,
  traceStart: number,
  traceEnd: number,
  span: Uint8Array,
  spanStart: number,
  spanEnd: number,
  flags: number,
  cursor: Cursor,
): SpanContextLike | undefined {
  const traceLength = traceEnd - traceStart;
  const spanLength = spanEnd - spanStart;
  if (traceLength !== 0 && traceLength !== 16) {
    cursor.field = TRACE_ID;
    cursor.report(`expected 16 bytes, got ${traceLength}`);
    return undefined;
  }
  if (spanLength !== 0 && spanLength !== 8) {
    cursor.field = SPAN_ID;
    cursor.report(`expected 8 bytes, got ${spanLength}`);
    return undefined;
  }
  if (traceLength === 0 || spanLength === 0) return undefined;
  if (allZero(trace, traceStart, traceEnd) || allZero(span, spanStart, spanEnd)) return undefined;
  return {
    traceId: hex(trace, traceStart, traceEnd),
    spanId: hex(span, spanStart, spanEnd),
    traceFlags: flags & 0xff,
  };
}

function allZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

function hex(bytes: Uint8Array, start: number, end: number): string {
  if (Buffer.isBuffer(bytes)) return bytes.toString('hex', start, end);
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('hex');
}
