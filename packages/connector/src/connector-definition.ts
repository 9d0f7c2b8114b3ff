// connectorDefinition.json: the connector page (queries, permissions, instructions) for the mapped tables.

import type { TableSchema } from '@otel-sentinel/mapping';
import type { SolutionInfo } from './solution-info.js';

export interface ConnectorNames {
  readonly id: string;
  readonly definitionName: string;
}

interface SampleQuery {
  readonly description: string;
  readonly query: string;
}

const USER_COLUMNS = ['ActorUserId', 'ActorUsername', 'TargetUserId', 'TargetUsername', 'UserId', 'User'];
const IP_COLUMNS = ['SrcIpAddr', 'ClientIp', 'SourceIp', 'IpAddress'];
const SEVERITY_COLUMNS = ['EventSeverity', 'Severity', 'SeverityText'];

function firstPresent(table: TableSchema, candidates: readonly string[]): string | undefined {
  return candidates.find((c) => table.columns.some((col) => col.name === c));
}

/** Queries that only use columns the table has. */
export function sampleQueries(table: TableSchema): SampleQuery[] {
  const t = table.name;
  const has = (name: string): boolean => table.columns.some((c) => c.name === name);
  const out: SampleQuery[] = [
    { description: `All events in ${t}`, query: `${t}\n| sort by TimeGenerated desc\n| take 10` },
  ];
  if (has('EventName'))
    out.push({
      description: `Events by EventName in ${t}`,
      query: `${t}\n| summarize count() by EventName\n| sort by count_ desc`,
    });
  const severity = firstPresent(table, SEVERITY_COLUMNS);
  if (severity !== undefined)
    out.push({
      description: `Events by severity in ${t}`,
      query: `${t}\n| summarize count() by ${severity}\n| sort by count_ desc`,
    });
  const by = [firstPresent(table, USER_COLUMNS), firstPresent(table, IP_COLUMNS)].filter(
    (c): c is string => c !== undefined,
  );
  if (has('EventName') && by.length > 0)
    out.push({
      description: `Failures by ${by.join(' and ')} in ${t}`,
      query: `${t}\n| where EventName has_any ("fail", "failed", "denied")\n| summarize Failures = count() by ${by.join(', ')}\n| sort by Failures desc`,
    });
  return out;
}

function setupMarkdown(streams: readonly string[]): string {
  return [
    'Set these environment variables for the application that uses the otel-sentinel exporter (the values are shown above after the deployment):',
    '',
    '```sh',
    'SENTINEL_DCE_ENDPOINT=<DataCollectionEndpoint>',
    'SENTINEL_DCR_IMMUTABLE_ID=<DataCollectionRuleId>',
    'AZURE_TENANT_ID=<TenantId>',
    'AZURE_CLIENT_ID=<ApplicationId>',
    'AZURE_CLIENT_SECRET=<ApplicationSecret>',
    '```',
    '',
    `Then send security events with the same mapping file that generated this connector (stream${streams.length > 1 ? 's' : ''} ${streams.map((s) => `\`${s}\``).join(', ')}):`,
    '',
    '```ts',
    "import { createSentinelLogging } from '@otel-sentinel/exporter';",
    "const logging = await createSentinelLogging({ mapping: './security-mapping.yaml' });",
    "const logger = logging.loggerProvider.getLogger('security');",
    "logger.emit({ eventName: 'authn_login_fail', attributes: { 'security.event': true, 'user.id': 'joebob1' } });",
    'await logging.shutdown();',
    '```',
  ].join('\n');
}

function copyable(label: string, fillWith: string): object {
  return { type: 'CopyableLabel', parameters: { label, fillWith: [fillWith] } };
}

