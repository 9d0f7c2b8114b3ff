// Error bodies of the Log Analytics query API. Shapes and codes follow Microsoft's "Azure Monitor
// Log Analytics API errors" page where it lists them; the rest are marked ASSUMED.

import { randomUUID } from 'node:crypto';
import type { KqlQueryError } from '@otel-sentinel/kql';

export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly innererror?: ErrorInfo & { readonly line?: number; readonly pos?: number };
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

function failure(status: number, error: ErrorInfo): ApiResponse {
  return { status, body: { error: { ...error, correlationId: randomUUID() } } };
}

/** 401, as documented for a request without an Authorization header. */
export function missingAuthorization(): ApiResponse {
  return failure(401, {
    code: 'AuthenticationFailed',
    message: "Authentication failed. The 'Authorization' header is missing.",
  });
}

/** 401 for a header that is not `Bearer <token>`. ASSUMED: same code as a missing header. */
export function notBearer(): ApiResponse {
  return failure(401, {
    code: 'AuthenticationFailed',
    message: "Authentication failed. The 'Authorization' header must be 'Bearer <token>'.",
  });
}

/** 403, as documented for a malformed, expired or foreign token. */
export function invalidToken(): ApiResponse {
  return failure(403, { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' });
}

/** 403, as documented for a token issued for another resource. */
export function wrongAudience(audience: string, allowed: readonly string[]): ApiResponse {
  return failure(403, {
    code: 'InvalidAuthenticationTokenAudience',
    message:
      `The access token has been obtained from wrong audience or resource '${audience}'. It should exactly match ` +
      `(including forward slash) with one of the allowed audiences ${allowed.map((a) => `'${a}'`).join(',')}.`,
  });
}

/** 404 for a workspace id the emulator does not serve. ASSUMED message text. */
export function workspaceNotFound(workspaceId: string): ApiResponse {
  return failure(404, {
    code: 'WorkspaceNotFoundError',
    message: `The workspace could not be found: '${workspaceId}'`,
  });
}

/** 400 for a body or parameter the API cannot use. ASSUMED innererror code. */
export function badRequest(message: string): ApiResponse {
  return failure(400, {
    code: 'BadArgumentError',
    message,
    innererror: { code: 'InvalidArgument', message },
  });
}

/**
 * 400 for a query that does not parse (`SyntaxError`) or that the emulator cannot run
 * (`SemanticError`). The service's top-level message is a generic "The request had some invalid
 * properties"; the emulator puts the specific reason there too, since that is what SDK users see.
 */
export function queryFailed(error: KqlQueryError): ApiResponse {
  const position =
    error.position === undefined ? {} : { line: error.position.line, pos: error.position.column };
  return failure(400, {
    code: 'BadArgumentError',
    message: error.message,
    innererror: {
      code: error.category,
      message: error.message,
      innererror: { code: error.code, message: error.message, ...position },
    },
  });
}

/** 500 for a fault of the emulator itself. */
export function internalError(error: unknown): ApiResponse {
  const message = error instanceof Error ? error.message : String(error);
  return failure(500, {
    code: 'InternalServerError',
    message: `The emulator failed to run the query: ${message}`,
  });
}
