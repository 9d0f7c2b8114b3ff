// An error that is an answer: fastify sends it with its status; its message is safe to show the
// client (it never quotes the body, a header value or a secret).
import { OtelSentinelError } from '@otel-sentinel/mapping';

export class HttpError extends OtelSentinelError {
  readonly statusCode: number;
  /** `code` says why (`E_BODY_TOO_LARGE`, `E_BODY_NOT_GZIP`); `statusCode` is the answer. */
  constructor(statusCode: number, code: string, message: string) {
    super(code, message);
    this.statusCode = statusCode;
  }
}
