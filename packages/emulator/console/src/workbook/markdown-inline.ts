// Inline markdown: `code`, **strong**, *emphasis*, [links](https://…), <https://…> autolinks,
// ![images] (their alt text only: the console fetches nothing a workbook names), backslash
// escapes, and line breaks (two trailing spaces or a backslash). Everything else is text,
// including any HTML. Pure (no DOM).

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong' | 'em'; readonly children: readonly Inline[] }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly Inline[] }
  | { readonly kind: 'break' };

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** The address a link may open: an absolute http, https or mailto URL; anything else none. */
export function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (!URL.canParse(trimmed)) return undefined;
  const url = new URL(trimmed);
  return SAFE_SCHEMES.has(url.protocol) ? url.href : undefined;
}

const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/;
const AUTOLINK = /^<((?:https?|mailto):[^\s<>]+)>/i;
// A destination may hold balanced parentheses one level deep, as CommonMark allows.
const LINK_TARGET = /^\(\s*<?((?:[^\s()<>]|\([^\s()<>]*\))*)>?(?:\s+"[^"]*")?\s*\)/;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = (): void => {
    if (buffer !== '') out.push({ kind: 'text', text: buffer.replace(/[ \t]*\n[ \t]*/g, ' ') });
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const found = special(text, i);
    if (found === undefined) {
      buffer += text.charAt(i);
      i++;
      continue;
    }
    if (found.literal !== undefined) buffer += found.literal;
    else {
      flush();
      out.push(...found.nodes);
    }
    i = found.end;
  }
  flush();
  return out;
}

interface Found {
  readonly end: number;
  /** Text to add as it is (an escaped character). */
  readonly literal?: string;
  readonly nodes: readonly Inline[];
}

function special(text: string, i: number): Found | undefined {
  const c = text.charAt(i);
  if (c === '\\') return escaped(text, i);
  if (c === ' ' && text.startsWith('  \n', i)) return { end: i + 3, nodes: [{ kind: 'break' }] };
  if (c === '`') return codeSpan(text, i);
  if (c === '*' || c === '_') return emphasis(text, i, c);
  if (c === '!' && text.charAt(i + 1) === '[') return link(text, i + 1, true);
  if (c === '[') return link(text, i, false);
  if (c === '<') return autolink(text, i);
  return undefined;
}

function escaped(text: string, i: number): Found | undefined {
  const next = text.charAt(i + 1);
  if (next === '\n') return { end: i + 2, nodes: [{ kind: 'break' }] };
  if (PUNCTUATION.test(next)) return { end: i + 2, literal: next, nodes: [] };
  return undefined;
}

function codeSpan(text: string, i: number): Found | undefined {
  const run = /^`+/.exec(text.slice(i))?.[0] ?? '`';
  const close = text.indexOf(run, i + run.length);
  if (close < 0) return { end: i + run.length, literal: run, nodes: [] };
  const body = text.slice(i + run.length, close).replace(/\n/g, ' ');
  const trimmed = body.length > 1 && body.startsWith(' ') && body.endsWith(' ') ? body.slice(1, -1) : body;
  return { end: close + run.length, nodes: [{ kind: 'code', text: trimmed }] };
}

function emphasis(text: string, i: number, mark: string): Found | undefined {
  const double = text.charAt(i + 1) === mark;
  const delimiter = double ? mark + mark : mark;
  const start = i + delimiter.length;
  // An opener is followed by a non-space; `_` inside a word (snake_case) is no opener.
  if (/\s/.test(text.charAt(start)) || text.charAt(start) === '') return undefined;
  if (mark === '_' && /\w/.test(text.charAt(i - 1))) return undefined;
  const close = closing(text, start, delimiter);
  if (close < 0) return { end: start, literal: delimiter, nodes: [] };
  const children = parseInline(text.slice(start, close));
  return { end: close + delimiter.length, nodes: [{ kind: double ? 'strong' : 'em', children }] };
}

/** The next `delimiter` after `from` that closes (a non-space before it), skipping code spans. */
function closing(text: string, from: number, delimiter: string): number {
  for (let j = from + 1; j <= text.length - delimiter.length; j++) {
    if (text.charAt(j) === '`') {
      const end = text.indexOf('`', j + 1);
      if (end > 0) j = end;
      continue;
    }
    if (!text.startsWith(delimiter, j) || /\s/.test(text.charAt(j - 1))) continue;
    // `*a **b** c*`: a single mark is not closed by half of a double one.
    if (delimiter.length === 1 && text.charAt(j + 1) === delimiter) {
      j++;
      continue;
    }
    return j;
  }
  return -1;
}

function link(text: string, open: number, image: boolean): Found | undefined {
  const close = matchingBracket(text, open);
  if (close < 0) return undefined;
  const target = LINK_TARGET.exec(text.slice(close + 1));
  if (!target) return undefined;
  const end = close + 1 + target[0].length;
  const label = text.slice(open + 1, close);
  if (image) return { end, nodes: label === '' ? [] : [{ kind: 'text', text: label }] };
  const children = parseInline(label);
  const href = safeHref(target[1] ?? '');
  return { end, nodes: href === undefined ? children : [{ kind: 'link', href, children }] };
}

function matchingBracket(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    const c = text.charAt(j);
    if (c === '\\') j++;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  return -1;
}

function autolink(text: string, i: number): Found | undefined {
  const match = AUTOLINK.exec(text.slice(i));
  const href = match ? safeHref(match[1] ?? '') : undefined;
  if (!match || href === undefined) return undefined;
  return {
    end: i + match[0].length,
    nodes: [{ kind: 'link', href, children: [{ kind: 'text', text: match[1] ?? '' }] }],
  };
}
