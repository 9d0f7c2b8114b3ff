// Decodes OTLP/JSON (application/json) ExportLogsServiceRequest bodies into message objects of the
// schema (schema.ts), which to-records.ts converts and protobufjs encodes for forwarding.
// Proto3 JSON rules: lowerCamelCase keys, unknown fields ignored, null the same as absent.
import { OtlpDecodeError, tooManyRecords } from './errors.js';
import { at, describe, fail, listAt, objectAt, optionalObjectAt } from './json-path.js';
import type { JsonObject, Where } from './json-path.js';
import {
  readBytes,
  readDouble,
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

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
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
    value = JSON.parse(text);
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
    const where = at(undefined, 'resourceLogs');
    const items = listAt(request.resourceLogs, where, 'ResourceLogs');
    const resourceLogs = new Array<ResourceLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) resourceLogs[i] = this.resourceLogs(items[i], at(where, i));
    return { resourceLogs };
  }

  private resourceLogs(value: unknown, where: Where): ResourceLogsMessage {
    const item = objectAt(value, where, 'a ResourceLogs');
    const resourceWhere = at(where, 'resource');
    const resource = optionalObjectAt(item.resource, resourceWhere, 'a Resource');
    const scopeWhere = at(where, 'scopeLogs');
    const items = listAt(item.scopeLogs, scopeWhere, 'ScopeLogs');
    const scopeLogs = new Array<ScopeLogsMessage>(items.length);
    for (let i = 0; i < items.length; i++) scopeLogs[i] = this.scopeLogs(items[i], at(scopeWhere, i));
    return {
      resource: resource === undefined ? undefined : this.resource(resource, resourceWhere),
      scopeLogs,
      schemaUrl: readString(item.schemaUrl, at(where, 'schemaUrl')),
    };
  }

  private resource(resource: JsonObject, where: Where): ResourceMessage {
    return {
      attributes: this.keyValues(resource.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: readInteger(
        resource.droppedAttributesCount,
        at(where, 'droppedAttributesCount'),
        0,
        UINT32_MAX,
      ),
    };
  }

  private scopeLogs(value: unknown, where: Where): ScopeLogsMessage {
    const item = objectAt(value, where, 'a ScopeLogs');
    const scopeWhere = at(where, 'scope');
    const scope = optionalObjectAt(item.scope, scopeWhere, 'an InstrumentationScope');
    const recordsWhere = at(where, 'logRecords');
    const items = listAt(item.logRecords, recordsWhere, 'LogRecords');
    this.records += items.length;
    if (this.records > this.maxRecords) throw tooManyRecords(this.maxRecords);
    const logRecords = new Array<LogRecordMessage>(items.length);
    for (let i = 0; i < items.length; i++) logRecords[i] = this.logRecord(items[i], at(recordsWhere, i));
    return {
      scope: scope === undefined ? undefined : this.scope(scope, scopeWhere),
      logRecords,
      schemaUrl: readString(item.schemaUrl, at(where, 'schemaUrl')),
    };
  }

  private scope(scope: JsonObject, where: Where): InstrumentationScopeMessage {
    return {
      name: readString(scope.name, at(where, 'name')),
      version: readString(scope.version, at(where, 'version')),
      attributes: this.keyValues(scope.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: readInteger(
        scope.droppedAttributesCount,
        at(where, 'droppedAttributesCount'),
        0,
        UINT32_MAX,
      ),
    };
  }

  private logRecord(value: unknown, where: Where): LogRecordMessage {
    const record = objectAt(value, where, 'a LogRecord');
    const body = record.body;
    return {
      timeUnixNano: readUint64(record.timeUnixNano, at(where, 'timeUnixNano')),
      observedTimeUnixNano: readUint64(record.observedTimeUnixNano, at(where, 'observedTimeUnixNano')),
      severityNumber: readInteger(record.severityNumber, at(where, 'severityNumber'), INT32_MIN, INT32_MAX),
      severityText: readString(record.severityText, at(where, 'severityText')),
      body: body === undefined || body === null ? undefined : this.anyValue(body, at(where, 'body'), 1),
      attributes: this.keyValues(record.attributes, at(where, 'attributes'), 1),
      droppedAttributesCount: readInteger(
        record.droppedAttributesCount,
        at(where, 'droppedAttributesCount'),
        0,
        UINT32_MAX,
      ),
      flags: readInteger(record.flags, at(where, 'flags'), 0, UINT32_MAX),
      traceId: readTraceId(record.traceId, at(where, 'traceId')),
      spanId: readSpanId(record.spanId, at(where, 'spanId')),
      eventName: readString(record.eventName, at(where, 'eventName')),
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
    let field: string | undefined;
    for (const name of ANY_VALUE_FIELDS) {
      const member = anyValue[name];
      if (member === undefined || member === null) continue;
      if (field !== undefined) fail(where, `sets both ${field} and ${name}; an AnyValue holds one value`);
      field = name;
    }
    if (field === undefined) return {};
    const v = anyValue[field];
    const valueWhere = at(where, field);
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
