// Turns a decoded ExportLogsServiceRequest (from protobuf or OTLP/JSON) into the LogRecordLike
// records the mapping reads, with the same values and shapes as the mapping's own OTLP/JSON reader.
import { Buffer } from 'node:buffer';

import type {
  AnyValueLike,
  HrTimeLike,
  InstrumentationScopeLike,
  LogRecordLike,
  ResourceLike,
  SpanContextLike,
} from '@otel-sentinel/mapping';

import { setAttribute } from '@otel-sentinel/mapping';

import { OtlpDecodeError } from './errors.js';
import type {
  AnyValueMessage,
  Int64Bits,
  KeyValueMessage,
  LogRecordMessage,
  LogsRequestMessage,
  ResourceLogsMessage,
  ScopeLogsMessage,
} from './schema.js';

type Attributes = Record<string, AnyValueLike>;

const NO_ITEMS: readonly never[] = [];
const hasOwn = Object.hasOwn;

// The field of a record (or of its resource or scope) being read, for error paths.
const RESOURCE_ATTRIBUTES = 0;
const SCOPE_ATTRIBUTES = 1;
const BODY = 2;
const ATTRIBUTES = 3;
const TRACE_ID = 4;
const SPAN_ID = 5;

/**
 * Where the conversion is, as plain numbers updated in the loops, so a path string is only built
 * when an error is thrown.
 */
class Cursor {
  resource = 0;
  scope = 0;
  record = 0;
  field = BODY;
  item = 0;
  readonly maxDepth: number;
  private receipt: HrTimeLike | undefined;

  constructor(maxDepth: number) {
    this.maxDepth = maxDepth;
  }

  /** The time of decoding, for records with neither timestamp; one value for the whole request. */
  now(): HrTimeLike {
    if (this.receipt === undefined) {
      const ms = Date.now();
      const msPart = ms % 1000;
      this.receipt = [(ms - msPart) / 1000, msPart * 1e6];
    }
    return this.receipt;
  }

  fail(problem: string): never {
    let path = `resourceLogs[${this.resource}]`;
    if (this.field === RESOURCE_ATTRIBUTES) path += `.resource.attributes[${this.item}]`;
    else if (this.field === SCOPE_ATTRIBUTES)
      path += `.scopeLogs[${this.scope}].scope.attributes[${this.item}]`;
    else {
      path += `.scopeLogs[${this.scope}].logRecords[${this.record}].`;
      if (this.field === BODY) path += 'body';
      else if (this.field === ATTRIBUTES) path += `attributes[${this.item}]`;
      else path += this.field === TRACE_ID ? 'traceId' : 'spanId';
    }
    throw new OtlpDecodeError(problem, path);
  }
}

/** How many log records `request` holds. */
export function countRecords(request: LogsRequestMessage): number {
  let count = 0;
  const resourceLogs = request.resourceLogs ?? NO_ITEMS;
  for (const item of resourceLogs) {
    for (const scopeLogs of item.scopeLogs ?? NO_ITEMS) count += scopeLogs.logRecords?.length ?? 0;
  }
  return count;
}

/**
 * The records of `request` in order. Resource and scope objects are shared by the records of one
 * ResourceLogs / ScopeLogs; AnyValues nested deeper than `maxDepth` are an `OtlpDecodeError`.
 */
export function toRecords(request: LogsRequestMessage, maxDepth: number): LogRecordLike[] {
  const records: LogRecordLike[] = [];
  const cursor = new Cursor(maxDepth);
  const resourceLogs = request.resourceLogs ?? NO_ITEMS;
  for (let r = 0; r < resourceLogs.length; r++) {
    const item = resourceLogs[r] as ResourceLogsMessage;
    cursor.resource = r;
    cursor.field = RESOURCE_ATTRIBUTES;
    const resource: ResourceLike = { attributes: topAttributes(item.resource?.attributes, cursor) };
    const scopeLogs = item.scopeLogs ?? NO_ITEMS;
    for (let s = 0; s < scopeLogs.length; s++) {
      const scopeItem = scopeLogs[s] as ScopeLogsMessage;
      cursor.scope = s;
      const scope = readScope(scopeItem, cursor);
      const logRecords = scopeItem.logRecords ?? NO_ITEMS;
      for (let l = 0; l < logRecords.length; l++) {
        cursor.record = l;
        records.push(readLogRecord(logRecords[l] as LogRecordMessage, resource, scope, cursor));
      }
    }
  }
  return records;
}

function readScope(item: ScopeLogsMessage, cursor: Cursor): InstrumentationScopeLike {
  const scope = item.scope;
  if (scope === null || scope === undefined) return { name: '', version: undefined };
  const attributes = scope.attributes;
  if (attributes !== undefined && attributes.length !== 0) {
    // The mapping does not read scope attributes, but they are forwarded, so the limit holds.
    cursor.field = SCOPE_ATTRIBUTES;
    topAttributes(attributes, cursor);
  }
  return { name: scope.name ?? '', version: scope.version || undefined };
}

function readLogRecord(
  record: LogRecordMessage,
  resource: ResourceLike,
  instrumentationScope: InstrumentationScopeLike,
  cursor: Cursor,
): LogRecordLike {
  const time = unixNano(record.timeUnixNano);
  const observed = unixNano(record.observedTimeUnixNano);
  const spanContext = readSpanContext(record, cursor);
  let body: AnyValueLike;
  if (record.body !== null && record.body !== undefined) {
    cursor.field = BODY;
    body = anyValue(record.body, 1, cursor);
  }
  cursor.field = ATTRIBUTES;
  const attributes = topAttributes(record.attributes, cursor);
  return {
    hrTime: time ?? observed ?? cursor.now(),
    hrTimeObserved: observed,
    spanContext,
    severityText: record.severityText || undefined,
    severityNumber: record.severityNumber || undefined,
    body,
    eventName: record.eventName || undefined,
    resource,
    instrumentationScope,
    attributes,
  };
}

