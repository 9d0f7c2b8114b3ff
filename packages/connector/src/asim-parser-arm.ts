// Each ASIM parser as an ARM `Microsoft.OperationalInsights/workspaces/savedSearches` resource: a
// workspace function named and aliased like the parser, with its parameters and query.

import type { AsimParser } from './asim-parsers.js';
import { paramsText } from './asim-parser-params.js';

/** The savedSearches API version Microsoft's ASIM parser templates deploy with. */
export const SAVED_SEARCHES_API = '2020-08-01';

/** The category Microsoft's ASIM parser templates use. */
export const ASIM_FUNCTION_CATEGORY = 'ASIM';

/**
 * The resource of one parser, in a template whose workspace is `parameters('workspaceName')`.
 * `etag: '*'` overwrites a function of the same name; `tableId` names the resource of a table
 * the parser reads, so the function is saved after its table exists.
 */
export function parserResource(p: AsimParser, tableId: (table: string) => string): object {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/savedSearches',
    apiVersion: SAVED_SEARCHES_API,
    name: `[format('{0}/{1}', parameters('workspaceName'), '${p.name}')]`,
    etag: '*',
    dependsOn: p.tables.map(tableId),
    properties: {
      category: ASIM_FUNCTION_CATEGORY,
      displayName: p.title,
      functionAlias: p.name,
      functionParameters: paramsText(p.params, ','),
      query: p.query,
      version: 1,
    },
  };
}
