// The one error the OTLP decoders throw for bad input; the gateway answers it with HTTP 400.

/** A request body that is not a valid OTLP logs request. Permanent: the client must not retry it. */
export class OtlpDecodeError extends Error {
  readonly code = 'E_OTLP_DECODE';
  /**
   * Where in the request, in OTLP/JSON names, e.g. `resourceLogs[0].scopeLogs[1].logRecords[3].body`;
   * empty when the problem is not tied to one field (truncated protobuf, invalid JSON text).
   */
  readonly path: string;

  constructor(problem: string, path = '', options?: ErrorOptions) {
    super(path === '' ? problem : `${path}: ${problem}`, options);
    this.name = 'OtlpDecodeError';
    this.path = path;
  }
}

export function tooManyRecords(maxRecords: number): OtlpDecodeError {
  return new OtlpDecodeError(
    `more than ${maxRecords} log records in one request (the limit); send smaller batches`,
  );
}
