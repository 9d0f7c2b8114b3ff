// The tags (field number × 8 + wire type) the protobuf reader dispatches on, looked up once in the
// loaded schema, so proto/logs.proto stays the one source of field numbers. A schema change the
// reader does not expect (a field renamed, retyped or made repeated) fails at start-up, not on a
// request.
import protobuf from 'protobufjs';

import { messageType } from './schema.js';

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/**
 * How the reader expects a field: a scalar type name (`fixed64`, `string`), a message type name
 * (`AnyValue`), either one prefixed with `repeated ` for a repeated field.
 */
type Expected = string;

/** The tag field `field` of `message` has on the wire, checked against what the reader expects. */
export function tagOf(message: string, field: string, expected: Expected): number {
  const type = messageType(message);
  const found = type.fields[field];
  if (found === undefined) throw new Error(`proto/logs.proto: ${message} has no field ${field}`);
  found.resolve();
  const repeated = expected.startsWith('repeated ');
  const name = repeated ? expected.slice('repeated '.length) : expected;
  const basic: Readonly<Record<string, number | undefined>> = protobuf.types.basic;
  const scalar = Object.hasOwn(basic, name);
  const actual = found.resolvedType === null ? found.type : found.resolvedType.name;
  if (actual !== name || found.repeated !== repeated || found.map || (repeated && scalar)) {
    // Repeated scalars may come packed or not; the reader reads neither, so it refuses them here.
    throw new Error(`proto/logs.proto: ${message}.${field} is not the ${expected} the protobuf reader reads`);
  }
  const wireType = scalar ? (basic[name] ?? WIRE_LENGTH_DELIMITED) : WIRE_LENGTH_DELIMITED;
  return found.id * 8 + wireType;
}

/**
 * A lookup table from tag to the reader's code for a field (`fields` maps field names to codes and
 * expected types); 0 for every other tag, including a known field sent with an unexpected wire
 * type, which the reader skips as protobufjs does.
 */
export function tagTable(
  message: string,
  fields: Readonly<Record<string, readonly [code: number, expected: Expected]>>,
): Uint8Array {
  const tags = Object.entries(fields).map(([field, [code, expected]]) => {
    if (code < 1 || code > 255) throw new RangeError(`field code ${code} of ${field} is not 1-255`);
    return [tagOf(message, field, expected), code] as const;
  });
  const table = new Uint8Array(Math.max(...tags.map(([tag]) => tag)) + 1);
  for (const [tag, code] of tags) table[tag] = code;
  return table;
}
