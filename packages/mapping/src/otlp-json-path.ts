// Where the reader is in an OTLP/JSON request, and the shape checks that throw `OtlpJsonError`
// naming that place (`resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano`).
import { OtelSentinelError } from './errors/otel-sentinel-error.js';

/** Thrown for a request that is not valid OTLP/JSON; `path` (and `line`, for JSON lines) say where. */
export class OtlpJsonError extends OtelSentinelError {
  declare readonly code: 'E_OTLP_JSON';
  /** Where in the request, e.g. `resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano`. */
  declare readonly path: string;
  /** 1-based line of the JSON-lines text; absent when the input was not read as JSON lines. */
  declare readonly line?: number;
  /** What is wrong, without the place (`expected an integer, got "x"`). */
  readonly problem: string;

  constructor(problem: string, path: string, line?: number, options?: ErrorOptions) {
    const at = `${line === undefined ? '' : `line ${line}: `}${path === '' ? '' : `${path}: `}`;
    super('E_OTLP_JSON', `${at}${problem}`, { ...options, path, line });
    this.problem = problem;
  }
}

/**
 * A position in the request as a linked list from the value up to the root, so the path string
 * is only built when an error is thrown. The root holds the caller's prefix and the line.
 */
export type Where = Root | { readonly up: Where; readonly key: string | number };

export interface Root {
  readonly up: undefined;
  readonly key: string;
  readonly line: number | undefined;
}

/** The top of a request: `prefix` starts every path (`[2]` for the third of an array); `line` is its JSON-lines line. */
export function rootOf(prefix = '', line?: number): Root {
  return { up: undefined, key: prefix, line };
}

export function at(up: Where, key: string | number): Where {
  return { up, key };
}

export function fail(where: Where, problem: string): never {
  const keys: (string | number)[] = [];
  let node: Where = where;
  while (node.up !== undefined) {
    keys.push(node.key);
    node = node.up;
  }
  let path = node.key;
  for (let i = keys.length - 1; i >= 0; i--) {
    const key = keys[i];
    if (typeof key === 'number') path += `[${key}]`;
    else if (key !== undefined) path += path === '' ? key : `.${key}`;
  }
  throw new OtlpJsonError(problem, path, node.line);
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

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: unknown, where: Where, what: string): JsonObject {
  if (!isObject(value)) fail(where, `expected ${what} object, got ${describe(value)}`);
  return value;
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
export function keyOf(object: JsonObject, where: Where, json: string, proto: string): string {
  const other = object[proto];
  if (other === undefined || other === null) return json;
  const value = object[json];
  if (value !== undefined && value !== null)
    fail(where, `sets both ${json} and ${proto}, which name one field`);
  return proto;
}
