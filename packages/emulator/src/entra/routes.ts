// The emulated Entra ID on a Fastify instance: the discovery documents MSAL reads and the
// client-credentials token endpoint, answering as login.microsoftonline.com does.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Catalog, TokenIssuer } from '../model.js';
import { appDirectory, grantClientCredentials } from './client-credentials.js';
import type { AppDirectory } from './client-credentials.js';
import { instanceDiscovery, openIdConfiguration, signingKeys } from './discovery.js';
import type { EntraError, RequestIds } from './entra-errors.js';
import { entraErrors, errorBody } from './entra-errors.js';

export interface EntraRoutesDeps {
  /** The tenant id and the app registrations whose client id and secret the token endpoint accepts. */
  readonly catalog: Catalog;
  /** Issues the access tokens (and, elsewhere, verifies them). */
  readonly tokens: TokenIssuer;
  /** The emulator's https origin once it listens, e.g. `https://127.0.0.1:4443`. */
  readonly origin: () => string;
}

interface TenantParams {
  readonly tenant: string;
}

const FORM = 'application/x-www-form-urlencoded';
/** A token request is a few hundred bytes; nothing legitimate comes close to this. */
const FORM_BODY_LIMIT = 64 * 1024;
const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Registers `GET /{tenant}/v2.0/.well-known/openid-configuration`, `GET /{tenant}/discovery/v2.0/keys`,
 * `GET /common/discovery/instance` and `POST /{tenant}/oauth2/v2.0/token` (client credentials).
 * The form-body parser they need is scoped to these routes.
 */
export function entraRoutes(app: FastifyInstance, deps: EntraRoutesDeps): void {
  const apps = appDirectory(deps.catalog.apps);
  const tenantId = deps.catalog.tenantId;
  const isTenant = (tenant: string): boolean => tenant.toLowerCase() === tenantId.toLowerCase();

  // Registration errors surface from app.ready()/listen(), like those of any plugin.
  void app.register((scope, _options, done) => {
    if (!scope.hasContentTypeParser(FORM)) {
      scope.addContentTypeParser(
        FORM,
        { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT },
        (_request, body, parsed) => {
          parsed(null, new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')));
        },
      );
    }

    registerDiscovery(scope, deps, isTenant);
    registerTokenEndpoint(scope, deps, apps, isTenant);
    done();
  });
}

function send(reply: FastifyReply, status: number, body: unknown, ids: RequestIds): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store, no-cache')
    .header('pragma', 'no-cache')
    .header('x-ms-request-id', ids.traceId)
    .header('client-request-id', ids.correlationId)
    .send(body);
}

function sendError(reply: FastifyReply, failure: EntraError, ids: RequestIds): FastifyReply {
  return send(reply, failure.status, errorBody(failure, ids), ids);
}

/** A fresh trace id, and the client's `client-request-id` (query, header or form) as correlation id. */
function requestIds(request: FastifyRequest): RequestIds {
  const query = request.query as Record<string, unknown>;
  const candidates = [
    query['client-request-id'],
    request.headers['client-request-id'],
    request.body instanceof URLSearchParams ? request.body.get('client-request-id') : undefined,
  ];
  const correlationId = candidates.find(
    (value): value is string => typeof value === 'string' && GUID.test(value),
  );
  return { traceId: randomUUID(), correlationId: correlationId ?? randomUUID() };
}

/**
 * The origin the client addressed, when it is another loopback name for the emulator (e.g.
 * `https://localhost:4443` for `https://127.0.0.1:4443`): MSAL accepts an issuer only on the
 * authority's own host. Anything else gets the configured origin.
 */
function requestOrigin(request: FastifyRequest, configured: string): string {
  const host = request.headers.host;
  if (host === undefined) return configured;
  try {
    const addressed = new URL(`https://${host}`);
    const own = new URL(configured);
    const isAlias =
      addressed.port === own.port &&
      LOOPBACK_HOSTNAMES.has(addressed.hostname) &&
      LOOPBACK_HOSTNAMES.has(own.hostname);
    return isAlias ? addressed.origin : configured;
  } catch {
    return configured;
  }
}

/**
 * The tenant of the `authorization_endpoint` that instance discovery asks about, or undefined
 * when that endpoint is not on this emulator. Without the parameter, the emulator's tenant.
 */
function tenantOfAuthorizationEndpoint(
  value: string | string[] | undefined,
  origin: string,
  tenantId: string,
): string | undefined {
  if (value === undefined) return tenantId;
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    if (url.origin !== origin) return undefined;
    const tenant = url.pathname.split('/')[1];
    return tenant === undefined || tenant === '' ? undefined : tenant;
  } catch {
    return undefined;
  }
}

/** The OpenID configuration, the signing keys and instance discovery an MSAL client reads first. */
function registerDiscovery(
  scope: FastifyInstance,
  deps: EntraRoutesDeps,
  isTenant: (tenant: string) => boolean,
): void {
  const tenantId = deps.catalog.tenantId;
  scope.get<{ Params: TenantParams }>('/:tenant/v2.0/.well-known/openid-configuration', (request, reply) => {
    const ids = requestIds(request);
    if (!isTenant(request.params.tenant)) {
      return sendError(reply, entraErrors.tenantNotFound(request.params.tenant, 'invalid_tenant'), ids);
    }
    return send(reply, 200, openIdConfiguration(requestOrigin(request, deps.origin()), tenantId), ids);
  });

  scope.get<{ Params: TenantParams }>('/:tenant/discovery/v2.0/keys', (request, reply) => {
    const ids = requestIds(request);
    if (!isTenant(request.params.tenant)) {
      return sendError(reply, entraErrors.tenantNotFound(request.params.tenant, 'invalid_tenant'), ids);
    }
    return send(reply, 200, signingKeys(), ids);
  });

  scope.get<{ Querystring: Record<string, string | string[] | undefined> }>(
    '/common/discovery/instance',
    (request, reply) => {
      const ids = requestIds(request);
      const origin = requestOrigin(request, deps.origin());
      const tenant = tenantOfAuthorizationEndpoint(request.query['authorization_endpoint'], origin, tenantId);
      if (tenant === undefined) return sendError(reply, entraErrors.invalidInstance(), ids);
      return send(reply, 200, instanceDiscovery(origin, tenant), ids);
    },
  );
}

/** The token endpoint: client credentials, with a secret, a certificate or a federated assertion. */
function registerTokenEndpoint(
  scope: FastifyInstance,
  deps: EntraRoutesDeps,
  apps: AppDirectory,
  isTenant: (tenant: string) => boolean,
): void {
  const tenantId = deps.catalog.tenantId;
  scope.post<{ Params: TenantParams }>('/:tenant/oauth2/v2.0/token', (request, reply) => {
    const ids = requestIds(request);
    if (!isTenant(request.params.tenant)) {
      return sendError(reply, entraErrors.tenantNotFound(request.params.tenant, 'invalid_request'), ids);
    }
    const outcome = grantClientCredentials(
      {
        // Entra reads only a form body; any other body carries no parameters.
        form: request.body instanceof URLSearchParams ? request.body : new URLSearchParams(),
        authorization: request.headers.authorization,
        tenantId,
        ownOrigin: deps.origin(),
        tokenEndpoint: `${requestOrigin(request, deps.origin())}/${request.params.tenant}/oauth2/v2.0/token`,
      },
      apps,
      deps.tokens,
    );
    return outcome.ok ? send(reply, 200, outcome.body, ids) : sendError(reply, outcome.failure, ids);
  });
}
