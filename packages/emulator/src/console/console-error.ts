// The console API's error shape, `{ error: { code, message, … } }`, and how URLs are shown in
// messages: without the userinfo and query string, where webhook secrets live.

import type { FastifyReply } from 'fastify';

/** Extra fields of an error body, e.g. `line` and `col` of a KQL error. */
export type ConsoleErrorDetails = Readonly<Record<string, string | number>>;

/** Answers `status` with `{ error: { code, message, ...details } }`. */
export function sendConsoleError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details: ConsoleErrorDetails = {},
): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code, message, ...details } }));
}

/**
 * A URL fit for a message or a log line: scheme, host, port and path only. A webhook's secret
 * is in its userinfo or its query string (a Logic App's `sig=`), never shown.
 */
export function safeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '(not a URL)';
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
