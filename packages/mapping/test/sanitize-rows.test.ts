// Invisible and reordering characters through the whole mapper: string columns, bodies and
// dynamic values, in keys and values, flat and nested.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import type { Row } from '../src/compile-mapping.js';
import { parseMapping } from '../src/load-mapping.js';
import { ENV, oneStream, record } from './helpers.js';
import type { LogRecordLike } from '../src/log-record.js';

const COLUMNS = `      UserId: "attributes['user.id']"
      Message: body
      Body: { from: body, type: dynamic }
      Bag: { from: attributes, exclude: ["user.id"] }
`;

function compile(extra = '') {
  const r = parseMapping(oneStream(COLUMNS, extra), { env: ENV });
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return compileMapping(r.config, { env: ENV });
}

function rowOf(m: ReturnType<typeof compile>, r: LogRecordLike): Row {
  const o = m.map(r);
  if (o.status !== 'mapped') throw new Error(o.status);
  return o.row;
}

// Written out here, apart from the source: BMP code points and ranges that must never reach a row raw.
const UNSAFE_BMP: readonly (readonly [number, number])[] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0xad, 0xad],
  [0x34f, 0x34f],
  [0x61c, 0x61c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff0, 0xfffb],
];
const UNSAFE_ASTRAL: readonly (readonly [number, number])[] = [
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0000, 0xe0fff],
];
const EMOJI = /^\p{Emoji}$/u;

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([from, to]) => cp >= from && cp <= to);
}

/** The first raw character of the neutralised classes in `s` (in a key: every variation selector). */
function rawUnsafe(s: string, key: boolean): string | undefined {
  let prev = -1;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) return `lone surrogate ${cp.toString(16)}`;
    if (cp > 0xffff) i++;
    const presentation =
      !key && (cp === 0xfe0e || cp === 0xfe0f) && prev >= 0x80 && EMOJI.test(String.fromCodePoint(prev));
    if (!presentation && (inRanges(cp, UNSAFE_BMP) || inRanges(cp, UNSAFE_ASTRAL))) return cp.toString(16);
    prev = cp;
  }
  return undefined;
}

/** Every raw unsafe character in the strings and keys of a row, with where it sits. */
function findRaw(v: unknown, at: string, found: string[]): string[] {
  if (typeof v === 'string') {
    const bad = rawUnsafe(v, false);
    if (bad !== undefined) found.push(`${at}: ${bad}`);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => findRaw(x, `${at}[${i}]`, found));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const bad = rawUnsafe(k, true);
      if (bad !== undefined) found.push(`${at} key ${JSON.stringify(k)}: ${bad}`);
      findRaw(x, `${at}.${k}`, found);
    }
  }
  return found;
}

