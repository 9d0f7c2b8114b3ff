import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileMapping } from '../src/compile-mapping.js';
import { isRawJson, parseJsonExact, parseJsonWithBigInts } from '../src/exact-json.js';
import { parseMapping } from '../src/load-mapping.js';
import { ENV, oneStream, record } from './helpers.js';

const m = (() => {
  const r = parseMapping(
    oneStream(
      '      Big: { from: "attributes[\'big\']", type: long }\n      Bag: { from: attributes, type: dynamic }\n',
    ),
    { env: ENV },
  );
  if (!r.config) throw new Error('invalid test mapping');
  return compileMapping(r.config, { env: ENV });
})();

/** The JSON text of the row the mapping makes of a record with these attributes. */
function rowText(attributes: Record<string, unknown>): string {
  const o = m.map(record({ attributes }));
  if (o.status !== 'mapped') throw new Error(`not mapped: ${o.status}`);
  return JSON.stringify(o.row);
}

const TIME = '"TimeGenerated":"2023-11-14T22:13:20.1234567Z"';

describe('a long column', () => {
  it.each([
    [2n ** 62n + 1n, '4611686018427387905'],
    [9223372036854775807n, '9223372036854775807'],
    [-9223372036854775807n, '-9223372036854775807'],
    [-9223372036854775808n, '-9223372036854775808'],
    [9007199254740993n, '9007199254740993'],
    [-9007199254740993n, '-9007199254740993'],
    [9007199254740991n, '9007199254740991'],
    [-9007199254740991n, '-9007199254740991'],
    [9007199254740992n, '9007199254740992'],
    ['9223372036854775807', '9223372036854775807'],
    ['-9007199254740993', '-9007199254740993'],
  ])('writes %s to the JSON text as %s', (value, digits) => {
    expect(rowText({ big: value })).toBe(
      `{${TIME},"Big":${digits},"Bag":{"big":${typeof value === 'string' ? `"${value}"` : digits}}}`,
    );
  });

  it('holds a value beyond the int64 range as a mismatch, never as a rounded number', () => {
    const o = m.map(record({ attributes: { big: 9223372036854775808n } }));
    expect(o.status === 'mapped' && JSON.stringify(o.row)).toBe(
      `{${TIME},"Bag":{"big":"9223372036854775808"}}`,
    );
    expect(o.status === 'mapped' && o.mismatches).toMatchObject([{ column: 'Big', reason: 'out-of-range' }]);
  });

  it('keeps every int64 exact, as a column and inside a dynamic value, in the JSON text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        const d = b.toString();
        expect(rowText({ big: b, nested: { list: [b] } })).toBe(
          `{${TIME},"Big":${d},"Bag":{"big":${d},"nested":{"list":[${d}]}}}`,
        );
      }),
    );
  });
});

describe('reading JSON text back exactly', () => {
  it('keeps integers beyond 2^53 as raw JSON numbers, and everything else as JSON.parse reads it', () => {
    const text =
      '[{"a":9223372036854775807,"b":-9223372036854775808,"c":9007199254740993,"d":9007199254740991,"e":1.5e300,"f":"12345678901234567890","g":1234567890123456.5}]';
    const v = parseJsonExact(text) as Record<string, unknown>[];
    expect(isRawJson(v[0]?.a)).toBe(true);
    expect(v[0]?.d).toBe(9007199254740991);
    expect(v[0]?.f).toBe('12345678901234567890');
    expect(v[0]?.g).toBe(1234567890123456.5);
    expect(JSON.stringify(v)).toBe(
      '[{"a":9223372036854775807,"b":-9223372036854775808,"c":9007199254740993,"d":9007199254740991,"e":1.5e+300,"f":"12345678901234567890","g":1234567890123456.5}]',
    );
  });

  it('reads the same integers beyond 2^53 as bigints for the OTLP readers, and everything else as JSON.parse reads it', () => {
    const text =
      '[{"a":9223372036854775807,"b":-9223372036854775808,"c":9007199254740993,"d":9007199254740991,"e":1.5e300,"f":"12345678901234567890","g":1234567890123456.5,"h":12345678901234567890123}]';
    expect(parseJsonWithBigInts(text)).toEqual([
      {
        a: 9223372036854775807n,
        b: -9223372036854775808n,
        c: 9007199254740993n,
        d: 9007199254740991,
        e: 1.5e300,
        f: '12345678901234567890',
        g: 1234567890123456.5,
        h: 12345678901234567890123n,
      },
    ]);
  });

  it('takes the plain parse when long digits are only inside strings, so deep nesting still parses', () => {
    const depth = 5000;
    const text = `{"timeUnixNano":"1700000000000000000","v":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
    expect((parseJsonWithBigInts(text) as { timeUnixNano: string }).timeUnixNano).toBe('1700000000000000000');
    expect((parseJsonExact(text) as { timeUnixNano: string }).timeUnixNano).toBe('1700000000000000000');
    // A long number at the start of the text is still read exactly.
    expect(parseJsonWithBigInts('12345678901234567890')).toBe(12345678901234567890n);
  });

  it('round-trips every int64 written by JSON.stringify', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        const text = rowText({ big: b });
        expect(JSON.stringify(parseJsonExact(text))).toBe(text);
      }),
    );
  });
});
