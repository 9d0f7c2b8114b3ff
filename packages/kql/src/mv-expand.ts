// mv-expand (one row per element of dynamic arrays or property bags) and mv-apply (a subquery
// run over each row's expanded elements).

import type { Compiled, Scope } from './compiled.js';
import { declaredType } from './declared-types.js';
import { compileExpr } from './expr.js';
import { namedItem } from './row-operators.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import { compileQueryOperator, type TableStage } from './table-operators.js';
import {
  indexOfColumn,
  type EvalContext,
  type KqlType,
  type Schema,
  type SchemaColumn,
  type Tuple,
} from './types.js';
import { castTo, INVALID } from './values.js';

interface Expansion {
  readonly name: string;
  readonly value: Compiled;
  readonly type: KqlType;
}

interface Expanding {
  readonly expansions: readonly Expansion[];
  readonly itemIndex: string | undefined;
  readonly bagAsArray: boolean;
  readonly limit: number;
}

function parameters(
  node: SyntaxNode,
  reporter: Reporter,
): { itemIndex: string | undefined; bagAsArray: boolean } {
  let itemIndex: string | undefined;
  let bagAsArray = false;
  for (const parameter of listElements(child(node, 'Parameters'))) {
    const name = (nameOf(reporter.need(parameter, 'Name')) ?? '').toLowerCase();
    const value = reporter.need(parameter, 'Expression');
    if (name === 'with_itemindex') itemIndex = nameOf(value);
    else if (name === 'kind' || name === 'bagexpansion')
      bagAsArray = (value.children[0]?.text ?? '').toLowerCase() === 'array';
    else throw reporter.unsupported(`'${reporter.snippet(parameter)}' is not supported`, parameter);
  }
  return { itemIndex, bagAsArray };
}

function expanding(node: SyntaxNode, scope: Scope): Expanding {
  const { reporter } = scope;
  const taken = new Set(scope.schema.map((c) => c.name));
  const expansions = listElements(child(node, 'Expressions')).map((item) => {
    const { name: declared, expr } = namedItem(reporter.need(item, 'Expression'), reporter);
    const value = compileExpr(expr, scope);
    if (value.type !== 'dynamic')
      throw reporter.error(
        'E_KQL_SEMANTIC',
        `'${reporter.snippet(expr)}' is ${value.type}; only dynamic arrays and bags expand`,
        expr,
      );
    let name = declared ?? nameOf(expr);
    for (let n = 1; name === undefined; n++) if (!taken.has(`Column${n}`)) name = `Column${n}`;
    const toTypeOf = child(item, 'ToTypeOf');
    const typeNode =
      toTypeOf === undefined ? undefined : listElements(child(reporter.need(toTypeOf, 'TypeOf'), 'Types'))[0];
    return { name, value, type: typeNode === undefined ? 'dynamic' : declaredType(typeNode, reporter) };
  });
  const limitClause = child(node, 'RowLimitClause');
  const limitValue =
    limitClause === undefined
      ? undefined
      : compileExpr(reporter.need(limitClause, 'RowLimit'), scope).constant?.value;
  return {
    expansions,
    ...parameters(node, reporter),
    limit: typeof limitValue === 'number' ? limitValue : 2147483647,
  };
}

/** The elements a value expands to: an array's, a bag's one-entry bags (or [key, value] pairs); null is one. */
function elements(value: unknown, bagAsArray: boolean): readonly unknown[] {
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value === 'object' && value !== null)
    return Object.entries(value as Record<string, unknown>).map(([k, v]) =>
      bagAsArray ? [k, v] : { [k]: v },
    );
  return [value ?? null];
}

function element(values: readonly unknown[], i: number, type: KqlType): unknown {
  const v = values[i] ?? null;
  if (type === 'dynamic') return v;
  const cast = castTo(v, 'dynamic', type);
  return cast === INVALID ? null : cast;
}

