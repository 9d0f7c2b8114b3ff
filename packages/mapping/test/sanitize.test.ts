import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { needsSanitizing, sanitizeString } from '../src/sanitize.js';

// Listed here one by one rather than shared with the source, so the test checks the rule itself.
const UNSAFE_CODES: readonly number[] = [
  ...range(0x00, 0x1f),
  0x7f,
  ...range(0x80, 0x9f),
  0x061c,
  0x200e,
  0x200f,
  ...range(0x202a, 0x202e),
  ...range(0x2066, 0x2069),
];
const UNSAFE_SET: ReadonlySet<number> = new Set(UNSAFE_CODES);

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function hasUnsafe(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (UNSAFE_SET.has(s.charCodeAt(i))) return true;
  return false;
}

/** Reads the escapes back, for inputs that had no backslash of their own. */
function unescape(s: string): string {
  return s.replace(/\\(n|r|t|u([0-9A-F]{4}))/g, (_, esc: string, hex: string | undefined) =>
    esc === 'n'
      ? '\n'
      : esc === 'r'
        ? '\r'
        : esc === 't'
          ? '\t'
          : String.fromCharCode(parseInt(hex ?? '', 16)),
  );
}

const unsafeChar = fc.constantFrom(...UNSAFE_CODES).map((c) => String.fromCharCode(c));
const mixedString = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), unsafeChar, fc.constant('\\')),
  maxLength: 60,
});
const cleanString = fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !hasUnsafe(s));

describe('sanitizeString', () => {
  it('escapes a newline that would forge a second log line', () => {
    expect(sanitizeString('ok\nERROR admin login')).toBe('ok\\nERROR admin login');
  });

  it('escapes carriage returns and tabs with their short forms', () => {
    expect(sanitizeString('a\rb\tc')).toBe('a\\rb\\tc');
  });

  it('escapes the ESC of an ANSI colour sequence as \\u001B', () => {
    expect(sanitizeString('\u001B[31mred\u001B[0m')).toBe('\\u001B[31mred\\u001B[0m');
  });

  it('escapes a right-to-left override that disguises a file name', () => {
    expect(sanitizeString('invoice\u202Egpj.exe')).toBe('invoice\\u202Egpj.exe');
  });

  it('escapes NUL, DEL, a C1 control and the bidi isolates with upper-case hex', () => {
    expect(sanitizeString('\u0000\u007F\u0085\u061C\u200E\u2066x\u2069')).toBe(
      '\\u0000\\u007F\\u0085\\u061C\\u200E\\u2066x\\u2069',
    );
  });

  it('leaves backslashes in the input as they are', () => {
    expect(sanitizeString('C:\\temp\\new\n')).toBe('C:\\temp\\new\\n');
  });

  it('returns the same string when there is nothing to escape', () => {
    const s = 'user joebob1 logged in from 203.0.113.7 — héllo 😀';
    expect(sanitizeString(s)).toBe(s);
  });

  it('never leaves a control or bidi character in its output', () => {
    fc.assert(
      fc.property(mixedString, (s) => {
        expect(hasUnsafe(sanitizeString(s))).toBe(false);
      }),
    );
  });

  it('changes nothing when run on its own output', () => {
    fc.assert(
      fc.property(mixedString, (s) => {
        const once = sanitizeString(s);
        expect(sanitizeString(once)).toBe(once);
      }),
    );
  });

  it('returns strings without those characters as the same reference', () => {
    fc.assert(
      fc.property(cleanString, (s) => {
        expect(sanitizeString(s)).toBe(s);
      }),
    );
  });

  it('loses no text: the escapes read back to the input when it had no backslash', () => {
    fc.assert(
      fc.property(
        mixedString.filter((s) => !s.includes('\\')),
        (s) => {
          expect(unescape(sanitizeString(s))).toBe(s);
        },
      ),
    );
  });
});

describe('needsSanitizing', () => {
  it('is true for a string with a control or bidi character', () => {
    expect(needsSanitizing('a\nb')).toBe(true);
    expect(needsSanitizing('\u202E')).toBe(true);
  });

  it('is false for printable text in any script', () => {
    expect(needsSanitizing('Grüße, 世界 😀')).toBe(false);
  });

  it('agrees with the list of escaped characters on any string', () => {
    fc.assert(
      fc.property(mixedString, (s) => {
        expect(needsSanitizing(s)).toBe(hasUnsafe(s));
      }),
    );
  });
});
