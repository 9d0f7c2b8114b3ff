// Raw protobuf wire pieces for the reader's tests: tags of any wire type, 64-bit varints and
// fixed-width values, and groups, which no encoder of ours writes.
import { concat, varint } from './requests.js';

export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const START_GROUP = 3;
export const END_GROUP = 4;
export const FIXED32 = 5;

export function tag(fieldNumber: number, wireType: number): number[] {
  return varint(fieldNumber * 8 + wireType);
}

/** A varint of the 64-bit two's complement of `value` (10 bytes when negative). */
export function varint64(value: bigint): number[] {
  let v = BigInt.asUintN(64, value);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function fixed64(value: bigint): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(BigInt.asUintN(64, value));
  return [...bytes];
}

export function fixed32(value: number): number[] {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return [...bytes];
}

export function double(value: number): number[] {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return [...bytes];
}

/** A group field: start tag, `content` (whole fields), end tag. */
export function group(fieldNumber: number, content: Uint8Array | readonly number[]): Uint8Array {
  return concat(tag(fieldNumber, START_GROUP), content, tag(fieldNumber, END_GROUP));
}

/** One field of `fieldNumber` of each wire type (groups included), for fields a reader must skip. */
export function fieldsOfEveryWireType(fieldNumber: number): Uint8Array {
  return concat(
    tag(fieldNumber, VARINT),
    varint64(-2n),
    tag(fieldNumber, FIXED64),
    fixed64(7n),
    tag(fieldNumber, LENGTH_DELIMITED),
    [3, 0xff, 0xfe, 0x80],
    tag(fieldNumber, FIXED32),
    fixed32(9),
    group(fieldNumber, concat(tag(1, VARINT), [1], group(2, tag(3, FIXED32).concat(fixed32(1))))),
  );
}
