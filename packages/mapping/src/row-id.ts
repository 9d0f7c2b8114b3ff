// The `rowId` source: a stable id per record, so a query can drop the rows that at-least-once
// delivery sent twice. The record's own `log.record.uid` when it has one, else a hash of a
// canonical encoding of the whole record (documented in the README, "Row ids").

import { hash } from 'node:crypto';
import type { LogRecordLike } from './log-record.js';

/** The OpenTelemetry semantic-convention attribute that carries a log record's own id. */
export const LOG_RECORD_UID = 'log.record.uid';

/** Marks the version of the encoding; a new encoding gets a new line, so old ids never match. */
const HEADER = 'otel-sentinel row-id v1\n';

/** Containers nested deeper than this are encoded as `z` (as dynamic columns stop at 32 levels). */
const MAX_DEPTH = 32;

const HEX = '0123456789abcdef';
const F64 = new DataView(new ArrayBuffer(8));

/** `d` and the 16 hex digits of the big-endian IEEE 754 double; -0 as 0, every NaN alike. */
function encodeDouble(tag: string, n: number): string {
  if (n !== n) return `${tag}7ff8000000000000`;
  F64.setFloat64(0, n === 0 ? 0 : n);
  let out = tag;
  for (let i = 0; i < 8; i++) {
    const b = F64.getUint8(i);
    out += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return out;
}

function encodeString(s: string): string {
  return `s${Buffer.byteLength(s, 'utf8')}:${s}`;
}

function encodeBytes(b: Uint8Array): string {
  return `b${b.length}:${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`;
}

function encodeMap(o: Readonly<Record<string, unknown>>, depth: number): string {
  // Default sort: UTF-16 code unit order, the order the README specifies.
  const keys = Object.keys(o).sort();
  let body = '';
  let n = 0;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || v === null) continue;
    body += encodeString(k) + encodeValue(v, depth + 1);
    n++;
  }
  return `m${n}:${body}`;
}

/** The canonical encoding of one value; each form starts with a tag and says where it ends. */
export function encodeValue(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return encodeString(v);
    case 'number':
      return encodeDouble('d', v);
    case 'boolean':
      return v ? 'T' : 'F';
    case 'bigint':
      return `i${v.toString()};`;
    case 'undefined':
      return 'n';
    case 'object': {
      if (v === null) return 'n';
      if (v instanceof Uint8Array) return encodeBytes(v);
      if (v instanceof Date) return encodeDouble('D', v.getTime());
      if (depth >= MAX_DEPTH) return 'z';
      if (Array.isArray(v)) {
        let out = `a${v.length}:`;
        for (let i = 0; i < v.length; i++) out += encodeValue(v[i], depth + 1);
        return out;
      }
      if (v instanceof Map) return encodeMap(Object.fromEntries(v) as Record<string, unknown>, depth);
      return encodeMap(v as Record<string, unknown>, depth);
    }
    default:
      // Functions and symbols never come from OpenTelemetry; they still get a defined encoding.
      return 'u';
  }
}

/** The bytes (as a string, hashed as UTF-8) that a record's row id is the hash of. */
export function encodeRecord(r: LogRecordLike): string {
  return (
    HEADER +
    'a12:' +
    encodeValue(r.hrTime, 0) +
    encodeValue(r.hrTimeObserved, 0) +
    encodeValue(r.severityNumber, 0) +
    encodeValue(r.severityText, 0) +
    encodeValue(r.body, 0) +
    encodeValue(r.eventName, 0) +
    encodeValue(r.spanContext?.traceId, 0) +
    encodeValue(r.spanContext?.spanId, 0) +
    encodeValue(r.attributes, 0) +
    encodeValue(r.resource?.attributes, 0) +
    encodeValue(r.instrumentationScope?.name, 0) +
    encodeValue(r.instrumentationScope?.version, 0)
  );
}

/** 32 lower-case hex digits: the first 16 bytes of the SHA-256 of the record's encoding. */
export function rowIdHash(r: LogRecordLike): string {
  return hash('sha256', encodeRecord(r), 'hex').slice(0, 32);
}

/** The record's `log.record.uid` when it is a non-empty string; else undefined. */
export function recordUid(r: LogRecordLike): string | undefined {
  const uid = Object.hasOwn(r.attributes, LOG_RECORD_UID) ? r.attributes[LOG_RECORD_UID] : undefined;
  return typeof uid === 'string' && uid !== '' ? uid : undefined;
}
