// The OTLP logs codec of the gateway: request decoding (protobuf and OTLP/JSON) to the records the
// mapping reads, re-encoding of record subsets for upstream, and response bodies.
export { decodeLogsRequest } from './decode.js';
export { CONTENT_TYPES, encodeExportResponse, encodeStatus } from './encode-response.js';
export { OtlpDecodeError } from './errors.js';
export type { DecodedLogs, DecodeLimits, OtlpFormat } from './types.js';
