// The bodies of OTLP/HTTP logs responses: ExportLogsServiceResponse for 200, google.rpc.Status for
// 4xx/5xx, in the request's format (proto3 JSON omits default values, int64 as a decimal string).
import { ExportLogsServiceResponse, Status } from './schema.js';
import type { OtlpFormat } from './types.js';

/** The Content-Type of each format; a response uses the request's. */
export const CONTENT_TYPES: Readonly<Record<OtlpFormat, string>> = Object.freeze({
  protobuf: 'application/x-protobuf',
  json: 'application/json',
});

const UTF8 = new TextEncoder();

/**
 * An ExportLogsServiceResponse. Full success (no `partial`) is the empty message: `{}` in JSON,
 * zero bytes in protobuf. `partial` sets partialSuccess, also for a warning with 0 rejected.
 */
export function encodeExportResponse(
  format: OtlpFormat,
  partial?: { readonly rejectedLogRecords: number; readonly errorMessage: string },
): Uint8Array {
  if (partial === undefined) return format === 'json' ? UTF8.encode('{}') : new Uint8Array(0);
  const { rejectedLogRecords, errorMessage } = partial;
  if (!Number.isSafeInteger(rejectedLogRecords) || rejectedLogRecords < 0) {
    throw new RangeError(`rejectedLogRecords must be a non-negative integer, got ${rejectedLogRecords}`);
  }
  if (format === 'json') {
    const partialSuccess: { rejectedLogRecords?: string; errorMessage?: string } = {};
    if (rejectedLogRecords !== 0) partialSuccess.rejectedLogRecords = String(rejectedLogRecords);
    if (errorMessage !== '') partialSuccess.errorMessage = errorMessage;
    return UTF8.encode(JSON.stringify({ partialSuccess }));
  }
  return ExportLogsServiceResponse.encode({ partialSuccess: { rejectedLogRecords, errorMessage } }).finish();
}

/** A google.rpc.Status body: `code` (a google.rpc.Code, int32) and a developer-facing `message`. */
export function encodeStatus(format: OtlpFormat, code: number, message: string): Uint8Array {
  if (!Number.isInteger(code) || code < -2147483648 || code > 2147483647) {
    throw new RangeError(`code must be a 32-bit integer, got ${code}`);
  }
  if (format === 'json') {
    const status: { code?: number; message?: string } = {};
    if (code !== 0) status.code = code;
    if (message !== '') status.message = message;
    return UTF8.encode(JSON.stringify(status));
  }
  return Status.encode({ code, message }).finish();
}
