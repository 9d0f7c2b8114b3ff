// Checks a DCR `transformKql` before anything runs it: that it compiles for its stream, and that
// what it outputs fits its table, as the Logs Ingestion service needs. `otel-sentinel validate`
// and `connector` use it, and the emulator as its catalog loads.

import type { TransformChecker, TransformContext } from '@otel-sentinel/mapping';
import type { ColumnType } from './model.js';
import { KqlQueryError } from './errors.js';
import { compileStages } from './transform.js';
import { kqlTypeOf, type KqlType, type Schema, type SchemaColumn } from './types.js';

/** The function that converts a value to each table column type, for the advice in messages. */
const CONVERSION: Readonly<Record<ColumnType, string>> = {
  string: 'tostring',
  int: 'toint',
  long: 'tolong',
  real: 'toreal',
  boolean: 'tobool',
  datetime: 'todatetime',
  dynamic: 'todynamic',
  guid: 'toguid',
};

/** Whether the service stores a value of type `from` in a column of type `to` as it is. */
function fits(from: KqlType, to: KqlType): boolean {
  if (from === to) return true;
  if (from === 'int') return to === 'long' || to === 'real';
  if (from === 'long') return to === 'real';
  return from === 'string' && to === 'guid';
}

/**
 * Compiles `kql` against `context.streamColumns` with the transform engine and checks its
 * output against `context.tableColumns`. Returns one plain-English message per problem, empty
 * when the transform is fine: a parse error, an unsupported operator or function, or an unknown
 * column (with its line and column in the KQL); no `TimeGenerated` (datetime) in the output; an
 * output column the table lacks; an output type the table column cannot hold.
 */
export const checkTransformKql: TransformChecker = (kql: string, context: TransformContext) => {
  const input: Schema = context.streamColumns.map((c) => ({ name: c.name, type: kqlTypeOf(c.type) }));
  let output: Schema;
  try {
    output = compileStages(kql, input).schema;
  } catch (error: unknown) {
    if (error instanceof KqlQueryError) return [error.message];
    throw error;
  }
  const table = new Map(context.tableColumns.map((c) => [c.name, c.type]));
  const messages: string[] = [];
  if (!output.some((c) => c.name === 'TimeGenerated')) {
    messages.push(
      "the transform's output has no TimeGenerated column, and the service requires TimeGenerated " +
        '(datetime) in the output: keep it from source or add it with extend TimeGenerated = now()',
    );
  }
  for (const column of output) {
    const message = columnProblem(column, table, context.table);
    if (message !== undefined) messages.push(message);
  }
  return messages;
};

function columnProblem(
  column: SchemaColumn,
  table: ReadonlyMap<string, ColumnType>,
  tableName: string,
): string | undefined {
  const { name, type } = column;
  if (name === 'TimeGenerated' && type !== 'datetime') {
    return (
      `TimeGenerated is ${type} in the transform's output, and the service requires TimeGenerated ` +
      `(datetime) in the output: convert it with extend TimeGenerated = todatetime(TimeGenerated)`
    );
  }
  const target = table.get(name);
  if (target === undefined) {
    return (
      `${name} is not a column of table ${tableName}, so the service would drop it: ` +
      "add it to the mapping's columns or project it away"
    );
  }
  if (fits(type, kqlTypeOf(target))) return undefined;
  return (
    `${name} is ${type} in the transform's output but ${target} in table ${tableName}: ` +
    `convert it with extend ${name} = ${CONVERSION[target]}(${name})`
  );
}