/** Where each expansion and the item index go: an existing column of that name, or a new one at the end. */
function placed(schema: Schema, e: Expanding): { schema: SchemaColumn[]; targets: number[]; index: number } {
  const out: SchemaColumn[] = [...schema];
  const place = (name: string, type: KqlType): number => {
    const at = indexOfColumn(out, name);
    if (at >= 0) {
      out[at] = { name, type };
      return at;
    }
    out.push({ name, type });
    return out.length - 1;
  };
  const targets = e.expansions.map((x) => place(x.name, x.type));
  const index = e.itemIndex === undefined ? -1 : place(e.itemIndex, 'long');
  return { schema: out, targets, index };
}

/** The expanded rows of one input row (elements in parallel, missing ones null). */
function* expandRow(
  row: Tuple,
  ctx: EvalContext,
  e: Expanding,
  template: Tuple,
  targets: readonly number[],
  index: number,
): Iterable<Tuple> {
  const lists = e.expansions.map((x) => elements(x.value.eval(row, ctx), e.bagAsArray));
  const count = Math.min(e.limit, Math.max(0, ...lists.map((l) => l.length)));
  for (let i = 0; i < count; i++) {
    const out: Tuple = [...template];
    e.expansions.forEach((x, j) => {
      const target = targets[j];
      if (target !== undefined) out[target] = element(lists[j] ?? [], i, x.type);
    });
    if (index >= 0) out[index] = i;
    yield out;
  }
}

/** `mv-expand [with_itemindex=I] [Name =] Expr [to typeof(T)], … [limit N]`. */
export function mvExpand(node: SyntaxNode, scope: Scope): TableStage {
  const e = expanding(node, scope);
  const { schema, targets, index } = placed(scope.schema, e);
  return {
    schema,
    run: function* (rows, ctx) {
      for (const row of rows) {
        const template = row.slice(0, schema.length);
        while (template.length < schema.length) template.push(null);
        yield* expandRow(row, ctx, e, template, targets, index);
      }
    },
  };
}

/** mv-apply's subquery: operators applied to an implicit table, `summarize … | extend …`. */
function subqueryOperators(node: SyntaxNode, reporter: Reporter): SyntaxNode[] {
  let expr = reporter.need(reporter.need(node, 'Subquery'), 'Expression');
  while (expr.kind === 'ParenthesizedExpression') expr = reporter.need(expr, 'Expression');
  const operators: SyntaxNode[] = [];
  while (expr.kind === 'PipeExpression') {
    operators.unshift(reporter.need(expr, 'Operator'));
    expr = reporter.need(expr, 'Expression');
  }
  operators.unshift(expr);
  return operators;
}

/**
 * `mv-apply [Name =] Expr [to typeof(T)], … on (subquery)`: per input row, the subquery runs over
 * the expanded elements; each of its rows follows the row's columns that were not expanded.
 */
export function mvApply(node: SyntaxNode, scope: Scope): TableStage {
  const { reporter } = scope;
  const e = expanding(node, scope);
  const sub = placed([], e);
  let subSchema: Schema = sub.schema;
  const stages = subqueryOperators(node, reporter).map((operator) => {
    const stage = compileQueryOperator(operator, { ...scope, schema: subSchema });
    subSchema = stage.schema;
    return stage;
  });
  const blankRow: Tuple = sub.schema.map(() => null);
  const produced = new Set(subSchema.map((c) => c.name));
  const replaced = new Set(
    e.expansions.filter((x) => indexOfColumn(scope.schema, x.name) >= 0).map((x) => x.name),
  );
  const kept: number[] = [];
  scope.schema.forEach((c, i) => {
    if (!produced.has(c.name) && !replaced.has(c.name)) kept.push(i);
  });
  return {
    schema: [...kept.map((i) => scope.schema[i] ?? { name: '', type: 'dynamic' as const }), ...subSchema],
    run: function* (rows, ctx) {
      for (const row of rows) {
        let subRows: Iterable<Tuple> = expandRow(row, ctx, e, blankRow, sub.targets, sub.index);
        for (const stage of stages) subRows = stage.run(subRows, ctx);
        const base = kept.map((i) => row[i] ?? null);
        for (const out of subRows) yield [...base, ...out];
      }
    },
  };
}
