// Decodes binary OTLP (application/x-protobuf) ExportLogsServiceRequest bodies with protobufjs,
// turning every way the bytes can be wrong into an OtlpDecodeError.
import { Buffer } from 'node:buffer';

import protobuf from 'protobufjs';

import { OtlpDecodeError, tooManyRecords } from './errors.js';
import { ExportLogsServiceRequest } from './schema.js';
import type { LogsRequestMessage } from './schema.js';

/**
 * The decoded request. Strings are checked to be UTF-8: the schema is proto3, for which protobufjs
 * decodes strings with a fatal TextDecoder (its own ASCII fast path first), so invalid UTF-8 throws
 * rather than becoming U+FFFD. Unknown fields are skipped, and so is a known field sent with an
 * unexpected wire type (protobufjs treats it as unknown). protobufjs refuses messages nested more
 * than 100 deep, so decoding cannot exhaust the stack.
 */
export function readProtobufRequest(body: Uint8Array, maxRecords: number): LogsRequestMessage {
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // Counted on the wire first, so a flood of tiny records is refused before any is allocated.
  if (countLogRecords(buffer, maxRecords) > maxRecords) throw tooManyRecords(maxRecords);
  const reader = protobuf.Reader.create(buffer);
  try {
    return ExportLogsServiceRequest.decode(reader) as unknown as LogsRequestMessage;
  } catch (error) {
    throw decodeError(error, reader.pos);
  }
}

const UTF8_ERROR = 'ERR_ENCODING_INVALID_ENCODED_DATA';

function decodeError(error: unknown, offset: number): OtlpDecodeError {
  if (!(error instanceof Error)) return new OtlpDecodeError('not a valid protobuf ExportLogsServiceRequest');
  const options = { cause: error };
  if ((error as NodeJS.ErrnoException).code === UTF8_ERROR) {
    return new OtlpDecodeError(`invalid UTF-8 in a string field (before byte ${offset})`, '', options);
  }
  if (error instanceof RangeError && error.message.startsWith('index out of range')) {
    return new OtlpDecodeError(`truncated message (${error.message})`, '', options);
  }
  if (
    error.message === 'max depth exceeded' ||
    (error instanceof RangeError && error.message.includes('call stack'))
  ) {
    // protobufjs's own limit of 100 nested messages, or the stack running out before it.
    return new OtlpDecodeError(`nesting too deep (${error.message})`, '', options);
  }
  return new OtlpDecodeError(`not a valid protobuf ExportLogsServiceRequest (${error.message})`, '', options);
}

// ---- counting records on the wire ------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;
// Field numbers on the path request → ResourceLogs → ScopeLogs → LogRecord.
const RESOURCE_LOGS = 1;
const SCOPE_LOGS = 2;
const LOG_RECORDS = 2;

/**
 * The number of LogRecords in the request, or a number past `limit` as soon as it is passed. Only
 * the three levels of framing above the records are read. Malformed framing ends the count early:
 * the decoder then reports the problem, and the records are counted again after decoding.
 */
function countLogRecords(buffer: Uint8Array, limit: number): number {
  const scan = new Scan(buffer);
  let count = 0;
  while (scan.pos < buffer.length) {
    const length = scan.lengthOf(RESOURCE_LOGS, buffer.length);
    if (length === MALFORMED) return count;
    if (length === OTHER_FIELD) continue;
    const resourceEnd = scan.pos + length;
    while (scan.pos < resourceEnd) {
      const scopeLength = scan.lengthOf(SCOPE_LOGS, resourceEnd);
      if (scopeLength === MALFORMED) return count;
      if (scopeLength === OTHER_FIELD) continue;
      const scopeEnd = scan.pos + scopeLength;
      while (scan.pos < scopeEnd) {
        const recordLength = scan.lengthOf(LOG_RECORDS, scopeEnd);
        if (recordLength === MALFORMED) return count;
        if (recordLength === OTHER_FIELD) continue;
        scan.pos += recordLength;
        if (++count > limit) return count;
      }
    }
  }
  return count;
}

const MALFORMED = -1;
const OTHER_FIELD = -2;

class Scan {
  pos = 0;
  private readonly buffer: Uint8Array;

  constructor(buffer: Uint8Array) {
    this.buffer = buffer;
  }

  /**
   * Reads one field ending at or before `end`: for field `wanted` sent length-delimited, returns
   * its length with `pos` at its content; any other field is skipped (OTHER_FIELD).
   */
  lengthOf(wanted: number, end: number): number {
    const tag = this.varint(end);
    if (tag < 0) return MALFORMED;
    const wireType = tag % 8;
    let skip: number;
    switch (wireType) {
      case WIRE_VARINT:
        return this.varint(end) < 0 ? MALFORMED : OTHER_FIELD;
      case WIRE_FIXED64:
        skip = 8;
        break;
      case WIRE_FIXED32:
        skip = 4;
        break;
      case WIRE_LENGTH_DELIMITED: {
        const length = this.varint(end);
        if (length < 0 || length > end - this.pos) return MALFORMED;
        if ((tag - wireType) / 8 === wanted) return length;
        skip = length;
        break;
      }
      default:
        // Groups are long obsolete; leave them to the decoder.
        return MALFORMED;
    }
    if (skip > end - this.pos) return MALFORMED;
    this.pos += skip;
    return OTHER_FIELD;
  }

  /** A varint as a number (exact up to 2^53, plenty for tags and lengths), or MALFORMED. */
  private varint(end: number): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10 && this.pos < end; i++) {
      const byte = this.buffer[this.pos++] ?? 0;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    return MALFORMED;
  }
}
