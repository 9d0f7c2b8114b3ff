import { describe, expect, it } from 'vitest';
import type { KqlQueryError } from '../src/errors.js';
import { analyzeKql } from '../src/kusto-analyze.js';
import { runQuery, type QuerySource } from '../src/query.js';
import { kqlFailure, oneTable } from './support/one-table.js';
import type { ColumnDef, QueryTable, Row } from '../src/model.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const T = 'Events_CL';

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'RowId', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Attempts', type: 'int' },
  { name: 'Score', type: 'real' },
  { name: 'Extra', type: 'dynamic' },
];

// RowId a: one row delivered twice (10:00), and a later row with the same id (10:05) that
// arg_max must prefer; b: two rows, one with a null Score; c: one row.
const SENT_TWICE: Row = {
  TimeGenerated: '2026-11-23T10:00:00Z',
  RowId: 'a',
  UserId: 'alice',
  Attempts: 1,
  Score: 0.5,
  Extra: { n: 1 },
};
const ROWS: Row[] = [
  SENT_TWICE,
  { TimeGenerated: '2026-11-23T09:00:00Z', RowId: 'b', UserId: 'bob', Attempts: 2, Score: null, Extra: null },
  SENT_TWICE,
  { TimeGenerated: '2026-11-23T11:00:00Z', RowId: 'c', UserId: 'carol', Attempts: 5, Score: 2, Extra: [] },
  {
    TimeGenerated: '2026-11-23T10:05:00Z',
    RowId: 'a',
    UserId: 'alice',
    Attempts: 3,
    Score: 1.5,
    Extra: { n: 2 },
  },
  { TimeGenerated: '2026-11-23T08:00:00Z', RowId: 'b', UserId: 'bob', Attempts: 4, Score: 9, Extra: null },
].map((r, i) => ({ ...r, _TimeReceived: `2026-11-23T11:5${i}:00Z` }));

const source: QuerySource = oneTable(T, COLUMNS, ROWS);

function query(kql: string, rows: readonly Row[] = ROWS): QueryTable {
  return runQuery(kql, { ...source, scan: (table) => (table === T ? rows : []) }, NOW);
}

function names(result: QueryTable): string[] {
  return result.columns.map((c) => c.name);
}

function failure(kql: string): KqlQueryError {
  return kqlFailure(kql, query);
}

describe('arg_max(TimeGenerated, *) by RowId: removing duplicate rows', () => {
  it('returns RowId, then TimeGenerated, then the other columns in table order', () => {
    expect(query(`${T} | summarize arg_max(TimeGenerated, *) by RowId`).columns).toEqual([
      { name: 'RowId', type: 'string' },
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'UserId', type: 'string' },
      { name: 'Attempts', type: 'int' },
      { name: 'Score', type: 'real' },
      { name: 'Extra', type: 'dynamic' },
    ]);
  });

  it('keeps one row per RowId: the latest, with all of its values', () => {
    const result = query(`${T} | summarize arg_max(TimeGenerated, *) by RowId | sort by RowId asc`);
    expect(result.rows).toEqual([
      ['a', '2026-11-23T10:05:00.0000000Z', 'alice', 3, 1.5, '{"n":2}'],
      ['b', '2026-11-23T09:00:00.0000000Z', 'bob', 2, null, null],
      ['c', '2026-11-23T11:00:00.0000000Z', 'carol', 5, 2, '[]'],
    ]);
  });

  it('with arg_min keeps the earliest instead', () => {
    const result = query(`${T} | summarize arg_min(TimeGenerated, *) by RowId | sort by RowId asc`);
    expect(result.rows).toEqual([
      ['a', '2026-11-23T10:00:00.0000000Z', 'alice', 1, 0.5, '{"n":1}'],
      ['b', '2026-11-23T08:00:00.0000000Z', 'bob', 4, 9, null],
      ['c', '2026-11-23T11:00:00.0000000Z', 'carol', 5, 2, '[]'],
    ]);
  });

  it('counts each record once afterwards', () => {
    expect(query(`${T} | count`).rows).toEqual([[6]]);
    expect(query(`${T} | summarize arg_max(TimeGenerated, *) by RowId | count`).rows).toEqual([[3]]);
  });

  it('leaves out hidden columns such as _TimeReceived, which * does not read', () => {
    expect(names(query(`${T} | summarize arg_max(TimeGenerated, *) by RowId`))).not.toContain(
      '_TimeReceived',
    );
  });
});

