import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/delivery/classify-failure.js';
import { InvalidEndpointError, RequestTimeoutError, UploadAbortedError } from '../../src/delivery/errors.js';
import { namedError, TOKEN } from '../support/nock-ingestion.js';

/** Shaped like @azure/core-rest-pipeline's RestError, with HttpHeaders-like get(). */
function restError(
  statusCode: number | undefined,
  code?: string,
  headers: Record<string, string> = {},
): Error {
  const lower = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const error = namedError('RestError', `service said something with ${TOKEN}`, { statusCode, code });
  Object.defineProperty(error, 'response', {
    value: { status: statusCode, headers: { get: (name: string) => lower.get(name.toLowerCase()) } },
    enumerable: false,
  });
  return error;
}

describe('classifyFailure', () => {
  it('treats 429 with Retry-After seconds as throttled and waits that long', () => {
    expect(classifyFailure(restError(429, 'TooManyRequests', { 'Retry-After': '7' }))).toEqual({
      kind: 'throttled',
      status: 429,
      code: 'TooManyRequests',
      retryAfterMs: 7000,
      summary: 'HTTP 429 TooManyRequests',
    });
  });

  it('reads a Retry-After HTTP-date against the clock', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    const failure = classifyFailure(
      restError(429, undefined, { 'Retry-After': 'Wed, 01 Jan 2025 00:00:03 GMT' }),
      {
        now: () => now,
      },
    );
    expect(failure).toMatchObject({ kind: 'throttled', retryAfterMs: 3000 });
  });

  it('treats a Retry-After date in the past as no wait', () => {
    const failure = classifyFailure(
      restError(503, undefined, { 'Retry-After': 'Tue, 31 Dec 2024 00:00:00 GMT' }),
      {
        now: () => Date.parse('2025-01-01T00:00:00Z'),
      },
    );
    expect(failure).toMatchObject({ kind: 'throttled', retryAfterMs: 0 });
  });

  it('prefers retry-after-ms, then x-ms-retry-after-ms, then Retry-After, like the Azure SDK', () => {
    const all = { 'retry-after-ms': '150', 'x-ms-retry-after-ms': '250', 'Retry-After': '9' };
    expect(classifyFailure(restError(429, undefined, all)).retryAfterMs).toBe(150);
    expect(
      classifyFailure(restError(429, undefined, { 'x-ms-retry-after-ms': '250', 'Retry-After': '9' }))
        .retryAfterMs,
    ).toBe(250);
  });

  it('treats 503 with Retry-After as throttled and without it as transient', () => {
    expect(classifyFailure(restError(503, undefined, { 'Retry-After': '2' }))).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 2000,
    });
    expect(classifyFailure(restError(503))).toEqual({ kind: 'transient', status: 503, summary: 'HTTP 503' });
  });

  it('treats 429 without any retry header as transient', () => {
    expect(classifyFailure(restError(429))).toEqual({ kind: 'transient', status: 429, summary: 'HTTP 429' });
  });

  it('ignores an unreadable Retry-After', () => {
    expect(classifyFailure(restError(429, undefined, { 'Retry-After': 'soon' })).kind).toBe('transient');
  });

  it.each([408, 500, 502, 504, 507, 599])('treats HTTP %i as transient', (status) => {
    expect(classifyFailure(restError(status)).kind).toBe('transient');
  });

  it.each([400, 401, 403, 404, 409, 413, 422, 501, 505])('treats HTTP %i as permanent', (status) => {
    expect(classifyFailure(restError(status)).kind).toBe('permanent');
  });

  it('treats an unexpected success status as permanent (the client requires exactly 204)', () => {
    expect(classifyFailure(restError(200)).kind).toBe('permanent');
  });

  it('ignores Retry-After on statuses other than 429 and 503', () => {
    expect(classifyFailure(restError(500, undefined, { 'Retry-After': '5' }))).not.toHaveProperty(
      'retryAfterMs',
    );
  });

  it('names the service error code in the summary', () => {
    expect(classifyFailure(restError(403, 'OperationFailed')).summary).toBe('HTTP 403 OperationFailed');
    expect(classifyFailure(restError(413, 'ContentLengthLimitExceeded'))).toMatchObject({
      kind: 'permanent',
      code: 'ContentLengthLimitExceeded',
    });
  });

  it('falls back to the x-ms-error-code header when the body had no code', () => {
    expect(classifyFailure(restError(404, undefined, { 'x-ms-error-code': 'NotFound' })).summary).toBe(
      'HTTP 404 NotFound',
    );
  });

  it('does not echo a code that is not an identifier', () => {
    const failure = classifyFailure(restError(400, '<html>Bad Request - Invalid Verb</html>'));
    expect(failure).toEqual({ kind: 'permanent', status: 400, summary: 'HTTP 400' });
  });

  it('reads the status from response.status when statusCode is missing', () => {
    const error = namedError('RestError', 'x', { response: { status: 502, headers: {} } });
    expect(classifyFailure(error)).toMatchObject({ kind: 'transient', status: 502 });
  });

  it('reads plain-object headers case-insensitively', () => {
    const error = namedError('RestError', 'x', {
      statusCode: 429,
      response: { headers: { 'Retry-After': '1' } },
    });
    expect(classifyFailure(error)).toMatchObject({ kind: 'throttled', retryAfterMs: 1000 });
  });

  it.each([
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EPIPE',
    'REQUEST_SEND_ERROR',
  ])('treats the network error %s as transient and names it', (code) => {
    expect(classifyFailure(restError(undefined, code))).toEqual({ kind: 'transient', code, summary: code });
  });

  it('finds a network code along the cause chain (fetch-style TypeError)', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'ECONNRESET' }),
    });
    expect(classifyFailure(error)).toEqual({ kind: 'transient', code: 'ECONNRESET', summary: 'ECONNRESET' });
  });

  it.each(['CredentialUnavailableError', 'AuthenticationError', 'AuthenticationRequiredError'])(
    'treats %s as transient: a token endpoint may be briefly down',
    (name) => {
      expect(classifyFailure(namedError(name, `token endpoint unreachable ${TOKEN}`))).toEqual({
        kind: 'transient',
        summary: name,
      });
    },
  );

  it('treats a credential error about an invalid client secret as permanent', () => {
    // The shape @azure/identity produced for a 401 invalid_client from the token endpoint.
    const error = namedError(
      'AuthenticationRequiredError',
      'invalid_client: Error(s): 7000215 - Timestamp: 2025-01-01 - Description: AADSTS7000215: Invalid client secret provided. Secret s3cr3t~value',
    );
    const failure = classifyFailure(error);
    expect(failure).toEqual({
      kind: 'permanent',
      code: 'invalid_client',
      summary: 'AuthenticationRequiredError invalid_client',
    });
    expect(failure.summary).not.toContain('s3cr3t');
  });

  it('treats unauthorized_client in an OAuth error response as permanent', () => {
    const error = namedError('AuthenticationError', 'x', {
      errorResponse: { error: 'unauthorized_client', errorDescription: 'd' },
    });
    expect(classifyFailure(error)).toMatchObject({ kind: 'permanent', code: 'unauthorized_client' });
  });

  it('recognises an AADSTS code alone, in the message or in errorCodes', () => {
    expect(
      classifyFailure(namedError('AuthenticationError', 'AADSTS700016: Application not found')).code,
    ).toBe('AADSTS700016');
    const error = namedError('AuthenticationError', 'x', {
      errorResponse: { error: 'invalid_request', errorCodes: [90002] },
    });
    expect(classifyFailure(error)).toMatchObject({ kind: 'permanent', code: 'AADSTS90002' });
  });

  it('looks inside an AggregateAuthenticationError and the cause chain', () => {
    const inner = namedError('Error', 'wrapped', {
      cause: namedError('ServerError', 'invalid_client: bad secret'),
    });
    const aggregate = namedError('AggregateAuthenticationError', 'chain failed', {
      errors: [new Error('nope'), inner],
    });
    expect(classifyFailure(aggregate)).toMatchObject({ kind: 'permanent', code: 'invalid_client' });
  });

  it('treats an AbortError as aborted', () => {
    expect(classifyFailure(namedError('AbortError', 'The operation was aborted.'))).toEqual({
      kind: 'aborted',
      summary: 'aborted',
    });
    expect(classifyFailure(new UploadAbortedError()).kind).toBe('aborted');
  });

  it('treats any failure as aborted once the caller signal has fired', () => {
    const controller = new AbortController();
    controller.abort();
    expect(classifyFailure(restError(500), { signal: controller.signal }).kind).toBe('aborted');
    expect(classifyFailure(restError(500), { signal: new AbortController().signal }).kind).toBe('transient');
  });

  it('treats a request timeout as transient', () => {
    expect(classifyFailure(new RequestTimeoutError(1000))).toEqual({
      kind: 'transient',
      code: 'ETIMEDOUT',
      summary: 'request timeout',
    });
  });

  it('treats an invalid endpoint and programming errors as permanent', () => {
    expect(classifyFailure(new InvalidEndpointError('http://dce.example')).kind).toBe('permanent');
    expect(classifyFailure(new TypeError('x is not a function'))).toEqual({
      kind: 'permanent',
      summary: 'TypeError',
    });
  });

  it('treats anything unrecognised as transient, named by its class only', () => {
    expect(classifyFailure(new Error(`boom ${TOKEN}`))).toEqual({ kind: 'transient', summary: 'Error' });
    expect(classifyFailure('a string')).toEqual({ kind: 'transient', summary: 'unknown error' });
    expect(classifyFailure(undefined)).toEqual({ kind: 'transient', summary: 'unknown error' });
    expect(classifyFailure(namedError('Weird Name <x>', 'm'))).toEqual({
      kind: 'transient',
      summary: 'unknown error',
    });
  });

  it('never puts message or error-description text into a failure', () => {
    const names = fc.constantFrom(
      'RestError',
      'Error',
      'AuthenticationError',
      'AuthenticationRequiredError',
      'CredentialUnavailableError',
      'AggregateAuthenticationError',
      'TypeError',
    );
    const secret = fc.string({ minLength: 12 }).map((s) => `SECRET${s}`);
    const codes = fc.constantFrom(undefined, 'OperationFailed', 'ECONNRESET');
    fc.assert(
      fc.property(
        names,
        secret,
        fc.option(fc.integer({ min: 100, max: 599 })),
        codes,
        fc.boolean(),
        (name, text, status, code, badClient) => {
          const message = badClient ? `invalid_client: ${text}` : text;
          const error = namedError(name, message, {
            statusCode: status ?? undefined,
            code,
            errorResponse: { error: 'invalid_request', errorDescription: text },
            cause: new Error(text),
          });
          expect(JSON.stringify(classifyFailure(error))).not.toContain('SECRET');
        },
      ),
    );
  });
});
