// A query source with several tables, stored functions and external files, for the tests of
// tabular KQL.

import type { ColumnDef, Row } from '../../src/model.js';
import type { QuerySource, StoredFunction } from '../../src/query.js';

export interface TableData {
  readonly columns: readonly ColumnDef[];
  readonly rows: readonly Row[];
}

export function workspace(
  tables: Readonly<Record<string, TableData>>,
  functions: readonly StoredFunction[] = [],
  files: Readonly<Record<string, string>> = {},
): QuerySource {
  return {
    tables: () => Object.keys(tables),
    columns: (table) => tables[table]?.columns,
    scan: (table) => tables[table]?.rows ?? [],
    functions: () => functions,
    externalData: (url) => files[url],
  };
}
