// Turns an ExportLogsServiceRequest read from OTLP/JSON into the LogRecordLike records the
// mapping reads, with the same values and shapes as the mapping's own OTLP/JSON reader and as the
// protobuf reader (decode-protobuf.ts), whose conversions of values it shares.
import type {
  AnyValueLike,
  InstrumentationScopeLike,
  LogRecordLike,
  ResourceLike,
} from '@otel-sentinel/mapping';

import { setAttribute } from '@otel-sentinel/mapping';

import { ATTRIBUTES, BODY, Cursor, RESOURCE_ATTRIBUTES, SCOPE_ATTRIBUTES } from './record-cursor.js';
import { int64, spanContextOf, unixNano } from './record-values.js';
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
const NO_BYTES = new Uint8Array(0);
const hasOwn = Object.hasOwn;

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
  cursor.throwProblem();
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
  const time = timeOf(record.timeUnixNano);
  const observed = timeOf(record.observedTimeUnixNano);
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
  if (depth > cursor.maxDepth) {
    cursor.report(`nesting deeper than ${cursor.maxDepth} levels`);
    return undefined;
  }
  // The JSON decoder sets at most one member, as an own property.
  if (hasOwn(value, 'stringValue')) return value.stringValue;
  if (hasOwn(value, 'boolValue')) return value.boolValue;
  if (hasOwn(value, 'intValue') && value.intValue !== undefined)
    return int64(value.intValue.low, value.intValue.high);
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

function timeOf(bits: Int64Bits | undefined) {
  return bits === undefined ? undefined : unixNano(bits.low, bits.high);
}

function readSpanContext(record: LogRecordMessage, cursor: Cursor) {
  const traceId = record.traceId ?? NO_BYTES;
  const spanId = record.spanId ?? NO_BYTES;
  return spanContextOf(traceId, 0, traceId.length, spanId, 0, spanId.length, record.flags ?? 0, cursor);
}
