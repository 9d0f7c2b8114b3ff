// The reads the protobuf decoder adds to protobufjs's Reader: entering a length-delimited message
// (bounding the reader to it), a length-delimited field's byte range, and int64 varints without
// Long objects. Every way the bytes can run out is an OtlpDecodeError.
import type protobuf from 'protobufjs';

import { OtlpDecodeError } from './errors.js';
import { int64 } from './record-values.js';

/** Messages nested deeper than this are refused: the limit protoc and protobufjs share. */
export const MAX_MESSAGE_DEPTH = 100;

export function nestingTooDeep(): OtlpDecodeError {
  return new OtlpDecodeError(`nesting too deep (more than ${MAX_MESSAGE_DEPTH} nested messages)`);
}

export function truncated(reader: protobuf.Reader, length: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `truncated message (index out of range: ${reader.pos} + ${length} > ${reader.len})`,
  );
}

/**
 * Reads a length prefix and bounds `reader` to the message that follows: `reader.len` becomes its
 * end, so no read inside runs past it. Returns the bound to restore (`reader.len = outer`) after.
 */
export function enterMessage(reader: protobuf.Reader): number {
  const length = reader.size();
  const outer = reader.len;
  const end = reader.pos + length;
  if (end > outer) throw truncated(reader, length);
  reader.len = end;
  return outer;
}

/** Reads a length prefix and skips the bytes that follow: returns where they start, `reader.pos` is where they end. */
export function skipBytes(reader: protobuf.Reader): number {
  const length = reader.size();
  const start = reader.pos;
  if (start + length > reader.len) throw truncated(reader, length);
  reader.pos = start + length;
  return start;
}

/**
 * An int64 varint: a safe integer as a number, anything larger as a bigint. Read as two 32-bit
 * halves (protobufjs would build a Long); at most 10 bytes, as protobufjs allows.
 */
export function readInt64(reader: protobuf.Reader): number | bigint {
  const buf = reader.buf;
  const len = reader.len;
  let pos = reader.pos;
  let low = 0;
  // Bytes 0-3: bits 0-27 of the low half.
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= len) throw truncated(reader, 1);
    const byte = buf[pos++] ?? 0;
    low |= (byte & 0x7f) << shift;
    if (byte < 0x80) {
      reader.pos = pos;
      return low;
    }
  }
  // Byte 4: bits 28-31 of the low half, 0-2 of the high half.
  if (pos >= len) throw truncated(reader, 1);
  let byte = buf[pos++] ?? 0;
  low = (low | ((byte & 0x0f) << 28)) >>> 0;
  let high = (byte & 0x7f) >> 4;
  // Bytes 5-9: bits 3-31 of the high half (the excess of the last byte is dropped, as protobufjs does).
  for (let shift = 3; byte >= 0x80; shift += 7) {
    if (shift > 31)
      throw new OtlpDecodeError('not a valid protobuf ExportLogsServiceRequest (invalid varint encoding)');
    if (pos >= len) throw truncated(reader, 1);
    byte = buf[pos++] ?? 0;
    high |= (byte & 0x7f) << shift;
  }
  reader.pos = pos;
  return int64(low, high >>> 0);
}
