// Arithmetic: + - * / % on numbers, datetimes and timespans, with Kusto's result types.

import { typed, type Compiled, type Scope } from './compiled.js';
import { nullSafe, readAs, typeError } from './operands.js';
import type { SyntaxNode } from './syntax.js';
import { isNumeric, type KqlType } from './types.js';

function numericOp(op: string, type: KqlType): (a: number, b: number) => unknown {
  const integral = type !== 'real';
  const fix = type === 'int' ? (n: number): number => n | 0 : (n: number): number => n;
  switch (op) {
    case '+':
      return (a, b) => fix(a + b);
    case '-':
      return (a, b) => fix(a - b);
    case '*':
      return (a, b) => fix(a * b);
    case '/':
      return integral ? (a, b) => (b === 0 ? null : fix(Math.trunc(a / b))) : (a, b) => a / b;
    default:
      return integral ? (a, b) => (b === 0 ? null : fix(a % b)) : (a, b) => a % b;
  }
}

export function arithmetic(op: string, l: Compiled, r: Compiled, scope: Scope, node: SyntaxNode): Compiled {
  const numericLike = (t: KqlType): boolean => isNumeric(t) || t === 'dynamic';
  if (numericLike(l.type) && numericLike(r.type)) {
    const type: KqlType =
      l.type === 'real' || r.type === 'real' || l.type === 'dynamic' || r.type === 'dynamic'
        ? 'real'
        : l.type === 'int' && r.type === 'int'
          ? 'int'
          : 'long';
    const f = numericOp(op, type);
    // A long beyond 2^53 is a bigint at run time; arithmetic on it is done in doubles (not exact).
    const g = (a: number | bigint, b: number | bigint): unknown => f(Number(a), Number(b));
    return typed(type, nullSafe(readAs(l, 'real'), readAs(r, 'real'), g));
  }
  const key = `${l.type} ${op} ${r.type}`;
  const le = l.eval;
  const re = r.eval;
  switch (key) {
    case 'datetime - datetime':
    case 'timespan - timespan':
      return typed(
        'timespan',
        nullSafe(le, re, (a: bigint, b: bigint) => a - b),
      );
    case 'timespan + timespan':
      return typed(
        'timespan',
        nullSafe(le, re, (a: bigint, b: bigint) => a + b),
      );
    case 'datetime + timespan':
    case 'timespan + datetime':
      return typed(
        'datetime',
        nullSafe(le, re, (a: bigint, b: bigint) => a + b),
      );
    case 'datetime - timespan':
      return typed(
        'datetime',
        nullSafe(le, re, (a: bigint, b: bigint) => a - b),
      );
    case 'timespan / timespan':
      return typed(
        'real',
        nullSafe(le, re, (a: bigint, b: bigint) => (b === 0n ? null : Number(a) / Number(b))),
      );
  }
  if (l.type === 'timespan' && isNumeric(r.type) && (op === '*' || op === '/')) {
    const scale = op === '*' ? (a: bigint, b: number): unknown => BigInt(Math.round(Number(a) * b)) : divide;
    return typed('timespan', nullSafe(le, re, scale));
  }
  if (isNumeric(l.type) && r.type === 'timespan' && op === '*') {
    return typed(
      'timespan',
      nullSafe(le, re, (a: number, b: bigint) => BigInt(Math.round(a * Number(b)))),
    );
  }
  throw typeError(scope, node, op, l, r);
}

function divide(a: bigint, b: number): unknown {
  return b === 0 ? null : BigInt(Math.round(Number(a) / b));
}
