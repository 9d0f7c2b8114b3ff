// `check --against live`: where the DCR and the workspace are, from the command's options;
// the connector's `readLiveDeployment` reads them.

import type { LiveTarget } from '@otel-sentinel/connector';
import { CliError } from '../errors.js';

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
