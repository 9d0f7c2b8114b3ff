// The OTLP logs schema (proto/logs.proto), loaded once with protobufjs: the encoder's message types,
// the field numbers the protobuf reader looks up (wire-fields.ts), and the TypeScript shapes of the
// messages the OTLP/JSON decoder builds and the encoder reads.
import { fileURLToPath } from 'node:url';

import protobuf from 'protobufjs';

// ../../proto from both src/otlp (tests, tsx) and dist/otlp (the published package).
const PROTO_FILE = fileURLToPath(new URL('../../proto/logs.proto', import.meta.url));
const PACKAGE = 'otelsentinel.otlp.v1';

const root = protobuf.loadSync(PROTO_FILE);

/** A message type of the schema by its name, e.g. `LogRecord`. */
export function messageType(name: string): protobuf.Type {
  return root.lookupType(`${PACKAGE}.${name}`);
}

export const ExportLogsServiceRequest = root.lookupType(`${PACKAGE}.ExportLogsServiceRequest`);
export const ExportLogsServiceResponse = root.lookupType(`${PACKAGE}.ExportLogsServiceResponse`);
export const Status = root.lookupType(`${PACKAGE}.Status`);

/**
 * The two halves of a 64-bit integer in two's complement, as protobufjs's `Long` holds them; the
 * JSON decoder builds plain objects of this shape, which protobufjs encodes just the same.
 */
export interface Int64Bits {
  readonly low: number;
  readonly high: number;
}

// Message shapes, as the OTLP/JSON decoder builds them: plain objects with only the fields that
// were present (an AnyValue with at most one member). Readers treat absent, null and default alike.

export interface AnyValueMessage {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: Int64Bits;
  readonly doubleValue?: number;
  readonly arrayValue?: ArrayValueMessage | null;
  readonly kvlistValue?: KeyValueListMessage | null;
  readonly bytesValue?: Uint8Array;
}

export interface ArrayValueMessage {
  readonly values?: readonly AnyValueMessage[] | undefined;
}

export interface KeyValueListMessage {
  readonly values?: readonly KeyValueMessage[] | undefined;
}

export interface KeyValueMessage {
  readonly key?: string | undefined;
  readonly value?: AnyValueMessage | null | undefined;
}

export interface LogRecordMessage {
  readonly timeUnixNano?: Int64Bits | undefined;
  readonly observedTimeUnixNano?: Int64Bits | undefined;
  readonly severityNumber?: number | undefined;
  readonly severityText?: string | undefined;
  readonly body?: AnyValueMessage | null | undefined;
  readonly attributes?: readonly KeyValueMessage[] | undefined;
  readonly droppedAttributesCount?: number | undefined;
  readonly flags?: number | undefined;
  readonly traceId?: Uint8Array | undefined;
  readonly spanId?: Uint8Array | undefined;
  readonly eventName?: string | undefined;
}

export interface InstrumentationScopeMessage {
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly attributes?: readonly KeyValueMessage[] | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

export interface ScopeLogsMessage {
  readonly scope?: InstrumentationScopeMessage | null | undefined;
  readonly logRecords?: readonly LogRecordMessage[] | undefined;
  readonly schemaUrl?: string | undefined;
}

export interface ResourceMessage {
  readonly attributes?: readonly KeyValueMessage[] | undefined;
  readonly droppedAttributesCount?: number | undefined;
}

export interface ResourceLogsMessage {
  readonly resource?: ResourceMessage | null | undefined;
  readonly scopeLogs?: readonly ScopeLogsMessage[] | undefined;
  readonly schemaUrl?: string | undefined;
}

export interface LogsRequestMessage {
  readonly resourceLogs?: readonly ResourceLogsMessage[] | undefined;
}
