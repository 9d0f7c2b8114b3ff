// A workbook per table, generated from the mapping: the gallery template (Workbooks/<Name>.json)
// with the WorkbooksMetadata.json entry Azure-Sentinel's gallery needs, and the
// Microsoft.Insights/workbooks resource of the --arm template. Pure and deterministic.

import { tableSchema } from '@otel-sentinel/mapping';
import type { AsimStreamSpec, StreamConfig, TableSchema } from '@otel-sentinel/mapping';
import type { AnalyticRuleFile } from './analytic-rules.js';
import { jsonText } from './json.js';
import { readRuleTemplate } from './rule-template.js';
import type { SolutionInfo } from './solution-info.js';
import {
  eventsByName,
  eventsByResult,
  failuresBySource,
  failuresByUser,
  parametersItem,
  ruleHits,
  textItem,
  topTargets,
  type WorkbookInput,
} from './workbook-items.js';
import { workbookRoles, type WorkbookRoles } from './workbook-roles.js';

export const WORKBOOKS_FOLDER = 'Workbooks';
export const WORKBOOK_SCHEMA =
  'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json';
/** The metadata file the Azure-Sentinel gallery reads (its entries go into the repository's copy). */
export const WORKBOOKS_METADATA = 'WorkbooksMetadata.json';
const WORKBOOKS_API = '2023-06-01';

/** One table's workbook: its names and its content. */
export interface TableWorkbook {
  /** Letters and digits, e.g. `ContosoAuditOwaspSecurityEvents`: the file name and `sentinel-<name>`. */
  readonly name: string;
  readonly table: string;
  readonly title: string;
  readonly description: string;
  /** The gallery template (`Notebook/1.0`). */
  readonly content: object;
}

/** The display names of the rules whose requiredDataConnectors name the table. */
export function ruleNamesFor(table: string, rules: readonly AnalyticRuleFile[]): string[] {
  const names: string[] = [];
  for (const rule of rules) {
    const reading = readRuleTemplate(rule.content);
    if (!reading.ok) continue; // generateSolution reports it (E_ANALYTIC_RULE)
    const { template } = reading;
    const name = template.values.get('name') ?? '';
    if (name !== '' && template.connectors.some((c) => c.dataTypes.includes(table))) names.push(name);
  }
  return [...new Set(names)].sort();
}

/** Where each panel's columns come from, in the workbook's opening text. */
function rolesText(roles: WorkbookRoles): string {
  const from = roles.from === 'asim' ? "the mapping's ASIM declaration" : 'the column names the table uses';
  const parts = [
    roles.event !== undefined ? `event \`${roles.event}\`` : undefined,
    roles.result !== undefined ? 'result (ASIM `EventResult`)' : undefined,
    roles.user !== undefined ? `user \`${roles.user}\`` : undefined,
    roles.source !== undefined ? `source address \`${roles.source}\`` : undefined,
    roles.targets.length > 0 ? `targets ${roles.targets.map((t) => `\`${t}\``).join(', ')}` : undefined,
  ].filter((p): p is string => p !== undefined);
  return `Columns, from ${from}: ${parts.length > 0 ? parts.join('; ') : 'none recognised'}.`;
}

/** The workbook of one table. */
export function tableWorkbook(
  names: { readonly name: string; readonly title: string },
  table: TableSchema,
  asim: AsimStreamSpec | undefined,
  rules: readonly AnalyticRuleFile[],
): TableWorkbook {
  const roles = workbookRoles(table, asim);
  const input: WorkbookInput = { table: table.name, roles, ruleNames: ruleNamesFor(table.name, rules) };
  const description = `The security events in ${table.name}, sent by otel-sentinel: events over time by event name and result, failures by user and by source address, the top targets, and the alerts of the solution's analytic rules.`;
  const content = {
    version: 'Notebook/1.0',
    items: [
      textItem('title', `## ${names.title}\n---\n${description}\n\n${rolesText(roles)}`),
      parametersItem(input),
      eventsByName(input),
      eventsByResult(input),
      failuresByUser(input),
      failuresBySource(input),
      topTargets(input),
      ruleHits(input),
    ],
    // Empty on purpose: a template may name no resource (Azure-Sentinel's CI rejects a
    // subscription id in it); Sentinel opens the workbook in its own workspace.
    fallbackResourceIds: [],
    styleSettings: {},
    fromTemplateId: `sentinel-${names.name}`,
    $schema: WORKBOOK_SCHEMA,
  };
  return { name: names.name, table: table.name, title: names.title, description, content };
}

