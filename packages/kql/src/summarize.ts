// summarize: group rows by scalar expressions and fold each group with aggregation functions.

import { aggregateExpression } from './aggregate-expression.js';
import { aggregation } from './aggregations.js';
import { ROW_SELECTORS, rowSelection } from './arg-min-max.js';
import type { Evaluator, Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { AGGREGATION_NAMES } from './functions.js';
import { defaultName, namedItem, noParameters } from './row-operators.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import type { TableStage } from './table-operators.js';
import type { EvalContext, KqlType, SchemaColumn, Tuple } from './types.js';
import { valueKey } from './values.js';

/** One aggregate of a summarize: one output column, or several (arg_max, arg_min). */
interface Aggregate {
  readonly columns: readonly { readonly name: string; readonly type: KqlType }[];
  readonly create: () => GroupAccumulator;
}

interface GroupAccumulator {
  add(row: Tuple, ctx: EvalContext): void;
  result(ctx: EvalContext): unknown[];
}

function numbered(taken: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!taken.has(`Column${i}`)) return `Column${i}`;
}

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

  const aggregations: Aggregate[] = [];
  for (const item of listElements(child(node, 'Aggregates'))) {
    const { names: declared, expr } = aggregateItem(item, reporter);
    const aggregate = compileAggregate(expr, declared, byItems, scope);
    aggregate.columns.forEach((c, i) => {
      // An expression over aggregations that Kusto does not name after one is numbered (Column1).
      const name = unique(declared[i] ?? (c.name === '' ? numbered(taken) : c.name), taken);
      taken.add(name);
      schema.push({ name, type: c.type });
    });
    aggregations.push(aggregate);
  }

  const run = (rows: Iterable<Tuple>, ctx: EvalContext): Tuple[] => {
    const groups = new Map<string, { keys: unknown[]; accumulators: GroupAccumulator[] }>();
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
    return [...groups.values()].map((g) => [...g.keys, ...g.accumulators.flatMap((a) => a.result(ctx))]);
  };
  return { schema, run };
}

/**
 * `agg(…)`, `Name = agg(…)` or `(Name1, Name2) = agg(…)`: the names declared (the first columns
 * of the aggregate take them in order) and the call.
 */
function aggregateItem(item: SyntaxNode, reporter: Reporter): { names: string[]; expr: SyntaxNode } {
  if (item.kind === 'CompoundNamedExpression') {
    const list = child(reporter.need(item, 'Names'), 'Names');
    const names = listElements(list).map((n) => nameOf(n) ?? '');
    return { names, expr: reporter.need(item, 'Expression') };
  }
  const { name, expr } = namedItem(item, reporter);
  return { names: name === undefined ? [] : [name], expr };
}

function compileAggregate(
  expr: SyntaxNode,
  declared: readonly string[],
  byItems: readonly SyntaxNode[],
  scope: Scope,
): Aggregate {
  const { reporter } = scope;
  const fn = expr.kind === 'FunctionCallExpression' ? nameOf(reporter.need(expr, 'Name')) : undefined;
  if (fn !== undefined && ROW_SELECTORS.has(fn)) {
    const args = listElements(child(reporter.need(expr, 'ArgumentList'), 'Expressions'));
    const selection = rowSelection(fn, expr, args, byItems, scope);
    if (declared.length > selection.columns.length) {
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `${declared.length} names for the ${selection.columns.length} column(s) of ${fn}(): a name does not have a corresponding expression`,
        expr,
      );
    }
    return selection;
  }
  if (declared.length > 1) {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `'${reporter.snippet(expr)}' gives one value, so it takes one name, not ${declared.length}`,
      expr,
    );
  }
  const computed =
    fn === undefined || !AGGREGATION_NAMES.has(fn) ? aggregateExpression(expr, scope) : undefined;
  if (computed !== undefined) {
    return {
      columns: [{ name: computed.name, type: computed.type }],
      create: () => {
        const acc = computed.create();
        return {
          add: (row, ctx) => {
            acc.add(row, ctx);
          },
          result: (ctx) => [acc.result(ctx)],
        };
      },
    };
  }
  const { aggregation: agg, defaultName: name } = aggregation(expr, scope);
  return {
    columns: [{ name, type: agg.type }],
    create: () => {
      const acc = agg.create();
      return {
        add: (row, ctx) => {
          acc.add(row, ctx);
        },
        result: () => [acc.result()],
      };
    },
  };
}
