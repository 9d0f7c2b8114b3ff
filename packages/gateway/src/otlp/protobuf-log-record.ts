// Reads one LogRecord message straight from the wire into the LogRecordLike the mapping reads.
import type { AnyValueLike, LogRecordLike, ResourceLike } from '@otel-sentinel/mapping';
import type protobuf from 'protobufjs';

import type { Attributes, ValueReader } from './protobuf-values.js';
import { ATTRIBUTES, BODY } from './record-cursor.js';
import type { Cursor } from './record-cursor.js';
import { spanContextOf, unixNano } from './record-values.js';
import { tagTable } from './wire-fields.js';
import { skipBytes } from './wire-reading.js';

/** A record's instrumentation scope, filled in as its ScopeLogs is read. */
export interface InstrumentationScope {
  name: string;
  version: string | undefined;
}

const ATTRIBUTE = 1;
const DROPPED = 2;
const TIME = 3;
const OBSERVED_TIME = 4;
const SEVERITY_NUMBER = 5;
const SEVERITY_TEXT = 6;
const BODY_VALUE = 7;
const FLAGS = 8;
const TRACE = 9;
const SPAN = 10;
const EVENT_NAME = 11;
const LOG_RECORD_FIELDS = tagTable('LogRecord', {
  attributes: [ATTRIBUTE, 'repeated KeyValue'],
  droppedAttributesCount: [DROPPED, 'uint32'],
  timeUnixNano: [TIME, 'fixed64'],
  observedTimeUnixNano: [OBSERVED_TIME, 'fixed64'],
  severityNumber: [SEVERITY_NUMBER, 'int32'],
  severityText: [SEVERITY_TEXT, 'string'],
  body: [BODY_VALUE, 'AnyValue'],
  flags: [FLAGS, 'fixed32'],
  traceId: [TRACE, 'bytes'],
  spanId: [SPAN, 'bytes'],
  eventName: [EVENT_NAME, 'string'],
});

/** The depth of a LogRecord message, as protobufjs counts it (the request at 0). */
const LOG_RECORD_DEPTH = 3;

/**
 * The record whose fields `reader` holds up to `reader.len`, of `resource` and `scope` (shared by
 * the records of a group). Value problems are reported to `cursor`, which points at the record.
 */
// eslint-disable-next-line complexity, max-lines-per-function -- Long by design: one switch case per LogRecord field, run once per record on the hot path; split up, the fields would have to travel in an object built per record or in a dozen parameters.
export function readLogRecord(
  reader: protobuf.Reader,
  values: ValueReader,
  cursor: Cursor,
  resource: ResourceLike,
  scope: InstrumentationScope,
): LogRecordLike {
  let timeLow = 0;
  let timeHigh = 0;
  let observedLow = 0;
  let observedHigh = 0;
  let severityNumber = 0;
  let severityText = '';
  let body: AnyValueLike;
  const attributes: Attributes = {};
  let items = 0;
  let flags = 0;
  let traceStart = 0;
  let traceEnd = 0;
  let spanStart = 0;
  let spanEnd = 0;
  let eventName = '';
  while (reader.pos < reader.len) {
    const tag = reader.tag();
    switch (tag < LOG_RECORD_FIELDS.length ? LOG_RECORD_FIELDS[tag] : 0) {
      case ATTRIBUTE:
        cursor.field = ATTRIBUTES;
        cursor.item = items++;
        values.keyValue(attributes, LOG_RECORD_DEPTH + 1, 1);
        break;
      case TIME:
        timeLow = reader.fixed32();
        timeHigh = reader.fixed32();
        break;
      case OBSERVED_TIME:
        observedLow = reader.fixed32();
        observedHigh = reader.fixed32();
        break;
      case SEVERITY_NUMBER:
        severityNumber = reader.int32();
        break;
      case SEVERITY_TEXT:
        severityText = values.string();
        break;
      case BODY_VALUE:
        cursor.field = BODY;
        body = values.anyValue(LOG_RECORD_DEPTH + 1, 1, body);
        break;
      case FLAGS:
        flags = reader.fixed32();
        break;
      case TRACE:
        traceStart = skipBytes(reader);
        traceEnd = reader.pos;
        break;
      case SPAN:
        spanStart = skipBytes(reader);
        spanEnd = reader.pos;
        break;
      case EVENT_NAME:
        eventName = values.string();
        break;
      case DROPPED:
        reader.uint32();
        break;
      default:
        reader.skipType(tag & 7, LOG_RECORD_DEPTH, tag >>> 3);
    }
  }
  const time = unixNano(timeLow, timeHigh);
  const observed = unixNano(observedLow, observedHigh);
  const buf = reader.buf;
  return {
    hrTime: time ?? observed ?? cursor.now(),
    hrTimeObserved: observed,
    spanContext: spanContextOf(buf, traceStart, traceEnd, buf, spanStart, spanEnd, flags, cursor),
    severityText: severityText || undefined,
    severityNumber: severityNumber || undefined,
    body,
    eventName: eventName || undefined,
    resource,
    instrumentationScope: scope,
    attributes,
  };
}
