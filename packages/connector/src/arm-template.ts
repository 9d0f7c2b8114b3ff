// Generates `deploy/azuredeploy.json`: one ARM template that deploys, into an existing workspace, the
// custom tables, a DCE (or a `kind: Direct` DCR), the DCR and the Monitoring Metrics Publisher role
// assignment for the ingesting principal. Pure and deterministic.

import { streamDeclaration, tableSchema } from '@otel-sentinel/mapping';
import type { MappingConfig, TableSchema } from '@otel-sentinel/mapping';
import type { AnalyticRuleFile } from './analytic-rules.js';
import { ConnectorError } from './errors.js';
import type { GeneratedFile } from './generate-solution.js';
import { dcrFlows } from './dcr-flows.js';
import { jsonText } from './json.js';
import { armWorkbooks } from './workbook.js';
import { armParsers } from './asim-solution.js';

export interface ArmTemplateOptions {
  /**
   * Deploy a `kind: Direct` DCR with its own logs ingestion endpoint instead of a separate data
   * collection endpoint (DCE).
   */
  readonly direct?: boolean;
  /**
   * The analytic rules deployed with the mapping's tables (as `generateSolution` takes them): only
   * their names are read, for the workbooks' panel of the rules' alerts. Default: none, and that
   * panel says so.
   */
  readonly analyticRules?: readonly AnalyticRuleFile[];
  /**
   * Also deploy `Im_<Schema>Custom` and `ASim_<Schema>Custom`, which replace the workspace's own
   * custom unifiers of the same name (see `GenerateOptions.asimCustomUnifiers`). Default false.
   */
  readonly asimCustomUnifiers?: boolean;
}

export const ARM_TEMPLATE_PATH = 'deploy/azuredeploy.json';

/** Monitoring Metrics Publisher: the built-in role the Logs Ingestion API requires on the DCR. */
export const MONITORING_METRICS_PUBLISHER = '3913510d-42f4-4e42-8a64-420c390055eb';

const API = {
  tables: '2025-07-01',
  dataCollectionEndpoints: '2022-06-01',
  dataCollectionRules: '2022-06-01',
  /** `kind: Direct` DCRs (with `endpoints.logsIngestion`) need this version. */
  dataCollectionRulesDirect: '2023-03-11',
  roleAssignments: '2022-04-01',
} as const;

const DESTINATION = 'workspace';
const WORKSPACE_ID = "[variables('workspaceResourceId')]";
const DCE_ID = "[resourceId('Microsoft.Insights/dataCollectionEndpoints', parameters('dceName'))]";
const DCR_ID = "[resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName'))]";

function tableId(name: string): string {
  return `[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspaceName'), '${name}')]`;
}

function tableResource(t: TableSchema): object {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    apiVersion: API.tables,
    name: `[format('{0}/{1}', parameters('workspaceName'), '${t.name}')]`,
    properties: {
      plan: 'Analytics',
      schema: { name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) },
    },
  };
}

export function generateArmTemplate(config: MappingConfig, options: ArmTemplateOptions = {}): GeneratedFile {
  if (config.streams.length === 0) throw new ConnectorError('E_NO_STREAMS', ['the mapping has no streams']);
  const direct = options.direct === true;
  const tables = config.streams.map((s) => tableSchema(s));
  const dcrApi = direct ? API.dataCollectionRulesDirect : API.dataCollectionRules;
  const variables = {
    workspaceResourceId:
      "[resourceId('Microsoft.OperationalInsights/workspaces', parameters('workspaceName'))]",
  };
  const template = {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    parameters: parametersOf(direct),
    variables,
    resources: [
      ...tables.map(tableResource),
      ...(direct ? [] : [DCE_RESOURCE]),
      dcrResource(config, tables, direct, dcrApi),
      ROLE_ASSIGNMENT,
      ...armWorkbooks(config.streams, options.analyticRules ?? [], WORKSPACE_ID, "[parameters('location')]"),
      ...armParsers(config, { customUnifiers: options.asimCustomUnifiers === true }, tableId),
    ],
    outputs: outputsOf(config, direct, dcrApi),
  };
  return { path: ARM_TEMPLATE_PATH, content: jsonText(template) };
}

