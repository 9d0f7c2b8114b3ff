// Decodes OTLP/JSON (application/json) ExportLogsServiceRequest bodies into message objects of the
// schema (schema.ts), which to-records.ts converts and protobufjs encodes for forwarding.
// Proto3 JSON rules: lowerCamelCase keys (or the proto field names), unknown fields ignored, null
// the same as absent; integers past 2^53 kept exact.
import { OtlpJsonError, otlpJsonReading as json } from '@otel-sentinel/mapping';

import { OtlpDecodeError, tooManyRecords } from './errors.js';
import { hexBytes, int64Bits, readText, requireText } from './json-values.js';
import type {
  AnyValueMessage,
  Int64Bits,
  InstrumentationScopeMessage,
  KeyValueMessage,
  LogRecordMessage,
  LogsRequestMessage,
  ResourceLogsMessage,
  ResourceMessage,
  ScopeLogsMessage,
} from './schema.js';

type JsonObject = json.JsonObject;
type Where = json.Where;

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const UINT32_MAX = 4294967295;

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
    value = json.parseJsonWithBigInts(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new OtlpDecodeError(`not valid JSON (${reason})`, '', { cause: error });
  }
  try {
    return new JsonRequestReader(maxDepth, maxRecords).request(value);
  } catch (error) {
    // The mapping package's readers name the place; the gateway's callers answer OtlpDecodeError.
    if (error instanceof OtlpJsonError)
      throw new OtlpDecodeError(error.problem, error.path, { cause: error });
    throw error;
  }
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
    const root = json.rootOf();
    const request = json.objectAt(value, root, 'an ExportLogsServiceRequest');
    const key = json.keyOf(request, root, 'resourceLogs', 'resource_logs');
    const where = json.at(root, key);
    const items = json.listAt(request[key], where, 'ResourceLogs');
    const resourceLogs = new Array<ResourceLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) resourceLogs[i] = this.resourceLogs(items[i], json.at(where, i));
    return { resourceLogs };
  }

  private resourceLogs(value: unknown, where: Where): ResourceLogsMessage {
    const item = json.objectAt(value, where, 'a ResourceLogs');
    const resourceWhere = json.at(where, 'resource');
    const resource = json.optionalObjectAt(item.resource, resourceWhere, 'a Resource');
    const scopeKey = json.keyOf(item, where, 'scopeLogs', 'scope_logs');
    const scopeWhere = json.at(where, scopeKey);
    const items = json.listAt(item[scopeKey], scopeWhere, 'ScopeLogs');
    const scopeLogs = new Array<ScopeLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) scopeLogs[i] = this.scopeLogs(items[i], json.at(scopeWhere, i));
    return {
      resource: resource === undefined ? undefined : this.resource(resource, resourceWhere),
      scopeLogs,
      schemaUrl: schemaUrl(item, where),
    };
  }

  private resource(resource: JsonObject, where: Where): ResourceMessage {
    return {
      attributes: this.keyValues(resource.attributes, json.at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(resource, where),
    };
  }

  private scopeLogs(value: unknown, where: Where): ScopeLogsMessage {
    const item = json.objectAt(value, where, 'a ScopeLogs');
    const scopeWhere = json.at(where, 'scope');
    const scope = json.optionalObjectAt(item.scope, scopeWhere, 'an InstrumentationScope');
    const recordsKey = json.keyOf(item, where, 'logRecords', 'log_records');
    const recordsWhere = json.at(where, recordsKey);
    const items = json.listAt(item[recordsKey], recordsWhere, 'LogRecords');
    this.records += items.length;
    if (this.records > this.maxRecords) throw tooManyRecords(this.maxRecords);
    const logRecords = new Array<LogRecordMessage>(items.length);
    for (let i = 0; i < items.length; i++) logRecords[i] = this.logRecord(items[i], json.at(recordsWhere, i));
    return {
      scope: scope === undefined ? undefined : this.scope(scope, scopeWhere),
      logRecords,
      schemaUrl: schemaUrl(item, where),
    };
  }

  private scope(scope: JsonObject, where: Where): InstrumentationScopeMessage {
    return {
      name: readText(scope.name, json.at(where, 'name')),
      version: readText(scope.version, json.at(where, 'version')),
      attributes: this.keyValues(scope.attributes, json.at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(scope, where),
    };
  }

  private logRecord(value: unknown, where: Where): LogRecordMessage {
    const record = json.objectAt(value, where, 'a LogRecord');
    const body = record.body;
    const time = json.keyOf(record, where, 'timeUnixNano', 'time_unix_nano');
    const observed = json.keyOf(record, where, 'observedTimeUnixNano', 'observed_time_unix_nano');
    const severity = json.keyOf(record, where, 'severityNumber', 'severity_number');
    const severityText = json.keyOf(record, where, 'severityText', 'severity_text');
    const traceId = json.keyOf(record, where, 'traceId', 'trace_id');
    const spanId = json.keyOf(record, where, 'spanId', 'span_id');
    const eventName = json.keyOf(record, where, 'eventName', 'event_name');
    return {
      timeUnixNano: fixed64(json.readUint64(record[time], json.at(where, time))),
      observedTimeUnixNano: fixed64(json.readUint64(record[observed], json.at(where, observed))),
      severityNumber: json.readSeverityNumber(record[severity], json.at(where, severity)),
      severityText: readText(record[severityText], json.at(where, severityText)),
      body: body === undefined || body === null ? undefined : this.anyValue(body, json.at(where, 'body'), 1),
      attributes: this.keyValues(record.attributes, json.at(where, 'attributes'), 1),
      droppedAttributesCount: droppedAttributesCount(record, where),
      flags: json.readInteger(record.flags, json.at(where, 'flags'), 0, UINT32_MAX),
      traceId: hexBytes(json.readTraceId(record[traceId], json.at(where, traceId))),
      spanId: hexBytes(json.readSpanId(record[spanId], json.at(where, spanId))),
      eventName: readText(record[eventName], json.at(where, eventName)),
    };
  }

  /** KeyValues whose values sit at `depth`. */
  private keyValues(value: unknown, where: Where, depth: number): KeyValueMessage[] {
    const items = json.listAt(value, where, 'KeyValues');
    const out = new Array<KeyValueMessage>(items.length);
    for (let i = 0; i < items.length; i++) {
      const itemWhere = json.at(where, i);
      const keyValue = json.objectAt(items[i], itemWhere, 'a KeyValue');
      const key =
        keyValue.key === undefined || keyValue.key === null
          ? ''
          : requireText(keyValue.key, json.at(itemWhere, 'key'));
      const v = keyValue.value;
      out[i] =
        v === undefined || v === null
          ? { key }
          : { key, value: this.anyValue(v, json.at(itemWhere, 'value'), depth) };
    }
    return out;
  }

  /** An AnyValue at `depth` (1 for a body or attribute value); `{}` when no member of its oneof is set. */
  private anyValue(value: unknown, where: Where, depth: number): AnyValueMessage {
    const anyValue = json.objectAt(value, where, 'an AnyValue');
    if (depth > this.maxDepth) json.fail(where, `nesting deeper than ${this.maxDepth} levels`);
    const member = json.anyValueMember(anyValue, where);
    if (member === undefined) return {};
    const v = anyValue[member.key];
    const valueWhere = json.at(where, member.key);
    switch (member.field) {
      case 'stringValue':
        return { stringValue: requireText(v, valueWhere) };
      case 'boolValue':
        if (typeof v !== 'boolean') json.fail(valueWhere, `expected true or false, got ${json.describe(v)}`);
        return { boolValue: v };
      case 'intValue':
        return { intValue: int64Bits(json.readInt64(v, valueWhere)) };
      case 'doubleValue':
        return { doubleValue: json.readDouble(v, valueWhere) };
      case 'bytesValue':
        return { bytesValue: json.readBytes(v, valueWhere) };
      case 'arrayValue': {
        const array = json.objectAt(v, valueWhere, 'an ArrayValue');
        const valuesWhere = json.at(valueWhere, 'values');
        const items = json.listAt(array.values, valuesWhere, 'AnyValues');
        const values = new Array<AnyValueMessage>(items.length);
        for (let i = 0; i < items.length; i++) {
          const item = items[i];
          // A null element is an empty AnyValue, as the mapping's reader reads it (undefined).
          values[i] =
            item === undefined || item === null
              ? {}
              : this.anyValue(item, json.at(valuesWhere, i), depth + 1);
        }
        return { arrayValue: { values } };
      }
      default: {
        const kvlist = json.objectAt(v, valueWhere, 'a KeyValueList');
        return {
          kvlistValue: { values: this.keyValues(kvlist.values, json.at(valueWhere, 'values'), depth + 1) },
        };
      }
    }
  }
}

/** fixed64 as protobufjs's halves; undefined stays unset. */
function fixed64(n: number | bigint | undefined): Int64Bits | undefined {
  return n === undefined ? undefined : int64Bits(n);
}

function schemaUrl(item: JsonObject, where: Where): string | undefined {
  const key = json.keyOf(item, where, 'schemaUrl', 'schema_url');
  return readText(item[key], json.at(where, key));
}

function droppedAttributesCount(item: JsonObject, where: Where): number | undefined {
  const key = json.keyOf(item, where, 'droppedAttributesCount', 'dropped_attributes_count');
  return json.readInteger(item[key], json.at(where, key), 0, UINT32_MAX);
}