describe('arg_max and arg_min: columns and names as Kusto gives them', () => {
  it('returns the listed columns after the maximised one', () => {
    const result = query(
      `${T} | summarize arg_max(Attempts, UserId, TimeGenerated) by RowId | sort by RowId asc`,
    );
    expect(result.columns).toEqual([
      { name: 'RowId', type: 'string' },
      { name: 'Attempts', type: 'int' },
      { name: 'UserId', type: 'string' },
      { name: 'TimeGenerated', type: 'datetime' },
    ]);
    expect(result.rows).toEqual([
      ['a', 3, 'alice', '2026-11-23T10:05:00.0000000Z'],
      ['b', 4, 'bob', '2026-11-23T08:00:00.0000000Z'],
      ['c', 5, 'carol', '2026-11-23T11:00:00.0000000Z'],
    ]);
  });

  it('without *, repeats a listed column under a new name; with *, never repeats one', () => {
    expect(names(query(`${T} | summarize arg_max(Attempts, UserId, RowId) by RowId`))).toEqual([
      'RowId',
      'Attempts',
      'UserId',
      'RowId1',
    ]);
    expect(names(query(`${T} | summarize arg_max(Attempts, UserId, *) by RowId`))).toEqual([
      'RowId',
      'Attempts',
      'UserId',
      'TimeGenerated',
      'Score',
      'Extra',
    ]);
    expect(names(query(`${T} | summarize arg_max(Attempts, *, UserId) by RowId`))).toEqual([
      'RowId',
      'Attempts',
      'TimeGenerated',
      'UserId',
      'Score',
      'Extra',
    ]);
  });

  it('leaves out of * a column the by clause reads under another name, not one it computes from', () => {
    expect(names(query(`${T} | summarize arg_max(TimeGenerated, *) by Key = RowId`))).toEqual([
      'Key',
      'TimeGenerated',
      'UserId',
      'Attempts',
      'Score',
      'Extra',
    ]);
    expect(
      names(query(`${T} | summarize arg_max(TimeGenerated, *) by Day = bin(TimeGenerated, 1d)`)),
    ).toEqual(['Day', 'TimeGenerated', 'RowId', 'UserId', 'Attempts', 'Score', 'Extra']);
  });

  it('gives declared names to the first columns, one or several', () => {
    expect(names(query(`${T} | summarize Last = arg_max(TimeGenerated, UserId) by RowId`))).toEqual([
      'RowId',
      'Last',
      'UserId',
    ]);
    expect(
      names(query(`${T} | summarize (Last, Who) = arg_max(TimeGenerated, UserId, Attempts) by RowId`)),
    ).toEqual(['RowId', 'Last', 'Who', 'Attempts']);
    expect(names(query(`${T} | summarize arg_max(TimeGenerated, Who = UserId) by RowId`))).toEqual([
      'RowId',
      'TimeGenerated',
      'Who',
    ]);
  });

  it('names unnamed expressions max_ / min_ and max_<first>_arg<i>', () => {
    const result = query(`${T} | summarize arg_max(Attempts * 2, Score + 1) by RowId | sort by RowId asc`);
    expect(result.columns).toEqual([
      { name: 'RowId', type: 'string' },
      { name: 'max_', type: 'long' },
      { name: 'max__arg1', type: 'real' },
    ]);
    expect(result.rows[0]).toEqual(['a', 6, 2.5]);
    expect(names(query(`${T} | summarize arg_min(Attempts, Score * 2) by RowId`))).toEqual([
      'RowId',
      'Attempts',
      'min_Attempts_arg1',
    ]);
  });

  it('makes names unique across the aggregates of one summarize', () => {
    expect(
      names(query(`${T} | summarize arg_max(Attempts, *), arg_min(Attempts, UserId), n = count() by RowId`)),
    ).toEqual([
      'RowId',
      'Attempts',
      'TimeGenerated',
      'UserId',
      'Score',
      'Extra',
      'Attempts1',
      'UserId1',
      'n',
    ]);
  });

  it('works without by, over the whole table', () => {
    const result = query(`${T} | summarize arg_max(Attempts, UserId, RowId)`);
    expect(result.rows).toEqual([[5, 'carol', 'c']]);
  });
});

describe('arg_max and arg_min: which row', () => {
  it('skips rows whose value is null, and keeps the first row of a group that has only those', () => {
    const result = query(`${T} | summarize arg_max(Score, Attempts) by RowId | sort by RowId asc`);
    expect(result.rows).toEqual([
      ['a', 1.5, 3],
      ['b', 9, 4],
      ['c', 2, 5],
    ]);
    const onlyNulls = query(
      `${T} | where RowId == 'b' | extend S = real(null) | summarize arg_max(S, Attempts)`,
    );
    expect(onlyNulls.rows).toEqual([[null, 2]]);
  });

  it('keeps the first of rows that tie', () => {
    const tied: Row[] = [
      { TimeGenerated: '2026-11-23T10:00:00Z', RowId: 'a', UserId: 'first', Attempts: 1 },
      { TimeGenerated: '2026-11-23T10:00:00Z', RowId: 'a', UserId: 'second', Attempts: 1 },
    ];
    expect(query(`${T} | summarize arg_max(TimeGenerated, UserId) by RowId`, tied).rows).toEqual([
      ['a', '2026-11-23T10:00:00.0000000Z', 'first'],
    ]);
    expect(query(`${T} | summarize arg_min(Attempts, UserId) by RowId`, tied).rows).toEqual([
      ['a', 1, 'first'],
    ]);
  });
});

