import { describe, expect, it } from 'vitest';
import { inputParameters, splitTopLevel } from '../src/console/function-parameters.js';

describe("a stored function's parameters for Monaco Kusto", () => {
  it('has none for an absent or empty list', () => {
    expect(inputParameters(undefined)).toEqual([]);
    expect(inputParameters('')).toEqual([]);
  });

  it('keeps a default that holds a comma or an equals sign inside quotes', () => {
    expect(inputParameters("sep:string=',', pair:string='a=b'")).toEqual([
      { name: 'sep', type: 'string', cslType: 'string', cslDefaultValue: "','" },
      { name: 'pair', type: 'string', cslType: 'string', cslDefaultValue: "'a=b'" },
    ]);
  });

  it('keeps a default that calls a function with several arguments', () => {
    expect(inputParameters('ips:dynamic=dynamic([1, 2]), since:datetime=datetime(null)')).toEqual([
      { name: 'ips', type: 'dynamic', cslType: 'dynamic', cslDefaultValue: 'dynamic([1, 2])' },
      { name: 'since', type: 'datetime', cslType: 'datetime', cslDefaultValue: 'datetime(null)' },
    ]);
  });

  it('reads a tabular parameter as columns, and (*) as a table of any columns', () => {
    expect(inputParameters('T:(User:string, Count:long), Any:(*)')).toEqual([
      {
        name: 'T',
        columns: [
          { name: 'User', type: 'string', cslType: 'string' },
          { name: 'Count', type: 'long', cslType: 'long' },
        ],
      },
      { name: 'Any', columns: [] },
    ]);
  });

  it('splits only at top-level separators', () => {
    expect(splitTopLevel('a, f(b, c), "d, e", [g, h]', ',')).toEqual(['a', 'f(b, c)', '"d, e"', '[g, h]']);
  });
});
