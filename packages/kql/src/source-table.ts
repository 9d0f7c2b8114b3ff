// A table of the QuerySource as a query reads it: its schema (with the hidden `_TimeReceived`)
// and its rows decoded from JSON values into the interpreter's values.

import type { ColumnDef, Row } from './model.js';
import { indexOfColumn, kqlTypeOf, type Schema, type SchemaColumn, type Tuple } from './types.js';
import { fromJson, INVALID } from './values.js';

/** The column the store adds to every row. */
const TIME_RECEIVED = '_TimeReceived';

/**
 * The table's columns, plus `_TimeReceived` when the source does not list it. As in Log
 * Analytics, columns whose names start with `_` are readable by name but not shown unless a
 * query projects them.
 */
export function tableSchema(columns: readonly ColumnDef[]): Schema {
  const schema: SchemaColumn[] = columns.map((c) => ({
    name: c.name,
    type: kqlTypeOf(c.type),
    ...(c.name.startsWith('_') ? { hidden: true } : {}),
  }));
  if (indexOfColumn(schema, TIME_RECEIVED) < 0)
    schema.push({ name: TIME_RECEIVED, type: 'datetime', hidden: true });
  return schema;
}

export function* tableRows(rows: Iterable<Row>, schema: Schema): Iterable<Tuple> {
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