describe('arg_max and arg_min: what the emulator refuses', () => {
  it('refuses * as the value to order by', () => {
    expect(failure(`${T} | summarize arg_max(*, UserId)`).message).toMatch(/the \* syntax is not allowed/);
  });

  it('refuses to order by a dynamic value', () => {
    expect(failure(`${T} | summarize arg_max(Extra, UserId)`).message).toMatch(/cannot order dynamic values/);
  });

  it('asks for a name where Kusto names a function result by its own rules', () => {
    const error = failure(`${T} | summarize arg_max(TimeGenerated, tolower(UserId))`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/name the result of 'tolower\(UserId\)'/);
    expect(names(query(`${T} | summarize arg_max(TimeGenerated, U = tolower(UserId))`))).toEqual([
      'TimeGenerated',
      'U',
    ]);
  });

  it('refuses more names than columns', () => {
    expect(failure(`${T} | summarize (A1, A2, A3) = arg_max(Attempts, UserId)`).message).toMatch(
      /3 names for the 2 column\(s\) of arg_max\(\)/,
    );
  });

  it('refuses arg_max outside summarize', () => {
    expect(failure(`${T} | extend x = arg_max(Attempts, UserId)`).message).toMatch(
      /arg_max\(\) is an aggregation/,
    );
  });
});

describe("arg_max and arg_min against Microsoft's analyzer", () => {
  // The column names and types Kusto.Language (the service's own analyzer) gives each query.
  it.each([
    `${T} | summarize arg_max(TimeGenerated, *) by RowId`,
    `${T} | summarize arg_min(TimeGenerated, *) by RowId`,
    `${T} | summarize arg_max(TimeGenerated, *)`,
    `${T} | summarize arg_max(Attempts, UserId, RowId) by RowId`,
    `${T} | summarize arg_max(Attempts, UserId, UserId) by RowId`,
    `${T} | summarize arg_max(Attempts, *, UserId) by RowId`,
    `${T} | summarize arg_max(Attempts, UserId, *) by RowId`,
    `${T} | summarize arg_max(Attempts, *, *) by RowId`,
    `${T} | summarize arg_max(Attempts, *) by Attempts`,
    `${T} | summarize arg_max(Attempts, *) by UserId, RowId`,
    `${T} | summarize arg_max(TimeGenerated, *) by Key = RowId`,
    `${T} | summarize arg_max(TimeGenerated, *) by UserId = RowId`,
    `${T} | summarize arg_max(TimeGenerated, *) by Day = bin(TimeGenerated, 1d)`,
    `${T} | summarize arg_max(TimeGenerated, *) by bin(TimeGenerated, 1h)`,
    `${T} | summarize x = arg_max(Attempts, *) by RowId`,
    `${T} | summarize (a, b) = arg_max(Attempts, *) by RowId`,
    `${T} | summarize (a) = arg_max(Attempts, UserId) by RowId`,
    `${T} | summarize arg_max(Attempts, Who = UserId, *) by RowId`,
    `${T} | summarize arg_max(Attempts, UserId = TimeGenerated, *) by RowId`,
    `${T} | summarize arg_max(M = Attempts * 2, UserId) by RowId`,
    `${T} | summarize arg_max(Attempts * 2, Score * 3) by RowId`,
    `${T} | summarize arg_min(Attempts, TimeGenerated + 1d, 1) by RowId`,
    `${T} | summarize arg_max(Attempts, tostring(UserId), *) by RowId`,
    `${T} | summarize arg_max((Attempts), (UserId), *) by RowId`,
    `${T} | summarize arg_max(Attempts, *), arg_min(Attempts, *) by RowId`,
    `${T} | summarize UserId = count(), arg_max(Attempts, *) by RowId`,
    `${T} | summarize arg_max(Attempts, *), Attempts = count() by RowId`,
    `${T} | summarize arg_max(Attempts, UserId) by RowId | summarize arg_max(Attempts, *) by RowId`,
  ])('%s', (kql) => {
    const kusto = analyzeKql(kql, [{ name: T, columns: COLUMNS }]);
    expect(kusto.diagnostics).toEqual([]);
    expect(query(kql).columns).toEqual(kusto.columns);
  });
});
