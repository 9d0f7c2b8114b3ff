// What a scalar function is given when compiled, and the checks every function shares.

import type { Compiled, Evaluator, Scope } from './compiled.js';
import type { SyntaxNode } from './syntax.js';
import { isNumeric, type KqlType } from './types.js';

export interface Call {
  readonly name: string;
  readonly node: SyntaxNode;
  readonly args: readonly Compiled[];
  readonly scope: Scope;
}

export interface ScalarFunction {
  readonly min: number;
  readonly max: number;
  readonly compile: (call: Call) => Compiled;
}

export function typeError(call: Call, message: string): Error {
  return call.scope.reporter.error(
    'E_KQL_SEMANTIC',
    `${call.name}(): ${message} in '${call.scope.reporter.snippet(call.node)}'`,
    call.node,
  );
}

export function arg(call: Call, index: number): Compiled {
  const a = call.args[index];
  if (a === undefined) throw typeError(call, `argument ${index + 1} is missing`);
  return a;
}

export function expectType(call: Call, index: number, ...types: KqlType[]): Compiled {
  const a = arg(call, index);
  if (!types.includes(a.type)) {
    throw typeError(call, `argument ${index + 1} must be ${types.join(' or ')}, not ${a.type}`);
  }
  return a;
}

/**
 * The type several branches share (iif, case, coalesce); numbers widen, the rest must match. With
 * `dynamicFits` (iif, case), dynamic branches take the type of the others, as Kusto's analyzer says.
 */
export function commonType(call: Call, values: readonly Compiled[], dynamicFits = false): KqlType {
  const all = [...new Set(values.map((v) => v.type))];
  const types = dynamicFits && all.some((t) => t !== 'dynamic') ? all.filter((t) => t !== 'dynamic') : all;
  const first = types[0] ?? 'dynamic';
  if (types.length === 1) return first;
  if (types.every(isNumeric)) return types.includes('real') ? 'real' : 'long';
  throw typeError(call, `the results have different types (${types.join(', ')})`);
}

export function asCondition(call: Call, index: number): Evaluator {
  const c = arg(call, index);
  if (c.type !== 'bool' && c.type !== 'dynamic')
    throw typeError(call, `argument ${index + 1} must be bool, not ${c.type}`);
  return c.eval;
}
