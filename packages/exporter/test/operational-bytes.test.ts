// The estimated AppTraces size of an operational record, against sizes counted by hand.
import { describe, expect, it } from 'vitest';
import { APP_TRACES_ROW_OVERHEAD, FilteredBytes, operationalRowBytes } from '../src/operational-bytes.js';

describe('operationalRowBytes', () => {
  it('is the fixed columns alone for a record with no body and no attributes', () => {
    expect(APP_TRACES_ROW_OVERHEAD).toBe(215);
    expect(operationalRowBytes({ attributes: {} })).toBe(215);
  });

  it('adds the body and each attribute key and value as text, with 6 bytes of JSON per attribute', () => {
    const bytes = operationalRowBytes({
      body: 'GET /orders answered 200', // 24
      attributes: {
        'http.route': '/orders', // 10 + 6 + 7 = 23
        status: 200, // 6 + 6 + 3 = 15
        ratio: -0.25, // 5 + 6 + 5 = 16
        big: 12345678901234567890n, // 3 + 6 + 20 = 29
        cached: true, // 6 + 6 + 4 = 16
        retried: false, // 7 + 6 + 5 = 18
        absent: undefined, // 6 + 6 + 0 = 12
        none: null, // 4 + 6 + 0 = 10
        tags: ['a', 'b'], // 4 + 6 + '["a","b"]' 9 = 19
        bytes: new Uint8Array([1, 2, 3, 4]), // 5 + 6 + base64 'AQIDBA==' 8 + quotes 2 = 21
      },
    });
    expect(bytes).toBe(215 + 24 + 23 + 15 + 16 + 29 + 16 + 18 + 12 + 10 + 19 + 21);
  });

  it('counts a map body as its JSON text', () => {
    // {"user":"ann","n":1}: 20
    expect(operationalRowBytes({ body: { user: 'ann', n: 1 }, attributes: {} })).toBe(215 + 20);
  });
});

describe('FilteredBytes', () => {
  it('measures the first 128 records one by one', () => {
    const sampler = new FilteredBytes();
    for (let i = 0; i < 128; i++) sampler.add({ body: i % 2 === 0 ? 'ab' : 'abcd', attributes: {} });
    // 64 records of 215 + 2 and 64 of 215 + 4.
    expect(sampler.total()).toBe(64 * 217 + 64 * 219);
  });

  it('scales the records it samples after those to every record', () => {
    const sampler = new FilteredBytes();
    for (let i = 0; i < 10_000; i++) sampler.add({ body: 'operational', attributes: { seq: 1 } });
    // 215 + 11 + (3 + 6 + 1) = 236 bytes each.
    expect(sampler.total()).toBe(10_000 * 236);
  });
});
