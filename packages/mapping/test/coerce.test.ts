import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDefault,
  datetimeCoercer,
  plainJson,
  stringCoercer,
  toBoolean,
  toGuid,
  toInt,
  toLong,
  toReal,
} from '../src/coerce.js';
import type { CoerceScratch, Coercer } from '../src/coerce.js';

function run(c: Coercer, v: unknown): { value: unknown; reason?: string | undefined } {
  const s: CoerceScratch = { reason: undefined, imprecise: 0 };
  const value = c(v, s);
  return value === null ? { value, reason: s.reason } : { value };
}

/** The JSON text `JSON.stringify` writes as it is, as an expected value. */
const raw = (text: string): unknown => (JSON as unknown as { rawJSON(t: string): unknown }).rawJSON(text);

const str = stringCoercer((v) => JSON.stringify(plainJson(v)));
const dt = datetimeCoercer(undefined);
const bytes = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);

// The coercion table of the README, row by row: source value × column type → outcome.
describe('the coercion table', () => {
  it.each([
    // string column
    [str, 'abc', 'abc'],
    [str, 42, '42'],
    [str, 1.5, '1.5'],
    [str, 12345678901234567890n, '12345678901234567890'],
    [str, true, 'true'],
    [str, bytes, '3q2+7w=='],
    [str, ['a', 1], '["a",1]'],
    [str, { k: 'v' }, '{"k":"v"}'],
    [str, new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)), '2026-01-02T03:04:05.0060000Z'],
    // int column
    [toInt, 42, 42],
    [toInt, -2147483648, -2147483648],
    [toInt, 2147483648, null, 'out-of-range'],
    [toInt, 1.5, null, 'not-an-integer'],
    [toInt, NaN, null, 'not-finite'],
    [toInt, Infinity, null, 'not-finite'],
    [toInt, ' 17 ', 17],
    [toInt, '17.0', null, 'unparsable'],
    [toInt, 5n, 5],
    [toInt, true, 1],
    [toInt, bytes, null, 'type-mismatch'],
    [toInt, [1], null, 'type-mismatch'],
    // long column
    [toLong, 2 ** 40, 2 ** 40],
    [toLong, 9007199254740991n, 9007199254740991],
    [toLong, 9007199254740993n, raw('9007199254740993')],
    [toLong, -9007199254740992n, raw('-9007199254740992')],
    [toLong, '9223372036854775807', raw('9223372036854775807')],
    [toLong, ' -9223372036854775808 ', raw('-9223372036854775808')],
    [toLong, 2 ** 62, raw('4611686018427387904')],
    [toLong, 2 ** 63, null, 'out-of-range'],
    [toLong, 2n ** 63n, null, 'out-of-range'],
    [toLong, '-9223372036854775809', null, 'out-of-range'],
    // real column
    [toReal, 1.25, 1.25],
    [toReal, '1e3', 1000],
    [toReal, '.5', 0.5],
    [toReal, 'NaN', null, 'unparsable'],
    [toReal, NaN, null, 'not-finite'],
    [toReal, 3n, 3],
    [toReal, false, 0],
    [toReal, { a: 1 }, null, 'type-mismatch'],
    // boolean column
    [toBoolean, true, true],
    [toBoolean, 'TRUE', true],
    [toBoolean, '0', false],
    [toBoolean, 'yes', null, 'unparsable'],
    [toBoolean, 1, true],
    [toBoolean, 2, null, 'type-mismatch'],
    [toBoolean, 0n, false],
    // datetime column
    [dt, '2021-01-01T01:01:01-0700', '2021-01-01T08:01:01.0000000Z'],
    [dt, '2019-01-01 00:00:00,000', '2019-01-01T00:00:00.0000000Z'],
    [dt, 'yesterday', null, 'unparsable'],
    [dt, 1_700_000_000, '2023-11-14T22:13:20.0000000Z'],
    [dt, 1_700_000_000_123, '2023-11-14T22:13:20.1230000Z'],
    [dt, 1_700_000_000_123_456_789n, '2023-11-14T22:13:20.1234567Z'],
    [dt, Infinity, null, 'not-finite'],
    [dt, new Date(NaN), null, 'unparsable'],
    [dt, [1, 2], null, 'type-mismatch'],
    [dt, true, null, 'type-mismatch'],
    // guid column
    [toGuid, '{6F9619FF-8B86-D011-B42D-00C04FC964FF}', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    [toGuid, '6f9619ff8b86d011b42d00c04fc964ff', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
    [toGuid, 'not-a-guid', null, 'not-a-guid'],
    [toGuid, new Uint8Array(16).fill(0xab), 'abababab-abab-abab-abab-abababababab'],
    [toGuid, 7, null, 'not-a-guid'],
  ])('%#: %o → %o', (c, input, value, reason?: string) => {
    expect(run(c, input)).toEqual(reason === undefined ? { value } : { value, reason });
  });

  it('turns HrTime pairs into datetimes only when the source is a record time', () => {
    const withHr = datetimeCoercer((t) => `${t[0]}:${t[1]}`);
    expect(run(withHr, [1, 2])).toEqual({ value: '1:2' });
    expect(run(dt, [1, 2])).toEqual({ value: null, reason: 'type-mismatch' });
  });

  it('checks defaults against the column type once, at load time', () => {
    expect(checkDefault(443, 'int')).toBeUndefined();
    expect(checkDefault('x', 'int')).toBe('unparsable');
    expect(checkDefault('2020-13-01', 'datetime')).toBe('unparsable');
    expect(checkDefault({ a: 1 }, 'string')).toMatch(/scalar/);
    expect(checkDefault({ a: 1 }, 'dynamic')).toBeUndefined();
  });
});

