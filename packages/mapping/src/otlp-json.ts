// Reads OTLP/JSON `ExportLogsServiceRequest`s (OTLP/HTTP JSON bodies, Collector file exporter lines)
// into `LogRecordLike` records, with 64-bit integers converted without float loss, in every form
// the Collector's OTLP/JSON decoder accepts (the gateway's docs/otlp-decoding.md lists them).
import type {
  HrTimeLike,
  InstrumentationScopeLike,
  LogRecordLike,
  ResourceLike,
  SpanContextLike,
} from './log-record.js';
import { readAnyValue, readKeyValues } from './otlp-any-value.js';
import { at, keyOf, listAt, objectAt, OtlpJsonError, rootOf } from './otlp-json-path.js';
import type { JsonObject, Root, Where } from './otlp-json-path.js';
import { parseJsonWithBigInts } from './exact-json.js';
import {
  readInteger,
  readSeverityNumber as readSeverityField,
  readSpanId,
  readString,
  readTraceId,
  readUint64,
} from './otlp-json-scalars.js';

export { MAX_ANY_VALUE_DEPTH } from './otlp-any-value.js';
export { OtlpJsonError } from './otlp-json-path.js';

/**
 * The records of one parsed `ExportLogsServiceRequest`, in order. `path` prefixes the paths in
 * errors (e.g. `[2]` for the third request of an array).
 *
 * Proto3 JSON rules apply: lowerCamelCase keys (or the proto field names, `time_unix_nano`),
 * unknown fields ignored, `null` the same as absent, a zero or empty scalar field of a record the
 * same as unset. A JSON number past 2^53 is exact only when it arrives as a bigint: the text readers
 * below parse so; a caller that parses itself with `JSON.parse` has rounded it already.
 * Choices beyond the spec:
 * - `hrTime` is `timeUnixNano`, else `observedTimeUnixNano`, else `[0, 0]` (time unknown; the reader
 *   has no clock, and a receiver that wants receipt time sets it). `hrTimeObserved` is undefined
 *   when `observedTimeUnixNano` is absent or 0.
 * - `spanContext` is set only when both `traceId` and `spanId` are present and not all zero, as
 *   for an OpenTelemetry SDK record (`isSpanContextValid`); `traceFlags` is the low 8 bits of `flags`.
 * - `severityNumber` may be a value name (`"SEVERITY_NUMBER_WARN"`, as proto3 JSON encoders write
 *   it); an unknown name is an error, as in the Collector. 0 (UNSPECIFIED) is undefined; other
 *   integers are kept (proto3 enums are open).
 * - `severityText`, `eventName` and the scope version are undefined when empty.
 * - Every record has every key (undefined when absent), so property reads on records stay
 *   monomorphic in the mapper; `resource` and `instrumentationScope` are always set and shared by
 *   the records of one ResourceLogs / ScopeLogs.
 * - Attribute maps and kvlist values are plain objects (`__proto__` kept as data); duplicate keys: the last wins.
 */
export function readOtlpJsonRequest(request: unknown, path = ''): LogRecordLike[] {
  return readRequest(request, rootOf(path));
}

/**
 * The requests in `text`, one array of records per request. Text that parses as one JSON value is
 * one request, or a JSON array of requests; otherwise it is JSON lines (the Collector file
 * exporter format): one request per non-blank line, and an error names its line.
 */
export function* readOtlpJsonText(text: string): Generator<LogRecordLike[], void, undefined> {
  const whole = parseWhole(text);
  if (whole !== undefined) {
    if (!Array.isArray(whole.value)) {
      yield readRequest(whole.value, rootOf());
      return;
    }
    const requests: readonly unknown[] = whole.value;
    for (let i = 0; i < requests.length; i++) {
      yield readRequest(requests[i], rootOf(`[${i}]`));
    }
    return;
  }
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line += 1;
    const records = readOtlpJsonLine(text.slice(start, end), line);
    start = end + 1;
    if (records !== undefined) yield records;
  }
}

/**
 * One line of JSON lines input (the Collector file exporter writes one request per line), so a
 * caller can stream a large file; `line` (1-based) goes into error messages. Undefined for a
 * blank line.
 */
