// What the KQL toolkit reads and returns: table columns, rows, compiled transforms and query
// results. The column types are the mapping package's (those of DCR streams and tables).

import type { ColumnType } from '@otel-sentinel/mapping';

export type { ColumnType };

/** A column of a DCR stream declaration or of a table. */
export interface ColumnDef {
  readonly name: string;
  readonly type: ColumnType;
}

/** A row as it travels: column name → JSON value. */
export type Row = Record<string, unknown>;

/** A compiled DCR transform: the output row, or undefined when a `where` drops it. */
export type RowTransform = (row: Row, receivedAt: Date) => Row | undefined;

/** Query result in the Log Analytics API shape. */
export interface QueryTable {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly (readonly unknown[])[];
}
