import { describe, expect, it } from 'vitest';
import { itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: round, log, exp,
// pow, sqrt, tohex) and the percentage the ASIM data tester computes.

describe('round', () => {
  it('rounds to a number of decimals, negative ones included', () => {
    expect(valueOf('round(2.98765, 3)')).toBe(2.988);
    expect(valueOf('round(2.15, 1)')).toBe(2.2);
    expect(valueOf('round(2.15)')).toBe(2);
    expect(valueOf('round(-50.55, -2)')).toBe(-100);
    expect(valueOf('round(21.5, -1)')).toBe(20);
  });

  it('computes the data tester’s percentage of records', () => {
    expect(valueOf('round(todouble(1) / todouble(3) * 100, 2)')).toBe(33.33);
  });

  it('is null for null', () => {
    expect(valueOf('round(NoCount)')).toBeNull();
  });
});

describe('other math', () => {
  it('log, exp, pow, sqrt and abs compute their results, null where there is no real one', () => {
    expect(valueOf('log(5)')).toBe(1.6094379124341003);
    expect(valueOf('log(-1)')).toBeNull();
    expect(valueOf('exp(1)')).toBe(Math.E);
    expect(valueOf('pow(2, 3)')).toBe(8);
    expect(valueOf('sqrt(-1)')).toBeNull();
    expect(valueOf('abs(-5)')).toBe(5);
    expect(valueOf('isnan(Ratio)')).toBe(false);
  });

  it('tohex writes lower-case hex, a negative number as its 64-bit two’s complement', () => {
    expect(valueOf('tohex(256)')).toBe('100');
    expect(valueOf('tohex(-546)')).toBe('fffffffffffffdde');
    expect(valueOf('tohex(48879, 8)')).toBe('0000beef');
  });
});

describe('result types', () => {
  itHasKustoTypes([
    'round(Ratio, 2)',
    'round(Count)',
    'round(Small)',
    'abs(Small)',
    'abs(Count)',
    'abs(Ratio)',
    'sign(Small)',
    'ceiling(Small)',
    'ceiling(Ratio)',
    'sqrt(Small)',
    'exp(Small)',
    'log(Count)',
    'log10(Ratio)',
    'log2(Ratio)',
    'pow(Small, 2)',
    'isnan(Ratio)',
    'isinf(Ratio)',
    'isfinite(Ratio)',
    'tohex(Small)',
  ]);
});
