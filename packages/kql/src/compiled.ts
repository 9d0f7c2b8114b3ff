// What compiling a scalar expression yields: its Kusto type and a function of the row.

import type { Reporter, SyntaxNode } from './syntax.js';
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
}

export type CompileFn = (node: SyntaxNode, scope: Scope) => Compiled;

export function constant(type: KqlType, value: unknown): Compiled {
  return { type, eval: () => value, constant: { value } };
}

export function typed(type: KqlType, evaluate: Evaluator): Compiled {
  return { type, eval: evaluate };
}
