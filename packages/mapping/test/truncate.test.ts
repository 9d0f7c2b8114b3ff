import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { truncateUtf8, utf8ByteLength } from '../src/truncate.js';

const encoder = new TextEncoder();

// Full Unicode code points mixed with lone surrogate halves, which may pair up by accident.
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyUnit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
  fc.constantFrom('a', 'é', '€', '😀'),
);
const mixedString = fc.string({ unit: anyUnit, maxLength: 300 });
const fullUnicodeString = fc.string({ unit: 'binary', maxLength: 300 });
const anyString = fc.oneof(fullUnicodeString, mixedString);
// Limits around the string's own size, where truncation has work to do.
const stringAndLimit = anyString.chain((s) =>
  fc.tuple(fc.constant(s), fc.integer({ min: 0, max: encoder.encode(s).length + 4 })),
);

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The obvious, slow answer: add whole code points while they fit. */
function referenceTruncate(s: string, maxBytes: number): string {
  let out = '';
  for (let i = 0; i < s.length;) {
    const next = codePointAt(s, i);
    if (encoder.encode(out + next).length > maxBytes) break;
    out += next;
    i += next.length;
  }
  return out;
}

/** The code point of `s` that starts at UTF-16 index `i`, as a string. */
function codePointAt(s: string, i: number): string {
  const c = s.charCodeAt(i);
  return isHigh(c) && isLow(s.charCodeAt(i + 1)) ? s.slice(i, i + 2) : s.slice(i, i + 1);
}

describe('utf8ByteLength', () => {
  it('counts ASCII, two-, three- and four-byte characters', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
  });

  it('counts a lone surrogate as the three bytes of U+FFFD', () => {
    expect(utf8ByteLength('\uD800')).toBe(3);
    expect(utf8ByteLength('a\uDC00b')).toBe(5);
  });

  it('agrees with TextEncoder on any string', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(utf8ByteLength(s)).toBe(encoder.encode(s).length);
      }),
    );
  });
});

describe('truncateUtf8', () => {
  it('returns the same string when it fits', () => {
    const s = 'héllo wörld';
    expect(truncateUtf8(s, 13)).toBe(s);
    expect(truncateUtf8(s, 1000)).toBe(s);
  });

  it('cuts before a two-byte character that would not fit whole', () => {
    expect(truncateUtf8('aé', 2)).toBe('a');
  });

  it('never splits an emoji surrogate pair', () => {
    expect(truncateUtf8('ab😀', 5)).toBe('ab');
    expect(truncateUtf8('ab😀', 6)).toBe('ab😀');
  });

  it('keeps a lone high surrogate as a three-byte unit', () => {
    expect(truncateUtf8('a\uD800b', 4)).toBe('a\uD800');
  });

  it('returns the empty string when the limit is zero', () => {
    expect(truncateUtf8('abc', 0)).toBe('');
  });

  it('always yields at most maxBytes bytes', () => {
    fc.assert(
      fc.property(stringAndLimit, ([s, max]) => {
        expect(utf8ByteLength(truncateUtf8(s, max))).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('always yields a prefix of the input', () => {
    fc.assert(
      fc.property(stringAndLimit, ([s, max]) => {
        expect(s.startsWith(truncateUtf8(s, max))).toBe(true);
      }),
    );
  });

  it('never ends in the high half of a pair the input kept whole', () => {
    fc.assert(
      fc.property(stringAndLimit, ([s, max]) => {
        const out = truncateUtf8(s, max);
        const end = out.length;
        const splitsPair = end > 0 && isHigh(s.charCodeAt(end - 1)) && isLow(s.charCodeAt(end));
        expect(splitsPair).toBe(false);
      }),
    );
  });

  it('returns the input itself whenever it fits', () => {
    fc.assert(
      fc.property(anyString, (s) => {
        expect(truncateUtf8(s, utf8ByteLength(s))).toBe(s);
      }),
    );
  });

  it('cuts three-byte CJK text on a character boundary', () => {
    expect(truncateUtf8('日本語のテキスト', 10)).toBe('日本語');
  });

  it('cuts a long mostly-ASCII value just under the limit', () => {
    const s = `${'a'.repeat(70_000)}é`;
    expect(truncateUtf8(s, 65_536)).toBe('a'.repeat(65_536));
    expect(truncateUtf8(`é${s}`, 65_536)).toBe(`é${'a'.repeat(65_534)}`);
  });

  it('agrees with a code point by code point reference', () => {
    fc.assert(
      fc.property(stringAndLimit, ([s, max]) => {
        expect(truncateUtf8(s, max)).toBe(referenceTruncate(s, max));
      }),
    );
  });

  it('keeps as much as fits: the next code point would exceed the limit', () => {
    fc.assert(
      fc.property(stringAndLimit, ([s, max]) => {
        const out = truncateUtf8(s, max);
        if (out.length === s.length) return;
        const next = codePointAt(s, out.length);
        expect(utf8ByteLength(out) + utf8ByteLength(next)).toBeGreaterThan(max);
      }),
    );
  });
});
