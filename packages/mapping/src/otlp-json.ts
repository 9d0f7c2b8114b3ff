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
import { readAnyValue, readKeyValues, SIGNED_DECIMAL } from './otlp-any-value.js';
import { at, describe, fail, keyOf, listAt, objectAt, OtlpJsonError } from './otlp-json-path.js';
import type { JsonObject, Root, Where } from './otlp-json-path.js';

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
  return readRequest(request, { up: undefined, key: path, line: undefined });
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
      yield readRequest(whole.value, { up: undefined, key: '', line: undefined });
      return;
    }
    const requests: readonly unknown[] = whole.value;
    for (let i = 0; i < requests.length; i++) {
      yield readRequest(requests[i], { up: undefined, key: `[${i}]`, line: undefined });
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
    value = exactJsonParse(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpJsonError(`not valid JSON (${reason})`, '', line, { cause: error });
  }
  return readRequest(value, { up: undefined, key: '', line });
}

const BLANK = /^\s*$/;

function parseWhole(text: string): { value: unknown } | undefined {
  try {
    return { value: exactJsonParse(text) };
  } catch {
    return undefined;
  }
}

// A JSON number of 16 digits or more: only an integer that long can be past 2^53, and only then
// is the slower parse that keeps it exact needed. A false positive (in a string) only costs time.
const LONG_NUMBER = /[:,[]\s*-?\d{16}/;
const INTEGER_TOKEN = /^-?\d+$/;

/** JSON.parse's reviver with the ES2025 source text context (Node 22+), which TypeScript lacks. */
type SourceReviver = (key: string, value: unknown, context?: { readonly source?: string }) => unknown;
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

/** Keeps a JSON integer past 2^53 exact, as a bigint: int64 and fixed64 fields may be sent so. */
const exactIntegers: SourceReviver = (_key, value, context) => {
  if (typeof value !== 'number' || Number.isSafeInteger(value)) return value;
  const source = context?.source;
  return source !== undefined && INTEGER_TOKEN.test(source) ? BigInt(source) : value;
};

/** JSON.parse, but an integer past 2^53 becomes the exact bigint its digits spell. */
function exactJsonParse(text: string): unknown {
  return LONG_NUMBER.test(text) ? parseWithSource(text, exactIntegers) : (JSON.parse(text) as unknown);
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
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') fail(where, `expected a string, got ${describe(value)}`);
  return value;
}

// ---- scalars ---------------------------------------------------------------------------------

const UNSIGNED_DECIMAL = /^\d+$/;
const UINT64_MAX = '18446744073709551615';
const UINT64_MAX_BIG = 18446744073709551615n;
const NANOS_PER_SECOND_BIG = 1_000_000_000n;

/**
 * A fixed64 nanosecond timestamp as HrTime; undefined when absent or 0. Decimal strings are split
 * by digits, so no value passes through a float of nanoseconds.
 */
function readUnixNano(value: unknown, up: Where, key: string): HrTimeLike | undefined {
  if (value === undefined || value === null) return undefined;
  let time: HrTimeLike;
  if (typeof value === 'bigint') {
    // A JSON number past 2^53, kept exact by the text readers.
    if (value < 0n || value > UINT64_MAX_BIG) {
      fail(at(up, key), `expected an integer from 0 to ${UINT64_MAX} (uint64), got ${value}`);
    }
    time = [Number(value / NANOS_PER_SECOND_BIG), Number(value % NANOS_PER_SECOND_BIG)];
  } else if (typeof value === 'string' && UNSIGNED_DECIMAL.test(value)) {
    let text = value;
    if (text.length > 20) text = text.replace(/^0+(?=\d)/, '');
    if (text.length > 20 || (text.length === 20 && text > UINT64_MAX)) {
      fail(at(up, key), `expected at most ${UINT64_MAX} (uint64), got ${describe(value)}`);
    }
    time = text.length <= 9 ? [0, Number(text)] : [Number(text.slice(0, -9)), Number(text.slice(-9))];
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) {
      fail(at(up, key), `expected a non-negative integer, got ${describe(value)}`);
    }
    if (Number.isSafeInteger(value)) {
      const nanos = value % 1e9;
      time = [(value - nanos) / 1e9, nanos];
    } else {
      // Past 2^53 the JSON number is taken as the exact integer the double holds.
      const big = BigInt(value);
      if (big > UINT64_MAX_BIG) fail(at(up, key), `expected at most ${UINT64_MAX} (uint64), got ${value}`);
      time = [Number(big / NANOS_PER_SECOND_BIG), Number(big % NANOS_PER_SECOND_BIG)];
    }
  } else {
    fail(at(up, key), `expected a decimal string or number, got ${describe(value)}`);
  }
  return time[0] === 0 && time[1] === 0 ? undefined : time;
}

/** An integer field that proto3 JSON may also send as a decimal string; undefined when absent. */
function readInteger(value: unknown, where: Where, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  let n: number;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'string' && SIGNED_DECIMAL.test(value)) n = Number(value);
  else if (typeof value === 'bigint') n = Number(value);
  else fail(where, `expected an integer, got ${describe(value)}`);
  if (n < min || n > max) fail(where, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
  return n;
}

/** The value names of the SeverityNumber enum, which proto3 JSON encoders write by default. */
const SEVERITY_NUMBERS: ReadonlyMap<string, number> = new Map([
  ['SEVERITY_NUMBER_UNSPECIFIED', 0],
  // Each level has four numbers, e.g. WARN = 13, WARN2 = 14, WARN3 = 15, WARN4 = 16.
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, i) =>
    [1, 2, 3, 4].map((step): [string, number] => [
      `SEVERITY_NUMBER_${level}${step === 1 ? '' : step}`,
      i * 4 + step,
    ]),
  ),
]);

/** An integer, a decimal string, or a value name; an unknown name is an error, as in the Collector. */
function readSeverityNumber(record: JsonObject, up: Where): number | undefined {
  const key = keyOf(record, up, 'severityNumber', 'severity_number');
  const value = record[key];
  let n: number | undefined;
  if (typeof value === 'string' && !SIGNED_DECIMAL.test(value)) {
    n = SEVERITY_NUMBERS.get(value);
    if (n === undefined) {
      fail(at(up, key), `expected an integer or a SeverityNumber name, got ${describe(value)}`);
    }
  } else {
    n = readInteger(value, at(up, key), -2147483648, 2147483647);
  }
  return n === 0 ? undefined : n;
}

const TRACE_ID = /^[0-9a-fA-F]{32}$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const ZERO_TRACE_ID = '00000000000000000000000000000000';
const ZERO_SPAN_ID = '0000000000000000';

function readSpanContext(record: JsonObject, where: Where): SpanContextLike | undefined {
  const traceIdKey = keyOf(record, where, 'traceId', 'trace_id');
  const spanIdKey = keyOf(record, where, 'spanId', 'span_id');
  const traceId = readHexId(record[traceIdKey], at(where, traceIdKey), TRACE_ID, 32);
  const spanId = readHexId(record[spanIdKey], at(where, spanIdKey), SPAN_ID, 16);
  const flags = readInteger(record.flags, at(where, 'flags'), 0, 4294967295) ?? 0;
  if (traceId === undefined || spanId === undefined || traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) {
    return undefined;
  }
  return { traceId, spanId, traceFlags: flags & 0xff };
}

/** A trace or span id: hex in any case (OTLP/JSON, not base64), returned lower-case. */
function readHexId(value: unknown, where: Where, pattern: RegExp, length: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) {
    fail(where, `expected ${length} hex digits, got ${describe(value)}`);
  }
  return value.toLowerCase();
}
