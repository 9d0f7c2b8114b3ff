// The `let` statements of a query: each binds a name to a scalar value (a number, a timespan, a
// string, a dynamic list, or an expression of those and of earlier names) that the query reads.

import type { Compiled } from './compiled.js';
import { compileExpr } from './expr.js';
import { nameOf, type Reporter, type SyntaxNode } from './syntax.js';

const TABULAR = new Set(['PipeExpression', 'DataTableExpression', 'UnionExpression', 'ToScalarExpression']);

/**
 * Compiles each `let` in order, so a later one may use an earlier one. Tabular values (a table, a
 * pipeline) and user-defined functions are refused by name, with the statement's position.
 */
export function compileLets(
  lets: readonly SyntaxNode[],
  reporter: Reporter,
  tables: readonly string[],
): ReadonlyMap<string, Compiled> {
  const variables = new Map<string, Compiled>();
  for (const statement of lets) {
    const name = nameOf(reporter.need(statement, 'Name'));
    const expr = reporter.need(statement, 'Expression');
    if (name === undefined)
      throw reporter.unsupported(`Unsupported let statement '${reporter.snippet(statement)}'`, statement);
    if (expr.kind === 'FunctionDeclaration') {
      throw reporter.unsupported(
        `let ${name}: user-defined functions are not supported by otel-sentinel's KQL engine; only scalar values`,
        expr,
      );
    }
    const names = expr.kind === 'NameReference' ? nameOf(expr) : undefined;
    const isTable = names !== undefined && !variables.has(names) && tables.includes(names);
    if (TABULAR.has(expr.kind) || isTable) {
      throw reporter.unsupported(
        `let ${name}: tabular values are not supported by otel-sentinel's KQL engine; only scalar values such as 5, 1h, "text" or dynamic([...])`,
        expr,
      );
    }
    variables.set(name, compileExpr(expr, { schema: [], reporter, mode: 'query', variables }));
  }
  return variables;
}
