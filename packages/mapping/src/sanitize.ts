// Escapes control and bidi characters in strings, so a value cannot forge a new log line, drive
// an analyst's terminal with ANSI sequences, or reorder the text it is shown in.

// C0 controls, DEL, C1 controls, and the bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

/** True when `s` holds a character that {@link sanitizeString} would escape. */
export function needsSanitizing(s: string): boolean {
  return UNSAFE.test(s);
}

/**
 * `s` with every C0/C1 control, DEL and bidi control written as visible text: `\n`, `\r`, `\t`,
 * or `\u` and four upper-case hex digits. Backslashes already in `s` are kept as they are, so the output
 * is readable rather than reversible. Returns `s` itself when there is nothing to escape.
 */
export function sanitizeString(s: string): string {
  const first = s.search(UNSAFE);
  if (first < 0) return s;
  let out = s.slice(0, first);
  let last = first;
  for (let i = first; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUnsafe(c)) continue;
    if (i > last) out += s.slice(last, i);
    out += escapeOf(c);
    last = i + 1;
  }
  return last < s.length ? out + s.slice(last) : out;
}

function isUnsafe(c: number): boolean {
  if (c < 0x20) return true;
  if (c < 0x7f) return false;
  if (c <= 0x9f) return true;
  if (c < 0x061c) return false;
  return (
    c === 0x061c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
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