export function connectorDefinition(
  info: SolutionInfo,
  names: ConnectorNames,
  tables: readonly TableSchema[],
  streams: readonly string[],
): object {
  const first = tables[0]?.name ?? '';
  return {
    name: names.definitionName,
    apiVersion: '2022-09-01-preview',
    type: 'Microsoft.SecurityInsights/dataConnectorDefinitions',
    location: "[parameters('workspace-location')]",
    kind: 'Customizable',
    properties: {
      connectorUiConfig: {
        id: names.definitionName,
        title: `${info.name} (via otel-sentinel)`,
        publisher: info.publisher,
        descriptionMarkdown: info.description,
        ...(info.logo !== undefined ? { logo: info.logo } : {}),
        graphQueriesTableName: first,
        graphQueries: tables.map((t) => ({
          metricName: `Total events received in ${t.name}`,
          legend: t.name,
          baseQuery: t.name,
        })),
        sampleQueries: tables.flatMap(sampleQueries),
        dataTypes: tables.map((t) => ({
          name: t.name,
          lastDataReceivedQuery: `${t.name}\n| summarize Time = max(TimeGenerated)\n| where isnotempty(Time)`,
        })),
        connectivityCriteria: [
          {
            type: 'IsConnectedQuery',
            value: tables.map(
              (t) =>
                `${t.name}\n| summarize LastLogReceived = max(TimeGenerated)\n| project IsConnected = LastLogReceived > ago(30d)`,
            ),
          },
        ],
        availability: { status: 1, isPreview: false },
        permissions: PERMISSIONS,
        instructionSteps: instructionSteps(names, tables, streams),
      },
    },
  };
}

/** What the connector page says a user needs to deploy it. */
const PERMISSIONS = {
  resourceProvider: [
    {
      provider: 'Microsoft.OperationalInsights/workspaces',
      permissionsDisplayText: 'Read, write and delete permissions are required.',
      providerDisplayName: 'Workspace',
      scope: 'Workspace',
      // What Microsoft's Push references ask for. No `sharedKeys` entry: a Push connector
      // authenticates with an Entra app and never reads the workspace's shared keys.
      requiredPermissions: { read: true, write: true, delete: true },
    },
  ],
  customs: [
    {
      name: 'Microsoft Entra application',
      description:
        'Permission to create an app registration in Microsoft Entra ID (the deployment creates it); usually the Application Developer role or higher.',
    },
    {
      name: 'Azure RBAC',
      description:
        'Permission to assign the Monitoring Metrics Publisher role on the Data Collection Rule; usually Owner or User Access Administrator on the resource group.',
    },
  ],
};

/** The connector page's steps: deploy the resources, copy the values, configure the exporter. */
function instructionSteps(
  names: ConnectorNames,
  tables: readonly TableSchema[],
  streams: readonly string[],
): object[] {
  const streamLabels = streams.map((s, i) => ({
    type: 'CopyableLabel',
    parameters: {
      label: streams.length > 1 ? `Stream Name (${tables[i]?.name ?? s})` : 'Stream Name',
      value: s,
    },
  }));
  return [
    {
      title: 'Deploy the Push connector resources',
      description:
        'Creates the Microsoft Entra application, the data collection endpoint and rule, and the role assignment the exporter needs.',
      instructions: [
        {
          type: 'DeployPushConnectorButton',
          parameters: {
            label: `Deploy ${names.id} Push connector resources`,
            applicationDisplayName: `${names.id} Push Connector Application`,
          },
        },
      ],
    },
    {
      title: 'Configure your application',
      description: 'Copy these values into the configuration of the otel-sentinel exporter.',
      instructions: [
        copyable('Tenant ID (AZURE_TENANT_ID)', 'TenantId'),
        copyable('Application ID (AZURE_CLIENT_ID)', 'ApplicationId'),
        copyable('Application Secret (AZURE_CLIENT_SECRET)', 'ApplicationSecret'),
        copyable('Data Collection Endpoint (SENTINEL_DCE_ENDPOINT)', 'DataCollectionEndpoint'),
        copyable('Data Collection Rule Immutable ID (SENTINEL_DCR_IMMUTABLE_ID)', 'DataCollectionRuleId'),
        ...streamLabels,
      ],
    },
    {
      title: 'Send events with the otel-sentinel exporter',
      description: 'The environment variables and code that configure the exporter.',
      instructions: [{ type: 'Markdown', parameters: { content: setupMarkdown(streams) } }],
    },
  ];
}
