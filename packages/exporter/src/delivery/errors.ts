// Errors raised by the delivery pipeline. Configuration errors are thrown at construction; the
// others only ever appear as the cause of a failed chunk and are classified like any other cause.
import { ConfigError, OtelSentinelError } from '@otel-sentinel/mapping';

/**
 * A `ConfigError` `E_DELIVERY_CONFIG` for a retry or uploader option out of range, e.g.
 * `retry.maxAttempts must be a whole number ≥ 1, got 0`. Thrown at construction, never later.
 */
export function deliveryConfigError(option: string, requirement: string, got: unknown): ConfigError {
  return new ConfigError('E_DELIVERY_CONFIG', option, `${option} ${requirement}, got ${describe(got)}`);
}

/** A stream's endpoint is not an https URL, so the client could never send to it. */
export class InvalidEndpointError extends OtelSentinelError {
  declare readonly code: 'E_INVALID_ENDPOINT';
  constructor(endpoint: string) {
    super(
      'E_INVALID_ENDPOINT',
      `the Logs Ingestion endpoint must be an https:// URL (the DCE or the DCR's logsIngestion URI), got ${safeOrigin(endpoint)}`,
    );
  }
}

/**
 * The delivery was asked to stop before this chunk was sent. Named `AbortError` like the
 * platform's and the Azure transport's, so every abort is recognised the same way.
 */
export class UploadAbortedError extends OtelSentinelError {
  declare readonly code: 'E_UPLOAD_ABORTED';
  constructor() {
    super('E_UPLOAD_ABORTED', 'the upload was aborted before this chunk was sent');
    this.name = 'AbortError';
  }
}

/** A request got no answer within the uploader's request timeout. */
export class RequestTimeoutError extends OtelSentinelError {
  declare readonly code: 'E_REQUEST_TIMEOUT';
  readonly timeoutMs: number;
  constructor(timeoutMs: number, options?: ErrorOptions) {
    super('E_REQUEST_TIMEOUT', `no answer from the Logs Ingestion endpoint within ${timeoutMs} ms`, options);
    this.timeoutMs = timeoutMs;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === undefined || value === null)
    return String(value);
  return typeof value;
}

// The origin only: an endpoint URL could carry user:password@ or a query we must not echo.
function safeOrigin(endpoint: string): string {
  if (!URL.canParse(endpoint)) return 'a string that is not a URL';
  const url = new URL(endpoint);
  return url.protocol === 'http:' || url.protocol === 'https:' ? `'${url.origin}'` : `'${url.protocol}' URL`;
}
