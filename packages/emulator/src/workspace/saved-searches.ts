// Workspace functions deployed as ARM resources: `Microsoft.OperationalInsights/workspaces/
// savedSearches` with a function alias, at the top of a template or nested in a workspace
// resource (as Microsoft's empty custom-unifier templates nest them). A saved search without an
// alias is a saved query, not a function, and is skipped.

import { findResources, isRecord, jsonPath, type FoundResource } from '../catalog/read-definitions.js';
import type { SourcedFunction } from './parser-yaml.js';
import { WorkspaceError } from './workspace-error.js';

const SAVED_SEARCH = 'microsoft.operationalinsights/workspaces/savedsearches';
const WORKSPACE = 'microsoft.operationalinsights/workspaces';

/** The functions the saved searches of the JSON at `paths` (files or folders) deploy. */
export function functionsFromSavedSearches(paths: readonly string[]): SourcedFunction[] {
  const out: SourcedFunction[] = [];
  for (const found of findResources(paths)) {
    const type = found.type.toLowerCase();
    if (type === SAVED_SEARCH) pushFunction(out, found);
    else if (type === WORKSPACE) for (const child of nestedSavedSearches(found)) pushFunction(out, child);
  }
  return out;
}

function nestedSavedSearches(workspace: FoundResource): FoundResource[] {
  const { resources } = workspace.value;
  if (!Array.isArray(resources)) return [];
  return resources.flatMap((item: unknown, i): FoundResource[] => {
    if (!isRecord(item) || typeof item.type !== 'string') return [];
    const type = item.type.toLowerCase();
    if (type !== 'savedsearches' && type !== SAVED_SEARCH) return [];
    return [
      { file: workspace.file, path: jsonPath(workspace.path, 'resources', i), type: item.type, value: item },
    ];
  });
}

function pushFunction(out: SourcedFunction[], found: FoundResource): void {
  const fn = savedSearchFunction(found);
  if (fn !== undefined) out.push(fn);
}

/** The function one saved-search resource deploys, or undefined when it has no alias. */
export function savedSearchFunction(found: FoundResource): SourcedFunction | undefined {
  const where = `${found.file} at ${found.path}`;
  const properties = found.value.properties;
  if (!isRecord(properties))
    throw new WorkspaceError('E_SAVED_SEARCH', `${where}: a saved search needs "properties" (an object)`);
  // ARM's documented spelling is functionAlias; Microsoft's parser templates write FunctionAlias.
  const alias = properties.functionAlias ?? properties.FunctionAlias;
  if (alias === undefined || alias === '') return undefined;
  const { query } = properties;
  const parameters = properties.functionParameters ?? properties.FunctionParameters;
  if (typeof alias !== 'string')
    throw new WorkspaceError('E_SAVED_SEARCH', `${where}: properties.functionAlias must be a string`);
  if (typeof query !== 'string' || query.trim() === '')
    throw new WorkspaceError(
      'E_SAVED_SEARCH',
      `${where}: the function ${alias} has no properties.query: give its KQL body there`,
    );
  if (parameters !== undefined && typeof parameters !== 'string')
    throw new WorkspaceError(
      'E_SAVED_SEARCH',
      `${where}: properties.functionParameters of ${alias} must be a string such as "disabled:bool=false"`,
    );
  return {
    name: alias,
    body: query,
    from: where,
    ...(parameters !== undefined && parameters.trim() !== '' ? { parameters } : {}),
  };
}
