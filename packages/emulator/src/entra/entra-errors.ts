// The errors of the emulated Entra ID, in the shape Entra ID answers them:
// { error, error_description: "AADSTS<code>: …\r\nTrace ID: …", error_codes, timestamp, trace_id,
//   correlation_id, error_uri }. Texts follow responses seen from the real service.

export interface EntraError {
  readonly status: 400 | 401;
  /** The OAuth 2.0 error code, e.g. `invalid_client`. */
  readonly error: string;
  /** The AADSTS number, e.g. 7000215. */
  readonly code: number;
  /** The text after `AADSTS<code>: `. */
  readonly description: string;
}

/** The body of an error response, as MSAL parses it. */
export interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
}

/** Client-supplied values are echoed in messages, as Entra does, but never at any length. */
const MAX_ECHO = 200;
const echo = (value: string): string => (value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value);

/** AADSTS700211/700212/700213: no federated identity credential matches the presented token. */
function noFederatedMatch(code: number, claim: 'issuer' | 'audience' | 'subject', value: string): EntraError {
  return {
    status: 400,
    error: 'invalid_request',
    code,
    description:
      `No matching federated identity record found for presented assertion ${claim} '${echo(value)}'. ` +
      'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.',
  };
}

export const entraErrors = {
  /** The token endpoint answers `invalid_request`, the discovery endpoints `invalid_tenant`. */
  tenantNotFound: (tenant: string, error: 'invalid_request' | 'invalid_tenant'): EntraError => ({
    status: 400,
    error,
    code: 90002,
    description:
      `Tenant '${echo(tenant)}' not found. Check to make sure you have the correct tenant ID and are signing ` +
      'into the correct cloud. Check with your subscription administrator, this may happen if there are no ' +
      'active subscriptions for the tenant.',
  }),
  missingParameter: (name: string): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    description: `The request body must contain the following parameter: '${name}'.`,
  }),
  unsupportedGrantType: (grantType: string): EntraError => ({
    status: 400,
    error: 'unsupported_grant_type',
    code: 70003,
    description: `The app requested an unsupported grant type '${echo(grantType)}'.`,
  }),
  missingScope: (): EntraError => ({
    status: 400,
    error: 'invalid_scope',
    code: 70011,
    description: "The provided request must include a 'scope' input parameter.",
  }),
  invalidScope: (scope: string): EntraError => ({
    status: 400,
    error: 'invalid_scope',
    code: 70011,
    description: `The provided value for the input parameter 'scope' is not valid. The scope ${echo(scope)} is not valid.`,
  }),
  unknownClient: (clientId: string, tenant: string): EntraError => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    description:
      `Application with identifier '${echo(clientId)}' was not found in the directory '${tenant}'. This can ` +
      'happen if the application has not been installed by the administrator of the tenant or consented to by ' +
      'any user in the tenant. You may have sent your authentication request to the wrong tenant.',
  }),
  missingClientSecret: (): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000216,
    description:
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
  }),
  invalidClientSecret: (clientId: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    description:
      'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, ' +
      `not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  unsupportedAssertionType: (type: string): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 50027,
    description: `Invalid client_assertion_type '${echo(type)}': only urn:ietf:params:oauth:client-assertion-type:jwt-bearer is supported.`,
  }),
  malformedAssertion: (): EntraError => ({
    status: 400,
    error: 'invalid_request',
    code: 50027,
    description: 'JWT token is invalid or malformed.',
  }),
  /** The assertion names another app in `iss`/`sub` than the `client_id` parameter. */
  assertionClientMismatch: (): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700021,
    description: "Client assertion application identifier doesn't match 'client_id' parameter.",
  }),
  assertionAudience: (audience: string, expected: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    description: `Client assertion failed audience validation: '${echo(audience)}' is not '${expected}'.`,
  }),
  unknownCertificate: (thumbprint: string, clientId: string): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    description:
      `The certificate with identifier used to sign the client assertion is not registered on application. ` +
      `[Reason - The key was not found., Thumbprint of key used by client: '${echo(thumbprint)}', ` +
      `Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`,
  }),
  invalidAssertionSignature: (): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700027,
    description: 'Client assertion contains an invalid signature.',
  }),
  assertionExpired: (): EntraError => ({
    status: 401,
    error: 'invalid_client',
    code: 700024,
    description: 'Client assertion is not within its valid time range.',
  }),
  noFederatedIssuer: (issuer: string): EntraError => noFederatedMatch(700211, 'issuer', issuer),
  noFederatedAudience: (audience: string): EntraError => noFederatedMatch(700212, 'audience', audience),
  noFederatedSubject: (subject: string): EntraError => noFederatedMatch(700213, 'subject', subject),
  invalidInstance: (): EntraError => ({
    status: 400,
    error: 'invalid_instance',
    code: 50049,
    description: 'Unknown or invalid instance.',
  }),
} as const;

/** Identifies one request: Entra's own trace id, and the client's `client-request-id`. */
export interface RequestIds {
  readonly traceId: string;
  readonly correlationId: string;
}

/** The response body for `failure`. */
export function errorBody(failure: EntraError, ids: RequestIds, at: Date = new Date()): EntraErrorBody {
  const { traceId, correlationId } = ids;
  // Entra's format: `2023-05-06 06:03:00Z`.
  const timestamp = `${at.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    error: failure.error,
    error_description:
      `AADSTS${failure.code}: ${failure.description}\r\nTrace ID: ${traceId}\r\n` +
      `Correlation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [failure.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${failure.code}`,
  };
}
