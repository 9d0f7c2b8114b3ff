// What the query tests share: a query source holding one table, and the KqlQueryError a query
// is expected to throw.

import { KqlQueryError } from '../../src/errors.js';
import type { ColumnDef, Row } from '../../src/model.js';
import type { QuerySource } from '../../src/query.js';

/** A source with one table `name`: its columns and its rows; any other table is unknown. */
export function oneTable(name: string, columns: readonly ColumnDef[], rows: readonly Row[]): QuerySource {
  return {
    tables: () => [name],
    columns: (table) => (table === name ? columns : undefined),
    scan: (table) => (table === name ? rows : []),
  };
}

/** The KqlQueryError `run` throws; fails the test when it throws nothing or something else. */
export function kqlFailure(kql: string, run: (kql: string) => unknown): KqlQueryError {
  try {
    run(kql);
  } catch (error) {
    if (error instanceof KqlQueryError) return error;
    throw error;
  }
  throw new Error(`expected ${kql} to fail`);
}
