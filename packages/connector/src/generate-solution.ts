// Generates the Azure-Sentinel solution folder (CCF Push connector) from a mapping: pure, deterministic.

import { streamDeclaration, tableSchema } from '@otel-sentinel/mapping';
import type { MappingConfig, TableSchema } from '@otel-sentinel/mapping';
import { analyticRuleFiles, ANALYTIC_RULES_FOLDER, type AnalyticRuleFile } from './analytic-rules.js';
import { connectorDefinition } from './connector-definition.js';
import { ConnectorError } from './errors.js';
import { dcrFlows } from './dcr-flows.js';
import { jsonText } from './json.js';
import { connectorId, folderName, solutionInfoOf } from './solution-info.js';
import type { PartialSolutionInfo, SolutionInfo } from './solution-info.js';
import { solutionWorkbooks, type SolutionWorkbooks } from './workbook.js';
import { solutionParsers } from './asim-solution.js';

export interface GeneratedFile {
  /** Relative, `/`-separated, e.g. `Solutions/ContosoAudit/Data Connectors/ContosoAudit_ccf/table.json`. */
  readonly path: string;
  readonly content: string;
}

export interface GenerateOptions {
  /** Values that override the mapping's `solution:` section field by field (CLI flags). */
  readonly solution?: PartialSolutionInfo;
  /** The date written as `firstPublishDate`/`lastPublishDate`; default today. Pass one for reproducible output. */
  readonly now?: Date;
  /**
   * Analytic rule templates to ship in `Analytic Rules/` and list in the solution file, e.g.
   * `@otel-sentinel/owasp`'s detections for a mapping that writes OwaspSecurityEvents_CL
   * (`usesOwaspTable(config)`). Each rule's `requiredDataConnectors` entries for this solution's
   * tables get this solution's connector id. Default: none.
   */
  readonly analyticRules?: readonly AnalyticRuleFile[];
  /**
   * Also ship `Im_<Schema>Custom` and `ASim_<Schema>Custom`, the custom unifiers that plug the
   * ASIM parsers into Microsoft's `_Im_<Schema>` / `_ASim_<Schema>`. A workspace has one of each:
   * deploying these replaces the customer's own. Default false.
   */
  readonly asimCustomUnifiers?: boolean;
}

const DESTINATION = 'clv2ws1';
const DCE_ID =
  "[concat(subscription().id, '/resourceGroups/', resourceGroup().name, '/providers/Microsoft.Insights/dataCollectionEndpoints/', parameters('workspace'))]";

function tableResource(t: TableSchema): object {
  return {
    type: 'Microsoft.OperationalInsights/workspaces/tables',
    apiVersion: '2025-07-01',
    name: t.name,
    properties: {
      schema: { name: t.name, columns: t.columns.map((c) => ({ name: c.name, type: c.type })) },
    },
  };
}

export function generateSolution(config: MappingConfig, options: GenerateOptions = {}): GeneratedFile[] {
  const info: SolutionInfo = solutionInfoOf(config, options.solution);
  if (config.streams.length === 0) throw new ConnectorError('E_NO_STREAMS', ['the mapping has no streams']);

  const folder = folderName(info.name);
  const id = connectorId(info.name);
  const names = { id, definitionName: `${id}Push` };
  const root = `Solutions/${folder}`;
  const ccf = `Data Connectors/${id}_ccf`;
  const tables = config.streams.map((s) => tableSchema(s));
  const streams = config.streams.map((s) => streamDeclaration(s).name);

  // One resource per file, as the Azure-Sentinel packager reads them: it links the table named by
  // the DCR's first data flow, then adds every other file whose `type` is a table.
  const tableFiles = tables.map((t, i) => ({
    path: `${root}/${ccf}/${i === 0 ? 'table.json' : `table_${t.name}.json`}`,
    content: jsonText(tableResource(t)),
  }));
  const rules = analyticRuleFiles(
    options.analyticRules ?? [],
    names.definitionName,
    new Set(tables.map((t) => t.name)),
  );
  if (rules.problems.length > 0) throw new ConnectorError('E_ANALYTIC_RULE', rules.problems);
  const date = (options.now ?? new Date()).toISOString().slice(0, 10);
  const workbooks = solutionWorkbooks(
    info,
    names.definitionName,
    config.streams,
    options.analyticRules ?? [],
  );
  const parsers = solutionParsers(config, info, date, {
    customUnifiers: options.asimCustomUnifiers === true,
  });

  return [
    {
      path: `${root}/Data/Solution_${folder}.json`,
      content: jsonText(solutionFile(info, folder, ccf, rules.files, workbooks, parsers.files)),
    },
    { path: `${root}/SolutionMetadata.json`, content: jsonText(solutionMetadata(info, date)) },
    {
      path: `${root}/ReleaseNotes.md`,
      content: `# ${info.name}\n\n## v${info.version}\n\n- Initial release\n`,
    },
    ...tableFiles,
    { path: `${root}/${ccf}/DCR.json`, content: jsonText(dcrResource(config, id, tables)) },
    {
      path: `${root}/${ccf}/connectorDefinition.json`,
      content: jsonText(connectorDefinition(info, names, tables, streams)),
    },
    {
      path: `${root}/${ccf}/dataConnector.json`,
      content: jsonText(dataConnector(id, names.definitionName, streams)),
    },
    ...rules.files.map((f) => ({ path: `${root}/${f.path}`, content: f.content })),
    ...workbooks.files.map((f) => ({ path: `${root}/${f.path}`, content: f.content })),
    ...parsers.files.map((f) => ({ path: `${root}/${f.path}`, content: f.content })),
  ];
}

