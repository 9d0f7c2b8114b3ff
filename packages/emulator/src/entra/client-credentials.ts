// The client-credentials grant of the token endpoint: checks the request in the order Entra ID
// reports problems and answers a token or the matching Entra error. Secrets are compared as
// SHA-256 digests in constant time and never appear in an answer; a client assertion (certificate
// or federated token) is checked by client-assertion.ts instead of a secret.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { AppRegistration, TokenIssuer } from '../model.js';
import type { AssertionKeys } from './client-assertion.js';
import { assertionKeys, checkClientAssertion, JWT_BEARER_ASSERTION } from './client-assertion.js';
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

/** How one registered app may prove itself: the digest of its secret, its certificates, its federations. */
export interface AppProof {
  readonly secretDigest: Buffer;
  readonly assertion: AssertionKeys;
}

/** The registered apps, indexed once by client id (lower case). */
export type AppDirectory = ReadonlyMap<string, AppProof>;

export function appDirectory(apps: readonly AppRegistration[]): AppDirectory {
  return new Map(
    apps.map((app) => [
      app.clientId.toLowerCase(),
      { secretDigest: digest(app.clientSecret), assertion: assertionKeys(app) },
    ]),
  );
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
  /** The URL the client posted to: the `aud` a certificate assertion must carry. */
  readonly tokenEndpoint?: string;
  /** The clock, in milliseconds since the epoch. Default: `Date.now`. */
  readonly now?: () => number;
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

  const failure = authenticateClient(request, clientId, expected, basic?.clientSecret);
  if (failure !== undefined) return fail(failure);

  if (audienceForScope(scope, request.ownOrigin) === undefined) return fail(entraErrors.invalidScope(scope));

  const { token, expiresIn } = tokens.issue(clientId, scope);
  return {
    ok: true,
    body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: token },
  };
}

/** Checks the client's proof: a signed assertion when it sends one, else its secret. */
function authenticateClient(
  request: TokenRequest,
  clientId: string,
  expected: AppProof,
  basicSecret: string | undefined,
): EntraError | undefined {
  const { form } = request;
  const assertion = nonEmpty(form.get('client_assertion'));
  if (assertion !== undefined) {
    const assertionType = form.get('client_assertion_type') ?? '';
    if (assertionType !== JWT_BEARER_ASSERTION) return entraErrors.unsupportedAssertionType(assertionType);
    return checkClientAssertion(assertion, expected.assertion, {
      clientId,
      tokenEndpoint: request.tokenEndpoint ?? '',
      nowSeconds: (request.now ?? Date.now)() / 1000,
    });
  }
  const secret = nonEmpty(form.get('client_secret')) ?? basicSecret;
  if (secret === undefined) return entraErrors.missingClientSecret();
  if (!timingSafeEqual(digest(secret), expected.secretDigest))
    return entraErrors.invalidClientSecret(clientId);
  return undefined;
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
