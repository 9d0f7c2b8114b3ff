import { describe, expect, it } from 'vitest';
import type { KqlQueryError } from '../src/errors.js';
import { runQuery, type QuerySource } from '../src/query.js';
import { kqlFailure, oneTable } from './support/one-table.js';
import type { ColumnDef, QueryTable, Row } from '../src/model.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString();
const T = 'Logins_CL';

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'UserId', type: 'string' },
  { name: 'UserAgent', type: 'string' },
  { name: 'Attempts', type: 'int' },
];

const ROWS: Row[] = [
  { TimeGenerated: minutesAgo(5), UserId: 'alice', UserAgent: 'sqlmap/1.7.2#stable', Attempts: 9 },
  { TimeGenerated: minutesAgo(20), UserId: 'bob', UserAgent: 'Mozilla/5.0 (Nikto/2.1.6)', Attempts: 1 },
  { TimeGenerated: minutesAgo(90), UserId: 'carol', UserAgent: 'Mozilla/5.0 (X11; Linux)', Attempts: 4 },
  { TimeGenerated: minutesAgo(200), UserId: 'dave', UserAgent: 'curl/8.5.0', Attempts: 12 },
];

const source: QuerySource = oneTable(T, COLUMNS, ROWS);

function query(kql: string): QueryTable {
  return runQuery(kql, source, NOW);
}

function users(kql: string): unknown[] {
  const result = query(kql);
  const index = result.columns.findIndex((c) => c.name === 'UserId');
  return result.rows.map((r) => r[index]);
}

function failure(kql: string): KqlQueryError {
  return kqlFailure(kql, query);
}

describe('runQuery: let statements', () => {
  it('binds a number, a timespan and a dynamic list that the query reads', () => {
    const kql = [
      'let MinAttempts = 4;',
      'let Window = 2h;',
      'let Watched = dynamic(["alice", "carol", "dave"]);',
      `${T} | where Attempts >= MinAttempts and TimeGenerated > ago(Window) and UserId in (Watched)`,
    ].join('\n');
    expect(users(kql)).toEqual(['alice', 'carol']);
  });

  it('lets a later statement use an earlier one', () => {
    expect(users(`let Base = 2; let Limit = Base * 3; ${T} | where Attempts > Limit`)).toEqual([
      'alice',
      'dave',
    ]);
  });

  it('accepts a let value where a literal is required, such as the count of take', () => {
    expect(users(`let Rows = 1; ${T} | sort by Attempts desc | take Rows`)).toEqual(['dave']);
  });

  it('keeps the column when a column and a let have the same name, as Kusto does', () => {
    expect(users(`let UserId = 'nobody'; ${T} | where UserId == 'bob'`)).toEqual(['bob']);
  });

  it('reads a let string in a summarize by expression', () => {
    const result = query(`let Label = 'all'; ${T} | summarize n = count() by Group = Label`);
    expect(result.rows).toEqual([['all', 4]]);
  });

  it('calls a user-defined function bound by a let', () => {
    expect(users(`let f = (x: long) { x * 2 };\n${T} | where f(Attempts) > 10`)).toEqual(['alice', 'dave']);
  });

  it('reads a let that names a table', () => {
    expect(users(`let t = ${T}; t | where Attempts == 1`)).toEqual(['bob']);
  });

  it('refuses a second tabular expression', () => {
    const error = failure(`${T} | take 1; ${T} | take 2`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/single tabular expression; a second tabular expression is not supported/);
  });

  it('refuses let statements with no query after them', () => {
    expect(failure('let Limit = 5;').message).toMatch(/the let statements are followed by none/);
  });

  it('reports a let that reads a name nobody defined', () => {
    expect(failure(`let Limit = Missing + 1; ${T}`).code).toBe('E_KQL_UNKNOWN_COLUMN');
  });
});

describe('runQuery: has_any', () => {
  it('matches any of the listed terms as whole terms, ignoring case', () => {
    expect(users(`${T} | where UserAgent has_any ("SQLMAP", "nikto")`)).toEqual(['alice', 'bob']);
  });

  it('reads the terms from a dynamic list bound by let', () => {
    expect(users(`let Tools = dynamic(["curl", "wfuzz"]); ${T} | where UserAgent has_any (Tools)`)).toEqual([
      'dave',
    ]);
  });

  it('does not match part of a term', () => {
    expect(users(`${T} | where UserAgent has_any ("nik", "sql")`)).toEqual([]);
  });

  it('combines literals and lists in one call', () => {
    expect(users(`let More = dynamic(["linux"]); ${T} | where UserAgent has_any ("curl", More)`)).toEqual([
      'carol',
      'dave',
    ]);
  });
});
