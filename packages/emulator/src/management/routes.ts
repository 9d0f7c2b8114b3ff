// The two Azure Resource Manager reads the emulator serves for what it hosts, so
// `otel-sentinel check --against live` and Microsoft's management clients work against it:
// DataCollectionRules get and Tables get. Paths are matched case-insensitively, as ARM does
// (@azure/arm-monitor writes `resourcegroups`, @azure/arm-operationalinsights `resourceGroups`).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isOwnOrigin } from '../entra/scopes.js';
import type { Catalog, TokenIssuer } from '../model.js';
import {
  armError,
  dcrResource,
  EMULATOR_RESOURCE_GROUP,
  EMULATOR_WORKSPACE_NAME,
  tableResource,
} from './arm-resources.js';
import type { ArmScope } from './arm-resources.js';
import type { Workspace } from '../workspace/workspace-functions.js';
import { getSavedSearch, putSavedSearch, SAVED_SEARCH_PATH, type SavedSearches } from './saved-searches.js';

export interface ManagementRoutesDeps {
  readonly catalog: Catalog;
  readonly tokens: TokenIssuer;
  /** The emulator's https origin once it listens: tokens for `<origin>/.default` are accepted. */
  readonly origin: () => string;
  /** The workspace saved searches (functions) are PUT into; without it they are 404. */
  readonly workspace?: Workspace;
}

/** Resource Manager audiences, by cloud; and the emulator's own origin. */
const AUDIENCES: ReadonlySet<string> = new Set([
  'https://management.azure.com',
  'https://management.core.windows.net',
  'https://management.usgovcloudapi.net',
  'https://management.chinacloudapi.cn',
]);

const SCOPE = '^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/';
const DCR_PATH = new RegExp(`${SCOPE}microsoft\\.insights/datacollectionrules/([^/]+)/?$`, 'i');
const TABLE_PATH = new RegExp(
  `${SCOPE}microsoft\\.operationalinsights/workspaces/([^/]+)/tables/([^/]+)/?$`,
  'i',
);

/**
 * Registers `GET /subscriptions/*` (a DCR by its immutable id, a table or a saved search by name)
 * and `PUT` of a saved search (a workspace function); 404 for the rest.
 */
export function managementRoutes(app: FastifyInstance, deps: ManagementRoutesDeps): void {
  const saved: SavedSearches = new Map();
  app.get('/subscriptions/*', (request, reply) => handle(request, reply, deps, saved));
  app.put('/subscriptions/*', (request, reply) => handle(request, reply, deps, saved));
}

/** The request's path when it is authorised and versioned; else the reply sent. */
function admitted(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ManagementRoutesDeps,
): string | FastifyReply {
  const url = new URL(request.url, 'https://emulator');
  const denied = authenticate(request.headers.authorization, deps);
  if (denied !== undefined) return reply.code(401).send(armError('InvalidAuthenticationToken', denied));
  if (url.searchParams.get('api-version') === null)
    return reply
      .code(400)
      .send(
        armError(
          'MissingApiVersionParameter',
          'The api-version query parameter (?api-version=) is required for all requests.',
        ),
      );
  return decodeURIComponent(url.pathname);
}

function handle(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: ManagementRoutesDeps,
  saved: SavedSearches,
): FastifyReply {
  const path = admitted(request, reply, deps);
  if (typeof path !== 'string') return path;
  return request.method === 'PUT'
    ? put(reply, path, request.body, deps, saved)
    : read(reply, path, deps, saved);
}

function put(
  reply: FastifyReply,
  path: string,
  body: unknown,
  deps: ManagementRoutesDeps,
  saved: SavedSearches,
): FastifyReply {
  const match = SAVED_SEARCH_PATH.exec(path);
  if (match !== null && deps.workspace !== undefined)
    return putSavedSearch(reply, match, body, { workspace: deps.workspace, saved });
  return reply
    .code(404)
    .send(
      armError('NotFound', `The emulator accepts PUT of workspace saved searches only; ${path} is not one.`),
    );
}

