// Who the emulator serves, whatever the catalog is learned from (mapping files or DCR and table
// JSON): the tenant, the workspace, the app registrations and the clients allowed to ingest.

import { ConfigError } from '@otel-sentinel/mapping';
import type { AppRegistration, Catalog, DcrDef, TableDef } from '../model.js';
import { DEMO_APP, DEMO_TENANT_ID, DEMO_WORKSPACE_ID } from './demo-identity.js';

export interface CatalogIdentityOptions {
  /** The tenant tokens are issued in (a GUID). Default `DEMO_TENANT_ID`. */
  readonly tenantId?: string;
  /** The workspace the query API serves (a GUID). Default `DEMO_WORKSPACE_ID`. */
  readonly workspaceId?: string;
  /** App registrations that may get tokens. Default one: `DEMO_APP`. */
  readonly apps?: readonly AppRegistration[];
  /**
   * Client ids allowed to ingest into every DCR (the Monitoring Metrics Publisher role).
   * Default: every app. Example: `[]` to make every upload a 403.
   */
  readonly allowedClients?: readonly string[];
}

/** The identity options with their defaults, checked. */
export interface CatalogIdentity {
  readonly tenantId: string;
  readonly workspaceId: string;
  readonly apps: readonly AppRegistration[];
  readonly allowedClients: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `ConfigError` `E_CATALOG_OPTION` for a malformed catalog option, e.g. `tenantId: … is not a GUID`. */
export function catalogOptionError(option: string, message: string): ConfigError {
  return new ConfigError('E_CATALOG_OPTION', option, message);
}

/** The identity `options` ask for; throws `ConfigError` (`E_CATALOG_OPTION`) naming a malformed option. */
export function resolveIdentity(options: CatalogIdentityOptions): CatalogIdentity {
  const apps = options.apps ?? [DEMO_APP];
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const workspaceId = options.workspaceId ?? DEMO_WORKSPACE_ID;
  const allowedClients = options.allowedClients ?? apps.map((a) => a.clientId);
  const fail = (option: string, message: string): never => {
    throw catalogOptionError(option, `${option}${message}`);
  };
  if (!GUID.test(tenantId)) fail('tenantId', `: "${tenantId}" is not a GUID; use one like ${DEMO_TENANT_ID}`);
  if (!GUID.test(workspaceId))
    fail('workspaceId', `: "${workspaceId}" is not a GUID; use one like ${DEMO_WORKSPACE_ID}`);
  const ids = new Set<string>();
  for (const [i, app] of apps.entries()) {
    if (app.clientId === '') fail(`apps[${i}].clientId`, ' is empty');
    if (app.clientSecret === '') fail(`apps[${i}].clientSecret`, ' is empty');
    if (ids.has(app.clientId)) fail(`apps[${i}].clientId`, ` "${app.clientId}" is registered twice`);
    ids.add(app.clientId);
  }
  for (const id of allowedClients) {
    if (!ids.has(id)) fail('allowedClients', `: "${id}" is not the client id of any of the apps`);
  }
  return { tenantId, workspaceId, apps, allowedClients };
}

/** What a source of DCRs yields before the identity is added: per DCR, its streams and data flows. */
export type DcrContent = Omit<DcrDef, 'allowedClients'>;

/** The catalog of `dcrs` and `tables`, every DCR open to `identity.allowedClients`. */
export function assembleCatalog(
  identity: CatalogIdentity,
  dcrs: Iterable<DcrContent>,
  tables: Iterable<TableDef>,
): Catalog {
  return {
    tenantId: identity.tenantId,
    workspaceId: identity.workspaceId,
    apps: identity.apps,
    dcrs: new Map(
      [...dcrs].map((d): [string, DcrDef] => [
        d.immutableId,
        { ...d, allowedClients: new Set(identity.allowedClients) },
      ]),
    ),
    tables: new Map([...tables].map((t): [string, TableDef] => [t.name, t])),
  };
}
