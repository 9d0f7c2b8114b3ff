// Runs a KQL query over rows scanned from the store, in JS, and returns the Log Analytics
// result table.

import type { ColumnDef, QueryTable, Row } from './model.js';
import { ticksFromDate } from './datetime.js';
import { parseKql } from './kusto.js';
import { splitStatements } from './pipeline.js';
import { QueryEnv, type Workspace } from './query-env.js';
import { StoredFunctions, type StoredFunction } from './stored-functions.js';
import { Reporter } from './syntax.js';
import { visibleIndexes } from './tabular.js';
import type { EvalContext } from './types.js';
import { toResponseCell } from './values.js';

/** What a query reads: table names, their columns, and their rows (JSON values). */
export interface QuerySource {
  tables(): readonly string[];
  columns(table: string): readonly ColumnDef[] | undefined;
  scan(table: string): Iterable<Row>;
  /**
   * The workspace's stored functions (as `savedSearches` deploy them), callable from queries by
   * name, with or without `()` when every parameter has a default. Read once per query.
   */
  functions?(): readonly StoredFunction[];
  /**
   * The text of the file at `url` for `externaldata`, or undefined when there is none: the
   * engine never fetches a URL, so an unknown URL is an error that names it.
   */
  externalData?(url: string): string | undefined;
}

function workspaceOf(source: QuerySource): Workspace {
  const workspace: Workspace = {
    source,
    stored: new StoredFunctions(source.functions?.() ?? [], (reporter) => new QueryEnv(workspace, reporter)),
    calling: [],
  };
  return workspace;
}

/**
 * Runs `kql` against `source` with `now()` = `now`. Throws a `KqlQueryError` for text that does
 * not parse, for an unknown table, function or column, and for any operator or function the
 * engine does not implement (the message names it).
 */
export function runQuery(kql: string, source: QuerySource, now: Date): QueryTable {
  const reporter = new Reporter(kql);
  const { lets, expression } = splitStatements(parseKql(kql), reporter);
  const env = new QueryEnv(workspaceOf(source), reporter).withLets(lets);
  const table = env.tabular(expression);
  const ctx: EvalContext = { now: ticksFromDate(now) };
  const { schema } = table;
  const visible = visibleIndexes(schema);
  const out: unknown[][] = [];
  for (const row of table.rows(ctx)) {
    out.push(
      visible.map((i) => {
        const column = schema[i];
        return column === undefined ? null : toResponseCell(row[i], column.type);
      }),
    );
  }
  return {
    name: 'PrimaryResult',
    columns: visible.map((i) => ({ name: schema[i]?.name ?? '', type: schema[i]?.type ?? 'dynamic' })),
    rows: out,
  };
}

export type { StoredFunction };
