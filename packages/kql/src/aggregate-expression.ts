// A summarize item that computes over aggregations (`Urls = tostring(make_set(Url, 100))`,
// `round(avg(AvgPerSec))`, `count() * 2`): each aggregation inside is folded per group, then the
// expression is computed from their results.

import { aggregation, type Accumulator, type Aggregation } from './aggregations.js';
import { typed, type Compiled, type Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { AGGREGATION_NAMES } from './functions.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import type { EvalContext, KqlType, Tuple } from './types.js';

function callName(node: SyntaxNode): string | undefined {
  if (node.kind !== 'FunctionCallExpression') return undefined;
  const name = child(node, 'Name');
  return name === undefined ? undefined : nameOf(name);
}

function isAggregationCall(node: SyntaxNode): boolean {
  const name = callName(node);
  return name !== undefined && AGGREGATION_NAMES.has(name);
}

/** The aggregation calls in `node`, outermost first, not looking inside them. */
function aggregationCalls(node: SyntaxNode, out: SyntaxNode[] = []): SyntaxNode[] {
  if (isAggregationCall(node)) out.push(node);
  else for (const c of node.children) aggregationCalls(c, out);
  return out;
}

/** Kusto's name for the item: a function of an aggregation takes the aggregation's (`round(avg(X))` is `avg_X`), else none (a ColumnN). */
function itemName(expr: SyntaxNode, calls: readonly SyntaxNode[], names: readonly string[]): string {
  if (callName(expr) === undefined) return '';
  const index = calls.indexOf(expr);
  if (index !== -1) return names[index] ?? '';
  const first = listElements(child(child(expr, 'ArgumentList') ?? expr, 'Expressions'))[0];
  return first === undefined ? '' : itemName(first, calls, names);
}

export interface AggregateExpression {
  readonly name: string;
  readonly type: KqlType;
  readonly create: () => { add(row: Tuple, ctx: EvalContext): void; result(ctx: EvalContext): unknown };
}

/**
 * `expr` as an expression over the aggregations it calls; undefined when it calls none. Its name
 * is '' when Kusto would number it (`Column1`).
 */
export function aggregateExpression(expr: SyntaxNode, scope: Scope): AggregateExpression | undefined {
  const calls = aggregationCalls(expr);
  if (calls.length === 0) return undefined;
  const parts = calls.map((call) => aggregation(call, scope));
  const aggregations: Aggregation[] = parts.map((p) => p.aggregation);
  const substitutes = new Map<SyntaxNode, Compiled>(
    calls.map((call, i) => [call, typed(aggregations[i]?.type ?? 'dynamic', (row) => row[i] ?? null)]),
  );
  const outer = compileExpr(expr, { ...scope, schema: [], substitutes });
  return {
    name: itemName(
      expr,
      calls,
      parts.map((p) => p.defaultName),
    ),
    type: outer.type,
    create: () => {
      const accumulators: Accumulator[] = aggregations.map((a) => a.create());
      return {
        add: (row, ctx) => {
          for (const a of accumulators) a.add(row, ctx);
        },
        result: (ctx) =>
          outer.eval(
            accumulators.map((a) => a.result()),
            ctx,
          ),
      };
    },
  };
}
