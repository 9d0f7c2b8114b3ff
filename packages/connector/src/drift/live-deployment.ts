// Reads the DCR and the tables a mapping uses through the Azure management API, with Microsoft's
// clients (@azure/arm-monitor DataCollectionRules get, @azure/arm-operationalinsights Tables
// get), into the same Deployment the JSON files give. Both clients are loaded on first use.

import type { TokenCredential } from '@azure/core-auth';
import type { DeployedTable, Deployment } from './deployment.js';
import { DeploymentError, readDcr, readTable } from './read-deployment.js';

/** A resource by subscription, resource group and name. */
export interface LiveResource {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
}

/** Where the DCR and the workspace are. */
export interface LiveTarget {
  /** The data collection rule (its resource name, e.g. `dcr-0123…`). */
  readonly dcr: LiveResource;
  /** The Log Analytics workspace holding the tables. */
  readonly workspace: LiveResource;
  /** The Resource Manager endpoint; default `https://management.azure.com`. */
  readonly endpoint?: string;
}

export interface LiveReadOptions {
  /** Needs `Microsoft.Insights/dataCollectionRules/read` and `…/workspaces/tables/read` (Reader). */
  readonly credential: TokenCredential;
  /** Extra client options (the tests' `tlsOptions: { ca }` for the emulator). */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
  readonly abortSignal?: AbortSignal;
}

/**
 * The DCR and each of `tables` as deployed; a table that is not there is listed in
 * `missingTables`. A DCR that is not found, or a refused or failed read, is a DeploymentError
 * that says which resource and what to change.
 */
export async function readLiveDeployment(
  target: LiveTarget,
  tables: readonly string[],
  options: LiveReadOptions,
): Promise<Deployment> {
  const [{ MonitorClient }, { OperationalInsightsManagementClient }] = await Promise.all([
    import('@azure/arm-monitor'),
    import('@azure/arm-operationalinsights'),
  ]);
  // Resource Manager's token scope is its endpoint's `/.default` in every cloud (and the emulator).
  const clientOptions = {
    ...options.clientOptions,
    ...(target.endpoint !== undefined
      ? {
          endpoint: target.endpoint,
          credentials: { scopes: [`${target.endpoint.replace(/\/+$/, '')}/.default`] },
        }
      : {}),
  };
  const request = options.abortSignal !== undefined ? { abortSignal: options.abortSignal } : {};
  const { dcr, workspace } = target;
  const monitor = new MonitorClient(options.credential, dcr.subscriptionId, clientOptions);
  const insights = new OperationalInsightsManagementClient(
    options.credential,
    workspace.subscriptionId,
    clientOptions,
  );
  const dcrName = `DCR ${dcr.name} (resource group ${dcr.resourceGroup}, subscription ${dcr.subscriptionId})`;
  const resource = await monitor.dataCollectionRules
    .get(dcr.resourceGroup, dcr.name, request)
    .catch((error: unknown) => {
      throw liveError(error, dcrName, 'Microsoft.Insights/dataCollectionRules/read');
    });
  const found: DeployedTable[] = [];
  const missingTables: string[] = [];
  for (const name of new Set(tables)) {
    const where = `table ${name} of workspace ${workspace.name} (resource group ${workspace.resourceGroup})`;
    try {
      const table = await insights.tables.get(workspace.resourceGroup, workspace.name, name, request);
      found.push(readTable(table as unknown as Readonly<Record<string, unknown>>, where));
    } catch (error: unknown) {
      if (statusOf(error) === 404) missingTables.push(name);
      else throw liveError(error, where, 'Microsoft.OperationalInsights/workspaces/tables/read');
    }
  }
  return {
    dcrs: [readDcr(resource as unknown as Readonly<Record<string, unknown>>, resource.id ?? dcrName)],
    tables: found,
    checked: { dcrs: true, tables: true },
    missingTables,
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** A failed read as a DeploymentError that says what to change. */
function liveError(error: unknown, what: string, permission: string): DeploymentError {
  const status = statusOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (status === 404)
    return new DeploymentError(`${what} was not found: check the name, resource group and subscription`, {
      cause: error,
    });
  if (status === 401 || status === 403)
    return new DeploymentError(
      `reading ${what} was refused (${status}): the identity needs ${permission} (the Reader role gives it)`,
      { cause: error },
    );
  return new DeploymentError(`cannot read ${what}: ${reason}`, { cause: error });
}
