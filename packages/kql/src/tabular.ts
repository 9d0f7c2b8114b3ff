// A tabular value while a query compiles: its columns now, its rows when the query runs.

import type { EvalContext, Schema, Tuple } from './types.js';

export interface Tabular {
  readonly schema: Schema;
  /** Fresh tuples on every call: the stages that read them may change them in place. */
  readonly rows: (ctx: EvalContext) => Iterable<Tuple>;
}

/** Rows computed once per run (`materialize()`, `let` values read twice), copied on each read. */
export function cached(table: Tabular): Tabular {
  const runs = new WeakMap<EvalContext, readonly Tuple[]>();
  return {
    schema: table.schema,
    rows: function* (ctx) {
      let rows = runs.get(ctx);
      if (rows === undefined) {
        rows = [...table.rows(ctx)];
        runs.set(ctx, rows);
      }
      for (const row of rows) yield [...row];
    },
  };
}

/** A fixed set of rows (datatable, print, externaldata), copied on each read. */
export function fixedRows(schema: Schema, rows: readonly Tuple[]): Tabular {
  return {
    schema,
    rows: function* () {
      for (const row of rows) yield [...row];
    },
  };
}

/** The columns `T` alone shows: hidden ones (`_TimeReceived`) left out. */
export function visibleIndexes(schema: Schema): number[] {
  const out: number[] = [];
  schema.forEach((c, i) => {
    if (c.hidden !== true) out.push(i);
  });
  return out;
}
