// summarize: group rows by scalar expressions and fold each group with aggregation functions.

import { aggregation, type Accumulator, type Aggregation } from './aggregations.js';
import type { Evaluator, Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { defaultName, namedItem, noParameters } from './row-operators.js';
import { child, listElements, type SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import type { EvalContext, SchemaColumn, Tuple } from './types.js';
import { valueKey } from './values.js';

function unique(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name)) return name;
  for (let i = 1; ; i++) if (!taken.has(`${name}${i}`)) return `${name}${i}`;
}

export function summarize(node: SyntaxNode, scope: Scope): TableStage {
  const { reporter } = scope;
  noParameters(node, reporter);
  const taken = new Set<string>();
  const schema: SchemaColumn[] = [];

  const groupBy: Evaluator[] = [];
  const byClause = child(node, 'ByClause');
  const byItems = byClause === undefined ? [] : listElements(child(byClause, 'Expressions'));
  for (const item of byItems) {
    const { name: declared, expr } = namedItem(item, reporter);
    const compiled = compileExpr(expr, scope);
    const name = unique(declared ?? defaultName(expr, (n) => taken.has(n)), taken);
    taken.add(name);
    schema.push({ name, type: compiled.type });
    groupBy.push(compiled.eval);
  }

  const aggregations: Aggregation[] = [];
  const aggregateColumns: SchemaColumn[] = [];
  for (const item of listElements(child(node, 'Aggregates'))) {
    const { name: declared, expr } = namedItem(item, reporter);
    const { aggregation: agg, defaultName: fallback } = aggregation(expr, scope);
    const name = unique(declared ?? fallback, taken);
    taken.add(name);
    aggregateColumns.push({ name, type: agg.type });
    aggregations.push(agg);
  }
  schema.push(...aggregateColumns);

  const run = (rows: Iterable<Tuple>, ctx: EvalContext): Tuple[] => {
    const groups = new Map<string, { keys: unknown[]; accumulators: Accumulator[] }>();
    for (const row of rows) {
      const keys = groupBy.map((g) => g(row, ctx) ?? null);
      const id = groupBy.length === 0 ? '' : JSON.stringify(keys.map(valueKey));
      let group = groups.get(id);
      if (group === undefined) {
        group = { keys, accumulators: aggregations.map((a) => a.create()) };
        groups.set(id, group);
      }
      for (const acc of group.accumulators) acc.add(row, ctx);
    }
    // Without `by`, an empty input still yields one row (count() = 0).
    if (groupBy.length === 0 && groups.size === 0) {
      groups.set('', { keys: [], accumulators: aggregations.map((a) => a.create()) });
    }
    return [...groups.values()].map((g) => [...g.keys, ...g.accumulators.map((a) => a.result())]);
  };
  return { schema, run };
}
