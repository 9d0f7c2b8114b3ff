// Binary operators: and/or, comparisons, in and between, dispatching arithmetic and the string
// operators to their own files.

import { arithmetic } from './arithmetic.js';
import { typed, type CompileFn, type Compiled, type Evaluator, type Scope } from './compiled.js';
import { asBool, nullSafe, readAs, typeError } from './operands.js';
import { hasAny, matchesRegex, stringOperator, stringText } from './string-operators.js';
import { child, listElements, type SyntaxNode } from './syntax.js';
import { isNumeric, type KqlType } from './types.js';
import { castTo, compareValues, INVALID, toDynamic, toKqlString, valueKey } from './values.js';

function logical(op: 'and' | 'or', l: Evaluator, r: Evaluator): Evaluator {
  // Three-valued, as in Kusto: null and false is false, null or true is true.
  const decisive = op === 'or';
  return (row, ctx) => {
    const a = l(row, ctx);
    if (a === decisive) return decisive;
    const b = r(row, ctx);
    if (b === decisive) return decisive;
    return a === null || b === null ? null : !decisive;
  };
}

/** The type both sides are compared as, and each side read as that type. */
function comparable(
  l: Compiled,
  r: Compiled,
): { type: KqlType; left: Evaluator; right: Evaluator } | undefined {
  if (l.type === r.type) return { type: l.type, left: l.eval, right: r.eval };
  if (isNumeric(l.type) && isNumeric(r.type)) return { type: 'real', left: l.eval, right: r.eval };
  if ((l.type === 'guid' && r.type === 'string') || (l.type === 'string' && r.type === 'guid')) {
    const lower =
      (e: Evaluator): Evaluator =>
      (row, ctx) =>
        toKqlString(e(row, ctx), 'string').toLowerCase();
    return { type: 'guid', left: lower(l.eval), right: lower(r.eval) };
  }
  if (l.type === 'dynamic') return { type: r.type, left: readAs(l, r.type), right: r.eval };
  if (r.type === 'dynamic') return { type: l.type, left: l.eval, right: readAs(r, l.type) };
  return undefined;
}

function comparison(op: string, type: KqlType, l: Evaluator, r: Evaluator): Evaluator {
  const same =
    type === 'dynamic'
      ? (a: unknown, b: unknown): boolean => valueKey(a) === valueKey(b)
      : (a: unknown, b: unknown): boolean => a === b;
  switch (op) {
    case '==':
      return nullSafe(l, r, same);
    case '!=':
    case '<>':
      return nullSafe(l, r, (a, b) => !same(a, b));
    case '<':
      return nullSafe(l, r, (a, b) => compareValues(a, b) < 0);
    case '<=':
      return nullSafe(l, r, (a, b) => compareValues(a, b) <= 0);
    case '>':
      return nullSafe(l, r, (a, b) => compareValues(a, b) > 0);
    default:
      return nullSafe(l, r, (a, b) => compareValues(a, b) >= 0);
  }
}

function inList(op: string, l: Compiled, items: readonly Compiled[]): Evaluator {
  const ci = op.endsWith('~');
  const negate = op.startsWith('!');
  const type = l.type;
  const key = (value: unknown, from: KqlType): string | undefined => {
    if (value === null || value === undefined) return undefined;
    if (type === 'dynamic') return valueKey(toDynamic(value, from));
    const v = castTo(value, from, type === 'int' || type === 'long' ? 'real' : type);
    if (v === INVALID) return undefined;
    return valueKey(ci && typeof v === 'string' ? v.toLowerCase() : v);
  };
  const keysOf = (values: readonly unknown[], types: readonly KqlType[]): Set<string> => {
    const keys = new Set<string>();
    const add = (k: string | undefined): void => {
      if (k !== undefined) keys.add(k);
    };
    values.forEach((value, i) => {
      const from = types[i] ?? 'dynamic';
      // A dynamic array in the list stands for its elements.
      if (from === 'dynamic' && Array.isArray(value))
        for (const v of value as unknown[]) add(key(v, 'dynamic'));
      else add(key(value, from));
    });
    return keys;
  };
  const types = items.map((i) => i.type);
  const fixed = items.every((i) => i.constant !== undefined)
    ? keysOf(
        items.map((i) => i.constant?.value),
        types,
      )
    : undefined;
  const evaluate = l.eval;
  return (row, ctx) => {
    const k = key(evaluate(row, ctx), type);
    if (k === undefined) return null;
    const keys =
      fixed ??
      keysOf(
        items.map((i) => i.eval(row, ctx)),
        types,
      );
    return keys.has(k) !== negate;
  };
}

