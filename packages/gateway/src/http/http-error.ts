// An error that is an answer: fastify sends it with its status; its message is safe to show the
// client (it never quotes the body, a header value or a secret).

export class HttpError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
  }
}
