// Operators on a table's columns rather than its rows: getschema, project-reorder, and the
// pass-throughs serialize and as.

import type { Scope } from './compiled.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import type { KqlType, Schema, Tuple } from './types.js';

/** The .NET type getschema reports for each Kusto type. */
const DATA_TYPES: Readonly<Record<KqlType, string>> = {
  string: 'System.String',
  int: 'System.Int32',
  long: 'System.Int64',
  real: 'System.Double',
  bool: 'System.SByte',
  datetime: 'System.DateTime',
  timespan: 'System.TimeSpan',
  guid: 'System.Guid',
  dynamic: 'System.Object',
};

/** `getschema`: one row per column (hidden ones left out): ColumnName, ColumnOrdinal, DataType, ColumnType. */
export function getSchema(scope: Scope): TableStage {
  const rows: Tuple[] = scope.schema
    .filter((c) => c.hidden !== true)
    .map((c, i) => [c.name, i, DATA_TYPES[c.type], c.type]);
  return {
    schema: [
      { name: 'ColumnName', type: 'string' },
      { name: 'ColumnOrdinal', type: 'long' },
      { name: 'DataType', type: 'string' },
      { name: 'ColumnType', type: 'string' },
    ],
    run: () => rows.map((r) => [...r]),
  };
}

/** A column name or a wildcard (`exist*`, `*Time`) as a test of names. */
export function nameMatcher(item: SyntaxNode): ((name: string) => boolean) | undefined {
  const inner = item.kind === 'NameReference' ? child(item, 'Name') : undefined;
  if (inner?.kind === 'WildcardedName') {
    const pattern = child(inner, 'Pattern')?.text ?? '*';
    const regex = new RegExp(
      `^${pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
    return (name) => regex.test(name);
  }
  const name = nameOf(item);
  return name === undefined ? undefined : (n) => n === name;
}

/** `project-reorder A, B*`: the named columns first, in that order, then the rest as they were. */
export function projectReorder(node: SyntaxNode, scope: Scope): TableStage {
  const { reporter } = scope;
  const order: number[] = [];
  for (const item of listElements(child(node, 'Expressions'))) {
    const matches = nameMatcher(item);
    if (matches === undefined)
      throw reporter.unsupported(
        `project-reorder takes column names or wildcards, found '${reporter.snippet(item)}'`,
        item,
      );
    const found = scope.schema
      .map((c, i) => (matches(c.name) ? i : -1))
      .filter((i) => i >= 0 && !order.includes(i));
    if (found.length === 0)
      throw reporter.error(
        'E_KQL_UNKNOWN_COLUMN',
        `Failed to resolve column '${reporter.snippet(item)}'`,
        item,
      );
    order.push(...found);
  }
  scope.schema.forEach((_c, i) => {
    if (!order.includes(i)) order.push(i);
  });
  const schema: Schema = order.map((i) => scope.schema[i] ?? { name: '', type: 'dynamic' });
  return {
    schema,
    run: function* (rows) {
      for (const row of rows) yield order.map((i) => row[i] ?? null);
    },
  };
}

/** `serialize` (rows here are always in order) and `as Name`: the rows as they come. */
export function passThrough(node: SyntaxNode, scope: Scope): TableStage {
  const expressions = listElements(child(node, 'Expressions'));
  if (expressions.length > 0) {
    throw scope.reporter.unsupported(
      `serialize with new columns (row_number() and the like) is not supported; serialize alone is`,
      node,
    );
  }
  return { schema: scope.schema, run: (rows) => rows };
}
