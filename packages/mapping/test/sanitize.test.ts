import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { sanitizeKey, sanitizeString, withoutInvisible } from '../src/sanitize.js';

// Listed here one by one rather than shared with the source, so the test checks the rule itself.
const UNSAFE_CODES: readonly number[] = [
  ...range(0x00, 0x1f), // C0 controls
  ...range(0x7f, 0x9f), // DEL and C1 controls
  0x00ad, // soft hyphen
  0x034f, // combining grapheme joiner
  0x061c, // Arabic letter mark
  0x115f, // Hangul choseong filler
  0x1160, // Hangul jungseong filler
  0x17b4, // Khmer inherent vowels
  0x17b5,
  ...range(0x180b, 0x180f), // Mongolian free variation selectors and vowel separator
  ...range(0x200b, 0x200f), // zero width space, non-joiner, joiner; LRM, RLM
  ...range(0x2028, 0x202e), // line and paragraph separators; bidi embeddings and overrides
  ...range(0x2060, 0x206f), // word joiner, invisible operators, bidi isolates, deprecated format
  0x3164, // Hangul filler
  ...range(0xfe00, 0xfe0f), // variation selectors 1-16
  0xfeff, // BOM
  0xffa0, // halfwidth Hangul filler
  ...range(0xfff0, 0xfffb), // unassigned ignorables, interlinear annotation
  ...range(0x1bca0, 0x1bca3), // shorthand format controls
  ...range(0x1d173, 0x1d17a), // musical symbol beams and phrases
  ...range(0xe0000, 0xe0fff), // TAG characters, variation selectors 17-256, unassigned ignorables
];
const UNSAFE_SET: ReadonlySet<number> = new Set(UNSAFE_CODES);
// A presentation selector may stay raw in a value right after one of these (not in a key).
const EMOJI = /^\p{Emoji}$/u;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Does `s` hold, raw, a character that must be escaped (in a key when `key`), or a lone surrogate? */
function hasUnsafe(s: string, key = false): boolean {
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) return true;
    if (cp > 0xffff) i++;
    const presentation =
      (cp === 0xfe0e || cp === 0xfe0f) && prev >= 0x80 && EMOJI.test(String.fromCodePoint(prev));
    if (UNSAFE_SET.has(cp) && (key || !presentation)) return true;
    prev = cp;
  }
  return false;
}

/** Reads the escapes back, for inputs that had no backslash of their own. */
function unescape(s: string): string {
  return s.replace(
    /\\(n|r|t|u([0-9A-F]{4})|u\{([0-9A-F]{5})\})/g,
    (_, esc: string, hex?: string, astral?: string) =>
      esc === 'n'
        ? '\n'
        : esc === 'r'
          ? '\r'
          : esc === 't'
            ? '\t'
            : String.fromCodePoint(parseInt(hex ?? astral ?? '', 16)),
  );
}

