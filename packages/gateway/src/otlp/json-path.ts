// Where the OTLP/JSON decoder is in a request, and the shape checks that throw OtlpDecodeError
// naming that place (`resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano`).
import { OtlpDecodeError } from './errors.js';

/** A position as a linked list up to the root (undefined), so the path string is built only on error. */
export interface Where {
  readonly up: Where | undefined;
  readonly key: string | number;
}

export function at(up: Where | undefined, key: string | number): Where {
  return { up, key };
}

export function fail(where: Where | undefined, problem: string): never {
  const keys: (string | number)[] = [];
  for (let node = where; node !== undefined; node = node.up) keys.push(node.key);
  let path = '';
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i] ?? '';
    if (typeof key === 'number') path += `[${key}]`;
    else path += path === '' ? key : `.${key}`;
  }
  throw new OtlpDecodeError(problem, path);
}

export function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    default:
      return typeof value;
  }
}

export type JsonObject = Readonly<Record<string, unknown>>;

const NO_ITEMS: readonly unknown[] = [];

export function objectAt(value: unknown, where: Where | undefined, what: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, `expected ${what} object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

/** A message field: absent or null is unset. */
export function optionalObjectAt(value: unknown, where: Where, what: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : objectAt(value, where, what);
}

/** A repeated field: absent or null is empty. */
export function listAt(value: unknown, where: Where, what: string): readonly unknown[] {
  if (value === undefined || value === null) return NO_ITEMS;
  if (!Array.isArray(value)) fail(where, `expected an array of ${what}, got ${describe(value)}`);
  return value;
}

/**
 * The key a field was sent under: its lowerCamelCase JSON name, or its proto field name
 * (snake_case), which the Collector's OTLP/JSON decoder and proto3 JSON parsers also accept. A
 * message that sets both (null counts as unset) is an error, as in protobuf's own JSON parsers.
 */
export function keyOf(object: JsonObject, where: Where | undefined, json: string, proto: string): string {
  const other = object[proto];
  if (other === undefined || other === null) return json;
  const value = object[json];
  if (value !== undefined && value !== null)
    fail(where, `sets both ${json} and ${proto}, which name one field`);
  return proto;
}
