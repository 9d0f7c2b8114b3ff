// The deep check of a workbook, with Microsoft's analyzer: each log query that reads one of the
// solution's tables (or SecurityAlert) analyses without errors, its parameters expanded as Azure
// Workbooks expands them.

import { COLUMN_TYPES } from '@otel-sentinel/mapping';
import type { ColumnType } from '@otel-sentinel/mapping';
import type { TableColumns } from './asim-parser-fields.js';
import type { AnalyzerTable, KqlAnalyzer } from './check-asim-parser-output.js';
import { arr, obj, text } from './solution-checker.js';

/** SecurityAlert's columns, from Microsoft's table reference (Azure Monitor Logs: SecurityAlert). */
const SECURITY_ALERT: AnalyzerTable = {
  name: 'SecurityAlert',
  columns: [
    ...'AlertLink AlertName AlertSeverity AlertType CompromisedEntity ConfidenceLevel Description DisplayName Entities ExtendedLinks ExtendedProperties ProductComponentName ProductName ProviderName RemediationSteps ResourceId SourceComputerId SourceSystem Status SubTechniques SystemAlertId Tactics Techniques TenantId Type VendorName VendorOriginalId WorkspaceResourceGroup WorkspaceSubscriptionId'
      .split(' ')
      .map((name) => ({ name, type: 'string' as const })),
    { name: 'ConfidenceScore', type: 'real' },
    { name: 'IsIncident', type: 'boolean' },
    ...['EndTime', 'ProcessingEndTime', 'StartTime', 'TimeGenerated'].map((name) => ({
      name,
      type: 'datetime' as const,
    })),
  ],
};

/** A query item of a workbook, wherever it sits (groups nest items). */
export interface WorkbookQuery {
  readonly name: string;
  readonly query: string;
}

/** The log-analytics query items and query parameters of a workbook, groups included. */
export function workbookQueries(items: unknown): WorkbookQuery[] {
  return arr(items).flatMap((raw, i): WorkbookQuery[] => {
    const item = obj(raw);
    const content = obj(item.content);
    const name = text(item.name) ?? `items[${i}]`;
    if (item.type === 12) return workbookQueries(content.items);
    if (item.type === 9)
      return arr(content.parameters)
        .map((p) => obj(p))
        .filter((p) => typeof p.query === 'string' && (p.queryType ?? 0) === 0)
        .map((p) => ({ name: `${name}: parameter ${text(p.name) ?? '?'}`, query: text(p.query) ?? '' }));
    const query = text(content.query);
    return item.type === 3 && query !== undefined && (content.queryType ?? 0) === 0 ? [{ name, query }] : [];
  });
}

/**
 * The query as Azure Workbooks runs it, or undefined when it uses a parameter whose value this
 * check cannot stand in for: a time range expands to `> ago(7d)` (`:start`, `:end`, `:grain` to a
 * time), a multi-select dropdown quoted with `'` to `'*'` (its All value).
 */
export function expandParameters(
  query: string,
  timeRanges: ReadonlySet<string>,
  lists: ReadonlySet<string>,
): string | undefined {
  const standIn = (name: string, option: string | undefined): string | undefined => {
    if (timeRanges.has(name)) return TIME_RANGE_STAND_INS[option ?? 'value'];
    return lists.has(name) && option === undefined ? "'*'" : undefined;
  };
  const uses = [...query.matchAll(PARAMETER)];
  if (uses.some((m) => standIn(m[1] ?? '', m[2]) === undefined)) return undefined;
  return query.replace(PARAMETER, (_whole, name: string, option?: string) => standIn(name, option) ?? '');
}

const PARAMETER = /\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?\}/g;
/** What a 7-day time range parameter expands to, by option (Microsoft's workbook docs). */
const TIME_RANGE_STAND_INS: Readonly<Record<string, string>> = {
  value: '> ago(7d)',
  query: '> ago(7d)',
  start: 'ago(7d)',
  end: 'now()',
  grain: '1h',
};

/** The parameters of a workbook by kind: time ranges (type 4) and multi-select dropdowns quoted with `'`. */
export function parameterKinds(items: unknown): { timeRanges: Set<string>; lists: Set<string> } {
  const timeRanges = new Set<string>();
  const lists = new Set<string>();
  const visit = (list: unknown): void => {
    for (const raw of arr(list)) {
      const content = obj(obj(raw).content);
      visit(content.items);
      for (const p of arr(content.parameters).map((x) => obj(x))) {
        const name = text(p.name) ?? '';
        if (p.type === 4) timeRanges.add(name);
        if (p.type === 2 && p.multiSelect === true && p.quote === "'") lists.add(name);
      }
    }
  };
  visit(items);
  return { timeRanges, lists };
}

function isColumnType(t: string): t is ColumnType {
  return (COLUMN_TYPES as readonly string[]).includes(t);
}

/** The solution's tables and SecurityAlert, as the analyzer is told about them. */
export function workbookTables(tables: readonly TableColumns[]): AnalyzerTable[] {
  return [
    ...tables.map((t) => ({
      name: t.name,
      columns: t.columns.map((c) => ({ name: c.name, type: isColumnType(c.type) ? c.type : 'string' })),
    })),
    SECURITY_ALERT,
  ];
}

/** Problems of each query that starts with one of `tables`, after expanding its parameters. */
export function queryProblems(
  book: { readonly items?: unknown },
  tables: readonly AnalyzerTable[],
  analyze: KqlAnalyzer,
): string[] {
  const { timeRanges, lists } = parameterKinds(book.items);
  const names = new Set(tables.map((t) => t.name));
  const problems: string[] = [];
  for (const q of workbookQueries(book.items)) {
    const first = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(q.query)?.[1] ?? '';
    const expanded = expandParameters(q.query, timeRanges, lists);
    if (!names.has(first) || expanded === undefined) continue; // another table, or a parameter we cannot stand in for
    for (const d of analyze(expanded, tables).diagnostics.filter((x) => x.severity === 'Error'))
      problems.push(`${q.name}: line ${d.position.line}:${d.position.column}: ${d.code} ${d.message}`);
  }
  return problems;
}
