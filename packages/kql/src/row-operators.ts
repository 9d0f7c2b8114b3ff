// Operators that work row by row, shared by DCR transforms and queries: where, extend, project,
// project-away, project-rename.

import type { Evaluator, Scope } from './compiled.js';
import { compileExpr, compilePredicate } from './expr.js';
import { nameMatcher } from './schema-operators.js';
import { child, listElements, nameOf, type Reporter, type SyntaxNode } from './syntax.js';
import { indexOfColumn, type EvalContext, type Schema, type SchemaColumn, type Tuple } from './types.js';

/** One compiled row operator: its output schema and what it does to a row (undefined drops it). */
export interface RowStage {
  readonly schema: Schema;
  readonly apply: (row: Tuple, ctx: EvalContext) => Tuple | undefined;
}

export const ROW_OPERATORS = ['where', 'extend', 'project', 'project-away', 'project-rename'] as const;

/** Refuses `hint.x=…` style parameters, which change nothing the emulator could honour. */
export function noParameters(node: SyntaxNode, reporter: Reporter): void {
  const parameters = child(node, 'Parameters');
  if (parameters !== undefined && parameters.children.length > 0) {
    throw reporter.unsupported(
      `Operator parameters '${reporter.snippet(parameters)}' are not supported`,
      parameters,
    );
  }
}

/**
 * The name Kusto gives an unnamed expression: a column keeps its name, `f(col, …)` takes the
 * column's, `a.b` becomes `a_b`; anything else is `Column1`, `Column2`, …
 */
export function defaultName(expr: SyntaxNode, taken: (name: string) => boolean, derive = true): string {
  const direct = nameOf(expr);
  if (direct !== undefined) return direct;
  if (derive && expr.kind === 'FunctionCallExpression') {
    const first = listElements(child(child(expr, 'ArgumentList') ?? expr, 'Expressions'))[0];
    const name = first === undefined ? undefined : nameOf(first);
    if (name !== undefined) return name;
  }
  if (expr.kind === 'PathExpression') {
    const base = child(expr, 'Expression');
    const selector = child(expr, 'Selector');
    const a = base === undefined ? undefined : nameOf(base);
    const b = selector === undefined ? undefined : nameOf(selector);
    if (a !== undefined && b !== undefined) return `${a}_${b}`;
  }
  for (let i = 1; ; i++) if (!taken(`Column${i}`)) return `Column${i}`;
}

/** `name = expr` or a bare `expr`: the declared name (if any) and the expression. */
export function namedItem(
  item: SyntaxNode,
  reporter: Reporter,
): { name: string | undefined; expr: SyntaxNode } {
  if (item.kind === 'SimpleNamedExpression') {
    return { name: nameOf(reporter.need(item, 'Name')), expr: reporter.need(item, 'Expression') };
  }
  if (item.kind === 'CompoundNamedExpression') {
    throw reporter.unsupported(
      `Assigning several names at once ('${reporter.snippet(item)}') is not supported`,
      item,
    );
  }
  return { name: undefined, expr: item };
}

function columnIndex(schema: Schema, node: SyntaxNode, reporter: Reporter): number {
  const name = nameOf(node);
  if (name === undefined) {
    throw reporter.unsupported(
      `Expected a column name, found '${reporter.snippet(node)}' (wildcards are not supported)`,
      node,
    );
  }
  const index = indexOfColumn(schema, name);
  if (index < 0) {
    const known = schema.filter((c) => c.hidden !== true).map((c) => c.name);
    throw reporter.error(
      'E_KQL_UNKNOWN_COLUMN',
      `Failed to resolve column '${name}' (columns here: ${known.join(', ') || 'none'})`,
      node,
    );
  }
  return index;
}

function where(node: SyntaxNode, scope: Scope): RowStage {
  noParameters(node, scope.reporter);
  const test = compilePredicate(scope.reporter.need(node, 'Condition'), scope).eval;
  return { schema: scope.schema, apply: (row, ctx) => (test(row, ctx) === true ? row : undefined) };
}