function between(
  op: string,
  l: Compiled,
  lo: Compiled,
  hi: Compiled,
  scope: Scope,
  node: SyntaxNode,
): Evaluator {
  const negate = op.startsWith('!');
  const low = comparable(l, lo);
  let high = comparable(l, hi);
  if (l.type === 'datetime' && hi.type === 'timespan') {
    const start = lo.eval;
    const span = hi.eval;
    high = { type: 'datetime', left: l.eval, right: nullSafe(start, span, (a: bigint, b: bigint) => a + b) };
  }
  if (
    low === undefined ||
    high === undefined ||
    !(isNumeric(l.type) || l.type === 'datetime' || l.type === 'timespan')
  ) {
    throw typeError(scope, node, op, l, lo);
  }
  const value = low.left;
  const from = low.right;
  const to = high.right;
  return (row, ctx) => {
    const v = value(row, ctx);
    const a = from(row, ctx);
    const b = to(row, ctx);
    if (v === null || a === null || b === null) return null;
    return (compareValues(v, a) >= 0 && compareValues(v, b) <= 0) !== negate;
  };
}

/** Operators whose right side is a list or a range, not one value; undefined for any other. */
function compileListOperator(
  op: string,
  left: Compiled,
  rightNode: SyntaxNode,
  node: SyntaxNode,
  scope: Scope,
  compile: CompileFn,
): Compiled | undefined {
  const { reporter } = scope;
  const listed = (): Compiled[] => {
    if (rightNode.kind !== 'ExpressionList')
      throw reporter.unsupported(`'${op}' with a tabular right side`, rightNode);
    // A table in the list (`x in (T)`) stands for its first column's values.
    return listElements(child(rightNode, 'Expressions')).map(
      (item) => scope.query?.listOperand(item, scope) ?? compile(item, scope),
    );
  };
  if (op === 'in' || op === '!in' || op === 'in~' || op === '!in~')
    return typed('bool', inList(op, left, listed()));
  if (op === 'has_any') return typed('bool', hasAny(left, listed()));
  if (op === 'has_all') return typed('bool', hasAny(left, listed(), true));
  if (op === 'between' || op === '!between') {
    const lo = compile(reporter.need(rightNode, 'First'), scope);
    const hi = compile(reporter.need(rightNode, 'Second'), scope);
    return typed('bool', between(op, left, lo, hi, scope, node));
  }
  return undefined;
}

const ARITHMETIC_OPERATORS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%']);
const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(['==', '!=', '<>', '<', '<=', '>', '>=']);

/** Logical, arithmetic and comparison operators; undefined for any other. */
function compileValueOperator(
  op: string,
  left: Compiled,
  right: Compiled,
  node: SyntaxNode,
  scope: Scope,
): Compiled | undefined {
  if (op === 'and' || op === 'or') {
    return typed('bool', logical(op, asBool(left, scope, node), asBool(right, scope, node)));
  }
  if (ARITHMETIC_OPERATORS.has(op)) return arithmetic(op, left, right, scope, node);
  if (!COMPARISON_OPERATORS.has(op)) return undefined;
  const both = comparable(left, right);
  if (both === undefined) throw typeError(scope, node, op, left, right);
  return typed('bool', comparison(op, both.type, both.left, both.right));
}

export function compileBinary(node: SyntaxNode, scope: Scope, compile: CompileFn): Compiled {
  const { reporter } = scope;
  const op = reporter.need(node, 'Operator').text.toLowerCase().replace(/\s+/g, ' ');
  const left = compile(reporter.need(node, 'Left'), scope);
  const rightNode = reporter.need(node, 'Right');
  const listOp = compileListOperator(op, left, rightNode, node, scope, compile);
  if (listOp !== undefined) return listOp;

  const right = compile(rightNode, scope);
  const valueOp = compileValueOperator(op, left, right, node, scope);
  if (valueOp !== undefined) return valueOp;
  if (op === 'matches regex') return typed('bool', matchesRegex(left, right, scope, node));
  const stringOp = stringOperator(op);
  if (stringOp === undefined) {
    throw reporter.unsupported(
      `Operator '${op}' is not supported by otel-sentinel's KQL engine (supported: ==, !=, <, <=, >, >=, =~, !~, ` +
        `contains, has, startswith, endswith and their !/_cs forms, has_any, has_all, matches regex, in, !in, in~, !in~, ` +
        `between, and, or, + - * / %)`,
      node,
    );
  }
  const { test, ci, negate } = stringOp;
  const text = stringText(left, ci);
  const needle = stringText(right, ci);
  return typed('bool', (row, ctx) => test(text(row, ctx) as string, needle(row, ctx) as string) !== negate);
}
