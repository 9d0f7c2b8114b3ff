// Reading a scalar function's arguments as the value kinds its code works with: text, whole
// numbers, regular expressions; each read is set up once, when the call is compiled.

import { arg, typeError, type Call, type ScalarFunction } from './call.js';
import { typed } from './compiled.js';
import type { EvalContext, KqlType, Tuple } from './types.js';
import { kustoRegex } from './regex.js';
import { castTo, INVALID, toKqlString } from './values.js';

/** A typed read of one argument for a row. */
export type Read<T> = (row: Tuple, ctx: EvalContext) => T;

/** Argument `index` as text (Kusto's `tostring`: null is ''). */
export function textArg(call: Call, index: number): Read<string> {
  const { type, eval: evaluate, constant } = arg(call, index);
  if (constant !== undefined) {
    const fixed = toKqlString(constant.value, type);
    return () => fixed;
  }
  return (row, ctx) => toKqlString(evaluate(row, ctx), type);
}

/** Argument `index` as a whole number, or null when it is null or not a number. */
export function longArg(call: Call, index: number): Read<number | null> {
  const { type, eval: evaluate } = arg(call, index);
  return (row, ctx) => {
    const v = castTo(evaluate(row, ctx), type, 'long');
    if (v === INVALID || v === null) return null;
    return Number(v);
  };
}

/** Argument `index` as a regular expression; a constant pattern is compiled (and checked) once. */
export function regexArg(call: Call, index: number, flags = ''): Read<RegExp> {
  const { type, eval: evaluate, constant } = arg(call, index);
  const compile = (pattern: string): RegExp => {
    const regex = kustoRegex(pattern, flags);
    if (regex instanceof RegExp) return regex;
    throw typeError(call, `the regular expression '${pattern}' cannot run: ${regex.problem}`);
  };
  if (constant !== undefined) {
    const fixed = compile(toKqlString(constant.value, type));
    return () => fixed;
  }
  return (row, ctx) => compile(toKqlString(evaluate(row, ctx), type));
}

/** The elements of a dynamic array; undefined for any other value. */
export function arrayOf(value: unknown): readonly unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

/** A JSON object (a Kusto property bag); undefined for any other value. */
export function bagOf(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A function of one text argument (`url_decode(text)`), its result of type `type`. */
export function textFunction(type: KqlType, f: (text: string) => unknown): ScalarFunction {
  return {
    min: 1,
    max: 1,
    compile: (call) => {
      const text = textArg(call, 0);
      return typed(type, (row, ctx) => f(text(row, ctx)));
    },
  };
}
