// Decodes binary OTLP (application/x-protobuf) ExportLogsServiceRequest bodies straight from the
// wire into the records the mapping reads, with protobufjs's Reader and no intermediate messages,
// noting where each record lies so that a subset can be forwarded byte for byte.
import { Buffer } from 'node:buffer';

import type { LogRecordLike, ResourceLike } from '@otel-sentinel/mapping';
import protobuf from 'protobufjs';

import { countLogRecords } from './count-wire-records.js';
import { OtlpDecodeError, tooManyRecords } from './errors.js';
import { ValueReader } from './protobuf-values.js';
import type { Attributes } from './protobuf-values.js';
import { readLogRecord } from './protobuf-log-record.js';
import type { InstrumentationScope } from './protobuf-log-record.js';
import { Cursor, RESOURCE_ATTRIBUTES, SCOPE_ATTRIBUTES } from './record-cursor.js';
import type { DecodedLogs } from './types.js';
import { tagOf, tagTable } from './wire-fields.js';
import { RequestLayout } from './wire-layout.js';
import type { ResourceLayout } from './wire-layout.js';
import { enterMessage, MAX_MESSAGE_DEPTH } from './wire-reading.js';

// The codes of the fields read, per message, and their tags from the schema. Fields not listed,
// and listed ones sent with another wire type, are skipped (and forwarded by `subset`).
const RESOURCE_LOGS = tagOf('ExportLogsServiceRequest', 'resourceLogs', 'repeated ResourceLogs');

const CHILDREN = 1;
const HEAD = 2;
const SCHEMA_URL = 3;
const RESOURCE_LOGS_FIELDS = tagTable('ResourceLogs', {
  scopeLogs: [CHILDREN, 'repeated ScopeLogs'],
  resource: [HEAD, 'Resource'],
  schemaUrl: [SCHEMA_URL, 'string'],
});
const SCOPE_LOGS_FIELDS = tagTable('ScopeLogs', {
  logRecords: [CHILDREN, 'repeated LogRecord'],
  scope: [HEAD, 'InstrumentationScope'],
  schemaUrl: [SCHEMA_URL, 'string'],
});

const ATTRIBUTE = 1;
const DROPPED = 2;
const NAME = 3;
const VERSION = 4;
const RESOURCE_FIELDS = tagTable('Resource', {
  attributes: [ATTRIBUTE, 'repeated KeyValue'],
  droppedAttributesCount: [DROPPED, 'uint32'],
});
const SCOPE_FIELDS = tagTable('InstrumentationScope', {
  attributes: [ATTRIBUTE, 'repeated KeyValue'],
  droppedAttributesCount: [DROPPED, 'uint32'],
  name: [NAME, 'string'],
  version: [VERSION, 'string'],
});

// Message depths as protobufjs counts them, the request at 0, for the same nesting limit.
const RESOURCE_LOGS_DEPTH = 1;
const RESOURCE_DEPTH = 2;
const SCOPE_LOGS_DEPTH = 2;
const SCOPE_DEPTH = 3;

/**
 * Decodes one binary request. Strings are checked to be UTF-8 (invalid UTF-8 is an error, never
 * U+FFFD). Unknown fields are skipped, and so is a known field sent with an unexpected wire type,
 * as protobufjs does. A singular field sent twice keeps its last value, and a singular message
 * field sent twice is merged, as protobuf parsing requires.
 */
export function decodeProtobufRequest(body: Uint8Array, maxDepth: number, maxRecords: number): DecodedLogs {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Counted on the wire first, so a flood of tiny records is refused before any is built.
  if (countLogRecords(buffer, maxRecords) > maxRecords) throw tooManyRecords(maxRecords);
  const reader = protobuf.Reader.create(buffer);
  const request = new RequestReader(reader, buffer, maxDepth, maxRecords);
  try {
    request.read();
  } catch (error) {
    throw decodeError(error, reader.pos);
  }
  // A bad value is reported only once the whole body is known to be well-formed protobuf.
  request.cursor.throwProblem();
  return new DecodedProtobuf(request.records, buffer, request.layout);
}

class DecodedProtobuf implements DecodedLogs {
  readonly records: readonly LogRecordLike[];
  private readonly body: Buffer;
  private readonly layout: RequestLayout;

  constructor(records: readonly LogRecordLike[], body: Buffer, layout: RequestLayout) {
    this.records = records;
    this.body = body;
    this.layout = layout;
  }

  subset(keep: (index: number) => boolean): Uint8Array | undefined {
    return this.layout.subset(this.body, keep);
  }
}

class RequestReader {
  readonly records: LogRecordLike[] = [];
  readonly layout = new RequestLayout();
  readonly cursor: Cursor;
  private readonly reader: protobuf.Reader;
  private readonly values: ValueReader;
  private readonly maxRecords: number;

  constructor(reader: protobuf.Reader, body: Buffer, maxDepth: number, maxRecords: number) {
    this.reader = reader;
    this.cursor = new Cursor(maxDepth);
    this.values = new ValueReader(reader, body, this.cursor);
    this.maxRecords = maxRecords;
  }

