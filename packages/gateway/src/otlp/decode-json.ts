// Decodes OTLP/JSON (application/json) ExportLogsServiceRequest bodies into message objects of the
// schema (schema.ts), which to-records.ts converts and protobufjs encodes for forwarding.
// Proto3 JSON rules: lowerCamelCase keys (or the proto field names), unknown fields ignored, null
// the same as absent; integers past 2^53 kept exact.
import { OtlpDecodeError, tooManyRecords } from './errors.js';
import { at, describe, fail, keyOf, listAt, objectAt, optionalObjectAt } from './json-path.js';
import type { JsonObject, Where } from './json-path.js';
import {
  readBytes,
  readDouble,
  readEnum,
  readInt64,
  readInteger,
  readSpanId,
  readString,
  readTraceId,
  readUint64,
  requireString,
} from './json-scalars.js';
import type {
  AnyValueMessage,
  InstrumentationScopeMessage,
  KeyValueMessage,
  LogRecordMessage,
  LogsRequestMessage,
  ResourceLogsMessage,
  ResourceMessage,
  ScopeLogsMessage,
} from './schema.js';
import { SEVERITY_NUMBERS } from './severity-numbers.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UINT32_MAX = 4294967295;
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

/** The request in a JSON body; anything that is not OTLP/JSON is an OtlpDecodeError naming where. */
export function readJsonRequest(body: Uint8Array, maxDepth: number, maxRecords: number): LogsRequestMessage {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch (error) {
    throw new OtlpDecodeError('invalid UTF-8 in the JSON text', '', { cause: error });
  }
  let value: unknown;
  try {
    value = LONG_NUMBER.test(text) ? parseWithSource(text, exactIntegers) : JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`not valid JSON (${reason})`, '', { cause: error });
  }
  return new JsonRequestReader(maxDepth, maxRecords).request(value);
}

class JsonRequestReader {
  private readonly maxDepth: number;
  private readonly maxRecords: number;
  private records = 0;

  constructor(maxDepth: number, maxRecords: number) {
    this.maxDepth = maxDepth;
    this.maxRecords = maxRecords;
  }