/** The DCR: one data flow per stream into its table, through the workspace's DCE. */
function dcrResource(config: MappingConfig, id: string, tables: readonly TableSchema[]): object {
  return {
    name: `${id}PushDCR`,
    apiVersion: '2021-09-01-preview',
    type: 'Microsoft.Insights/dataCollectionRules',
    location: "[parameters('workspace-location')]",
    dependsOn: tables.map(
      (t) =>
        `[resourceId('Microsoft.OperationalInsights/workspaces/tables', parameters('workspace'), '${t.name}')]`,
    ),
    properties: {
      // The DCE named like the workspace: the form Microsoft's CCF Push guide, its published Push
      // solutions and its packager (createCCPConnector.ps1, which writes it when absent) use. A
      // `<workspace>-dce` name points at an endpoint nothing in the deployment creates.
      dataCollectionEndpointId: DCE_ID,
      ...dcrFlows(config, DESTINATION),
    },
  };
}

/** The Push data connector: the DCR stream it sends to and the Entra app it authenticates as. */
function dataConnector(id: string, definitionName: string, streams: readonly string[]): object {
  return {
    name: `${id}PushConnector`,
    apiVersion: '2024-09-01',
    type: 'Microsoft.SecurityInsights/dataConnectors',
    kind: 'Push',
    properties: {
      connectorDefinitionName: definitionName,
      dcrConfig: {
        streamName: streams[0] ?? '',
        dataCollectionEndpoint: "[[parameters('dcrConfig').dataCollectionEndpoint]",
        dataCollectionRuleImmutableId: "[[parameters('dcrConfig').dataCollectionRuleImmutableId]",
      },
      auth: {
        type: 'Push',
        AppId: "[[parameters('auth').appId]",
        ServicePrincipalId: "[[parameters('auth').servicePrincipalId]",
      },
      request: { RetryCount: 1 },
      response: { eventsJsonPaths: ['$'] },
    },
  };
}

/** Data/Solution_<Folder>.json, as the Azure-Sentinel packager reads it. */
function solutionFile(
  info: SolutionInfo,
  folder: string,
  ccf: string,
  ruleFiles: readonly { readonly path: string }[],
  workbooks: SolutionWorkbooks,
  parserFiles: readonly { readonly path: string }[],
): object {
  return {
    Name: folder,
    Author: `${info.publisher} - ${info.support.email}`,
    ...(info.logo !== undefined ? { Logo: info.logo } : {}),
    Description: info.description,
    'Data Connectors': [`${ccf}/connectorDefinition.json`],
    ...(parserFiles.length > 0 ? { Parsers: parserFiles.map((f) => f.path) } : {}),
    ...(ruleFiles.length > 0 ? { [ANALYTIC_RULES_FOLDER]: ruleFiles.map((f) => f.path) } : {}),
    Workbooks: workbooks.paths,
    WorkbookDescription: workbooks.descriptions,
    BasePath: `C:\\GitHub\\Azure-Sentinel\\Solutions\\${folder}`,
    Version: info.version,
    Metadata: 'SolutionMetadata.json',
    TemplateSpec: true,
    Is1PConnector: false,
  };
}

/** SolutionMetadata.json: publisher, offer, dates and support. */
function solutionMetadata(info: SolutionInfo, date: string): object {
  return {
    publisherId: info.publisherId,
    offerId: info.offerId,
    firstPublishDate: date,
    lastPublishDate: date,
    providers: [info.publisher],
    categories: { domains: ['Security - Threat Protection'], verticals: [] },
    support: {
      name: info.support.name,
      email: info.support.email,
      tier: info.support.tier,
      link: info.support.link,
    },
  };
}