// ---- values ---------------------------------------------------------------------------------

/**
 * A record's, resource's or scope's attributes: values at depth 1, `cursor.item` kept current.
 * Plain objects, like the SDK's: V8 keeps them in fast mode with shared shapes (an app repeats its
 * keys), so the mapping reads them cheaply; it reads keys Object.prototype has as own only.
 */
function topAttributes(list: readonly KeyValueMessage[] | undefined, cursor: Cursor): Attributes {
  const out: Attributes = {};
  if (list === undefined) return out;
  for (let i = 0; i < list.length; i++) {
    const keyValue = list[i] as KeyValueMessage;
    cursor.item = i;
    const value = keyValue.value;
    setAttribute(
      out,
      keyValue.key ?? '',
      value === null || value === undefined ? undefined : anyValue(value, 1, cursor),
    );
  }
  return out;
}

/** A kvlist as a plain object (`__proto__` kept as data: the mapping's `setAttribute`); the last duplicate wins. */
function keyValues(list: readonly KeyValueMessage[] | undefined, depth: number, cursor: Cursor): Attributes {
  const out: Attributes = {};
  if (list === undefined) return out;
  for (const keyValue of list) {
    const value = keyValue.value;
    setAttribute(
      out,
      keyValue.key ?? '',
      value === null || value === undefined ? undefined : anyValue(value, depth, cursor),
    );
  }
  return out;
}

/** An AnyValue as a JS value; undefined when no member of its oneof is set. */
function anyValue(value: AnyValueMessage, depth: number, cursor: Cursor): AnyValueLike {
  if (depth > cursor.maxDepth) cursor.fail(`nesting deeper than ${cursor.maxDepth} levels`);
  // The set member is an own property (protobufjs keeps defaults on the prototype, and of a oneof
  // only the last member decoded).
  if (hasOwn(value, 'stringValue')) return value.stringValue;
  if (hasOwn(value, 'boolValue')) return value.boolValue;
  if (hasOwn(value, 'intValue') && value.intValue !== undefined) return int64(value.intValue);
  if (hasOwn(value, 'doubleValue')) return value.doubleValue;
  if (hasOwn(value, 'arrayValue')) {
    const values = value.arrayValue?.values ?? NO_ITEMS;
    const out = new Array<AnyValueLike>(values.length);
    for (let i = 0; i < values.length; i++)
      out[i] = anyValue(values[i] as AnyValueMessage, depth + 1, cursor);
    return out;
  }
  if (hasOwn(value, 'kvlistValue')) return keyValues(value.kvlistValue?.values, depth + 1, cursor);
  if (hasOwn(value, 'bytesValue') && value.bytesValue !== undefined) {
    // A copy, so the value is a plain Uint8Array that does not pin the request body.
    return new Uint8Array(value.bytesValue);
  }
  return undefined;
}

/** int64: a safe integer as a number, anything larger as a bigint. */
function int64(bits: Int64Bits): number | bigint {
  const high = bits.high | 0;
  const low = bits.low >>> 0;
  // Exact whenever the result is a safe integer, and never safe when the true value is not.
  const value = high * 4294967296 + low;
  if (Number.isSafeInteger(value)) return value;
  return BigInt(high) * 4294967296n + BigInt(low);
}

/**
 * A fixed64 count of nanoseconds as `[seconds, nanoseconds]`; undefined when absent or 0. Long
 * division in 16-bit steps keeps every intermediate below 2^53, so no nanosecond is lost.
 */
function unixNano(bits: Int64Bits | undefined): HrTimeLike | undefined {
  if (bits === undefined) return undefined;
  const high = bits.high >>> 0;
  const low = bits.low >>> 0;
  if (high === 0 && low === 0) return undefined;
  const qHigh = Math.floor(high / 1e9);
  let rest = (high - qHigh * 1e9) * 65536 + (low >>> 16);
  const q1 = Math.floor(rest / 1e9);
  rest = (rest - q1 * 1e9) * 65536 + (low & 0xffff);
  const q0 = Math.floor(rest / 1e9);
  return [qHigh * 4294967296 + q1 * 65536 + q0, rest - q0 * 1e9];
}

// ---- trace context ---------------------------------------------------------------------------

/**
 * Set only when both ids are present and not all zero, as for an OpenTelemetry SDK record (the
 * mapping's OTLP/JSON reader does the same); a wrong-length id is an error.
 */
function readSpanContext(record: LogRecordMessage, cursor: Cursor): SpanContextLike | undefined {
  const traceId = record.traceId;
  const spanId = record.spanId;
  const traceLength = traceId === undefined ? 0 : traceId.length;
  const spanLength = spanId === undefined ? 0 : spanId.length;
  if (traceLength !== 0 && traceLength !== 16) {
    cursor.field = TRACE_ID;
    cursor.fail(`expected 16 bytes, got ${traceLength}`);
  }
  if (spanLength !== 0 && spanLength !== 8) {
    cursor.field = SPAN_ID;
    cursor.fail(`expected 8 bytes, got ${spanLength}`);
  }
  if (traceId === undefined || spanId === undefined || traceLength === 0 || spanLength === 0)
    return undefined;
  if (allZero(traceId) || allZero(spanId)) return undefined;
  return { traceId: hex(traceId), spanId: hex(spanId), traceFlags: (record.flags ?? 0) & 0xff };
}

function allZero(bytes: Uint8Array): boolean {
  for (const byte of bytes) if (byte !== 0) return false;
  return true;
}

function hex(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.toString('hex');
}