describe('invisible characters in mapped rows', () => {
  it('makes admin\\u200B in a string column visibly different from admin', () => {
    const row = rowOf(compile(), record({ attributes: { 'user.id': 'admin\u200B' } }));
    expect(row.UserId).toBe('admin\\u200B');
    expect(row.UserId).not.toBe('admin');
  });

  it('writes TAG characters smuggled after admin visibly in a string column', () => {
    const row = rowOf(
      compile(),
      record({ attributes: { 'user.id': 'admin\u{E0072}\u{E006F}\u{E006F}\u{E0074}' } }),
    );
    expect(row.UserId).toBe('admin\\u{E0072}\\u{E006F}\\u{E006F}\\u{E0074}');
  });

  it('escapes separators, BOM and soft hyphens in a string body', () => {
    const row = rowOf(compile(), record({ body: '\uFEFFlogin ok\u2028FAKE: ad\u00ADmin logged in\u2029' }));
    expect(row.Message).toBe('\\uFEFFlogin ok\\u2028FAKE: ad\\u00ADmin logged in\\u2029');
    expect(row.Body).toBe('\\uFEFFlogin ok\\u2028FAKE: ad\\u00ADmin logged in\\u2029');
  });

  it('escapes keys and values of a flat dynamic column', () => {
    const row = rowOf(
      compile(),
      record({ attributes: { 'user\u200D.role': 'admin\u2060', 'note\u{E0041}': 'a\u3164b', ok: 'plain' } }),
    );
    expect(row.Bag).toEqual({
      'user\\u200D.role': 'admin\\u2060',
      'note\\u{E0041}': 'a\\u3164b',
      ok: 'plain',
    });
  });

  it('escapes keys and values nested in a dynamic body, in maps and arrays', () => {
    const body = { outer: { 'in\uFEFFner': ['x\u2061y', { 'k\uFE0F': '❤\uFE0F', v: 'admin\uFE0F' }] } };
    const row = rowOf(compile(), record({ body }));
    expect(row.Body).toEqual({
      outer: { 'in\\uFEFFner': ['x\\u2061y', { 'k\\uFE0F': '❤\uFE0F', v: 'admin\\uFE0F' }] },
    });
  });

  it('escapes the keys inside a structured body written to a string column', () => {
    const row = rowOf(compile(), record({ body: { 'a\u200B': 'b\u180E' } }));
    expect(row.Message).toBe('{"a\\u200B":"b\\u180E"}');
  });

  it('replaces lone surrogates by U+FFFD in string columns, dynamic keys and dynamic values', () => {
    const row = rowOf(
      compile(),
      record({ body: 'x\uD800y', attributes: { 'user.id': '\uDC00admin', 'k\uDBFF': ['v\uDFFF'] } }),
    );
    expect(row.Message).toBe('x\uFFFDy');
    expect(row.UserId).toBe('\uFFFDadmin');
    expect(row.Bag).toEqual({ 'k\uFFFD': ['v\uFFFD'] });
  });

  it('redacts the value of a sensitive key hidden by a zero-width space', () => {
    const row = rowOf(compile(), record({ attributes: { 'pass\u200Bword': 'hunter2' } }));
    expect(row.Bag).toEqual({ 'pass\\u200Bword': '[REDACTED:sensitive-key]' });
  });

  it('counts each changed value once', () => {
    const m = compile();
    rowOf(m, record({ body: 'plain', attributes: { 'user.id': 'admin\u200B', a: 'b\uD800', c: 'd' } }));
    expect(m.stats().sanitizedValues).toBe(2);
  });

  it('leaves the characters raw in a column with sanitize: false', () => {
    const r = parseMapping(oneStream(`      Raw: { from: body, sanitize: false }\n`), { env: ENV });
    if (!r.config) throw new Error('no config');
    const o = compileMapping(r.config, { env: ENV }).map(record({ body: 'admin\u200B' }));
    expect(o.status === 'mapped' && o.row.Raw).toBe('admin\u200B');
  });
});

// Units that make up the arbitrary strings: any code point, the neutralised ones, lone
// surrogates, emoji a presentation selector may follow, and a backslash.
const unsafeUnit = fc
  .oneof(
    fc.constantFrom(...UNSAFE_BMP.flatMap(([from, to]) => [from, to])),
    fc.constantFrom(...UNSAFE_ASTRAL.flatMap(([from, to]) => [from, to, from + 0x41])),
    fc.integer({ min: 0xe0000, max: 0xe0fff }),
    fc.integer({ min: 0xfe00, max: 0xfe0f }),
  )
  .map((cp) => String.fromCodePoint(cp));
const unit = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  unsafeUnit,
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('❤', '😀', '1', '\\'),
);
const anyString = fc.string({ unit, maxLength: 40 });
const key = anyString.filter((k) => k !== '__proto__' && k !== 'security.event' && k !== 'user.id');

describe('any string through the mapper', () => {
  it('never reaches a row with a neutralised character or lone surrogate raw', () => {
    const m = compile();
    fc.assert(
      fc.property(anyString, anyString, key, key, anyString, (user, body, k1, k2, v) => {
        const nested = { [k2]: [v, { [k1]: v }] };
        const row = rowOf(
          m,
          record({ body: { [k1]: body, nested }, attributes: { 'user.id': user, [k1]: v, [k2]: nested } }),
        );
        const flat = rowOf(m, record({ body }));
        expect(findRaw(row, 'row', [])).toEqual([]);
        expect(findRaw(flat, 'row', [])).toEqual([]);
      }),
    );
  });

  it('keeps text without those characters exactly as it was', () => {
    const m = compile('    defaults: { redact: false }\n');
    const clean = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 40 })
      .filter((s) => rawUnsafe(s, true) === undefined);
    const cleanKey = clean.filter((k) => k !== '__proto__' && k !== 'security.event' && k !== 'user.id');
    fc.assert(
      fc.property(clean, clean, cleanKey, (user, body, k) => {
        const row = rowOf(m, record({ body: { [k]: [body] }, attributes: { 'user.id': user, [k]: body } }));
        expect(row.UserId).toBe(user);
        expect(row.Body).toEqual({ [k]: [body] });
        expect(row.Bag).toEqual({ [k]: body });
      }),
    );
  });
});
