// String functions: split, replace_string, replace_regex, trim/trim_start/trim_end, indexof,
// countof, reverse, extract and extract_all, with Kusto's documented results for the edge cases.

import { arg, typeError, type Call, type ScalarFunction } from './call.js';
import { typed, type Compiled } from './compiled.js';
import { longArg, regexArg, textArg } from './function-args.js';
import { captureGroupCount, kustoRegex } from './regex.js';
import { TypeLiteral } from './type-literal.js';
import type { KqlType } from './types.js';
import { castTo, INVALID, toKqlString } from './values.js';

function fn(min: number, max: number, compile: (call: Call) => Compiled): ScalarFunction {
  return { min, max, compile };
}

/** split(source, delimiter [, index]): the parts, or the one at `index` (none when out of range). */
const split = fn(2, 3, (call) => {
  const source = textArg(call, 0);
  const delimiter = textArg(call, 1);
  const index = call.args.length > 2 ? longArg(call, 2) : undefined;
  return typed('dynamic', (row, ctx) => {
    const text = source(row, ctx);
    const d = delimiter(row, ctx);
    const parts = d === '' ? [text] : text.split(d);
    if (index === undefined) return parts;
    const i = index(row, ctx);
    const part = i === null || i < 0 ? undefined : parts[i];
    return part === undefined ? [] : [part];
  });
});

/** replace_string(text, lookup, rewrite): every occurrence; an empty lookup changes nothing. */
const replaceString = fn(3, 3, (call) => {
  const [text, lookup, rewrite] = [textArg(call, 0), textArg(call, 1), textArg(call, 2)];
  return typed('string', (row, ctx) => {
    const l = lookup(row, ctx);
    const t = text(row, ctx);
    return l === '' ? t : t.split(l).join(rewrite(row, ctx));
  });
});

/** RE2's `\1`…`\9` (and `\0`) in a rewrite, as the groups of one match. */
function rewriteWith(rewrite: string, match: RegExpExecArray): string {
  return rewrite.replace(/\\(\d)/g, (_all, d: string) => match[Number(d)] ?? '');
}

/** replace_regex(source, lookup_regex, rewrite): every match, `\n` in the rewrite naming group n. */
const replaceRegex = fn(3, 3, (call) => {
  const source = textArg(call, 0);
  const regex = regexArg(call, 1, 'g');
  const rewrite = textArg(call, 2);
  return typed('string', (row, ctx) => {
    const text = source(row, ctx);
    const r = rewrite(row, ctx);
    let out = '';
    let last = 0;
    for (const m of text.matchAll(regex(row, ctx))) {
      out += text.slice(last, m.index) + rewriteWith(r, m);
      last = m.index + m[0].length;
    }
    return out + text.slice(last);
  });
});

/** trim/trim_start/trim_end(regex, source): every leading and/or trailing match removed. */
function trimmer(start: boolean, end: boolean): ScalarFunction {
  return fn(2, 2, (call) => {
    const pattern = textArg(call, 0);
    const source = textArg(call, 1);
    const regexFor = (p: string, at: 'start' | 'end'): RegExp => {
      const compiled = kustoRegex(at === 'start' ? `^(?:${p})+` : `(?:${p})+$`);
      if (compiled instanceof RegExp) return compiled;
      throw typeError(call, `the regular expression '${p}' cannot run: ${compiled.problem}`);
    };
    return typed('string', (row, ctx) => {
      const p = pattern(row, ctx);
      let text = source(row, ctx);
      if (p === '') return text;
      if (start) text = text.replace(regexFor(p, 'start'), '');
      if (end) text = text.replace(regexFor(p, 'end'), '');
      return text;
    });
  });
}

/** indexof(source, lookup [, start [, length [, occurrence]]]): -1 when not found. */
const indexOf = fn(2, 5, (call) => {
  const source = textArg(call, 0);
  const lookup = textArg(call, 1);
  const [start, length, occurrence] = [2, 3, 4].map((i) =>
    call.args.length > i ? longArg(call, i) : undefined,
  );
  return typed('long', (row, ctx) => {
    const text = source(row, ctx);
    const from = start?.(row, ctx) ?? 0;
    const span = length?.(row, ctx) ?? -1;
    const nth = occurrence?.(row, ctx) ?? 1;
    if (from < 0 || from > text.length || nth < 1) return -1;
    const limit = span < 0 ? text.length : Math.min(text.length, from + span);
    const needle = lookup(row, ctx);
    let at = from - 1;
    for (let n = 0; n < nth; n++) {
      at = text.indexOf(needle, at + 1);
      if (at === -1 || at + needle.length > limit) return -1;
    }
    return at;
  });
});

