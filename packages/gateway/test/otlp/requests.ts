// Builders of OTLP request bodies for the codec tests: protobuf from plain objects through our
// schema, JSON from values, and raw wire bytes for what no encoder would write.
import { ExportLogsServiceRequest } from '../../src/otlp/schema.js';

/** A protobuf body from a plain object in protobufjs field names (64-bit fields as decimal strings). */
export function protobufBody(request: Record<string, unknown>): Uint8Array {
  return ExportLogsServiceRequest.encode(ExportLogsServiceRequest.fromObject(request)).finish();
}

export function jsonBody(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A request of one ResourceLogs with one ScopeLogs holding `logRecords`. */
export function oneGroup(...logRecords: Record<string, unknown>[]): Record<string, unknown> {
  return { resourceLogs: [{ scopeLogs: [{ logRecords }] }] };
}

/** The request as a plain object again (64-bit fields as strings, bytes as base64), to compare structure. */
export function decodeToObject(body: Uint8Array): Record<string, unknown> {
  return ExportLogsServiceRequest.toObject(ExportLogsServiceRequest.decode(body), { longs: String });
}

// ---- raw wire bytes --------------------------------------------------------------------------

export function varint(value: number): number[] {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

/** A length-delimited field. */
export function field(number: number, content: Uint8Array | readonly number[]): Uint8Array {
  return Uint8Array.from([...varint(number * 8 + 2), ...varint(content.length), ...content]);
}

export function concat(...parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Request → ResourceLogs → ScopeLogs → one LogRecord with these raw field bytes. */
export function wrapRecord(record: Uint8Array): Uint8Array {
  return field(1, field(2, field(2, record)));
}

/**
 * A LogRecord body of `levels` AnyValues nested in one another through arrays (`kind` 'array')
 * or kvlists ('kvlist'); level 1 is the body itself and the innermost holds an int. Written
 * front to back from sizes computed inside out, so 100k levels cost linear time.
 */
export function nestedBodyRecord(levels: number, kind: 'array' | 'kvlist'): Uint8Array {
  const innermost = [0x18, 0x07]; // AnyValue { int_value: 7 }
  // anyValueSize[i]: size of the AnyValue at level levels - i (0: innermost).
  const sizes: number[] = [innermost.length];
  for (let i = 1; i < levels; i++) {
    const inner = sizes[i - 1] as number;
    // kvlist: AnyValue{6: KeyValueList{1: KeyValue{1: "k", 2: inner}}}
    // array: AnyValue{5: ArrayValue{1: inner}}
    const keyValue = kind === 'kvlist' ? 3 + 1 + varint(inner).length + inner : 0;
    const list =
      kind === 'kvlist' ? 1 + varint(keyValue).length + keyValue : 1 + varint(inner).length + inner;
    sizes.push(1 + varint(list).length + list);
  }
  const top = sizes[levels - 1] as number;
  const out = new Uint8Array(1 + varint(top).length + top);
  let at = 0;
  const put = (bytes: readonly number[]): void => {
    out.set(bytes, at);
    at += bytes.length;
  };
  put([0x2a, ...varint(top)]); // LogRecord.body
  for (let i = levels - 1; i >= 1; i--) {
    const inner = sizes[i - 1] as number;
    if (kind === 'kvlist') {
      const keyValue = 3 + 1 + varint(inner).length + inner;
      const list = 1 + varint(keyValue).length + keyValue;
      put([0x32, ...varint(list), 0x0a, ...varint(keyValue), 0x0a, 0x01, 0x6b, 0x12, ...varint(inner)]);
    } else {
      const list = 1 + varint(inner).length + inner;
      put([0x2a, ...varint(list), 0x0a, ...varint(inner)]);
    }
  }
  put(innermost);
  return out;
}

/** The same nesting as OTLP/JSON text, built by repetition. */
export function nestedBodyJson(levels: number, kind: 'array' | 'kvlist'): string {
  const open =
    kind === 'array' ? '{"arrayValue":{"values":[' : '{"kvlistValue":{"values":[{"key":"k","value":';
  const close = kind === 'array' ? ']}}' : '}]}}';
  const body = `${open.repeat(levels - 1)}{"intValue":7}${close.repeat(levels - 1)}`;
  return `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"1","body":${body}}]}]}]}`;
}
