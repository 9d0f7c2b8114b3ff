import { describe, expect, it } from 'vitest';
import { runQuery } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

function run(kql: string): QueryTable {
  return runQuery(kql, workspace({}), NOW);
}

const T =
  'datatable(Id: long, Tags: dynamic)[1, dynamic(["a", "b"]), 2, dynamic([]), 3, dynamic(null), 4, dynamic({"k": 1, "m": "x"})]';

describe('runQuery: mv-expand', () => {
  it('gives a row per array element, none for an empty array, one for null, one per bag entry', () => {
    expect(run(`${T} | mv-expand Tags`).rows).toEqual([
      [1, '"a"'],
      [1, '"b"'],
      [3, null],
      [4, '{"k":1}'],
      [4, '{"m":"x"}'],
    ]);
  });

  it('expands a bag into [key, value] pairs with kind=array', () => {
    expect(run(`${T} | where Id == 4 | mv-expand kind=array Tags`).rows).toEqual([
      [4, '["k",1]'],
      [4, '["m","x"]'],
    ]);
  });

  it('types the column with to typeof() and adds the index with with_itemindex', () => {
    const result = run(`${T} | where Id == 1 | mv-expand with_itemindex=I Tags to typeof(string)`);
    expect(result.columns).toEqual([
      { name: 'Id', type: 'long' },
      { name: 'Tags', type: 'string' },
      { name: 'I', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      [1, 'a', 0],
      [1, 'b', 1],
    ]);
  });

  it('keeps the column and adds a new one for Name = expression, in parallel with null for the shorter array', () => {
    const kql =
      'print A = dynamic([1, 2, 3]), B = dynamic(["x"]) | mv-expand a = A, B to typeof(string) | project a, B';
    expect(run(kql).rows).toEqual([
      ['1', 'x'],
      ['2', ''],
      ['3', ''],
    ]);
  });

  it('stops at the row limit', () => {
    expect(run('print A = dynamic([1, 2, 3]) | mv-expand A limit 2').rows).toEqual([['1'], ['2']]);
  });

  it('refuses a value that is not dynamic', () => {
    expect(kqlFailure(`${T} | mv-expand Id`, run).message).toMatch(
      /'Id' is long; only dynamic arrays and bags expand/,
    );
  });
});

describe('runQuery: mv-apply', () => {
  it("runs the subquery over each row's elements and keeps the row's other columns", () => {
    const kql = [
      'datatable(Id: long, Metric: dynamic)[1, dynamic([5, 1, 7]), 2, dynamic([3])]',
      '| mv-apply Metric to typeof(long) on (top 2 by Metric desc)',
    ].join('\n');
    const result = run(kql);
    expect(result.columns).toEqual([
      { name: 'Id', type: 'long' },
      { name: 'Metric', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      [1, 7],
      [1, 5],
      [2, 3],
    ]);
  });

  it('summarizes each row with a named expansion, keeping the expanded column', () => {
    const kql = [
      'datatable(value: dynamic)[dynamic([1, "a", 2]), dynamic([1, 2])]',
      '| mv-apply v = value on (summarize n = count() | extend twice = n * 2)',
    ].join('\n');
    expect(run(kql).rows).toEqual([
      ['[1,"a",2]', 3, 6],
      ['[1,2]', 2, 4],
    ]);
  });
});