function extend(node: SyntaxNode, scope: Scope): RowStage {
  let schema: SchemaColumn[] = [...scope.schema];
  const steps: { index: number; eval: Evaluator }[] = [];
  for (const item of listElements(child(node, 'Expressions'))) {
    const { name: declared, expr } = namedItem(item, scope.reporter);
    // Each assignment sees the ones before it, as in Kusto.
    const compiled = compileExpr(expr, { ...scope, schema });
    const name = declared ?? defaultName(expr, (n) => indexOfColumn(schema, n) >= 0, false);
    let index = indexOfColumn(schema, name);
    if (index >= 0) {
      schema = schema.map((c, i) => (i === index ? { name, type: compiled.type } : c));
    } else {
      index = schema.length;
      schema = [...schema, { name, type: compiled.type }];
    }
    steps.push({ index, eval: compiled.eval });
  }
  return {
    schema,
    apply: (row, ctx) => {
      for (const step of steps) row[step.index] = step.eval(row, ctx);
      return row;
    },
  };
}

function project(node: SyntaxNode, scope: Scope): RowStage {
  const schema: SchemaColumn[] = [];
  const evals: Evaluator[] = [];
  for (const item of listElements(child(node, 'Expressions'))) {
    const { name: declared, expr } = namedItem(item, scope.reporter);
    const compiled = compileExpr(expr, scope);
    const name = declared ?? defaultName(expr, (n) => indexOfColumn(schema, n) >= 0, false);
    if (indexOfColumn(schema, name) >= 0) {
      throw scope.reporter.error('E_KQL_SEMANTIC', `Column '${name}' is projected twice`, item);
    }
    schema.push({ name, type: compiled.type });
    evals.push(compiled.eval);
  }
  return { schema, apply: (row, ctx) => evals.map((e) => e(row, ctx)) };
}

/** The columns an item of project-away names; in queries a wildcard (`exist*`) names all it matches. */
function awayIndexes(item: SyntaxNode, scope: Scope): number[] {
  const wildcard = item.kind === 'NameReference' && child(item, 'Name')?.kind === 'WildcardedName';
  if (!wildcard || scope.mode !== 'query') return [columnIndex(scope.schema, item, scope.reporter)];
  const matches = nameMatcher(item) ?? (() => false);
  return scope.schema.flatMap((c, i) => (matches(c.name) ? [i] : []));
}

function projectAway(node: SyntaxNode, scope: Scope): RowStage {
  const removed = new Set(
    listElements(child(node, 'Expressions')).flatMap((item) => awayIndexes(item, scope)),
  );
  const kept: number[] = [];
  scope.schema.forEach((_c, i) => {
    if (!removed.has(i)) kept.push(i);
  });
  return {
    schema: kept.map((i) => scope.schema[i]).filter((c): c is SchemaColumn => c !== undefined),
    apply: (row) => kept.map((i) => row[i]),
  };
}

function projectRename(node: SyntaxNode, scope: Scope): RowStage {
  const schema: SchemaColumn[] = [...scope.schema];
  for (const item of listElements(child(node, 'Expressions'))) {
    const { name, expr } = namedItem(item, scope.reporter);
    if (name === undefined) {
      throw scope.reporter.error(
        'E_KQL_SYNTAX',
        `project-rename expects 'NewName = OldName', found '${scope.reporter.snippet(item)}'`,
        item,
      );
    }
    const index = columnIndex(schema, expr, scope.reporter);
    const clash = indexOfColumn(schema, name);
    if (clash >= 0 && clash !== index) {
      throw scope.reporter.error('E_KQL_SEMANTIC', `project-rename: column '${name}' already exists`, item);
    }
    const type = schema[index]?.type ?? 'dynamic';
    schema[index] = { name, type };
  }
  return { schema, apply: (row) => row };
}

/** Compiles a row operator, or returns undefined when `node` is another kind of operator. */
export function compileRowOperator(node: SyntaxNode, scope: Scope): RowStage | undefined {
  switch (node.kind) {
    case 'FilterOperator':
      return where(node, scope);
    case 'ExtendOperator':
      return extend(node, scope);
    case 'ProjectOperator':
      return project(node, scope);
    case 'ProjectAwayOperator':
      return projectAway(node, scope);
    case 'ProjectRenameOperator':
      return projectRename(node, scope);
    default:
      return undefined;
  }
}
