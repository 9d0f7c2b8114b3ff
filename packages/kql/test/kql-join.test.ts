import { describe, expect, it } from 'vitest';
import { runQuery } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

// The left and right tables of Kusto's join documentation (X and Y), as datatables.
const X = 'let X = datatable(Key: string, Value1: long)["a", 1, "b", 2, "b", 3, "c", 4];';
const Y = 'let Y = datatable(Key: string, Value2: long)["b", 10, "c", 20, "c", 30, "d", 40];';

function run(kql: string): QueryTable {
  return runQuery(`${X}\n${Y}\n${kql}`, workspace({}), NOW);
}

describe('runQuery: join', () => {
  it('defaults to innerunique: the left side keeps one row per key, renaming the right key Key1', () => {
    const result = run('X | join Y on Key');
    expect(result.columns.map((c) => c.name)).toEqual(['Key', 'Value1', 'Key1', 'Value2']);
    expect(result.rows).toEqual([
      ['b', 2, 'b', 10],
      ['c', 4, 'c', 20],
      ['c', 4, 'c', 30],
    ]);
  });

  it('pairs every matching row with kind=inner', () => {
    expect(run('X | join kind=inner Y on Key | project Value1, Value2').rows).toEqual([
      [2, 10],
      [3, 10],
      [4, 20],
      [4, 30],
    ]);
  });

  it('keeps unmatched left rows with empty right columns with kind=leftouter', () => {
    expect(run('X | join kind=leftouter Y on Key').rows).toEqual([
      ['a', 1, '', null],
      ['b', 2, 'b', 10],
      ['b', 3, 'b', 10],
      ['c', 4, 'c', 20],
      ['c', 4, 'c', 30],
    ]);
  });

  it('keeps unmatched right rows with kind=rightouter and both with kind=fullouter', () => {
    expect(run('X | join kind=rightouter Y on Key | project Value1, Value2').rows).toEqual([
      [2, 10],
      [3, 10],
      [4, 20],
      [4, 30],
      [null, 40],
    ]);
    expect(run('X | join kind=fullouter Y on Key | project Key, Key1').rows).toEqual([
      ['a', ''],
      ['b', 'b'],
      ['b', 'b'],
      ['c', 'c'],
      ['c', 'c'],
      ['', 'd'],
    ]);
  });

  it('returns only one side for the semi and anti kinds', () => {
    expect(run('X | join kind=leftsemi Y on Key').rows).toEqual([
      ['b', 2],
      ['b', 3],
      ['c', 4],
    ]);
    expect(run('X | join kind=leftanti Y on Key').rows).toEqual([['a', 1]]);
    expect(run('X | join kind=rightsemi Y on Key').rows).toEqual([
      ['b', 10],
      ['c', 20],
      ['c', 30],
    ]);
    expect(run('X | join kind=rightanti Y on Key').rows).toEqual([['d', 40]]);
  });

  it('matches columns of different names with $left and $right', () => {
    const kql =
      'X | join kind=inner (Y | project-rename K = Key) on $left.Key == $right.K | project Key, K, Value2';
    expect(run(kql).rows).toEqual([
      ['b', 'b', 10],
      ['b', 'b', 10],
      ['c', 'c', 20],
      ['c', 'c', 30],
    ]);
  });

  it('matches on several keys at once', () => {
    const kql = [
      'datatable(A: string, B: long)["x", 1, "x", 2]',
      '| join kind=inner (datatable(A: string, B: long, C: string)["x", 2, "hit", "x", 3, "miss"]) on A, B',
      '| project A, B, C',
    ].join('\n');
    expect(run(kql).rows).toEqual([['x', 2, 'hit']]);
  });

  it('names a key column the right side lacks', () => {
    const error = kqlFailure('X | join Y on $left.Key == $right.Nope', run);
    expect(error.code).toBe('E_KQL_UNKNOWN_COLUMN');
    expect(error.message).toMatch(
      /Failed to resolve column 'Nope' on the right side \(columns there: Key, Value2\)/,
    );
  });

  it('refuses keys of different types', () => {
    expect(kqlFailure('X | join Y on $left.Key == $right.Value2', run).message).toMatch(
      /compares string with long/,
    );
  });

  it('matches a dynamic key with a string one by value', () => {
    const kql = 'print K = dynamic("b") | join kind=inner (Y) on $left.K == $right.Key | project Value2';
    expect(run(kql).rows).toEqual([[10]]);
  });

  it('refuses a kind that does not exist, listing the kinds', () => {
    expect(kqlFailure('X | join kind=sideways Y on Key', run).message).toMatch(
      /kinds: innerunique, inner, leftouter/,
    );
  });
});

describe('runQuery: lookup', () => {
  it('extends the left rows with the right columns, without the right key, leftouter by default', () => {
    const result = run('X | lookup Y on Key');
    expect(result.columns.map((c) => c.name)).toEqual(['Key', 'Value1', 'Value2']);
    expect(result.rows).toEqual([
      ['a', 1, null],
      ['b', 2, 10],
      ['b', 3, 10],
      ['c', 4, 20],
      ['c', 4, 30],
    ]);
  });

  it('drops unmatched left rows with kind=inner, matching $left and $right names', () => {
    const kql = 'X | lookup kind=inner (Y | project K = Key, Value2) on $left.Key == $right.K';
    expect(run(kql).rows).toEqual([
      ['b', 2, 10],
      ['b', 3, 10],
      ['c', 4, 20],
      ['c', 4, 30],
    ]);
  });

  it('refuses join kinds lookup does not have', () => {
    expect(kqlFailure('X | lookup kind=fullouter Y on Key', run).message).toMatch(/kinds: leftouter, inner/);
  });
});
