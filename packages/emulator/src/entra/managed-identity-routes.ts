// The managed-identity token endpoints a workload calls instead of Entra ID: the App Service /
// Container Apps / Functions identity endpoint (IDENTITY_ENDPOINT + IDENTITY_HEADER) and the
// instance metadata service (IMDS) path, reachable here through AZURE_POD_IDENTITY_AUTHORITY_HOST.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog, TokenIssuer } from '../model.js';
import { audienceForScope } from './scopes.js';

/** Where the App Service identity endpoint is served: `IDENTITY_ENDPOINT=<origin>/msi/token`. */
export const IDENTITY_ENDPOINT_PATH = '/msi/token';
/** The IMDS token path, under `AZURE_POD_IDENTITY_AUTHORITY_HOST=<origin>`. */
export const IMDS_TOKEN_PATH = '/metadata/identity/oauth2/token';

const APP_SERVICE_API_VERSION = '2019-08-01';

export interface ManagedIdentityRoutesDeps {
  /** The system-assigned identity is the first app; `client_id` picks another (user-assigned). */
  readonly catalog: Catalog;
  readonly tokens: TokenIssuer;
  /** The secret App Service puts in IDENTITY_HEADER; requests must echo it in X-IDENTITY-HEADER. */
  readonly identityHeader: string;
  readonly origin: () => string;
}

interface IdentityQuery {
  readonly 'api-version'?: string;
  readonly resource?: string;
  readonly client_id?: string;
  readonly principal_id?: string;
  readonly mi_res_id?: string;
}

export function managedIdentityRoutes(app: FastifyInstance, deps: ManagedIdentityRoutesDeps): void {
  const clientIds = new Map(deps.catalog.apps.map((entry) => [entry.clientId.toLowerCase(), entry.clientId]));
  const systemAssigned = deps.catalog.apps[0]?.clientId;
  const ctx: IdentityContext = {
    deps,
    headerDigest: digest(deps.identityHeader),
    identity: (query) =>
      query.client_id === undefined ? systemAssigned : clientIds.get(query.client_id.toLowerCase()),
  };
  app.get<{ Querystring: IdentityQuery }>(IDENTITY_ENDPOINT_PATH, (request, reply) =>
    appServiceToken(request, reply, ctx),
  );
  // MSAL asks for the IMDS path with a trailing slash; IMDS answers both spellings.
  app.get<{ Querystring: IdentityQuery }>(`${IMDS_TOKEN_PATH}/`, (request, reply) =>
    imdsToken(request, reply, ctx),
  );
  app.get<{ Querystring: IdentityQuery }>(IMDS_TOKEN_PATH, (request, reply) =>
    imdsToken(request, reply, ctx),
  );
}

interface IdentityContext {
  readonly deps: ManagedIdentityRoutesDeps;
  /** SHA-256 of IDENTITY_HEADER, compared in constant time. */
  readonly headerDigest: Buffer;
  /** The identity asked for, or undefined when the resource has no such identity. */
  readonly identity: (query: IdentityQuery) => string | undefined;
}

/** App Service's identity endpoint (`IDENTITY_ENDPOINT` + `X-IDENTITY-HEADER`). */
function appServiceToken(
  request: FastifyRequest<{ Querystring: IdentityQuery }>,
  reply: FastifyReply,
  { deps, headerDigest, identity }: IdentityContext,
): FastifyReply {
  const given = request.headers['x-identity-header'];
  if (typeof given !== 'string' || !timingSafeEqual(digest(given), headerDigest)) {
    return appServiceError(
      reply,
      401,
      'The X-IDENTITY-HEADER header is missing or does not match IDENTITY_HEADER.',
    );
  }
  const { query } = request;
  if (query['api-version'] !== APP_SERVICE_API_VERSION) {
    return appServiceError(reply, 400, `api-version must be ${APP_SERVICE_API_VERSION}.`);
  }
  if (query.principal_id !== undefined || query.mi_res_id !== undefined) {
    return appServiceError(reply, 400, 'The emulator selects identities by client_id only.');
  }
  const resource = query.resource ?? '';
  const audience = audienceForScope(`${resource}/.default`, deps.origin());
  if (audience === undefined) return appServiceError(reply, 400, `The resource '${resource}' is not valid.`);
  const clientId = identity(query);
  if (clientId === undefined) {
    return appServiceError(
      reply,
      400,
      `No managed identity with client_id '${query.client_id ?? ''}' is assigned to this app.`,
    );
  }
  const { token, expiresIn } = deps.tokens.issue(clientId, `${resource}/.default`);
  return reply
    .code(200)
    .header('cache-control', 'no-store')
    .send({
      access_token: token,
      expires_on: String(Math.floor(Date.now() / 1000) + expiresIn),
      resource,
      token_type: 'Bearer',
      client_id: clientId,
    });
}

/** The Azure Instance Metadata Service token endpoint. */
function imdsToken(
  request: FastifyRequest<{ Querystring: IdentityQuery }>,
  reply: FastifyReply,
  { deps, identity }: IdentityContext,
): FastifyReply {
  // IMDS refuses a request without `Metadata: true`, and any request that came through a proxy.
  if (request.headers.metadata !== 'true' || request.headers['x-forwarded-for'] !== undefined) {
    return imdsError(reply, 400, 'invalid_request', 'Required metadata header not specified');
  }
  const { query } = request;
  if (query['api-version'] === undefined) {
    return imdsError(reply, 400, 'invalid_request', "Required query variable 'api-version' is missing");
  }
  const resource = query.resource ?? '';
  if (audienceForScope(`${resource}/.default`, deps.origin()) === undefined) {
    return imdsError(
      reply,
      400,
      'invalid_resource',
      `AADSTS500011: The resource principal named ${resource} was not found in the tenant.`,
    );
  }
  const clientId = identity(query);
  if (clientId === undefined) return imdsError(reply, 400, 'invalid_request', 'Identity not found');
  const { token, expiresIn } = deps.tokens.issue(clientId, `${resource}/.default`);
  const now = Math.floor(Date.now() / 1000);
  // IMDS answers every number as a string.
  return reply.code(200).send({
    access_token: token,
    client_id: clientId,
    expires_in: String(expiresIn),
    expires_on: String(now + expiresIn),
    ext_expires_in: String(expiresIn),
    not_before: String(now),
    resource,
    token_type: 'Bearer',
  });
}

function appServiceError(reply: FastifyReply, status: 400 | 401, message: string): FastifyReply {
  return reply.code(status).send({ statusCode: status, message });
}

function imdsError(reply: FastifyReply, status: 400, error: string, description: string): FastifyReply {
  return reply.code(status).send({ error, error_description: description });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
