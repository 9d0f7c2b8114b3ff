// Every error the ingestion endpoint answers, in the service's shape
// (`{"error":{"code","message"}}` plus an `x-ms-error-code` header). Each says whether its status,
// code and message are the service's own (with the source) or assumed; see docs/ingestion.md.

export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  readonly target?: string;
}

export interface IngestionError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly retryAfterSeconds?: number;
  readonly details?: readonly ErrorDetail[];
  /** A 401's `WWW-Authenticate` challenge (RFC 6750). */
  readonly wwwAuthenticate?: string;
  /** A 405's `Allow` header. */
  readonly allow?: string;
}

/** Only for the message; the limit itself is exact. */
function sizeText(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

export const SUPPORTED_API_VERSIONS: readonly string[] = ['2023-01-01', '2021-11-01-preview'];

export const ingestionErrors = {
  /** Assumed: ARM's code and message for a missing api-version; the data plane's is unpublished. */
  missingApiVersion: (): IngestionError => ({
    status: 400,
    code: 'MissingApiVersionParameter',
    message: 'The api-version query parameter (?api-version=) is required for all requests.',
  }),
  /** Assumed, as above. */
  unsupportedApiVersion: (given: string): IngestionError => ({
    status: 400,
    code: 'InvalidApiVersionParameter',
    message: `The api-version '${given}' is invalid. The supported versions are '${SUPPORTED_API_VERSIONS.join(',')}'.`,
  }),
  /**
   * Body shape from the service's REST spec (`Azure.Core.Foundations.ErrorResponse` plus
   * `x-ms-error-code`); code and message follow the Log Analytics query API's documented 401
   * (learn.microsoft.com, "Azure Monitor Log Analytics API errors"). The `WWW-Authenticate`
   * challenge is RFC 6750's, naming the emulator's tenant authority as Azure's data planes name
   * Entra's. No ingestion 401 sample is published: the rest is assumed.
   */
  unauthenticated: (why: string, authority: string, invalidToken: boolean): IngestionError => ({
    status: 401,
    code: 'AuthenticationFailed',
    message: `Authentication failed. ${why}`,
    wwwAuthenticate:
      `Bearer authorization_uri="${authority}"` +
      (invalidToken ? `, error="invalid_token", error_description="${why.replaceAll('"', "'")}"` : ''),
  }),
  /**
   * Assumed: only POST is defined on the path (REST spec); 405 with the ASP.NET message Azure
   * services built on it answer, in the spec's error shape.
   */
  methodNotAllowed: (method: string): IngestionError => ({
    status: 405,
    code: 'MethodNotAllowed',
    message: `The requested resource does not support http method '${method}'.`,
    allow: 'POST',
  }),
  /**
   * Faithful message (azure-sdk-for-js monitor-ingestion test logsIngestionClient.spec.ts, recorded
   * against the service). Status 404 and code `NotFound` are assumed.
   */
  unknownDcr: (id: string): IngestionError => ({
    status: 404,
    code: 'NotFound',
    message: `Data collection rule with immutable Id '${id}' not found.`,
  }),
  /**
   * Faithful (azure-sdk-for-js monitor-ingestion TROUBLESHOOTING.md, azure-sdk-for-net PR #37173),
   * without the service's internal `PipelineAccessResult` suffix.
   */
  forbidden: (id: string): IngestionError => ({
    status: 403,
    code: 'OperationFailed',
    message: `The authentication token provided does not have access to ingest data for the data collection rule with immutable Id '${id}'.`,
  }),
  /** Assumed: status, code and message (no sample is published). */
  unknownStream: (stream: string, id: string, known: readonly string[]): IngestionError => ({
    status: 400,
    code: 'InvalidStream',
    message: `Stream '${stream}' is not declared in the data collection rule with immutable Id '${id}'. Declared streams: ${known.join(', ')}.`,
  }),
  /**
   * Faithful: status, code and message (azure-sdk-for-net IngestionClientTest.cs, ErrorTest.cs;
   * header in azure-sdk-for-python#42648). Applied to the compressed and the decompressed body.
   */
  tooLarge: (limit: number): IngestionError => ({
    status: 413,
    code: 'ContentLengthLimitExceeded',
    message: `Maximum allowed content length: ${limit} bytes (${sizeText(limit)}).`,
  }),
  /** Assumed: the service documents only "application/json". */
  unsupportedMediaType: (type: string): IngestionError => ({
    status: 415,
    code: 'UnsupportedMediaType',
    message: `Content-Type '${type}' is not supported; send application/json.`,
  }),
  /** Assumed: the spec says the encoding is "always 'gzip'" when present. */
  badEncoding: (why: string): IngestionError => ({
    status: 400,
    code: 'InvalidContentEncoding',
    message: why,
  }),
  /**
   * Assumed, and stricter than the service, which was seen answering 204 for a non-array body
   * (azure-sdk-for-python#32562) and 500 for an empty one (azure-sdk-for-net IngestionClientTest.cs).
   */
  badPayload: (why: string): IngestionError => ({ status: 400, code: 'InvalidPayload', message: why }),
  /** Status and Retry-After faithful (service limits docs); code and message assumed. */
  throttled: (what: string, id: string, retryAfterSeconds: number): IngestionError => ({
    status: 429,
    code: 'TooManyRequests',
    message: `The ${what} limit of the data collection rule with immutable Id '${id}' is exhausted. Retry after ${retryAfterSeconds} seconds.`,
    retryAfterSeconds,
  }),
  /** The emulator's own `strict` mode: the service never reports these. */
  strict: (details: readonly ErrorDetail[], total: number): IngestionError => ({
    status: 400,
    code: 'StrictModeViolation',
    message:
      `The emulator runs in strict mode and found ${total} field problem(s) the service would drop or convert silently; ` +
      `nothing was stored. First: ${details[0]?.message ?? ''}`,
    details,
  }),
  /** An injected fault: 429, 500 or 503, with Retry-After when the rule gives one. */
  injected: (status: 429 | 500 | 503, retryAfterSeconds: number | undefined): IngestionError => ({
    status,
    code: status === 429 ? 'TooManyRequests' : status === 500 ? 'InternalServerError' : 'ServiceUnavailable',
    message: `Injected fault: ${status} from the emulator's fault injection (see GET /admin/faults).`,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  }),
  internal: (): IngestionError => ({
    status: 500,
    code: 'InternalServerError',
    message: 'The emulator failed to store the data; see its log.',
  }),
};

export function errorBody(e: IngestionError): string {
  return JSON.stringify({
    error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) },
  });
}