function read(
  reply: FastifyReply,
  path: string,
  deps: ManagementRoutesDeps,
  saved: SavedSearches,
): FastifyReply {
  const search = SAVED_SEARCH_PATH.exec(path);
  if (search !== null) return getSavedSearch(reply, search, saved);
  const dcr = DCR_PATH.exec(path);
  if (dcr !== null) return getDcr(reply, deps, dcr);
  const table = TABLE_PATH.exec(path);
  if (table !== null) return getTable(reply, deps, table);
  return reply
    .code(404)
    .send(
      armError(
        'NotFound',
        `The emulator serves only DataCollectionRules, Tables and workspace savedSearches get; ${path} is none of them.`,
      ),
    );
}

/** `…/dataCollectionRules/<immutable id>`: the DCR of that id in the emulator's resource group. */
function getDcr(reply: FastifyReply, deps: ManagementRoutesDeps, match: RegExpExecArray): FastifyReply {
  const [, subscriptionId = '', resourceGroup = '', name = ''] = match;
  const scope: ArmScope = { subscriptionId, resourceGroup };
  if (!sameName(resourceGroup, EMULATOR_RESOURCE_GROUP)) return groupNotFound(reply, resourceGroup);
  const found = [...deps.catalog.dcrs.values()].find((d) => sameName(d.immutableId, name));
  if (found === undefined)
    return notFound(reply, `Microsoft.Insights/dataCollectionRules/${name}`, resourceGroup);
  return reply.code(200).send(dcrResource(deps.catalog, found, scope));
}

/** `…/workspaces/<workspace>/tables/<name>`: a table of the emulator's workspace. */
function getTable(reply: FastifyReply, deps: ManagementRoutesDeps, match: RegExpExecArray): FastifyReply {
  const [, subscriptionId = '', resourceGroup = '', workspace = '', name = ''] = match;
  if (!sameName(resourceGroup, EMULATOR_RESOURCE_GROUP)) return groupNotFound(reply, resourceGroup);
  if (!sameName(workspace, EMULATOR_WORKSPACE_NAME))
    return notFound(reply, `Microsoft.OperationalInsights/workspaces/${workspace}`, resourceGroup);
  const found = [...deps.catalog.tables.values()].find((t) => sameName(t.name, name));
  if (found === undefined)
    return notFound(
      reply,
      `Microsoft.OperationalInsights/workspaces/${workspace}/tables/${name}`,
      resourceGroup,
    );
  return reply.code(200).send(tableResource(found, { subscriptionId, resourceGroup }, workspace));
}

/** ARM resource names are case-insensitive. */
function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function notFound(reply: FastifyReply, resource: string, group: string): FastifyReply {
  return reply
    .code(404)
    .send(
      armError(
        'ResourceNotFound',
        `The Resource '${resource}' under resource group '${group}' was not found.`,
      ),
    );
}

function groupNotFound(reply: FastifyReply, group: string): FastifyReply {
  return reply
    .code(404)
    .send(
      armError(
        'ResourceGroupNotFound',
        `Resource group '${group}' could not be found. The emulator hosts its DCRs and workspace in '${EMULATOR_RESOURCE_GROUP}'.`,
      ),
    );
}

/** Why the bearer token is refused, or undefined when it is a valid management token. */
function authenticate(header: string | undefined, deps: ManagementRoutesDeps): string | undefined {
  const token = header === undefined ? undefined : /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)?.[1];
  if (token === undefined) return "The 'Authorization' header is missing or is not a Bearer token.";
  const claims = deps.tokens.verify(token);
  const expiresMs =
    claims === undefined ? 0 : claims.expiresAt < 1e12 ? claims.expiresAt * 1000 : claims.expiresAt;
  if (claims === undefined || expiresMs <= Date.now()) return 'The access token is invalid or expired.';
  if (claims.tenantId !== deps.catalog.tenantId) return 'The access token is from another tenant.';
  const audience = claims.audience
    .toLowerCase()
    .replace(/\/\.default$/, '')
    .replace(/\/+$/, '');
  if (!AUDIENCES.has(audience) && !isOwnOrigin(audience, deps.origin()))
    return `The access token's audience '${claims.audience}' is not Resource Manager's; request the scope <management endpoint>/.default.`;
  return undefined;
}
