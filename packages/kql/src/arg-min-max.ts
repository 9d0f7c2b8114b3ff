// arg_max and arg_min in summarize: per group, the row with the largest (smallest) value of an
// expression and the columns asked for (`*` for all). The output columns are named and ordered as
// Microsoft's Kusto.Language names them (Aggregates.GetArgMinMaxResult), so a query written against
// the service reads the same columns here.

import type { Compiled, Evaluator, Scope } from './compiled.js';
import { compileExpr } from './expr.js';
import { child, listElements, nameOf, type SyntaxNode } from './syntax.js';
import { indexOfColumn, type EvalContext, type KqlType, type Tuple } from './types.js';
import { compareValues } from './values.js';

/** The row selectors: which way each one orders, and the prefix of its unnamed columns. */
export const ROW_SELECTORS: ReadonlyMap<string, { readonly sign: 1 | -1; readonly prefix: string }> = new Map(
  [
    ['arg_max', { sign: 1, prefix: 'max' }],
    ['arg_min', { sign: -1, prefix: 'min' }],
  ],
);

/** Functions Kusto looks through when the result is the argument column unchanged. */
const CONVERSIONS: ReadonlySet<string> = new Set([
  'tobool',
  'todatetime',
  'todecimal',
  'todouble',
  'todynamic',
  'toguid',
  'toint',
  'tolong',
  'toreal',
  'tostring',
  'totime',
  'totimespan',
]);

export interface RowSelection {
  /** The output columns, named before summarize makes the names of all its columns unique. */
  readonly columns: readonly { readonly name: string; readonly type: KqlType }[];
  readonly create: () => RowSelectionAccumulator;
}

export interface RowSelectionAccumulator {
  add(row: Tuple, ctx: EvalContext): void;
  /** The chosen row's values, one per output column. */
  result(): unknown[];
}

function unparenthesized(expr: SyntaxNode): SyntaxNode {
  let e = expr;
  while (e.kind === 'ParenthesizedExpression') {
    const inner = child(e, 'Expression');
    if (inner === undefined) break;
    e = inner;
  }
  return e;
}

/**
 * The input column an expression stands for, as Kusto sees it (`Binder.GetResultColumn`): a
 * column reference, in parentheses or not, or a conversion to the column's own type; else -1.
 */
export function columnOf(expr: SyntaxNode, scope: Scope): number {
  const e = unparenthesized(expr);
  if (e.kind === 'NameReference') return indexOfColumn(scope.schema, nameOf(e) ?? '');
  if (e.kind !== 'FunctionCallExpression') return -1;
  const fn = nameOf(scope.reporter.need(e, 'Name'));
  const args = listElements(child(scope.reporter.need(e, 'ArgumentList'), 'Expressions'));
  const only = args.length === 1 ? args[0] : undefined;
  if (fn === undefined || !CONVERSIONS.has(fn) || only === undefined) return -1;
  const index = columnOf(only, scope);
  if (index < 0) return -1;
  return compileExpr(e, scope).type === scope.schema[index]?.type ? index : -1;
}

/** `by` items that are columns (named or not): `*` leaves them out, as they are already there. */
export function byColumns(byItems: readonly SyntaxNode[], scope: Scope): ReadonlySet<number> {
  const out = new Set<number>();
  for (const item of byItems) {
    const expr = item.kind === 'SimpleNamedExpression' ? scope.reporter.need(item, 'Expression') : item;
    const index = columnOf(expr, scope);
    if (index >= 0) out.add(index);
  }
  return out;
}

/**
 * The name Kusto gives an argument that is not a column (`GetExpressionResultName`): a declared
 * `Name = …`, a `let` name, or none (undefined). Function calls and member accesses are named by
 * rules per function that the emulator does not keep, so they must be named explicitly.
 */
function resultName(arg: SyntaxNode, selector: string, scope: Scope): string | undefined {
  const e = unparenthesized(arg);
  if (e.kind === 'SimpleNamedExpression') return nameOf(scope.reporter.need(e, 'Name'));
  if (e.kind === 'NameReference') return nameOf(e);
  if (e.kind === 'FunctionCallExpression' || e.kind === 'PathExpression' || e.kind === 'ElementExpression') {
    const snippet = scope.reporter.snippet(arg);
    throw scope.reporter.unsupported(
      `${selector}(): name the result of '${snippet}' (Name = ${snippet}), or compute it with extend first`,
      arg,
    );
  }
  return undefined;
}

function valueOf(arg: SyntaxNode, scope: Scope): Compiled {
  const e = unparenthesized(arg);
  return compileExpr(e.kind === 'SimpleNamedExpression' ? scope.reporter.need(e, 'Expression') : e, scope);
}

