// The emulator's DCRs and tables as Azure Resource Manager returns them: the shapes of
// `GET …/Microsoft.Insights/dataCollectionRules/{name}` (api-version 2022-06-01 and later) and
// `GET …/Microsoft.OperationalInsights/workspaces/{ws}/tables/{table}` (2022-10-01 and later),
// after the REST API specs' examples. Fields the emulator cannot know (location, etag,
// systemData, retention) get fixed, plausible values: assumed.

import type { Catalog, ColumnDef, DcrDef, TableDef } from '../model.js';

/** The resource group and workspace name the emulator answers for (any subscription). */
export const EMULATOR_RESOURCE_GROUP = 'otel-sentinel-emulator';
export const EMULATOR_WORKSPACE_NAME = 'otel-sentinel-emulator';
/** The `destinations.logAnalytics[].name` of every emulated DCR. */
const DESTINATION = 'workspace';
const LOCATION = 'local';

export interface ArmScope {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
}

function workspaceId(scope: ArmScope, name: string): string {
  return `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${name}`;
}

/** The Tables API writes `dateTime`; stream declarations write `datetime`. */
function tableColumnType(type: ColumnDef['type']): string {
  return type === 'datetime' ? 'dateTime' : type;
}

/** A DCR named by its immutable id (the catalog knows DCRs by id only). */
export function dcrResource(catalog: Catalog, dcr: DcrDef, scope: ArmScope): Record<string, unknown> {
  return {
    id: `/subscriptions/${scope.subscriptionId}/resourceGroups/${scope.resourceGroup}/providers/Microsoft.Insights/dataCollectionRules/${dcr.immutableId}`,
    name: dcr.immutableId,
    type: 'Microsoft.Insights/dataCollectionRules',
    location: LOCATION,
    kind: 'Direct',
    properties: {
      immutableId: dcr.immutableId,
      streamDeclarations: Object.fromEntries(
        [...dcr.streams].map(([stream, columns]) => [
          stream,
          { columns: columns.map((c) => ({ name: c.name, type: c.type })) },
        ]),
      ),
      destinations: {
        logAnalytics: [
          {
            workspaceResourceId: workspaceId(scope, EMULATOR_WORKSPACE_NAME),
            workspaceId: catalog.workspaceId,
            name: DESTINATION,
          },
        ],
      },
      dataFlows: dcr.dataFlows.map((f) => ({
        streams: [f.stream],
        destinations: [DESTINATION],
        transformKql: f.transformKql,
        outputStream: `Custom-${f.outputTable}`,
      })),
      provisioningState: 'Succeeded',
    },
  };
}

/** A DCR-based custom table; `TenantId` and `Type` as the standard columns (assumed). */
export function tableResource(table: TableDef, scope: ArmScope, workspace: string): Record<string, unknown> {
  return {
    id: `${workspaceId(scope, workspace)}/tables/${table.name}`,
    name: table.name,
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    properties: {
      retentionInDays: 30,
      totalRetentionInDays: 30,
      archiveRetentionInDays: 0,
      plan: 'Analytics',
      retentionInDaysAsDefault: true,
      totalRetentionInDaysAsDefault: true,
      schema: {
        name: table.name,
        tableType: 'CustomLog',
        tableSubType: 'DataCollectionRuleBased',
        columns: table.columns.map((c) => ({ name: c.name, type: tableColumnType(c.type), isHidden: false })),
        standardColumns: [
          { name: 'TenantId', type: 'guid', isHidden: false },
          { name: 'Type', type: 'string', isHidden: false },
        ],
        solutions: ['LogManagement'],
      },
      provisioningState: 'Succeeded',
    },
  };
}

/** ARM's error body: `{ "error": { "code", "message" } }`. */
export function armError(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}
