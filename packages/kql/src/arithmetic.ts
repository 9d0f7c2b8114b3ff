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

const numericLike = (t: KqlType): boolean => isNumeric(t) || t === 'dynamic';

/** Numbers (or dynamic values read as numbers): real if either is, int if both are, else long. */
function numberArithmetic(op: string, l: Compiled, r: Compiled): Compiled {
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

/** Datetimes and timespans with each other (ticks); undefined for another pair of types. */
function tickArithmetic(op: string, l: Compiled, r: Compiled): Compiled | undefined {
  const le = l.eval;
  const re = r.eval;
  switch (`${l.type} ${op} ${r.type}`) {
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
    default:
      return undefined;
  }
}

/** A timespan scaled by a number (`1h * 2`, `1h / 4`, `2 * 1h`); undefined for other operands. */
function scaledTimespan(op: string, l: Compiled, r: Compiled): Compiled | undefined {
  if (l.type === 'timespan' && isNumeric(r.type) && (op === '*' || op === '/')) {
    const scale = op === '*' ? (a: bigint, b: number): unknown => BigInt(Math.round(Number(a) * b)) : divide;
    return typed('timespan', nullSafe(l.eval, r.eval, scale));
  }
  if (isNumeric(l.type) && r.type === 'timespan' && op === '*') {
    return typed(
      'timespan',
      nullSafe(l.eval, r.eval, (a: number, b: bigint) => BigInt(Math.round(a * Number(b)))),
    );
  }
  return undefined;
}

export function arithmetic(op: string, l: Compiled, r: Compiled, scope: Scope, node: SyntaxNode): Compiled {
  if (numericLike(l.type) && numericLike(r.type)) return numberArithmetic(op, l, r);
  const result = tickArithmetic(op, l, r) ?? scaledTimespan(op, l, r);
  if (result === undefined) throw typeError(scope, node, op, l, r);
  return result;
}

function divide(a: bigint, b: number): unknown {
  return b === 0 ? null : BigInt(Math.round(Number(a) / b));
}