/** The expression to maximise (or minimise): checked and compiled. */
function orderKey(selector: string, node: SyntaxNode, first: SyntaxNode | undefined, scope: Scope): Compiled {
  const { reporter } = scope;
  if (first === undefined) {
    throw reporter.error('E_KQL_SEMANTIC', `${selector}() expects an expression to order by`, node);
  }
  if (first.kind === 'StarExpression') {
    throw reporter.error(
      'E_KQL_SEMANTIC',
      `${selector}(): the * syntax is not allowed as its first argument`,
      first,
    );
  }
  const key = valueOf(first, scope);
  if (key.type === 'dynamic') {
    throw reporter.error('E_KQL_SEMANTIC', `${selector}() cannot order dynamic values`, first);
  }
  return key;
}

interface SelectedColumns {
  readonly columns: { name: string; type: KqlType }[];
  readonly values: Evaluator[];
}

/**
 * The columns `args` return, named and ordered as Kusto's analyzer does: the maximised
 * expression first, then each argument in order; `*` adds the input's columns except those a
 * `by` item or an earlier argument already gives; without `*` nothing is left out.
 */
function selectedColumns(
  selector: string,
  kind: { readonly prefix: string },
  key: Compiled,
  args: readonly SyntaxNode[],
  byItems: readonly SyntaxNode[],
  scope: Scope,
): SelectedColumns {
  const { reporter, schema } = scope;
  const inBy = byColumns(byItems, scope);
  const doNotRepeat = new Set<number>();
  const anyStar = args.some((a) => a.kind === 'StarExpression');
  const canAdd = (i: number, column: number): boolean =>
    i === 0 || !anyStar || (!doNotRepeat.has(column) && !inBy.has(column));
  const selected: SelectedColumns = { columns: [], values: [] };
  const addColumn = (i: number, column: number, name: string): void => {
    if (!canAdd(i, column)) return;
    const c = schema[column];
    if (c === undefined) return;
    doNotRepeat.add(column);
    selected.columns.push({ name, type: c.type });
    selected.values.push((row) => row[column] ?? null);
  };

  args.forEach((arg, i) => {
    if (arg.kind === 'StarExpression') {
      schema.forEach((c, column) => {
        if (c.hidden !== true) addColumn(i, column, c.name);
      });
      return;
    }
    const named = arg.kind === 'SimpleNamedExpression';
    const declared = named ? nameOf(reporter.need(arg, 'Name')) : undefined;
    const column = columnOf(named ? reporter.need(arg, 'Expression') : arg, scope);
    if (column >= 0) {
      addColumn(i, column, declared ?? schema[column]?.name ?? '');
      return;
    }
    const compiled = i === 0 ? key : valueOf(arg, scope);
    const first = args[0] ?? arg;
    const name =
      resultName(arg, selector, scope) ??
      (i === 0 ? `${kind.prefix}_` : `${kind.prefix}_${primaryName(first, selector, scope)}_arg${i}`);
    selected.columns.push({ name, type: compiled.type });
    selected.values.push(compiled.eval);
  });
  return selected;
}

/**
 * Compiles `arg_max(ExprToMaximize, * | ExprToReturn, …)` (or arg_min). The columns follow
 * Kusto (see `selectedColumns`; summarize then makes repeated names unique: `A`, `A1`).
 */
export function rowSelection(
  selector: string,
  node: SyntaxNode,
  args: readonly SyntaxNode[],
  byItems: readonly SyntaxNode[],
  scope: Scope,
): RowSelection {
  const kind = ROW_SELECTORS.get(selector);
  if (kind === undefined) {
    throw scope.reporter.error('E_KQL_SEMANTIC', `${selector}() expects an expression to order by`, node);
  }
  const key = orderKey(selector, node, args[0], scope);
  const { columns, values } = selectedColumns(selector, kind, key, args, byItems, scope);
  const order = key.eval;
  const sign = kind.sign;
  return {
    columns,
    create: () => {
      let best: unknown = null;
      let chosen: unknown[] | undefined;
      return {
        add: (row, ctx) => {
          const v = order(row, ctx) ?? null;
          // Rows whose value is null lose to any other; a group of only such rows keeps its first.
          if (v === null) {
            if (chosen === undefined) chosen = values.map((f) => f(row, ctx) ?? null);
            return;
          }
          if (best === null || compareValues(v, best) * sign > 0) {
            best = v;
            chosen = values.map((f) => f(row, ctx) ?? null);
          }
        },
        result: () => chosen ?? columns.map(() => null),
      };
    },
  };
}

/** The maximised expression's name as the other unnamed columns embed it (`max_<name>_arg2`). */
function primaryName(first: SyntaxNode, selector: string, scope: Scope): string {
  const e = unparenthesized(first);
  if (e.kind === 'NameReference') return nameOf(e) ?? '';
  return resultName(e, selector, scope) ?? '';
}