  read(): void {
    const reader = this.reader;
    let resources = 0;
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const tag = reader.tag();
      if (tag === RESOURCE_LOGS) {
        this.cursor.resource = resources++;
        this.resourceLogs();
      } else {
        reader.skipType(tag & 7, 0, tag >>> 3);
        this.layout.fields.push(start, reader.pos);
      }
    }
  }

  private resourceLogs(): void {
    const reader = this.reader;
    const outer = enterMessage(reader);
    const layout = this.layout.addResource();
    // Filled in when the Resource comes, which may be after its ScopeLogs.
    const attributes: Attributes = {};
    const resource: ResourceLike = { attributes };
    let scopes = 0;
    let items = 0;
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const tag = reader.tag();
      switch (tag < RESOURCE_LOGS_FIELDS.length ? RESOURCE_LOGS_FIELDS[tag] : 0) {
        case CHILDREN:
          this.cursor.scope = scopes++;
          this.scopeLogs(resource, layout);
          continue;
        case HEAD:
          items = this.resource(attributes, items);
          break;
        case SCHEMA_URL:
          this.values.string();
          break;
        default:
          reader.skipType(tag & 7, RESOURCE_LOGS_DEPTH, tag >>> 3);
      }
      layout.fields.push(start, reader.pos);
    }
    reader.len = outer;
  }

  /** A Resource message, its attributes set on `attributes`; returns the count of attributes read so far. */
  private resource(attributes: Attributes, items: number): number {
    const reader = this.reader;
    const cursor = this.cursor;
    const outer = enterMessage(reader);
    let item = items;
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      switch (tag < RESOURCE_FIELDS.length ? RESOURCE_FIELDS[tag] : 0) {
        case ATTRIBUTE:
          cursor.field = RESOURCE_ATTRIBUTES;
          cursor.item = item++;
          this.values.keyValue(attributes, RESOURCE_DEPTH + 1, 1);
          break;
        case DROPPED:
          reader.uint32();
          break;
        default:
          reader.skipType(tag & 7, RESOURCE_DEPTH, tag >>> 3);
      }
    }
    reader.len = outer;
    return item;
  }

  private scopeLogs(resource: ResourceLike, resourceLayout: ResourceLayout): void {
    const reader = this.reader;
    const outer = enterMessage(reader);
    const layout = this.layout.addScope(resourceLayout);
    // Filled in when the InstrumentationScope comes, which may be after the records.
    const scope: InstrumentationScope = { name: '', version: undefined };
    let records = 0;
    let items = 0;
    while (reader.pos < reader.len) {
      const start = reader.pos;
      const tag = reader.tag();
      switch (tag < SCOPE_LOGS_FIELDS.length ? SCOPE_LOGS_FIELDS[tag] : 0) {
        case CHILDREN: {
          if (this.records.length >= this.maxRecords) throw tooManyRecords(this.maxRecords);
          this.cursor.record = records++;
          const outer = enterMessage(reader);
          const recordStart = reader.pos;
          this.records.push(readLogRecord(reader, this.values, this.cursor, resource, scope));
          this.layout.addRecord(layout, recordStart, reader.pos);
          reader.len = outer;
          continue;
        }
        case HEAD:
          items = this.scope(scope, items);
          break;
        case SCHEMA_URL:
          this.values.string();
          break;
        default:
          reader.skipType(tag & 7, SCOPE_LOGS_DEPTH, tag >>> 3);
      }
      layout.fields.push(start, reader.pos);
    }
    reader.len = outer;
  }

  /** An InstrumentationScope message into `scope`; returns the count of attributes read so far. */
  private scope(scope: InstrumentationScope, items: number): number {
    const reader = this.reader;
    const cursor = this.cursor;
    const outer = enterMessage(reader);
    let item = items;
    while (reader.pos < reader.len) {
      const tag = reader.tag();
      switch (tag < SCOPE_FIELDS.length ? SCOPE_FIELDS[tag] : 0) {
        case NAME:
          scope.name = this.values.string();
          break;
        case VERSION:
          scope.version = this.values.string() || undefined;
          break;
        case ATTRIBUTE:
          // The mapping does not read scope attributes, but they are forwarded, so they are checked.
          cursor.field = SCOPE_ATTRIBUTES;
          cursor.item = item++;
          this.values.keyValue({}, SCOPE_DEPTH + 1, 1);
          break;
        case DROPPED:
          reader.uint32();
          break;
        default:
          reader.skipType(tag & 7, SCOPE_DEPTH, tag >>> 3);
      }
    }
    reader.len = outer;
    return item;
  }
}

const UTF8_ERROR = 'ERR_ENCODING_INVALID_ENCODED_DATA';

/** What protobufjs's Reader (or TextDecoder) threw, as an OtlpDecodeError. */
function decodeError(error: unknown, offset: number): OtlpDecodeError {
  if (error instanceof OtlpDecodeError) return error;
  if (!(error instanceof Error)) return new OtlpDecodeError('not a valid protobuf ExportLogsServiceRequest');
  const options = { cause: error };
  if ((error as NodeJS.ErrnoException).code === UTF8_ERROR) {
    return new OtlpDecodeError(`invalid UTF-8 in a string field (before byte ${offset})`, '', options);
  }
  if (error instanceof RangeError && error.message.startsWith('index out of range')) {
    return new OtlpDecodeError(`truncated message (${error.message})`, '', options);
  }
  if (error.message === 'max depth exceeded') {
    // Unknown groups nested past the limit, which protobufjs's skipType refuses.
    return new OtlpDecodeError(
      `nesting too deep (more than ${MAX_MESSAGE_DEPTH} nested messages)`,
      '',
      options,
    );
  }
  if (error instanceof RangeError && error.message.includes('call stack')) {
    return new OtlpDecodeError(`nesting too deep (${error.message})`, '', options);
  }
  return new OtlpDecodeError(`not a valid protobuf ExportLogsServiceRequest (${error.message})`, '', options);
}