const unsafeChar = fc.constantFrom(...UNSAFE_CODES).map((c) => String.fromCodePoint(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const emoji = fc.constantFrom('❤', '☺', '😀', '©', '1', '#');
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  unsafeChar,
  loneSurrogate,
  emoji,
  fc.constant('\\'),
);
const mixedString = fc.string({ unit, maxLength: 60 });
const wellFormedMixed = fc.string({
  unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), unsafeChar, emoji),
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

  it('escapes a zero-width space, so admin\\u200B no longer reads as admin', () => {
    const out = sanitizeString('admin\u200B');
    expect(out).toBe('admin\\u200B');
    expect(out).not.toBe('admin');
  });

  it.each([
    ['the zero-width non-joiner and joiner', 'ad\u200Cmi\u200Dn', 'ad\\u200Cmi\\u200Dn'],
    [
      'the line and paragraph separators JavaScript ends lines at',
      'ok\u2028ERROR\u2029x',
      'ok\\u2028ERROR\\u2029x',
    ],
    [
      'the word joiner and the invisible operators',
      'a\u2060b\u2061c\u2062d\u2063e\u2064',
      'a\\u2060b\\u2061c\\u2062d\\u2063e\\u2064',
    ],
    ['a byte-order mark anywhere in a value', '\uFEFFadmin\uFEFF', '\\uFEFFadmin\\uFEFF'],
    ['a soft hyphen, which most fonts do not draw', 'ad\u00ADmin', 'ad\\u00ADmin'],
    ['the four Hangul fillers', '\u115F\u1160\u3164\uFFA0', '\\u115F\\u1160\\u3164\\uFFA0'],
    [
      'the Mongolian vowel separator and free variation selectors',
      'a\u180Eb\u180Bc\u180F',
      'a\\u180Eb\\u180Bc\\u180F',
    ],
    [
      'the other default-ignorable characters of the Basic Multilingual Plane',
      '\u034F\u17B4\u17B5\u206A\u206F\u2065\uFFF0\uFFF8',
      '\\u034F\\u17B4\\u17B5\\u206A\\u206F\\u2065\\uFFF0\\uFFF8',
    ],
    [
      'the interlinear annotation characters, which can hide text',
      'ok\uFFF9hidden\uFFFAnote\uFFFB',
      'ok\\uFFF9hidden\\uFFFAnote\\uFFFB',
    ],
    [
      // "admin" followed by the invisible TAG letters r, o, o, t and a CANCEL TAG.
      'TAG characters smuggled after admin, with their code point in braces',
      'admin\u{E0072}\u{E006F}\u{E006F}\u{E0074}\u{E007F}',
      'admin\\u{E0072}\\u{E006F}\\u{E006F}\\u{E0074}\\u{E007F}',
    ],
    [
      'the astral default-ignorable characters with their code point in braces',
      'a\u{E0001}b\u{1BCA0}c\u{1D173}d\u{E0FFF}',
      'a\\u{E0001}b\\u{1BCA0}c\\u{1D173}d\\u{E0FFF}',
    ],
  ])('escapes %s', (_, input, expected) => {
    expect(sanitizeString(input)).toBe(expected);
  });

  it('keeps astral characters that share a surrogate with escaped ones', () => {
    // Every surrogate sends a value through the slow path; U+1D11E and U+1D160 even share their
    // high surrogate with the escaped musical beams U+1D173-1D17A.
    expect(sanitizeString('clef 𝄞 and 𝅘𝅥𝅮 and 😀')).toBe('clef 𝄞 and 𝅘𝅥𝅮 and 😀');
  });

  it('replaces a lone high surrogate and a lone low surrogate by U+FFFD', () => {
    expect(sanitizeString('a\uD800b')).toBe('a\uFFFDb');
    expect(sanitizeString('a\uDC00b')).toBe('a\uFFFDb');
    expect(sanitizeString('end\uDBFF')).toBe('end\uFFFD');
    expect(sanitizeString('\uDFFFstart')).toBe('\uFFFDstart');
  });

  it('replaces both halves of a pair written in the wrong order', () => {
    expect(sanitizeString('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
  });

  it('replaces a lone high surrogate of the TAG plane, and escapes the tag after it', () => {
    expect(sanitizeString('x\uDB40\u{E0041}')).toBe('x\uFFFD\\u{E0041}');
  });

  it('replaces a lone surrogate after a long clean prefix, keeping the prefix', () => {
    const prefix = 'user joebob1 logged in '.repeat(20);
    expect(sanitizeString(`${prefix}\uD83D`)).toBe(`${prefix}\uFFFD`);
  });

  it('keeps an emoji presentation selector right after an emoji', () => {
    expect(sanitizeString('I ❤\uFE0F it ☺\uFE0E 😀\uFE0F')).toBe('I ❤\uFE0F it ☺\uFE0E 😀\uFE0F');
  });

  it('escapes a variation selector after a letter, a digit or at the start', () => {
    expect(sanitizeString('admin\uFE0F')).toBe('admin\\uFE0F');
    expect(sanitizeString('1\uFE0F\u20E3')).toBe('1\\uFE0F\u20E3');
    expect(sanitizeString('\uFE0Eadmin')).toBe('\\uFE0Eadmin');
    expect(sanitizeString('é\uFE0F')).toBe('é\\uFE0F');
  });

  it('escapes every variation selector but the first presentation selector after an emoji', () => {
    expect(sanitizeString('❤\uFE0F\uFE0F\uFE00')).toBe('❤\uFE0F\\uFE0F\\uFE00');
    expect(sanitizeString('😀\uFE01')).toBe('😀\\uFE01');
  });

  it('escapes supplementary variation selectors, which can carry a byte each', () => {
    expect(sanitizeString('😀\u{E0100}\u{E01EF}')).toBe('😀\\u{E0100}\\u{E01EF}');
    expect(sanitizeString('葛\u{E0100}')).toBe('葛\\u{E0100}');
  });

  it('leaves backslashes in the input as they are', () => {
    expect(sanitizeString('C:\\temp\\new\n')).toBe('C:\\temp\\new\\n');
  });

  it('returns the same string when there is nothing to escape', () => {
    const s = 'user joebob1 logged in from 203.0.113.7 — héllo 😀 𝄞 ❤\uFE0F';
    expect(sanitizeString(s)).toBe(s);
  });

  it('escapes every Default_Ignorable_Code_Point and control of the running Unicode version', () => {
    const ignorable = /^[\p{Default_Ignorable_Code_Point}\p{Cc}]$/u;
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!ignorable.test(ch)) continue;
      const out = sanitizeString(`x${ch}y`);
      if (out.includes(ch) || !/^x\\(?:[nrt]|u[0-9A-F]{4}|u\{[0-9A-F]{5}\})y$/.test(out))
        missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
  });

  it('never leaves an escaped character or a lone surrogate in its output', () => {
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

  it('returns strings without those characters unchanged', () => {
    fc.assert(
      fc.property(cleanString, (s) => {
        expect(sanitizeString(s)).toBe(s);
      }),
    );
  });

  it('loses no text: the escapes read back to well-formed input that had no backslash', () => {
    fc.assert(
      fc.property(
        wellFormedMixed.filter((s) => !s.includes('\\')),
        (s) => {
          expect(unescape(sanitizeString(s))).toBe(s);
        },
      ),
    );
  });
});

describe('sanitizeKey', () => {
  it('escapes a presentation selector even after an emoji', () => {
    expect(sanitizeKey('❤\uFE0F')).toBe('❤\\uFE0F');
  });

  it('escapes what sanitizeString escapes', () => {
    expect(sanitizeKey('user\u200B.id\u{E0041}\uD800\n')).toBe('user\\u200B.id\\u{E0041}\uFFFD\\n');
  });

  it('never leaves a variation selector, other escaped character or lone surrogate in a key', () => {
    fc.assert(
      fc.property(mixedString, (s) => {
        expect(hasUnsafe(sanitizeKey(s), true)).toBe(false);
      }),
    );
  });
});

describe('withoutInvisible', () => {
  it('drops the characters a key hides a name with', () => {
    expect(withoutInvisible('pass\u200Bword\u{E0020}\uD800')).toBe('password');
  });

  it('returns a clean key unchanged', () => {
    expect(withoutInvisible('http.request.method')).toBe('http.request.method');
  });
});
