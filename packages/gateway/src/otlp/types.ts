// The public shapes of the OTLP logs codec: wire formats, decode limits and a decoded request.
import type { LogRecordLike } from '@otel-sentinel/mapping';

/** The two OTLP/HTTP encodings: binary protobuf and OTLP/JSON. */
export type OtlpFormat = 'protobuf' | 'json';

/** Bounds on one request, so hostile input cannot exhaust the stack or memory. */
export interface DecodeLimits {
  /**
   * Deepest AnyValue nesting (arrays/kvlists inside each other) accepted: a scalar body or
   * attribute value is depth 1. Default 32, which is also the most allowed: protobuf decoding
   * refuses messages nested more than 100 deep, and 32 kvlists inside each other reach that.
   * Example: `8`.
   */
  readonly maxDepth?: number;
  /** Most log records in one request. Default 100_000. Example: `10_000`. */
  readonly maxRecords?: number;
}

/** One decoded `ExportLogsServiceRequest`. */
export interface DecodedLogs {
  /** Every log record, in request order, as the mapping reads it (resource and scope filled in). */
  readonly records: readonly LogRecordLike[];
  /**
   * The request with only the records whose index `keep` accepts (asked once per record, in
   * order), grouping by resource and scope kept (empty groups dropped), as OTLP protobuf — what the
   * gateway forwards upstream. Undefined when no record is kept. From a protobuf body, the kept
   * records and their groups' other fields are copied from the body byte for byte, unknown fields
   * included, so the body must not change in between.
   */
  subset(keep: (index: number) => boolean): Uint8Array | undefined;
}