export function readOtlpJsonLine(source: string, line: number): LogRecordLike[] | undefined {
  if (BLANK.test(source)) return undefined;
  let value: unknown;
  try {
    value = parseJsonWithBigInts(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpJsonError(`not valid JSON (${reason})`, '', line, { cause: error });
  }
  return readRequest(value, rootOf('', line));
}

const BLANK = /^\s*$/;

function parseWhole(text: string): { value: unknown } | undefined {
  try {
    return { value: parseJsonWithBigInts(text) };
  } catch {
    return undefined;
  }
}

// ---- structure -------------------------------------------------------------------------------

const UNKNOWN_TIME: HrTimeLike = Object.freeze([0, 0] as const);

function readRequest(request: unknown, root: Root): LogRecordLike[] {
  const body = objectAt(request, root, 'an ExportLogsServiceRequest');
  const records: LogRecordLike[] = [];
  const resourceLogsKey = keyOf(body, root, 'resourceLogs', 'resource_logs');
  const resourceLogsWhere = at(root, resourceLogsKey);
  const resourceLogs = listAt(body[resourceLogsKey], resourceLogsWhere, 'ResourceLogs');
  for (let r = 0; r < resourceLogs.length; r++) {
    const where = at(resourceLogsWhere, r);
    const item = objectAt(resourceLogs[r], where, 'a ResourceLogs');
    const resource = readResource(item.resource, at(where, 'resource'));
    const scopeLogsKey = keyOf(item, where, 'scopeLogs', 'scope_logs');
    const scopeLogsWhere = at(where, scopeLogsKey);
    const scopeLogs = listAt(item[scopeLogsKey], scopeLogsWhere, 'ScopeLogs');
    for (let s = 0; s < scopeLogs.length; s++) {
      const scopeWhere = at(scopeLogsWhere, s);
      const scopeItem = objectAt(scopeLogs[s], scopeWhere, 'a ScopeLogs');
      const scope = readScope(scopeItem.scope, at(scopeWhere, 'scope'));
      const logRecordsKey = keyOf(scopeItem, scopeWhere, 'logRecords', 'log_records');
      const logRecordsWhere = at(scopeWhere, logRecordsKey);
      const logRecords = listAt(scopeItem[logRecordsKey], logRecordsWhere, 'LogRecords');
      for (let l = 0; l < logRecords.length; l++) {
        records.push(readLogRecord(logRecords[l], at(logRecordsWhere, l), resource, scope));
      }
    }
  }
  return records;
}

function readResource(value: unknown, where: Where): ResourceLike {
  if (value === undefined || value === null) return { attributes: {} };
  const resource = objectAt(value, where, 'a Resource');
  return { attributes: readKeyValues(resource.attributes, at(where, 'attributes'), 1) };
}

function readScope(value: unknown, where: Where): InstrumentationScopeLike {
  if (value === undefined || value === null) return { name: '', version: undefined };
  const scope = objectAt(value, where, 'an InstrumentationScope');
  return {
    name: optionalString(scope.name, at(where, 'name')) ?? '',
    version: optionalString(scope.version, at(where, 'version')),
  };
}

function readLogRecord(
  value: unknown,
  where: Where,
  resource: ResourceLike,
  instrumentationScope: InstrumentationScopeLike,
): LogRecordLike {
  const record = objectAt(value, where, 'a LogRecord');
  const timeKey = keyOf(record, where, 'timeUnixNano', 'time_unix_nano');
  const observedKey = keyOf(record, where, 'observedTimeUnixNano', 'observed_time_unix_nano');
  const severityTextKey = keyOf(record, where, 'severityText', 'severity_text');
  const eventNameKey = keyOf(record, where, 'eventName', 'event_name');
  const time = readUnixNano(record[timeKey], where, timeKey);
  const observed = readUnixNano(record[observedKey], where, observedKey);
  return {
    hrTime: time ?? observed ?? UNKNOWN_TIME,
    hrTimeObserved: observed,
    spanContext: readSpanContext(record, where),
    severityText: optionalString(record[severityTextKey], at(where, severityTextKey)),
    severityNumber: readSeverityNumber(record, where),
    body: readAnyValue(record.body, at(where, 'body'), 1),
    eventName: optionalString(record[eventNameKey], at(where, eventNameKey)),
    resource,
    instrumentationScope,
    attributes: readKeyValues(record.attributes, at(where, 'attributes'), 1),
  };
}

/** A string field; absent, null and empty are undefined. */
function optionalString(value: unknown, where: Where): string | undefined {
  const text = readString(value, where);
  return text === '' ? undefined : text;
}

// ---- scalars ---------------------------------------------------------------------------------

const NANOS_PER_SECOND = 1_000_000_000n;

/** A fixed64 nanosecond timestamp as HrTime; undefined when absent or 0. */
function readUnixNano(value: unknown, up: Where, key: string): HrTimeLike | undefined {
  const nanos = readUint64(value, at(up, key));
  if (nanos === undefined || nanos === 0 || nanos === 0n) return undefined;
  if (typeof nanos === 'bigint') return [Number(nanos / NANOS_PER_SECOND), Number(nanos % NANOS_PER_SECOND)];
  const rest = nanos % 1e9;
  return [(nanos - rest) / 1e9, rest];
}

/** The severity as a number; 0 (UNSPECIFIED) is undefined. */
function readSeverityNumber(record: JsonObject, up: Where): number | undefined {
  const key = keyOf(record, up, 'severityNumber', 'severity_number');
  const n = readSeverityField(record[key], at(up, key));
  return n === 0 ? undefined : n;
}

const ZERO_TRACE_ID = '00000000000000000000000000000000';
const ZERO_SPAN_ID = '0000000000000000';

function readSpanContext(record: JsonObject, where: Where): SpanContextLike | undefined {
  const traceIdKey = keyOf(record, where, 'traceId', 'trace_id');
  const spanIdKey = keyOf(record, where, 'spanId', 'span_id');
  const traceId = readTraceId(record[traceIdKey], at(where, traceIdKey));
  const spanId = readSpanId(record[spanIdKey], at(where, spanIdKey));
  const flags = readInteger(record.flags, at(where, 'flags'), 0, 4294967295) ?? 0;
  if (traceId === undefined || spanId === undefined || traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) {
    return undefined;
  }
  // Ids are compared and stored lower-case, as an OpenTelemetry SDK record holds them.
  return { traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase(), traceFlags: flags & 0xff };
}