  request(value: unknown): LogsRequestMessage {
    const request = objectAt(value, undefined, 'an ExportLogsServiceRequest');
    const key = keyOf(request, undefined, 'resourceLogs', 'resource_logs');
    const where = at(undefined, key);
    const items = listAt(request[key], where, 'ResourceLogs');
    const resourceLogs = new Array<ResourceLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) resourceLogs[i] = this.resourceLogs(items[i], at(where, i));
    return { resourceLogs };
  }

  private resourceLogs(value: unknown, where: Where): ResourceLogsMessage {
    const item = objectAt(value, where, 'a ResourceLogs');
    const resourceWhere = at(where, 'resource');
    const resource = optionalObjectAt(item.resource, resourceWhere, 'a Resource');
    const scopeKey = keyOf(item, where, 'scopeLogs', 'scope_logs');
    const scopeWhere = at(where, scopeKey);
    const items = listAt(item[scopeKey], scopeWhere, 'ScopeLogs');
    const scopeLogs = new Array<ScopeLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) scopeLogs[i] = this.scopeLogs(items[i], at(scopeWhere, i));
    return {
      resource: resource === undefined ? undefined : this.resource(resource, resourceWhere),
      scopeLogs,
      schemaUrl: schemaUrl(item, where),
    };
  }

  private resource(resource: JsonObject, where: Where): ResourceMessage {
    return {
      attributes: this.keyValues(resource.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(resource, where),
    };
  }

  private scopeLogs(value: unknown, where: Where): ScopeLogsMessage {
    const item = objectAt(value, where, 'a ScopeLogs');
    const scopeWhere = at(where, 'scope');
    const scope = optionalObjectAt(item.scope, scopeWhere, 'an InstrumentationScope');
    const recordsKey = keyOf(item, where, 'logRecords', 'log_records');
    const recordsWhere = at(where, recordsKey);
    const items = listAt(item[recordsKey], recordsWhere, 'LogRecords');
    this.records += items.length;
    if (this.records > this.maxRecords) throw tooManyRecords(this.maxRecords);
    const logRecords = new Array<LogRecordMessage>(items.length);
    for (let i = 0; i < items.length; i++) logRecords[i] = this.logRecord(items[i], at(recordsWhere, i));
    return {
      scope: scope === undefined ? undefined : this.scope(scope, scopeWhere),
      logRecords,
      schemaUrl: schemaUrl(item, where),
    };
  }

  private scope(scope: JsonObject, where: Where): InstrumentationScopeMessage {
    return {
      name: readString(scope.name, at(where, 'name')),
      version: readString(scope.version, at(where, 'version')),
      attributes: this.keyValues(scope.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(scope, where),
    };
  }

  private logRecord(value: unknown, where: Where): LogRecordMessage {
    const record = objectAt(value, where, 'a LogRecord');
    const body = record.body;
    const time = keyOf(record, where, 'timeUnixNano', 'time_unix_nano');
    const observed = keyOf(record, where, 'observedTimeUnixNano', 'observed_time_unix_nano');
    const severity = keyOf(record, where, 'severityNumber', 'severity_number');
    const severityText = keyOf(record, where, 'severityText', 'severity_text');
    const traceId = keyOf(record, where, 'traceId', 'trace_id');
    const spanId = keyOf(record, where, 'spanId', 'span_id');
    const eventName = keyOf(record, where, 'eventName', 'event_name');
    return {
      timeUnixNano: readUint64(record[time], at(where, time)),
      observedTimeUnixNano: readUint64(record[observed], at(where, observed)),
      severityNumber: readEnum(record[severity], at(where, severity), SEVERITY_NUMBERS, 'SeverityNumber'),
      severityText: readString(record[severityText], at(where, severityText)),
      body: body === undefined || body === null ? undefined : this.anyValue(body, at(where, 'body'), 1),
      attributes: this.keyValues(record.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(record, where),
      flags: readInteger(record.flags, at(where, 'flags'), 0, UINT32_MAX),
      traceId: readTraceId(record[traceId], at(where, traceId)),
      spanId: readSpanId(record[spanId], at(where, spanId)),
      eventName: readString(record[eventName], at(where, eventName)),
    };
  }

  /** KeyValues whose values sit at `depth`. */
  private keyValues(value: unknown, where: Where, depth: number): KeyValueMessage[] {
    const items = listAt(value, where, 'KeyValues');
    const out = new Array<KeyValueMessage>(items.length);
    for (let i = 0; i < items.length; i++) {
      const itemWhere = at(where, i);
      const keyValue = objectAt(items[i], itemWhere, 'a KeyValue');
      const key =
        keyValue.key === undefined || keyValue.key === null
          ? ''
          : requireString(keyValue.key, at(itemWhere, 'key'));
      const v = keyValue.value;
      out[i] =
        v === undefined || v === null
          ? { key }
          : { key, value: this.anyValue(v, at(itemWhere, 'value'), depth) };
    }
    return out;
  }

  /** An AnyValue at `depth` (1 for a body or attribute value); `{}` when no member of its oneof is set. */
  private anyValue(value: unknown, where: Where, depth: number): AnyValueMessage {
    const anyValue = objectAt(value, where, 'an AnyValue');
    if (depth > this.maxDepth) fail(where, `nesting deeper than ${this.maxDepth} levels`);
    let field: AnyValueField | undefined;
    let key = '';
    for (let i = 0; i < ANY_VALUE_KEYS.length; i++) {
      const name = ANY_VALUE_KEYS[i] as string;
      const member = anyValue[name];
      if (member === undefined || member === null) continue;
      if (field !== undefined) fail(where, `sets both ${key} and ${name}; an AnyValue holds one value`);
      field = ANY_VALUE_FIELDS[i >> 1];
      key = name;
    }
    if (field === undefined) return {};
    const v = anyValue[key];
    const valueWhere = at(where, key);
    switch (field) {
      case 'stringValue':
        return { stringValue: requireString(v, valueWhere) };
      case 'boolValue':
        if (typeof v !== 'boolean') fail(valueWhere, `expected true or false, got ${describe(v)}`);
        return { boolValue: v };
      case 'intValue':
        return { intValue: readInt64(v, valueWhere) };
      case 'doubleValue':
        return { doubleValue: readDouble(v, valueWhere) };
      case 'bytesValue':
        return { bytesValue: readBytes(v, valueWhere) };
      case 'arrayValue': {
        const array = objectAt(v, valueWhere, 'an ArrayValue');
        const valuesWhere = at(valueWhere, 'values');
        const items = listAt(array.values, valuesWhere, 'AnyValues');
        const values = new Array<AnyValueMessage>(items.length);
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          // A null element is an empty AnyValue, as the mapping's reader reads it (undefined).
          values[i] =
            item === undefined || item === null ? {} : this.anyValue(item, at(valuesWhere, i), depth + 1);
        }
        return { arrayValue: { values } };
      }
      default: {
        const kvlist = objectAt(v, valueWhere, 'a KeyValueList');
        return {
          kvlistValue: { values: this.keyValues(kvlist.values, at(valueWhere, 'values'), depth + 1) },
        };
      }
    }
  }
}

const ANY_VALUE_FIELDS = [
  'stringValue',
  'boolValue',
  'intValue',
  'doubleValue',
  'arrayValue',
  'kvlistValue',
  'bytesValue',
] as const;
type AnyValueField = (typeof ANY_VALUE_FIELDS)[number];

/** Each member's JSON name, then its proto field name: member i has keys 2i and 2i + 1. */
const ANY_VALUE_KEYS: readonly string[] = ANY_VALUE_FIELDS.flatMap((name) => [
  name,
  name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
]);

function schemaUrl(item: JsonObject, where: Where): string | undefined {
  const key = keyOf(item, where, 'schemaUrl', 'schema_url');
  return readString(item[key], at(where, key));
}

function droppedAttributesCount(item: JsonObject, where: Where): number | undefined {
  const key = keyOf(item, where, 'droppedAttributesCount', 'dropped_attributes_count');
  return readInteger(item[key], at(where, key), 0, UINT32_MAX);
}
