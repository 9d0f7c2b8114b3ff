import { describe, expect, it } from 'vitest';
import { evaluate, itHasKustoTypes, valueOf } from './support/one-row.js';

// Expected values are Microsoft's documented examples (Kusto query reference: array_length,
// array_concat, set_union, set_has_element, array_index_of, strcat_array, bag_keys, bag_merge,
// bag_pack, gettype, isempty); the row's columns are in test/support/one-row.ts.

describe('arrays', () => {
  it('array_length counts elements, and is null for what is not an array', () => {
    expect(valueOf('array_length(dynamic([1, 2, 3]))')).toBe(3);
    expect(valueOf('array_length(dynamic([]))')).toBe(0);
    expect(valueOf('array_length(Items)')).toBe(3);
    expect(valueOf('array_length(Bag)')).toBeNull();
    expect(valueOf('array_length(Missing)')).toBeNull();
  });

  it('array_concat joins arrays; set_union keeps each value once', () => {
    expect(valueOf('array_concat(dynamic([1, 2, 4]), dynamic([1, 2]))')).toEqual([1, 2, 4, 1, 2]);
    expect(valueOf('set_union(dynamic([1, 2, 4]), dynamic([1, 2, 8]))')).toEqual([1, 2, 4, 8]);
    expect(valueOf('array_concat(dynamic([1]), Missing)')).toBeNull();
  });

  it('set_has_element and array_index_of find a value', () => {
    const words = 'dynamic(["this", "is", "an", "example"])';
    expect(valueOf(`set_has_element(${words}, "example")`)).toBe(true);
    expect(valueOf(`set_has_element(${words}, "test")`)).toBe(false);
    expect(valueOf(`array_index_of(${words}, "example")`)).toBe(3);
    expect(valueOf(`array_index_of(${words}, "test")`)).toBe(-1);
    expect(valueOf(`array_index_of(${words}, "this", 1)`)).toBe(-1);
    expect(valueOf('set_has_element(Items, 1)')).toBe(true);
  });

  it('strcat_array joins the elements as strings', () => {
    expect(valueOf('strcat_array(dynamic([1, 2, 3]), "->")')).toBe('1->2->3');
    expect(valueOf('strcat_array(dynamic([]), ", ")')).toBe('');
    expect(valueOf("strcat_array(split('a@b', '@'), ', ')")).toBe('a, b');
  });
});

describe('property bags', () => {
  it('bag_keys lists the keys of a bag, null for anything else', () => {
    expect(valueOf("bag_keys(dynamic({'a': 'b', 'c': 123}))")).toEqual(['a', 'c']);
    expect(valueOf('bag_keys(Items)')).toBeNull();
  });

  it('bag_merge keeps the first bag’s value of a key found in several', () => {
    expect(
      valueOf("bag_merge(dynamic({'A1': 12, 'B1': 2, 'C1': 3}), dynamic({'A2': 81, 'B2': 82, 'A1': 1}))"),
    ).toEqual({
      A1: 12,
      B1: 2,
      C1: 3,
      A2: 81,
      B2: 82,
    });
  });

  it('bag_pack and pack build a bag of key/value pairs', () => {
    expect(valueOf('bag_pack("Level", "Information", "ProcessID", 1234)')).toEqual({
      Level: 'Information',
      ProcessID: 1234,
    });
    expect(valueOf('pack("who", Text, "n", Small)')).toEqual({ who: 'alice@contoso.com', n: 7 });
  });
});

describe('gettype', () => {
  it.each([
    ['"a"', 'string'],
    ['111', 'long'],
    ['1 == 1', 'bool'],
    ['now()', 'datetime'],
    ['1s', 'timespan'],
    ["parse_json('1')", 'int'],
    ['parse_json(\' "abc" \')', 'string'],
    ['parse_json(\' {"abc":1} \')', 'dictionary'],
    ["parse_json(' [1, 2, 3] ')", 'array'],
    ['123.45', 'real'],
    ['guid(12e8b78d-55b4-46ae-b068-26d7a0080254)', 'guid'],
    ["parse_json('')", 'null'],
  ])('gettype(%s) is %s', (expr, type) => {
    expect(valueOf(`gettype(${expr})`)).toBe(type);
  });

  it('gives the kind of each element of an array, as the ASIM data tester reads them', () => {
    expect(valueOf('gettype(Items[0])')).toBe('string');
    expect(valueOf('gettype(Items[2])')).toBe('null');
    expect(valueOf('gettype(Small)')).toBe('int');
  });
});

describe('emptiness and branches of dynamic values', () => {
  it('isempty holds for an empty string or null, not for an empty array or bag', () => {
    expect(valueOf('isempty(parse_json(""))')).toBe(true);
    expect(valueOf('isempty(parse_json("[]"))')).toBe(false);
    expect(valueOf('isempty(parse_json("{}"))')).toBe(false);
    expect(valueOf('isempty(Missing)')).toBe(true);
  });

  it('in~ and !in~ compare with the elements of a dynamic array, ignoring case; has_any reads a dynamic column', () => {
    expect(valueOf("'Get' in~ (dynamic(['GET', 'POST']))")).toBe(true);
    expect(valueOf("'Get' !in~ (dynamic(['GET', 'POST']))")).toBe(false);
    expect(valueOf("'Put' !in~ (dynamic(['GET', 'POST']))")).toBe(true);
    expect(valueOf("'1 apple' has_any (Items)")).toBe(true);
    expect(valueOf("'pear' has_any (Items)")).toBe(false);
  });

  it('coalesce with a dynamic argument among others gives a dynamic value, as the ASIM data tester needs', () => {
    expect(evaluate("coalesce(Empty, Bag['b'], 'Common')")).toEqual({ value: 'x', type: 'dynamic' });
    expect(evaluate("coalesce(Empty, Bag['zz'], 'Common')")).toEqual({ value: 'Common', type: 'dynamic' });
    expect(evaluate("coalesce('WebSession', Bag['b'], 'Common')")).toEqual({
      value: 'WebSession',
      type: 'dynamic',
    });
  });

  it('iif and case convert a dynamic branch to the other branches’ type', () => {
    expect(evaluate('iif(false, Count, Items[1])')).toEqual({ value: 1, type: 'long' });
    expect(evaluate("case(false, Items, 'x')")).toEqual({ value: 'x', type: 'string' });
    expect(evaluate('iif(true, Items, Empty)')).toEqual({ value: '["a",1,null]', type: 'string' });
  });
});

describe('result types', () => {
  itHasKustoTypes([
    'array_length(Items)',
    'array_concat(Items, Items)',
    'set_union(Items, Items)',
    'set_has_element(Items, 1)',
    'array_index_of(Items, 1)',
    "strcat_array(Items, ',')",
    'bag_keys(Bag)',
    'bag_merge(Bag, Bag)',
    "bag_pack('a', 1)",
    "pack('a', 1)",
    'gettype(Items)',
    'iif(true, Count, Items)',
    "case(true, Items, 'x')",
  ]);
});
