// The string operators (contains, has, startswith, endswith, =~ and their !/_cs forms, has_any,
// has_all, matches regex).

import type { Compiled, Evaluator, Scope } from './compiled.js';
import { kustoRegex } from './regex.js';
import type { SyntaxNode } from './syntax.js';
import type { KqlType } from './types.js';
import { toKqlString } from './values.js';

const ALNUM = /[\p{L}\p{N}]/u;

function isWordChar(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  }
  return ALNUM.test(String.fromCharCode(code));
}

/** Kusto `has`: the needle occurs as whole terms (runs of letters and digits) of the text. */
export function hasTerm(text: string, needle: string): boolean {
  if (needle.length === 0) return true;
  const openStart = !isWordChar(needle.charCodeAt(0));
  const openEnd = !isWordChar(needle.charCodeAt(needle.length - 1));
  for (let i = text.indexOf(needle); i !== -1; i = text.indexOf(needle, i + 1)) {
    const end = i + needle.length;
    const startOk = openStart || i === 0 || !isWordChar(text.charCodeAt(i - 1));
    const endOk = openEnd || end === text.length || !isWordChar(text.charCodeAt(end));
    if (startOk && endOk) return true;
  }
  return false;
}

const STRING_TESTS: ReadonlyMap<string, (text: string, needle: string) => boolean> = new Map([
  ['contains', (t: string, n: string) => t.includes(n)],
  ['has', hasTerm],
  ['startswith', (t: string, n: string) => t.startsWith(n)],
  ['endswith', (t: string, n: string) => t.endsWith(n)],
  ['=~', (t: string, n: string) => t === n],
]);

/** `contains`, `!has_cs`, `=~`, …: the test, whether it ignores case, whether it is negated. */
export function stringOperator(
  op: string,
): { test: (t: string, n: string) => boolean; ci: boolean; negate: boolean } | undefined {
  if (op === '!~') return { test: (t, n) => t === n, ci: true, negate: true };
  const negate = op.startsWith('!') && op !== '!~';
  const bare = negate ? op.slice(1) : op;
  const ci = !bare.endsWith('_cs');
  const test = STRING_TESTS.get(ci ? bare : bare.slice(0, -3));
  return test === undefined ? undefined : { test, ci, negate };
}

export function stringText(c: Compiled, ci: boolean): Evaluator {
  const evaluate = c.eval;
  const type = c.type;
  if (c.constant !== undefined) {
    const text = toKqlString(c.constant.value, type);
    const value = ci ? text.toLowerCase() : text;
    return () => value;
  }
  return ci
    ? (row, ctx) => toKqlString(evaluate(row, ctx), type).toLowerCase()
    : (row, ctx) => toKqlString(evaluate(row, ctx), type);
}

/** The terms of `has_any (…)`, lower-cased: strings as they are, a dynamic array as its elements. */
function termsOf(values: readonly unknown[], types: readonly KqlType[]): string[] {
  const out: string[] = [];
  values.forEach((value, i) => {
    const type = types[i] ?? 'dynamic';
    if (type === 'dynamic' && Array.isArray(value)) {
      for (const item of value as unknown[])
        if (item !== null) out.push(toKqlString(item, 'dynamic').toLowerCase());
    } else if (value !== null && value !== undefined) {
      out.push(toKqlString(value, type).toLowerCase());
    }
  });
  return out;
}

/** Kusto `has_any` (`has_all`): whether any (every) term is a whole term of the text, ignoring case. */
export function hasAny(text: Compiled, terms: readonly Compiled[], every = false): Evaluator {
  const read = stringText(text, true);
  const types = terms.map((t) => t.type);
  const fixed = terms.every((t) => t.constant !== undefined)
    ? termsOf(
        terms.map((t) => t.constant?.value),
        types,
      )
    : undefined;
  return (row, ctx) => {
    const haystack = read(row, ctx) as string;
    const needles =
      fixed ??
      termsOf(
        terms.map((t) => t.eval(row, ctx)),
        types,
      );
    return every
      ? needles.every((needle) => hasTerm(haystack, needle))
      : needles.some((needle) => hasTerm(haystack, needle));
  };
}

/** `text matches regex pattern`: whether the (RE2) pattern matches somewhere in the text, case-sensitively. */
export function matchesRegex(text: Compiled, pattern: Compiled, scope: Scope, node: SyntaxNode): Evaluator {
  const read = stringText(text, false);
  const compile = (p: string): RegExp => {
    const regex = kustoRegex(p);
    if (regex instanceof RegExp) return regex;
    throw scope.reporter.error(
      'E_KQL_SEMANTIC',
      `matches regex: the regular expression '${p}' cannot run: ${regex.problem}`,
      node,
    );
  };
  if (pattern.constant !== undefined) {
    const fixed = compile(toKqlString(pattern.constant.value, pattern.type));
    return (row, ctx) => fixed.test(read(row, ctx) as string);
  }
  const readPattern = stringText(pattern, false);
  return (row, ctx) => compile(readPattern(row, ctx) as string).test(read(row, ctx) as string);
}
