// `check --against live`: reads the DCR and the tables a mapping uses through the Azure
// management API, with Microsoft's clients (@azure/arm-monitor DataCollectionRules get,
// @azure/arm-operationalinsights Tables get), into the same Deployment the JSON files give.

import type { TokenCredential } from '@azure/identity';
import type { Deployment, DeployedTable } from '@otel-sentinel/connector';
import { CliError } from '../errors.js';

/** Where the DCR and the workspace are. */
export interface LiveTarget {
  readonly dcr: { readonly subscriptionId: string; readonly resourceGroup: string; readonly name: string };
  readonly workspace: {
    readonly subscriptionId: string;
    readonly resourceGroup: string;
    readonly name: string;
  };
  /** The Resource Manager endpoint; default `https://management.azure.com`. */
  readonly endpoint?: string;
}

/** The options `check` takes for the live form, as commander gives them. */
export interface LiveOptions {
  readonly subscription?: string;
  readonly resourceGroup?: string;
  readonly workspace?: string;
  readonly dcr?: string;
  readonly dcrId?: string;
  readonly workspaceId?: string;
  readonly managementEndpoint?: string;
}

const DCR_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Insights\/dataCollectionRules\/([^/]+)\/?$/i;
const WORKSPACE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/?$/i;

/** The target the options name; a CliError (E_USAGE) says which option is missing or malformed. */
export function liveTarget(
  options: LiveOptions,
  env: Readonly<Record<string, string | undefined>>,
): LiveTarget {
  const subscription = options.subscription ?? env.AZURE_SUBSCRIPTION_ID;
  const part = (
    id: string | undefined,
    pattern: RegExp,
    flag: string,
    name: string | undefined,
    nameFlag: string,
  ): { subscriptionId: string; resourceGroup: string; name: string } => {
    if (id !== undefined) {
      const m = pattern.exec(id);
      if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined)
        throw new CliError('E_USAGE', `${flag} is not a resource id of that kind: ${id}`);
      return { subscriptionId: m[1], resourceGroup: m[2], name: decodeURIComponent(m[3]) };
    }
    const missing = [
      subscription === undefined ? '--subscription (or AZURE_SUBSCRIPTION_ID)' : undefined,
      options.resourceGroup === undefined ? '--resource-group' : undefined,
      name === undefined ? nameFlag : undefined,
    ].filter((m) => m !== undefined);
    if (subscription === undefined || options.resourceGroup === undefined || name === undefined)
      throw new CliError('E_USAGE', `--against live needs ${flag}, or ${missing.join(' and ')}`);
    return { subscriptionId: subscription, resourceGroup: options.resourceGroup, name };
  };
  const dcr = part(options.dcrId, DCR_ID, '--dcr-id', options.dcr, '--dcr');
  const workspace = part(
    options.workspaceId,
    WORKSPACE_ID,
    '--workspace-id',
    options.workspace,
    '--workspace',
  );
  return {
    dcr,
    workspace,
    ...(options.managementEndpoint !== undefined ? { endpoint: options.managementEndpoint } : {}),
  };
}

export interface LiveReadOptions {
  readonly credential: TokenCredential;
  /** Extra client options (the tests' `tlsOptions: { ca }` for the emulator). */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
  readonly abortSignal?: AbortSignal;
}

/** The DCR and each of `tables` as deployed; a table that is not there is listed in `missingTables`. */
export async function readLiveDeployment(
  target: LiveTarget,
  tables: readonly string[],
  options: LiveReadOptions,
): Promise<Deployment> {
  const [{ MonitorClient }, { OperationalInsightsManagementClient }, { readDcr, readTable }] =
    await Promise.all([
      import('@azure/arm-monitor'),
      import('@azure/arm-operationalinsights'),
      import('@otel-sentinel/connector'),
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

/** A failed read as a CliError that says what to change. */
function liveError(error: unknown, what: string, permission: string): CliError {
  const status = statusOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (status === 404)
    return new CliError('E_LIVE', `${what} was not found: check the name, resource group and subscription`, {
      cause: error,
    });
  if (status === 401 || status === 403)
    return new CliError(
      'E_LIVE',
      `reading ${what} was refused (${status}): the identity needs ${permission} (the Reader role gives it)`,
      { cause: error },
    );
  return new CliError('E_LIVE', `cannot read ${what}: ${reason}`, { cause: error });
}