/** The template's parameters: the workspace, region, principal, and the names of what it creates. */
function parametersOf(direct: boolean): object {
  return {
    workspaceName: {
      type: 'string',
      metadata: {
        description:
          'Name of the existing Log Analytics workspace (with Microsoft Sentinel) in this resource group; the custom tables are created in it.',
      },
    },
    location: {
      type: 'string',
      defaultValue: '[resourceGroup().location]',
      metadata: {
        description: "Region for the DCR and DCE; must be the workspace's region.",
      },
    },
    principalId: {
      type: 'string',
      metadata: {
        description:
          'Object id of the service principal (Entra app) or managed identity that runs the exporter and ingests the rows; it is granted Monitoring Metrics Publisher on the DCR.',
      },
    },
    ...(direct
      ? {}
      : {
          dceName: {
            type: 'string',
            // Named like the workspace by default: the DCE a CCF Push solution's DCR points at
            // (generate-solution.ts), so the two deployments share one endpoint, not two.
            defaultValue: "[parameters('workspaceName')]",
            metadata: {
              description:
                'Name of the data collection endpoint to create or update; by default the workspace name, the DCE a Sentinel Push connector uses.',
            },
          },
        }),
    dcrName: {
      type: 'string',
      defaultValue: "[format('{0}-otel-sentinel-dcr', parameters('workspaceName'))]",
      metadata: { description: 'Name of the data collection rule to create.' },
    },
  };
}

const DCE_RESOURCE = {
  type: 'Microsoft.Insights/dataCollectionEndpoints',
  apiVersion: API.dataCollectionEndpoints,
  name: "[parameters('dceName')]",
  location: "[parameters('location')]",
  properties: { networkAcls: { publicNetworkAccess: 'Enabled' } },
};

/** The DCR: one data flow per stream into its table, through the DCE unless `direct`. */
function dcrResource(
  config: MappingConfig,
  tables: readonly TableSchema[],
  direct: boolean,
  dcrApi: string,
): object {
  return {
    type: 'Microsoft.Insights/dataCollectionRules',
    apiVersion: dcrApi,
    name: "[parameters('dcrName')]",
    location: "[parameters('location')]",
    ...(direct ? { kind: 'Direct' } : {}),
    dependsOn: [...tables.map((t) => tableId(t.name)), ...(direct ? [] : [DCE_ID])],
    properties: {
      ...(direct ? {} : { dataCollectionEndpointId: DCE_ID }),
      ...dcrFlows(config, DESTINATION),
    },
  };
}

/** Lets the exporter's identity ingest through the DCR. */
const ROLE_ASSIGNMENT = {
  type: 'Microsoft.Authorization/roleAssignments',
  apiVersion: API.roleAssignments,
  scope: "[format('Microsoft.Insights/dataCollectionRules/{0}', parameters('dcrName'))]",
  name: `[guid(resourceId('Microsoft.Insights/dataCollectionRules', parameters('dcrName')), parameters('principalId'), '${MONITORING_METRICS_PUBLISHER}')]`,
  dependsOn: [DCR_ID],
  properties: {
    roleDefinitionId: `[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '${MONITORING_METRICS_PUBLISHER}')]`,
    principalId: "[parameters('principalId')]",
    principalType: 'ServicePrincipal',
  },
};

/** What the exporter needs, as the environment variables it reads. */
function outputsOf(config: MappingConfig, direct: boolean, dcrApi: string): object {
  const decls = config.streams.map((s) => streamDeclaration(s));
  return {
    SENTINEL_DCE_ENDPOINT: {
      type: 'string',
      value: direct
        ? `[reference(${DCR_ID.slice(1, -1)}, '${dcrApi}').endpoints.logsIngestion]`
        : `[reference(${DCE_ID.slice(1, -1)}, '${API.dataCollectionEndpoints}').logsIngestion.endpoint]`,
    },
    SENTINEL_DCR_IMMUTABLE_ID: {
      type: 'string',
      value: `[reference(${DCR_ID.slice(1, -1)}, '${dcrApi}').immutableId]`,
    },
    SENTINEL_STREAM_NAMES: {
      type: 'array',
      value: decls.map((d) => d.name),
    },
  };
}
