// Kusto's regular expressions (RE2 syntax) run as JavaScript RegExps: the RE2 forms that
// JavaScript spells differently are rewritten, the ones JavaScript would read otherwise refused.

/** Why a pattern cannot run, in words for the error message; undefined when it can. */
export type RegexProblem = string;

const LEADING_FLAGS = /^\(\?([imsU]+)\)/;

/** The JavaScript flags for RE2's leading `(?i)`, `(?s)`, `(?m)`; a problem for `(?U)`. */
function leadingFlags(pattern: string): { flags: string; rest: string } | RegexProblem {
  const m = LEADING_FLAGS.exec(pattern);
  if (m === null) return { flags: '', rest: pattern };
  const letters = m[1] ?? '';
  if (letters.includes('U')) return 'the ungreedy flag (?U) has no JavaScript equivalent';
  return { flags: [...new Set(letters)].join(''), rest: pattern.slice(m[0].length) };
}

/** RE2 escapes with another meaning (or none) in JavaScript: the rewrite, or a problem. */
function escape(next: string): string | { problem: RegexProblem } {
  if (next === 'A') return '(?<![\\s\\S])';
  if (next === 'z') return '(?![\\s\\S])';
  if (/[1-9]/.test(next)) return { problem: `backreferences (\\${next}) are not RE2 syntax` };
  if (next === 'Q' || next === 'E') return { problem: '\\Q…\\E quoting is not supported' };
  if (next === 'p' || next === 'P') return { problem: 'Unicode classes (\\p{…}) are not supported' };
  if (next === 'C' || next === 'k') return { problem: `\\${next} is not supported` };
  return `\\${next}`;
}

/** Rewrites a group opening `(?…` at `i`; a problem for lookaround, which RE2 lacks. */
function groupOpening(pattern: string, i: number): { text: string; skip: number } | RegexProblem {
  const head = pattern.slice(i, i + 4);
  if (
    head.startsWith('(?=') ||
    head.startsWith('(?!') ||
    head.startsWith('(?<=') ||
    head.startsWith('(?<!')
  ) {
    return 'lookahead and lookbehind are not RE2 syntax';
  }
  if (head.startsWith('(?P<')) return { text: '(?<', skip: 4 };
  return { text: '(', skip: 1 };
}

/** A character class starting at `i` (its `[`), copied as written; its end, or a problem. */
function characterClass(
  pattern: string,
  i: number,
): { text: string; end: number } | { problem: RegexProblem } {
  let text = '[';
  let j = i + 1;
  // A ']' first in a class is a literal, in RE2 and in JavaScript alike.
  if (pattern[j] === ']') text += pattern[j++] ?? '';
  for (; j < pattern.length; j++) {
    const c = pattern[j] ?? '';
    if (c === '\\') {
      text += c + (pattern[++j] ?? '');
      continue;
    }
    if (c === '[' && pattern[j + 1] === ':')
      return { problem: 'POSIX classes ([[:alpha:]]) are not supported' };
    text += c;
    if (c === ']') return { text, end: j };
  }
  return { text, end: j };
}

/** The pattern in JavaScript syntax, or what stops it. */
function translate(pattern: string): string | { problem: RegexProblem } {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '\\') {
      const rewritten = escape(pattern[i + 1] ?? '');
      if (typeof rewritten !== 'string') return rewritten;
      out += rewritten;
      i++;
    } else if (c === '[') {
      const cls = characterClass(pattern, i);
      if ('problem' in cls) return cls;
      out += cls.text;
      i = cls.end;
    } else if (c === '(' && pattern[i + 1] === '?') {
      const group = groupOpening(pattern, i);
      if (typeof group === 'string') return { problem: group };
      out += group.text;
      i += group.skip - 1;
    } else {
      out += c;
    }
  }
  return out;
}

const CACHE_LIMIT = 256;
const cache = new Map<string, RegExp | { problem: RegexProblem }>();

/**
 * A Kusto (RE2) pattern as a JavaScript RegExp with `extraFlags` (`g` for repeated matching), or
 * the problem that stops it. Patterns are compiled once and cached.
 */
export function kustoRegex(pattern: string, extraFlags = ''): RegExp | { problem: RegexProblem } {
  const key = `${extraFlags}/${pattern}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = compile(pattern, extraFlags);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

function compile(pattern: string, extraFlags: string): RegExp | { problem: RegexProblem } {
  const lead = leadingFlags(pattern);
  if (typeof lead === 'string') return { problem: lead };
  const source = translate(lead.rest);
  if (typeof source !== 'string') return source;
  try {
    return new RegExp(source, lead.flags + extraFlags);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The number of capture groups of a compiled pattern. */
export function captureGroupCount(regex: RegExp): number {
  return (new RegExp(`${regex.source}|`, regex.flags.replace('g', '')).exec('')?.length ?? 1) - 1;
}
