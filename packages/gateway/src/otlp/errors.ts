// The one error the OTLP decoders throw for bad input; the gateway answers it with HTTP 400.
import { OtelSentinelError } from '@otel-sentinel/mapping';

/** A request body that is not a valid OTLP logs request. Permanent: the client must not retry it. */
export class OtlpDecodeError extends OtelSentinelError {
  declare readonly code: 'E_OTLP_DECODE';
  /**
   * Where in the request, in OTLP/JSON names, e.g. `resourceLogs[0].scopeLogs[1].logRecords[3].body`;
   * empty when the problem is not tied to one field (truncated protobuf, invalid JSON text).
   */
  declare readonly path: string;

  constructor(problem: string, path = '', options?: ErrorOptions) {
    super('E_OTLP_DECODE', path === '' ? problem : `${path}: ${problem}`, { ...options, path });
  }
}

export function tooManyRecords(maxRecords: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `more than ${maxRecords} log records in one request (the limit); send smaller batches`,
  );
}
