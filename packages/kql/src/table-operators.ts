// Query operators over the whole row set: sort/order, take/limit, top, count, distinct,
// summarize, plus the row operators lifted to row sets.

import type { Evaluator, Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { compileRowOperator, noParameters, ROW_OPERATORS, type RowStage } from './row-operators.js';
import { summarize } from './summarize.js';
import { compileTabularOperator, TABULAR_OPERATORS } from './tabular-operators.js';
import { child, listElements, nameOf, operatorKeyword, type SyntaxNode } from './syntax.js';
import { indexOfColumn, type EvalContext, type Schema, type SchemaColumn, type Tuple } from './types.js';
import { compareValues, valueKey } from './values.js';

export interface TableStage {
  readonly schema: Schema;
  readonly run: (rows: Iterable<Tuple>, ctx: EvalContext) => Iterable<Tuple>;
}

export const QUERY_OPERATORS = [
  ...ROW_OPERATORS,
  'sort by',
  'order by',
  'take',
  'limit',
  'top',
  'count',
  'distinct',
  'summarize',
] as const;

function lift(stage: RowStage): TableStage {
  const apply = stage.apply;
  return {
    schema: stage.schema,
    run: function* (rows, ctx) {
      for (const row of rows) {
        const out = apply(row, ctx);
        if (out !== undefined) yield out;
      }
    },
  };
}

/** The row count of take/limit/top: a constant, non-negative number. */
function countOf(node: SyntaxNode, scope: Scope): number {
  const expr = scope.reporter.need(node, 'Expression');
  const value = compileExpr(expr, scope).constant?.value;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw scope.reporter.unsupported(
      `The row count must be an integer literal, found '${scope.reporter.snippet(expr)}'`,
      expr,
    );
  }
  return Math.max(0, value);
}

function take(node: SyntaxNode, scope: Scope): TableStage {
  noParameters(node, scope.reporter);
  const n = countOf(node, scope);
  return {
    schema: scope.schema,
    run: function* (rows) {
      if (n === 0) return;
      let i = 0;
      for (const row of rows) {
        yield row;
        if (++i >= n) return;
      }
    },
  };
}

interface SortKey {
  readonly eval: Evaluator;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

/** An `expr [asc|desc] [nulls first|last]`; Kusto sorts descending by default, nulls last then. */
function sortKey(item: SyntaxNode, scope: Scope): SortKey {
  const expr = item.kind === 'OrderedExpression' ? scope.reporter.need(item, 'Expression') : item;
  const ordering = item.kind === 'OrderedExpression' ? child(item, 'Ordering') : undefined;
  const direction = ordering === undefined ? undefined : child(ordering, 'AscOrDescKeyword');
  const nulls = ordering === undefined ? undefined : child(ordering, 'NullsClause');
  const firstOrLast = nulls === undefined ? undefined : child(nulls, 'FirstOrLastKeyword');
  const descending = direction?.text.toLowerCase() !== 'asc';
  const nullsFirst = firstOrLast === undefined ? !descending : firstOrLast.text.toLowerCase() === 'first';
  return { eval: compileExpr(expr, scope).eval, descending, nullsFirst };
}

function sortRows(rows: Iterable<Tuple>, keys: readonly SortKey[], ctx: EvalContext): Tuple[] {
  const decorated = [...rows].map((row) => ({ row, values: keys.map((k) => k.eval(row, ctx)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key === undefined) continue;
      const x = a.values[i] ?? null;
      const y = b.values[i] ?? null;
      if (x === null && y === null) continue;
      if (x === null) return key.nullsFirst ? -1 : 1;
      if (y === null) return key.nullsFirst ? 1 : -1;
      const c = compareValues(x, y);
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.row);
}

function sort(node: SyntaxNode, scope: Scope): TableStage {
  noParameters(node, scope.reporter);
  const keys = listElements(child(node, 'Expressions')).map((item) => sortKey(item, scope));
  return { schema: scope.schema, run: (rows, ctx) => sortRows(rows, keys, ctx) };
}

function top(node: SyntaxNode, scope: Scope): TableStage {
  noParameters(node, scope.reporter);
  const n = countOf(node, scope);
  const key = sortKey(scope.reporter.need(node, 'ByExpression'), scope);
  return { schema: scope.schema, run: (rows, ctx) => sortRows(rows, [key], ctx).slice(0, n) };
}

const count: TableStage = {
  schema: [{ name: 'Count', type: 'long' }],
  run: (rows) => {
    let n = 0;
    const iterator = rows[Symbol.iterator]();
    while (iterator.next().done !== true) n++;
    return [[n]];
  },
};

function distinct(node: SyntaxNode, scope: Scope): TableStage {
  noParameters(node, scope.reporter);
  const items = listElements(child(node, 'Expressions'));
  const indexes: number[] = [];
  for (const item of items) {
    if (item.kind === 'StarExpression') {
      scope.schema.forEach((c, i) => {
        if (c.hidden !== true) indexes.push(i);
      });
      continue;
    }
    const name = nameOf(item);
    const index = name === undefined ? -1 : indexOfColumn(scope.schema, name);
    if (name === undefined) {
      throw scope.reporter.unsupported(
        `distinct takes column names or *, found '${scope.reporter.snippet(item)}'`,
        item,
      );
    }
    if (index < 0) {
      throw scope.reporter.error('E_KQL_UNKNOWN_COLUMN', `Failed to resolve column '${name}'`, item);
    }
    indexes.push(index);
  }
  const schema = indexes.map((i) => scope.schema[i]).filter((c): c is SchemaColumn => c !== undefined);
  return {
    schema: schema.map((c) => ({ name: c.name, type: c.type })),
    run: function* (rows) {
      const seen = new Set<string>();
      for (const row of rows) {
        const out = indexes.map((i) => row[i] ?? null);
        const key = JSON.stringify(out.map(valueKey));
        if (seen.has(key)) continue;
        seen.add(key);
        yield out;
      }
    },
  };
}

/** Compiles one operator of a query; anything not listed in QUERY_OPERATORS is refused by name. */
export function compileQueryOperator(node: SyntaxNode, scope: Scope): TableStage {
  const row = compileRowOperator(node, scope);
  if (row !== undefined) return lift(row);
  switch (node.kind) {
    case 'SortOperator':
      return sort(node, scope);
    case 'TakeOperator':
      return take(node, scope);
    case 'TopOperator':
      return top(node, scope);
    case 'CountOperator':
      return count;
    case 'DistinctOperator':
      return distinct(node, scope);
    case 'SummarizeOperator':
      return summarize(node, scope);
    default: {
      const stage = compileTabularOperator(node, scope);
      if (stage !== undefined) return stage;
      const supported =
        scope.query === undefined ? QUERY_OPERATORS : [...QUERY_OPERATORS, ...TABULAR_OPERATORS];
      throw scope.reporter.unsupported(
        `Query operator '${operatorKeyword(node)}' is not supported by otel-sentinel's KQL engine (supported: ${supported.join(', ')})`,
        node,
      );
    }
  }
}
