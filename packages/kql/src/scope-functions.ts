// Scalar functions that read the row's columns by name rather than a value: column_ifexists()
// and pack_all().

import { arg, typeError, type ScalarFunction } from './call.js';
import { typed } from './compiled.js';
import { indexOfColumn } from './types.js';
import { toDynamic } from './values.js';

/** `column_ifexists(name, default)`: the column when the row has it, else the default. */
const columnIfExists: ScalarFunction = {
  min: 2,
  max: 2,
  compile: (call) => {
    const name = arg(call, 0).constant?.value;
    if (typeof name !== 'string') throw typeError(call, 'the column name must be a constant string');
    const index = indexOfColumn(call.scope.schema, name);
    const column = call.scope.schema[index];
    if (column === undefined) return arg(call, 1);
    return typed(column.type, (row) => row[index] ?? null);
  },
};

/** `pack_all([ignore_null_empty])`: a bag of the row's columns (not hidden ones such as `_TimeReceived`). */
const packAll: ScalarFunction = {
  min: 0,
  max: 1,
  compile: (call) => {
    const skipEmpty = call.args.length > 0 && arg(call, 0).constant?.value === true;
    if (call.args.length > 0 && arg(call, 0).constant === undefined)
      throw typeError(call, 'ignore_null_empty must be a constant bool');
    const columns = call.scope.schema.flatMap((c, i) => (c.hidden === true ? [] : [{ ...c, index: i }]));
    return typed('dynamic', (row) => {
      const bag: Record<string, unknown> = {};
      for (const c of columns) {
        const value = toDynamic(row[c.index] ?? null, c.type);
        if (skipEmpty && (value === null || value === '')) continue;
        bag[c.name] = value;
      }
      return bag;
    });
  },
};

export const SCOPE_FUNCTIONS: ReadonlyMap<string, ScalarFunction> = new Map([
  ['column_ifexists', columnIfExists],
  ['pack_all', packAll],
]);
