// Helpers for operators: reading operands as a type, null propagation, type errors.

import type { Compiled, Evaluator, Scope } from './compiled.js';
import type { SyntaxNode } from './syntax.js';
import type { KqlType } from './types.js';
import { castTo, INVALID } from './values.js';

/** Converts a dynamic operand to `type` as it is read (null when it cannot be). */
export function readAs(c: Compiled, type: KqlType): Evaluator {
  if (c.type === type || c.type !== 'dynamic') return c.eval;
  const evaluate = c.eval;
  return (row, ctx) => {
    const v = castTo(evaluate(row, ctx), 'dynamic', type);
    return v === INVALID ? null : v;
  };
}

export function typeError(scope: Scope, node: SyntaxNode, op: string, l: Compiled, r: Compiled): Error {
  return scope.reporter.error(
    'E_KQL_SEMANTIC',
    `Operator '${op}' cannot combine ${l.type} and ${r.type} in '${scope.reporter.snippet(node)}'`,
    node,
  );
}

/** Applies `f` to both operands, or gives null when either is null. `f` declares their run-time types. */
export function nullSafe(l: Evaluator, r: Evaluator, f: (a: never, b: never) => unknown): Evaluator {
  return (row, ctx) => {
    const a = l(row, ctx);
    if (a === null) return null;
    const b = r(row, ctx);
    if (b === null) return null;
    return f(a as never, b as never);
  };
}

export function asBool(c: Compiled, scope: Scope, node: SyntaxNode): Evaluator {
  if (c.type === 'bool' || c.type === 'dynamic') return readAs(c, 'bool');
  throw scope.reporter.error(
    'E_KQL_SEMANTIC',
    `Expected a bool, got ${c.type}: '${scope.reporter.snippet(node)}'`,
    node,
  );
}