/** countof(source, search [, kind]): plain matches may overlap, regex matches do not. */
const countOf = fn(2, 3, (call) => {
  const source = textArg(call, 0);
  const search = textArg(call, 1);
  const kindArg = call.args.length > 2 ? arg(call, 2) : undefined;
  const kind = kindArg === undefined ? 'normal' : toKqlString(kindArg.constant?.value, kindArg.type);
  if (kind !== 'normal' && kind !== 'regex')
    throw typeError(call, `kind must be 'normal' or 'regex', not '${kind}'`);
  if (kind === 'regex') {
    const regex = regexArg(call, 1, 'g');
    return typed('long', (row, ctx) => source(row, ctx).match(regex(row, ctx))?.length ?? 0);
  }
  return typed('long', (row, ctx) => {
    const text = source(row, ctx);
    const needle = search(row, ctx);
    if (needle === '') return 0;
    let n = 0;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) n++;
    return n;
  });
});

const reverse = fn(1, 1, (call) => {
  const source = textArg(call, 0);
  return typed('string', (row, ctx) => Array.from(source(row, ctx)).reverse().join(''));
});

/** The type an optional `typeof(…)` argument names, else string. */
function resultType(call: Call, index: number): KqlType {
  if (call.args.length <= index) return 'string';
  const literal = arg(call, index).constant?.value;
  if (!(literal instanceof TypeLiteral))
    throw typeError(call, `argument ${index + 1} must be a typeof(…) type`);
  return literal.type;
}

/** extract(regex, group, source [, typeof(T)]): the group of the first match; '' (null) without one. */
const extract = fn(3, 4, (call) => {
  const regex = regexArg(call, 0);
  const group = longArg(call, 1);
  const source = textArg(call, 2);
  const type = resultType(call, 3);
  const none = type === 'string' ? '' : null;
  return typed(type, (row, ctx) => {
    const g = group(row, ctx);
    const match = regex(row, ctx).exec(source(row, ctx));
    const text = g === null || match === null ? undefined : match[g];
    if (text === undefined) return none;
    const value = castTo(text, 'string', type);
    return value === INVALID ? none : value;
  });
});

/** The groups extract_all returns: those listed in its optional second argument, else all. */
function selectedGroups(call: Call, regex: RegExp | undefined): readonly number[] | undefined {
  if (call.args.length < 3) {
    if (regex === undefined) return undefined;
    const count = captureGroupCount(regex);
    if (count < 1 || count > 16)
      throw typeError(call, `the regular expression needs 1 to 16 capture groups, it has ${count}`);
    return Array.from({ length: count }, (_, i) => i + 1);
  }
  const listed = arg(call, 1).constant?.value;
  if (!Array.isArray(listed) || !listed.every((g) => typeof g === 'number' && g >= 1)) {
    throw typeError(
      call,
      'the capture groups must be a dynamic array of group numbers, such as dynamic([1, 3])',
    );
  }
  return listed as number[];
}

/** extract_all(regex, [groups,] source): every match (its groups as an array when several); null without one. */
const extractAll = fn(2, 3, (call) => {
  const regex = regexArg(call, 0, 'g');
  const constantRegex = arg(call, 0).constant === undefined ? undefined : regex([], { now: 0n });
  const fixedGroups = selectedGroups(call, constantRegex);
  const source = textArg(call, call.args.length - 1);
  return typed('dynamic', (row, ctx) => {
    const r = regex(row, ctx);
    const groups = fixedGroups ?? selectedGroups(call, r) ?? [];
    const out: unknown[] = [];
    for (const m of source(row, ctx).matchAll(r)) {
      const values = groups.map((g) => m[g] ?? '');
      out.push(values.length === 1 ? values[0] : values);
    }
    return out.length === 0 ? null : out;
  });
});

export const STRING_FUNCTIONS: readonly (readonly [string, ScalarFunction])[] = [
  ['split', split],
  ['replace_string', replaceString],
  ['replace_regex', replaceRegex],
  ['trim', trimmer(true, true)],
  ['trim_start', trimmer(true, false)],
  ['trim_end', trimmer(false, true)],
  ['indexof', indexOf],
  ['countof', countOf],
  ['reverse', reverse],
  ['extract', extract],
  ['extract_all', extractAll],
];
