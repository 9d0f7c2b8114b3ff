// Writes every character that can forge a log line, drive a terminal, reorder text or hide text
// as visible escapes, and replaces lone surrogates, so a value reads as what it is and compares as
// what it looks like (`admin\u200B` is not shown as `admin`).

// The one test a clean value costs: any UTF-16 unit that may need a change. C0, DEL, C1 and the
// soft hyphen (with the printable U+00A0–U+00AC between them: one range keeps the test on Latin-1
// text as fast as a plain control check, and the loop lets them through), combining grapheme
// joiner, Arabic letter mark, Hangul fillers, Khmer inherent vowels, Mongolian variation selectors
// and vowel separator, zero-width characters and bidi marks, line and paragraph separators, bidi
// embeddings and overrides, word joiner, invisible operators, bidi isolates and deprecated format
// characters, every surrogate (a lone one, or a pair that may be a TAG character or another
// astral ignorable: the loop checks code point by code point), variation selectors, BOM,
// unassigned ignorables and interlinear annotation. Surrogates in the same class cost nothing on
// one-byte strings, where a separate isWellFormed() call would be a second pass.
const CANDIDATE =
  // eslint-disable-next-line no-misleading-character-class -- the class lists single UTF-16 units to find (no u flag); the joiners and selectors in it are the point
  /[\u0000-\u001F\u007F-\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u2028-\u202E\u2060-\u206F\u3164\uD800-\uDFFF\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB]/;

/** An emoji (a code point that takes a presentation selector), matched where `lastIndex` points. */
const EMOJI_AT = /\p{Emoji}/uy;

const REPLACEMENT = '\uFFFD';

/**
 * `s` with every invisible, control and reordering character written as visible text, for a
 * value. Escaped: C0 and C1 controls and DEL (`\n`, `\r`, `\t`, else `\u` and four upper-case hex
 * digits), U+2028/2029, bidi controls, and every Default_Ignorable_Code_Point of Unicode 17 (zero
 * width characters, word joiner, invisible operators, BOM, soft hyphen, Hangul fillers, Mongolian
 * vowel separator, variation selectors, TAG characters, …) plus the interlinear annotation
 * characters U+FFF9–FFFB; astral ones as `\u{E0041}` (upper-case hex in braces). The one exception:
 * an emoji presentation selector (U+FE0E or U+FE0F) right after a non-ASCII emoji stays, since there
 * it changes how the emoji looks and hides nothing. A lone surrogate becomes U+FFFD. Backslashes
 * already in `s` are kept as they are, so the output is readable rather than reversible. Returns
 * `s` itself when there is nothing to change.
 */
export function sanitizeString(s: string): string {
  return sanitize(s, true);
}

/**
 * As {@link sanitizeString}, for a key of a dynamic value: every variation selector is escaped,
 * even after an emoji, since a key is a name to match, not text to show.
 */
export function sanitizeKey(s: string): string {
  return sanitize(s, false);
}

/**
 * `s` without the characters {@link sanitizeKey} escapes (and without lone surrogates), for
 * matching a key against names: `pass\u200Bword` is a password key too. Not for the hot path.
 */
export function withoutInvisible(s: string): string {
  return withoutUnsafe(s, 0);
}

/**
 * `s` without the characters at or above U+007F that {@link sanitizeKey} escapes, nor lone
 * surrogates: what a secret split by a zero-width space or a TAG character reads as. Line breaks,
 * tabs and other C0 controls stay: they separate words. Not for the hot path.
 */
export function withoutHiding(s: string): string {
  return withoutUnsafe(s, 0x7f);
}

/** `s` without lone surrogates and the code points from `from` up that sanitising escapes. */
function withoutUnsafe(s: string, from: number): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < from) continue;
    let width = 1;
    let drop: boolean;
    if (c < 0xd800 || c > 0xdfff) drop = isUnsafe(c);
    else {
      const next = c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (next >= 0xdc00 && next <= 0xdfff) {
        width = 2;
        drop = isUnsafe(((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000);
      } else drop = true;
    }
    if (drop) {
      out += s.slice(last, i);
      last = i + width;
    }
    i += width - 1;
  }
  return last === 0 ? s : out + s.slice(last);
}

// eslint-disable-next-line complexity -- Long by design: the per-character loop of the hot path, kept in one function so a plain character costs no call (BMP, surrogate pair and lone surrogate cases side by side).
function sanitize(s: string, keepPresentation: boolean): string {
  const first = s.search(CANDIDATE);
  if (first < 0) return s;
  let out = '';
  let last = 0;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) {
      if (!isUnsafe(c)) continue;
      if (keepPresentation && (c === 0xfe0e || c === 0xfe0f) && afterEmoji(s, i)) continue;
      out += s.slice(last, i) + escapeOf(c);
      last = i + 1;
      continue;
    }
    const next = c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (next >= 0xdc00 && next <= 0xdfff) {
      const cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      if (isUnsafe(cp)) {
        out += s.slice(last, i) + '\\u{' + cp.toString(16).toUpperCase() + '}';
        last = i + 2;
      }
      i++;
      continue;
    }
    out += s.slice(last, i) + REPLACEMENT;
    last = i + 1;
  }
  // Nothing changed (an emoji, a presentation selector after one, a printable Latin-1 character).
  if (last === 0) return s;
  return last < s.length ? out + s.slice(last) : out;
}

/** Is the code point that ends just before `i` a non-ASCII emoji (not `#`, `*` or a digit)? */
function afterEmoji(s: string, i: number): boolean {
  if (i === 0) return false;
  let start = i - 1;
  const c = s.charCodeAt(start);
  if (c < 0x80) return false;
  if (c >= 0xdc00 && c <= 0xdfff && start > 0) {
    const high = s.charCodeAt(start - 1);
    if (high >= 0xd800 && high <= 0xdbff) start--;
  }
  EMOJI_AT.lastIndex = start;
  return EMOJI_AT.test(s) && EMOJI_AT.lastIndex === i;
}

/** Whether sanitising escapes code point `c` (controls, bidi, Default_Ignorable and the rest). */
// eslint-disable-next-line complexity -- Long by design: a table of Unicode ranges (controls, bidi, Default_Ignorable), one comparison each, read top to bottom.
export function isUnsafe(c: number): boolean {
  if (c < 0x20) return true;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  if (c < 0x2000) {
    return (
      c === 0x00ad ||
      c === 0x034f ||
      c === 0x061c ||
      c === 0x115f ||
      c === 0x1160 ||
      c === 0x17b4 ||
      c === 0x17b5 ||
      (c >= 0x180b && c <= 0x180f)
    );
  }
  if (c < 0x10000) {
    return (
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) ||
      c === 0x3164 ||
      (c >= 0xfe00 && c <= 0xfe0f) ||
      c === 0xfeff ||
      c === 0xffa0 ||
      (c >= 0xfff0 && c <= 0xfffb)
    );
  }
  return (c >= 0x1bca0 && c <= 0x1bca3) || (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
}

function escapeOf(c: number): string {
  switch (c) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
}
