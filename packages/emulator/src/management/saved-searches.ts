// Workspace functions through Resource Manager: `PUT` and `GET …/Microsoft.OperationalInsights/
// workspaces/{ws}/savedSearches/{name}` (api-version 2020-08-01 and later), so an ARM deployment
// step or a management client can deploy a solution's parsers to the emulator. A saved search
// with a `functionAlias` becomes a function queries can call; one without is kept as a query.

import type { FastifyReply } from 'fastify';
import { isRecord } from '../catalog/read-definitions.js';
import { savedSearchFunction } from '../workspace/saved-searches.js';
import { WorkspaceError } from '../workspace/workspace-error.js';
import type { Workspace } from '../workspace/workspace-functions.js';
import {
  armError,
  EMULATOR_RESOURCE_GROUP,
  EMULATOR_WORKSPACE_NAME,
  type ArmScope,
} from './arm-resources.js';

const SCOPE = '^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/';
export const SAVED_SEARCH_PATH = new RegExp(
  `${SCOPE}microsoft\\.operationalinsights/workspaces/([^/]+)/savedsearches/([^/]+)/?$`,
  'i',
);

/** The saved searches PUT so far, by name (lower case), as ARM returns them. */
export type SavedSearches = Map<string, Record<string, unknown>>;

interface Target {
  readonly scope: ArmScope;
  readonly workspace: string;
  readonly name: string;
}

function target(match: RegExpExecArray): Target {
  const [, subscriptionId = '', resourceGroup = '', workspace = '', name = ''] = match;
  return { scope: { subscriptionId, resourceGroup }, workspace, name };
}

/** Why the path is not one of the emulator's workspace, or undefined. */
function misplaced(t: Target): string | undefined {
  if (t.scope.resourceGroup.toLowerCase() !== EMULATOR_RESOURCE_GROUP)
    return `Resource group '${t.scope.resourceGroup}' could not be found. The emulator hosts its workspace in '${EMULATOR_RESOURCE_GROUP}'.`;
  if (t.workspace.toLowerCase() !== EMULATOR_WORKSPACE_NAME)
    return `The workspace '${t.workspace}' was not found; the emulator's is '${EMULATOR_WORKSPACE_NAME}'.`;
  return undefined;
}

function resourceOf(t: Target, properties: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    id: `/subscriptions/${t.scope.subscriptionId}/resourceGroups/${t.scope.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${t.workspace}/savedSearches/${t.name}`,
    name: t.name,
    type: 'Microsoft.OperationalInsights/workspaces/savedSearches',
    etag: 'W/"datetime\'emulator\'"',
    properties,
  };
}

/** `PUT`: stores the saved search; a `functionAlias` makes it a function (replacing one of that name). 200. */
export function putSavedSearch(
  reply: FastifyReply,
  match: RegExpExecArray,
  body: unknown,
  state: { readonly workspace: Workspace; readonly saved: SavedSearches },
): FastifyReply {
  const t = target(match);
  const wrong = misplaced(t);
  if (wrong !== undefined) return reply.code(404).send(armError('ResourceNotFound', wrong));
  if (!isRecord(body) || !isRecord(body.properties))
    return reply
      .code(400)
      .send(
        armError(
          'BadRequest',
          'The request body must be { "properties": { "category", "displayName", "query", … } }.',
        ),
      );
  try {
    const fn = savedSearchFunction({ file: 'the request', path: '$', type: 'savedSearches', value: body });
    if (fn !== undefined) state.workspace.replace({ ...fn, from: `saved search ${t.name}` });
  } catch (error: unknown) {
    if (error instanceof WorkspaceError) return reply.code(400).send(armError('BadRequest', error.message));
    throw error;
  }
  const resource = resourceOf(t, body.properties);
  state.saved.set(t.name.toLowerCase(), resource);
  // The REST spec (and so @azure/arm-operationalinsights) answers 200, new or replaced.
  return reply.code(200).send(resource);
}

/** `GET`: a saved search PUT before, else 404. */
export function getSavedSearch(
  reply: FastifyReply,
  match: RegExpExecArray,
  saved: SavedSearches,
): FastifyReply {
  const t = target(match);
  const wrong = misplaced(t);
  if (wrong !== undefined) return reply.code(404).send(armError('ResourceNotFound', wrong));
  const found = saved.get(t.name.toLowerCase());
  if (found === undefined)
    return reply
      .code(404)
      .send(
        armError(
          'ResourceNotFound',
          `The saved search '${t.name}' was not found in workspace '${t.workspace}'.`,
        ),
      );
  return reply.code(200).send(found);
}
