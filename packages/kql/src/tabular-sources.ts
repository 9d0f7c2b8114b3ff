// Tables written in the query itself: datatable(…)[…], print and range.

import { compileExpr } from './expr.js';
import { fixedColumns } from './declared-types.js';
import type { QueryEnv } from './query-env.js';
import { namedItem } from './row-operators.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import { fixedRows, type Tabular } from './tabular.js';
import type { KqlType, SchemaColumn, Tuple } from './types.js';
import { castTo, INVALID } from './values.js';

function cell(value: unknown, from: KqlType, to: KqlType): unknown {
  const v = castTo(value, from, to);
  return v === INVALID ? (to === 'string' ? '' : null) : v;
}

/** `datatable(a:string, b:long)["x", 1, "y", 2]`: values fill the rows in order. */
export function compileDataTable(node: SyntaxNode, env: QueryEnv): Tabular {
  const { reporter } = env;
  const schema = fixedColumns(reporter.need(node, 'Schema'), reporter);
  const values = listElements(child(node, 'Values'));
  if (schema.length === 0 || values.length % schema.length !== 0) {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `datatable: ${values.length} value(s) do not fill rows of ${schema.length} column(s)`,
      node,
    );
  }
  const scope = env.scope([]);
  const rows: Tuple[] = [];
  for (let i = 0; i < values.length; i += schema.length) {
    rows.push(
      schema.map((column, j) => {
        const valueNode = values[i + j];
        if (valueNode === undefined) return null;
        const value = compileExpr(valueNode, scope);
        if (value.constant === undefined)
          throw reporter.unsupported(
            `datatable values must be literals, found '${reporter.snippet(valueNode)}'`,
            valueNode,
          );
        return cell(value.constant.value, value.type, column.type);
      }),
    );
  }
  return fixedRows(schema, rows);
}

/** `print a, Name = expr`: one row; unnamed values are `print_0`, `print_1`, … by position. */
export function compilePrint(node: SyntaxNode, env: QueryEnv): Tabular {
  const scope = env.scope([]);
  const schema: SchemaColumn[] = [];
  const evals = listElements(child(node, 'Expressions')).map((item, i) => {
    const { name, expr } = namedItem(item, env.reporter);
    const compiled = compileExpr(expr, scope);
    schema.push({ name: name ?? `print_${i}`, type: compiled.type });
    return compiled.eval;
  });
  return { schema, rows: (ctx) => [evals.map((e) => e([], ctx))] };
}

/** `range x from a to b step s`: numbers, or datetimes and timespans, from a up to b inclusive. */
export function compileRange(node: SyntaxNode, env: QueryEnv): Tabular {
  const { reporter } = env;
  const name = nameOf(reporter.need(node, 'Name')) ?? 'Column1';
  const scope = env.scope([]);
  const from = compileExpr(reporter.need(node, 'From'), scope);
  const to = compileExpr(reporter.need(node, 'To'), scope);
  const step = compileExpr(reporter.need(node, 'Step'), scope);
  const ticks = from.type === 'datetime' || from.type === 'timespan';
  if (ticks !== (step.type === 'timespan')) {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `range: a ${from.type} range needs a ${ticks ? 'timespan' : 'numeric'} step`,
      node,
    );
  }
  return {
    schema: [{ name, type: from.type }],
    rows: function* (ctx) {
      const a = from.eval([], ctx) as number | bigint | null;
      const b = to.eval([], ctx) as number | bigint | null;
      const s = step.eval([], ctx) as number | bigint | null;
      if (a === null || b === null || s === null || s === 0 || s === 0n) return;
      const up = s > 0;
      for (let v = a; up ? v <= b : v >= b; v = typeof v === 'bigint' ? v + BigInt(s) : v + Number(s))
        yield [v];
    },
  };
}
