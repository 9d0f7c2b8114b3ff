// Runs a KQL query over rows scanned from the store, in JS, and returns the Log Analytics
// result table.

import type { ColumnDef, QueryTable, Row } from './model.js';
import { ticksFromDate } from './datetime.js';
import { parseKql } from './kusto.js';
import { compileLets } from './lets.js';
import { splitPipeline } from './pipeline.js';
import { Reporter } from './syntax.js';
import { compileQueryOperator } from './table-operators.js';
import {
  indexOfColumn,
  kqlTypeOf,
  type EvalContext,
  type Schema,
  type SchemaColumn,
  type Tuple,
} from './types.js';
import { fromJson, INVALID, toResponseCell } from './values.js';

/** What a query reads: table names, their columns, and their rows (JSON values). */
export interface QuerySource {
  tables(): readonly string[];
  columns(table: string): readonly ColumnDef[] | undefined;
  scan(table: string): Iterable<Row>;
}

/** The column the store adds to every row. */
const TIME_RECEIVED = '_TimeReceived';

/**
 * The table's columns, plus `_TimeReceived` when the source does not list it. As in Log
 * Analytics, columns whose names start with `_` are readable by name but not shown unless a
 * query projects them.
 */
function tableSchema(columns: readonly ColumnDef[]): Schema {
  const schema: SchemaColumn[] = columns.map((c) => ({
    name: c.name,
    type: kqlTypeOf(c.type),
    ...(c.name.startsWith('_') ? { hidden: true } : {}),
  }));
  if (indexOfColumn(schema, TIME_RECEIVED) < 0)
    schema.push({ name: TIME_RECEIVED, type: 'datetime', hidden: true });
  return schema;
}

function* decode(rows: Iterable<Row>, schema: Schema): Iterable<Tuple> {
  for (const row of rows) {
    const tuple: Tuple = new Array<unknown>(schema.length);
    for (let i = 0; i < schema.length; i++) {
      const column = schema[i];
      if (column === undefined) continue;
      const value = fromJson(row[column.name], column.type);
      tuple[i] = value === INVALID ? null : value;
    }
    yield tuple;
  }
}

/**
 * Runs `kql` against `source` with `now()` = `now`. Throws a `KqlQueryError` for text that does
 * not parse, for an unknown table or column, and for any operator or function the emulator does
 * not implement (the message names it).
 */
export function runQuery(kql: string, source: QuerySource, now: Date): QueryTable {
  const syntax = parseKql(kql);
  const reporter = new Reporter(kql);
  const pipeline = splitPipeline(syntax, reporter);
  const variables = compileLets(pipeline.lets, reporter, source.tables());
  const columns = source.columns(pipeline.source);
  if (columns === undefined) {
    const tables = source.tables();
    throw reporter.error(
      'E_KQL_UNKNOWN_TABLE',
      `Failed to resolve table '${pipeline.source}' (tables: ${tables.join(', ') || 'none'})`,
      pipeline.sourceNode,
    );
  }

  const inputSchema = tableSchema(columns);
  let schema = inputSchema;
  const stages = pipeline.operators.map((node) => {
    const stage = compileQueryOperator(node, { schema, reporter, mode: 'query', variables });
    schema = stage.schema;
    return stage;
  });

  const ctx: EvalContext = { now: ticksFromDate(now) };
  let rows = decode(source.scan(pipeline.source), inputSchema);
  for (const stage of stages) rows = stage.run(rows, ctx);

  const visible: number[] = [];
  schema.forEach((c, i) => {
    if (c.hidden !== true) visible.push(i);
  });
  const out: unknown[][] = [];
  for (const row of rows) {
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
