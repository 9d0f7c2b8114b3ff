// What compiling a scalar expression yields: its Kusto type and a function of the row.

import type { Reporter, SyntaxNode } from './syntax.js';
import type { Tabular } from './tabular.js';
import type { EvalContext, KqlType, Schema, Tuple } from './types.js';

export type Evaluator = (row: Tuple, ctx: EvalContext) => unknown;

export interface Compiled {
  readonly type: KqlType;
  readonly eval: Evaluator;
  /** Present when the value depends on nothing (a literal): callers may precompute with it. */
  readonly constant?: { readonly value: unknown };
}

export interface Scope {
  readonly schema: Schema;
  readonly reporter: Reporter;
  /** Transforms lack what needs stored data (`ingestion_time()`). */
  readonly mode: 'transform' | 'query';
  /** Scalar `let` names of a query, by name; a column of the same name wins, as in Kusto. */
  readonly variables?: ReadonlyMap<string, Compiled>;
  /** Expressions already computed, by node: the aggregations inside a summarize expression. */
  readonly substitutes?: ReadonlyMap<SyntaxNode, Compiled>;
  /** A query's names beyond columns and scalars (tables, functions, subqueries); absent in transforms. */
  readonly query?: QueryContext;
}

/** What a query gives its expressions and operators besides the row: implemented by `QueryEnv`. */
export interface QueryContext {
  /** Points at nodes of the text being compiled (the query, or a stored function's body). */
  readonly reporter: Reporter;
  /** A tabular expression (a table, a `let` name, a subquery, a function call) in this scope. */
  tabular(node: SyntaxNode): Tabular;
  /** A user-defined or stored function called where a value stands; undefined when `name` is none. */
  callScalar(name: string, node: SyntaxNode, scope: Scope): Compiled | undefined;
  /** A name that is neither a column nor a scalar `let`; undefined when it is unknown here. */
  scalarName(name: string, node: SyntaxNode, scope: Scope): Compiled | undefined;
  /** `toscalar(…)`: computed once per run. */
  toScalar(node: SyntaxNode, scope: Scope): Compiled;
  /** An element of an `in (…)` list that is tabular: its first column as one array; else undefined. */
  listOperand(node: SyntaxNode, scope: Scope): Compiled | undefined;
  /** The scope of this query's names over `schema` (a subquery's input, a function's body). */
  scope(schema: Schema): Scope;
}

export type CompileFn = (node: SyntaxNode, scope: Scope) => Compiled;

export function constant(type: KqlType, value: unknown): Compiled {
  return { type, eval: () => value, constant: { value } };
}

export function typed(type: KqlType, evaluate: Evaluator): Compiled {
  return { type, eval: evaluate };
}