describe('coercion properties', () => {
  it('int keeps every 32-bit integer and refuses everything outside that range', () => {
    fc.assert(
      fc.property(fc.integer(), (n) => {
        expect(run(toInt, n).value).toBe(n);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }),
        ),
        (n) => {
          expect(run(toInt, n)).toEqual({ value: null, reason: 'out-of-range' });
        },
      ),
    );
  });

  it('long keeps every int64, as a bigint or as decimal text, to the last digit in its JSON', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        expect(JSON.stringify(run(toLong, b).value)).toBe(b.toString());
        expect(JSON.stringify(run(toLong, b.toString()).value)).toBe(b.toString());
      }),
    );
  });

  it('long gives a plain number for every integer a double holds exactly, a raw JSON number beyond', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (b) => {
        const safe = b >= -9007199254740991n && b <= 9007199254740991n;
        expect(typeof run(toLong, b).value).toBe(safe ? 'number' : 'object');
      }),
    );
  });

  it('long refuses every integer beyond the int64 range', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: 2n ** 63n, max: 2n ** 80n }),
          fc.bigInt({ min: -(2n ** 80n), max: -(2n ** 63n) - 1n }),
        ),
        (b) => {
          expect(run(toLong, b)).toEqual({ value: null, reason: 'out-of-range' });
          expect(run(toLong, b.toString())).toEqual({ value: null, reason: 'out-of-range' });
        },
      ),
    );
  });

  it('counts a double beyond 2^53 in a long column as imprecise, and a bigint as exact', () => {
    const s: CoerceScratch = { reason: undefined, imprecise: 0 };
    toLong(2 ** 60, s);
    toLong(2n ** 60n + 1n, s);
    toLong('1152921504606846977', s);
    expect(s.imprecise).toBe(1);
  });

  it('real round-trips every finite double through its text', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        // String(-0) is "0", so -0 comes back as 0.
        expect(run(toReal, String(d)).value).toBe(Object.is(d, -0) ? 0 : d);
      }),
    );
  });

  it('no coercer throws, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withTypedArray: true,
          withNullPrototype: true,
        }),
        (v) => {
          for (const c of [str, toInt, toLong, toReal, toBoolean, dt, toGuid]) {
            const r = run(c, v);
            expect(r.value === null ? typeof r.reason : 'ok').toMatch(/^(ok|string)$/);
          }
        },
      ),
    );
  });
});