/** The table's name as letters and digits, without `_CL`: `OwaspSecurityEvents_CL` → `OwaspSecurityEvents`. */
function tableBase(table: string): string {
  return table.replace(/_CL$/, '').replace(/[^A-Za-z0-9]/g, '');
}

/** One workbook per table of the mapping (the first stream of a table names it). */
function workbooksOf(
  streams: readonly StreamConfig[],
  rules: readonly AnalyticRuleFile[],
  naming: (table: string) => { readonly name: string; readonly title: string },
): TableWorkbook[] {
  const seen = new Set<string>();
  const out: TableWorkbook[] = [];
  for (const stream of streams) {
    if (seen.has(stream.table)) continue;
    seen.add(stream.table);
    out.push(tableWorkbook(naming(stream.table), tableSchema(stream), stream.asim, rules));
  }
  return out;
}

/** The solution's workbooks: their files, and what the solution file lists. */
export interface SolutionWorkbooks {
  readonly files: readonly { readonly path: string; readonly content: string }[];
  /** `Workbooks/<Name>.json`, relative to the solution folder, for `"Workbooks"` in the solution file. */
  readonly paths: readonly string[];
  readonly descriptions: readonly string[];
}

/** The workbooks of a solution, with their WorkbooksMetadata.json entries. */
export function solutionWorkbooks(
  info: SolutionInfo,
  connectorId: string,
  streams: readonly StreamConfig[],
  rules: readonly AnalyticRuleFile[],
): SolutionWorkbooks {
  const prefix = info.name.replace(/[^A-Za-z0-9]/g, '');
  const books = workbooksOf(streams, rules, (table) => ({
    name: `${prefix}${tableBase(table)}`,
    title: `${info.name}: ${table}`,
  }));
  const paths = books.map((b) => `${WORKBOOKS_FOLDER}/${b.name}.json`);
  return {
    files: [
      ...books.map((b, i) => ({ path: paths[i] ?? '', content: jsonText(b.content) })),
      {
        path: `${WORKBOOKS_FOLDER}/${WORKBOOKS_METADATA}`,
        content: jsonText(books.map((b) => metadataEntry(b, info, connectorId))),
      },
    ],
    paths,
    descriptions: books.map((b) => b.description),
  };
}

/**
 * The workbook's entry for Azure-Sentinel's `Workbooks/WorkbooksMetadata.json`, with the keys its
 * schema (`.script/utils/schemas/workbooksMetadataSchema.json`) allows. The preview images it names
 * are not generated: take them in the portal, dark and light theme.
 */
function metadataEntry(book: TableWorkbook, info: SolutionInfo, connectorId: string): object {
  return {
    workbookKey: `${book.name}Workbook`,
    logoFileName: '',
    description: book.description,
    dataTypesDependencies: [book.table],
    dataConnectorsDependencies: [connectorId],
    previewImagesFileNames: [`${book.name}Black.png`, `${book.name}White.png`],
    version: '1.0',
    title: book.title,
    templateRelativePath: `${book.name}.json`,
    subtitle: '',
    provider: info.publisher,
    support: {
      tier: info.support.tier,
      name: info.support.name,
      email: info.support.email,
      link: info.support.link,
    },
    author: { name: info.publisher },
    source: { kind: 'Solution', name: info.name, sourceId: `${info.publisherId}.${info.offerId}` },
    categories: { domains: ['Security - Threat Protection'] },
  };
}

/**
 * The `--arm` template's workbooks: one shared workbook per table in the workspace, named by a
 * GUID derived from the workspace and the table, so a second deployment updates it.
 */
export function armWorkbooks(
  streams: readonly StreamConfig[],
  rules: readonly AnalyticRuleFile[],
  workspaceId: string,
  location: string,
): object[] {
  const books = workbooksOf(streams, rules, (table) => ({
    name: tableBase(table),
    title: `${table} (otel-sentinel)`,
  }));
  return books.map((b) => ({
    type: 'Microsoft.Insights/workbooks',
    apiVersion: WORKBOOKS_API,
    name: `[guid(${workspaceId.slice(1, -1)}, '${b.table}', 'otel-sentinel-workbook')]`,
    location,
    kind: 'shared',
    properties: {
      displayName: b.title,
      category: 'sentinel',
      serializedData: JSON.stringify(b.content),
      sourceId: workspaceId,
      version: '1.0',
    },
  }));
}
