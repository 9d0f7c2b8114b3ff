import { describe, expect, it } from 'vitest';
import { runQuery, type QuerySource } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

const source: QuerySource = workspace({
  Web: {
    columns: [
      { name: 'Src', type: 'string' },
      { name: 'Code', type: 'long' },
    ],
    rows: [
      { Src: '10.0.0.1', Code: 404 },
      { Src: '10.0.0.2', Code: 200 },
    ],
  },
  Auth: {
    columns: [
      { name: 'Src', type: 'string' },
      { name: 'Code', type: 'string' },
      { name: 'User', type: 'string' },
    ],
    rows: [{ Src: '10.0.0.3', Code: 'E1', User: 'alice' }],
  },
});

function run(kql: string): QueryTable {
  return runQuery(kql, source, NOW);
}

describe('runQuery: datatable', () => {
  it('fills rows from the values in order, each converted to its column type', () => {
    const result = run(
      'datatable(Name: string, N: long, When: datetime, Ok: bool)["a", 1, datetime(2026-01-02), true, "b", 2, datetime(null), false]',
    );
    expect(result.columns).toEqual([
      { name: 'Name', type: 'string' },
      { name: 'N', type: 'long' },
      { name: 'When', type: 'datetime' },
      { name: 'Ok', type: 'bool' },
    ]);
    expect(result.rows).toEqual([
      ['a', 1, '2026-01-02T00:00:00.0000000Z', true],
      ['b', 2, null, false],
    ]);
  });

  it('gives an empty table with its columns for []', () => {
    const result = run('datatable(EventType: string)[]');
    expect(result).toEqual({
      name: 'PrimaryResult',
      columns: [{ name: 'EventType', type: 'string' }],
      rows: [],
    });
  });

  it('refuses values that do not fill whole rows', () => {
    const error = kqlFailure('datatable(a: long, b: long)[1, 2, 3]', run);
    expect(error.message).toMatch(/datatable: 3 value\(s\) do not fill rows of 2 column\(s\)/);
  });
});

describe('runQuery: union', () => {
  it('merges columns by name, renaming a name with two types to name_type as Kusto does', () => {
    const result = run('union Web, Auth');
    expect(result.columns).toEqual([
      { name: 'Src', type: 'string' },
      { name: 'Code_long', type: 'long' },
      { name: 'Code_string', type: 'string' },
      { name: 'User', type: 'string' },
    ]);
    // A string column a table lacks reads as empty, as Kusto strings are never null.
    expect(result.rows).toEqual([
      ['10.0.0.1', 404, '', ''],
      ['10.0.0.2', 200, '', ''],
      ['10.0.0.3', null, 'E1', 'alice'],
    ]);
  });

  it('keeps only the columns every table has with kind=inner', () => {
    expect(run('union kind=inner Web, Auth').columns).toEqual([{ name: 'Src', type: 'string' }]);
  });

  it("names each row's table in the withsource column", () => {
    const result = run('union withsource=Table Web, (Auth | project Src) | project Table, Src');
    expect(result.rows).toEqual([
      ['Web', '10.0.0.1'],
      ['Web', '10.0.0.2'],
      ['union_arg1', '10.0.0.3'],
    ]);
  });

  it('skips tables and functions that do not exist with isfuzzy=true', () => {
    const result = run('union isfuzzy=true Missing_CL, Web, vimMissing(starttime=ago(1h)) | count');
    expect(result.rows).toEqual([[2]]);
  });

  it('skips with isfuzzy=true a leg whose subquery or function reads a missing table', () => {
    const source2 = workspace({ Web: { columns: [{ name: 'Src', type: 'string' }], rows: [{ Src: 'a' }] } }, [
      { name: 'vimGone', body: 'Gone_CL | project Src' },
    ]);
    const kql = 'union isfuzzy=true Web, (Gone_CL | take 1), vimGone | count';
    expect(runQuery(kql, source2, NOW).rows).toEqual([[1]]);
  });

  it('refuses table wildcards, naming them', () => {
    expect(kqlFailure('union We*', run).message).toMatch(/Table wildcards such as 'We\*' are not supported/);
  });

  it('refuses a missing table without isfuzzy, naming it', () => {
    const error = kqlFailure('union Web, Missing_CL', run);
    expect(error.code).toBe('E_KQL_UNKNOWN_TABLE');
    expect(error.message).toMatch(/Failed to resolve table or function 'Missing_CL'.*\(line 1, column 12\)/);
  });

  it('refuses a union where no table exists, even with isfuzzy', () => {
    expect(kqlFailure('union isfuzzy=true A_CL, B_CL', run).message).toMatch(
      /none of its tables or functions exists/,
    );
  });

  it('appends other tables to the piped one with | union', () => {
    const result = run('Web | where Code == 404 | union (Auth | project Src) | project Src');
    expect(result.rows).toEqual([['10.0.0.1'], ['10.0.0.3']]);
  });

  it('still reports a column error inside a leg with isfuzzy=true', () => {
    expect(kqlFailure('union isfuzzy=true (Web | where Nope == 1)', run).code).toBe('E_KQL_UNKNOWN_COLUMN');
  });
});

describe('runQuery: print and range', () => {
  it('prints one row, naming unnamed values print_0, print_1 by position', () => {
    const result = run('print int(1), Label = "x", 2 + 3');
    expect(result.columns.map((c) => c.name)).toEqual(['print_0', 'Label', 'print_2']);
    expect(result.rows).toEqual([[1, 'x', 5]]);
  });

  it('counts from a to b inclusive by the step', () => {
    expect(run('range n from 1 to 7 step 3').rows).toEqual([[1], [4], [7]]);
  });

  it('steps datetimes by a timespan', () => {
    expect(run('range t from datetime(2026-01-01) to datetime(2026-01-01 02:00) step 1h').rows).toEqual([
      ['2026-01-01T00:00:00.0000000Z'],
      ['2026-01-01T01:00:00.0000000Z'],
      ['2026-01-01T02:00:00.0000000Z'],
    ]);
  });
});
