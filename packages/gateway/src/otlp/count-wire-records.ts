// Counts the LogRecords of a binary request from its framing alone, so a flood of tiny records is
// refused before any is built.
import { tagOf, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_VARINT } from './wire-fields.js';

// Field numbers on the path request → ResourceLogs → ScopeLogs → LogRecord.
const RESOURCE_LOGS = tagOf('ExportLogsServiceRequest', 'resourceLogs', 'repeated ResourceLogs') >>> 3;
const SCOPE_LOGS = tagOf('ResourceLogs', 'scopeLogs', 'repeated ScopeLogs') >>> 3;
const LOG_RECORDS = tagOf('ScopeLogs', 'logRecords', 'repeated LogRecord') >>> 3;

/**
 * The number of LogRecords in the request, or a number past `limit` as soon as it is passed. Only
 * the three levels of framing above the records are read. Malformed framing ends the count early:
 * the decoder then reports the problem, and counts the records again as it reads them.
 */
export function countLogRecords(buffer: Uint8Array, limit: number): number {
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
