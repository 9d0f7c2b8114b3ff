// The client-credentials grant of the token endpoint: checks the request in the order Entra ID
// reports problems and answers a token or the matching Entra error. Secrets are compared as
// SHA-256 digests in constant time and never appear in an answer.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppRegistration, TokenIssuer } from '../model.js';
import type { EntraError } from './entra-errors.js';
import { entraErrors } from './entra-errors.js';
import { audienceForScope } from './scopes.js';

/** The success body: no refresh token, as for every client-credentials grant. */
export interface TokenResponseBody {
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly ext_expires_in: number;
  readonly access_token: string;
}

export type TokenOutcome =
  | { readonly ok: true; readonly body: TokenResponseBody }
  | { readonly ok: false; readonly failure: EntraError };

/** The registered apps, indexed once: client id (lower case) → digest of its secret. */
export type AppDirectory = ReadonlyMap<string, Buffer>;

export function appDirectory(apps: readonly AppRegistration[]): AppDirectory {
  return new Map(apps.map((app) => [app.clientId.toLowerCase(), digest(app.clientSecret)]));
}

export interface TokenRequest {
  /** The form fields of the request body. */
  readonly form: URLSearchParams;
  /** The `Authorization` header, for `client_secret_basic`. */
  readonly authorization: string | undefined;
  /** The tenant id, as the directory name in messages. */
  readonly tenantId: string;
  /** The emulator's origin: `<origin>/.default` is a scope too (Python's LogsQueryClient). */
  readonly ownOrigin?: string;
}

export function grantClientCredentials(
  request: TokenRequest,
  apps: AppDirectory,
  tokens: TokenIssuer,
): TokenOutcome {
  const { form } = request;
  const fail = (failure: EntraError): TokenOutcome => ({ ok: false, failure });

  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') return fail(entraErrors.missingParameter('grant_type'));
  if (grantType !== 'client_credentials') return fail(entraErrors.unsupportedGrantType(grantType));

  const basic = basicCredentials(request.authorization);
  const clientId = nonEmpty(form.get('client_id')) ?? basic?.clientId;
  if (clientId === undefined) return fail(entraErrors.missingParameter('client_id'));

  const scope = nonEmpty(form.get('scope'));
  if (scope === undefined) return fail(entraErrors.missingScope());

  const expected = apps.get(clientId.toLowerCase());
  if (expected === undefined) return fail(entraErrors.unknownClient(clientId, request.tenantId));

  const secret = nonEmpty(form.get('client_secret')) ?? basic?.clientSecret;
  if (secret === undefined) return fail(entraErrors.missingClientSecret(form.has('client_assertion')));
  if (!timingSafeEqual(digest(secret), expected)) return fail(entraErrors.invalidClientSecret(clientId));

  if (audienceForScope(scope, request.ownOrigin) === undefined) return fail(entraErrors.invalidScope(scope));

  const { token, expiresIn } = tokens.issue(clientId, scope);
  return {
    ok: true,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

/** `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1), or undefined. */
function basicCredentials(
  header: string | undefined,
): { readonly clientId: string | undefined; readonly clientSecret: string | undefined } | undefined {
  const match = header === undefined ? null : /^basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      clientId: nonEmpty(decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '))),
      clientSecret: nonEmpty(decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '))),
    };
  } catch {
    // Malformed percent-encoding: treated as no credentials at all.
    return undefined;
  }
}
