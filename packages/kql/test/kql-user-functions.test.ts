import { describe, expect, it } from 'vitest';
import { runQuery } from '../src/query.js';
import type { QuerySource, StoredFunction } from '../src/query.js';
import type { QueryTable } from '../src/model.js';
import { kqlFailure } from './support/one-table.js';
import { workspace } from './support/workspace.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');

const logins = {
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'User', type: 'string' },
    { name: 'Result', type: 'string' },
    { name: 'Attempts', type: 'long' },
  ],
  rows: [
    { TimeGenerated: '2026-11-23T08:00:00Z', User: 'alice', Result: 'Failure', Attempts: 3 },
    { TimeGenerated: '2026-11-23T09:00:00Z', User: 'bob', Result: 'Success', Attempts: 1 },
    { TimeGenerated: '2026-11-23T10:00:00Z', User: 'alice', Result: 'Success', Attempts: 2 },
  ],
} as const;

function run(kql: string, source: QuerySource = workspace({ Logins: logins })): QueryTable {
  return runQuery(kql, source, NOW);
}

function column(result: QueryTable, name: string): unknown[] {
  const index = result.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name} in ${result.columns.map((c) => c.name).join(', ')}`);
  return result.rows.map((r) => r[index]);
}

describe('runQuery: tabular let', () => {
  it('binds a pipeline to a name the query reads, twice', () => {
    const result = run(
      `let Failed = Logins | where Result == 'Failure'; union Failed, Failed | project User`,
    );
    expect(column(result, 'User')).toEqual(['alice', 'alice']);
  });

  it('binds a parenthesized subquery and a materialize()', () => {
    const kql = `let A = (Logins | project User); let B = materialize(A | where User == 'bob'); B`;
    expect(run(kql).rows).toEqual([['bob']]);
  });

  it('refuses a name bound to a value where a table is expected', () => {
    const error = kqlFailure('let n = 1; n | take 1', run);
    expect(error.code).toBe('E_KQL_SEMANTIC');
    expect(error.message).toMatch(/'n' is a value, not a table \(line 1, column 12\)/);
  });
});

describe('runQuery: user-defined functions', () => {
  it('calls a scalar function per row, by position', () => {
    const result = run('let twice = (x: long) { x * 2 }; Logins | project d = twice(Attempts)');
    expect(column(result, 'd')).toEqual([6, 2, 4]);
  });

  it('lets a scalar function read a let defined before it', () => {
    const kql =
      'let base = 100; let plus = (x: long) { x + base }; Logins | take 1 | project p = plus(Attempts)';
    expect(run(kql).rows).toEqual([[103]]);
  });

  it('calls a tabular function with named arguments and defaults', () => {
    const kql = [
      "let byResult = (result: string = 'Success', min: long = 0) { Logins | where Result == result and Attempts >= min };",
      'byResult(min = 2) | project User',
    ].join('\n');
    expect(run(kql).rows).toEqual([['alice']]);
  });

  it('calls a function whose parameters all have defaults without parentheses', () => {
    const kql =
      'let recent = (since: datetime = datetime(2026-11-23 08:30)) { Logins | where TimeGenerated > since }; recent | count';
    expect(run(kql).rows).toEqual([[2]]);
  });

  it('calls a parameterless function written with () by its bare name', () => {
    expect(run('let Empty = () { datatable(x: long)[] }; Empty | count').rows).toEqual([[0]]);
  });

  it('takes a table argument with a declared schema, and with (*)', () => {
    const kql = [
      'let users = (T: (User: string)) { T | distinct User };',
      'let widest = (T: (*)) { T | summarize max(Attempts) };',
      'union (users(Logins) | extend n = long(null)), (widest(Logins) | extend User = "max")',
      '| project User, max_Attempts',
    ].join('\n');
    expect(run(kql).rows).toEqual([
      ['alice', null],
      ['bob', null],
      ['max', 3],
    ]);
  });

  it('refuses a table argument that lacks a declared column, naming it', () => {
    const error = kqlFailure('let f = (T: (Missing: string)) { T }; f(Logins)', run);
    expect(error.message).toMatch(/function 'f': the table given as 'T' lacks its column 'Missing'/);
  });

  it('pipes a table into a function with invoke', () => {
    const kql =
      "let onlyFailures = (T: (*), result: string) { T | where Result == result }; Logins | invoke onlyFailures('Failure') | project User";
    expect(run(kql).rows).toEqual([['alice']]);
  });

  it('names a missing argument that has no default', () => {
    const error = kqlFailure('let f = (x: long) { Logins | where Attempts > x }; f()', run);
    expect(error.message).toMatch(/function 'f': argument 'x' is missing and has no default/);
  });

  it('names an unknown named argument and lists the parameters', () => {
    const error = kqlFailure('let f = (x: long = 1) { Logins }; f(y = 2)', run);
    expect(error.message).toMatch(/function 'f' has no parameter 'y' \(parameters: x\)/);
  });

  it('converts an argument to the parameter type, as Kusto does for an int given to a long', () => {
    expect(run('let f = (x: real) { x / 2 }; print r = f(3)').rows).toEqual([[1.5]]);
  });
});

const STORED: StoredFunction[] = [
  {
    name: 'vimLogins',
    parameters: "starttime:datetime=datetime(null), result:string='*', disabled:bool=false",
    body: [
      'let parser = (starttime: datetime, result: string, disabled: bool) {',
      '  Logins',
      '  | where not(disabled)',
      '  | where isnull(starttime) or TimeGenerated >= starttime',
      "  | where result == '*' or Result == result",
      '  | extend EventSchema = "Authentication"',
      '};',
      'parser(starttime = starttime, result = result, disabled = disabled)',
    ].join('\n'),
  },
  {
    name: 'imLogins',
    parameters: "result:string='*'",
    body: 'union isfuzzy=true vimLogins(result=result), vimMissing',
  },
  { name: 'loopA', body: 'loopB' },
  { name: 'loopB', body: 'loopA | take 1' },
  { name: 'broken', body: 'Logins\n| where NoSuchColumn == 1' },
];

function stored(kql: string): QueryTable {
  return run(kql, workspace({ Logins: logins }, STORED));
}

describe('runQuery: stored functions', () => {
  it('calls a stored function with named arguments, the others taking their defaults', () => {
    const result = stored("vimLogins(result='Success') | project User, EventSchema");
    expect(result.rows).toEqual([
      ['bob', 'Authentication'],
      ['alice', 'Authentication'],
    ]);
  });

  it('calls a stored function whose parameters all have defaults without parentheses', () => {
    expect(stored('vimLogins | count').rows).toEqual([[3]]);
  });

  it('runs a stored function that calls another, skipping a missing one in union isfuzzy=true', () => {
    expect(stored("imLogins(result='Failure') | project User").rows).toEqual([['alice']]);
  });

  it('passes a datetime argument through to a nested function', () => {
    expect(stored('vimLogins(starttime=datetime(2026-11-23 09:30)) | project User').rows).toEqual([
      ['alice'],
    ]);
  });

  it('refuses recursion, naming the chain of calls', () => {
    const error = kqlFailure('loopA', stored);
    expect(error.code).toBe('E_KQL_SEMANTIC');
    expect(error.message).toContain(
      "stored function 'loopA' calls itself (stored function 'loopA' → stored function 'loopB' → stored function 'loopA')",
    );
  });

  it('names a missing function and lists the stored ones', () => {
    const error = kqlFailure('vimNothing(1)', stored);
    expect(error.code).toBe('E_KQL_UNKNOWN_TABLE');
    expect(error.message).toMatch(
      /Failed to resolve table or function 'vimNothing' \(tables: Logins; stored functions: vimLogins, imLogins/,
    );
  });

  it('places an error inside a stored function in its body, by line and column', () => {
    const error = kqlFailure('broken', stored);
    expect(error.code).toBe('E_KQL_UNKNOWN_COLUMN');
    expect(error.message).toMatch(
      /^In stored function 'broken': Failed to resolve column 'NoSuchColumn'.* \(line 2, column 9\)$/,
    );
  });

  it('places a syntax error of a stored function in its body', () => {
    const source = workspace({ Logins: logins }, [{ name: 'bad', body: 'Logins\n| where (' }]);
    const error = kqlFailure('bad', (kql) => run(kql, source));
    expect(error.code).toBe('E_KQL_SYNTAX');
    expect(error.message).toMatch(/^In stored function 'bad': .*\(line 2, column \d+\)$/);
  });
});
