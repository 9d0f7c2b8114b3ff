import { describe, expect, it } from 'vitest';
import type { KqlQueryError } from '../src/errors.js';
import { runQuery, type QuerySource } from '../src/query.js';
import { kqlFailure, oneTable } from './support/one-table.js';
import type { ColumnDef, QueryTable, Row } from '../src/model.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const minutesAgo = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString();

const COLUMNS: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Attempts', type: 'int' },
  { name: 'Bytes', type: 'long' },
  { name: 'Score', type: 'real' },
  { name: 'Success', type: 'boolean' },
  { name: 'SessionId', type: 'guid' },
  { name: 'Extra', type: 'dynamic' },
];

const ROWS: Row[] = [
  {
    TimeGenerated: minutesAgo(30),
    EventName: 'authn_login_success',
    UserId: 'alice',
    Attempts: 1,
    Bytes: 100,
    Score: 0.5,
    Success: true,
    SessionId: '00000000-0000-0000-0000-000000000001',
    Extra: { ip: '10.0.0.1', tags: ['a', 'b'] },
    _TimeReceived: minutesAgo(29),
  },
  {
    TimeGenerated: minutesAgo(120),
    EventName: 'authn_login_fail',
    UserId: 'bob',
    Attempts: 3,
    Bytes: 200,
    Score: 1.5,
    Success: false,
    SessionId: '00000000-0000-0000-0000-000000000002',
    Extra: { ip: '10.0.0.2' },
    _TimeReceived: minutesAgo(119),
  },
  {
    TimeGenerated: minutesAgo(180),
    EventName: 'authn_login_fail',
    UserId: 'Bob',
    Attempts: 5,
    Bytes: null,
    Score: 2.5,
    Success: false,
    SessionId: null,
    Extra: null,
    _TimeReceived: minutesAgo(179),
  },
  {
    TimeGenerated: minutesAgo(2 * 24 * 60),
    EventName: 'authz_fail',
    UserId: 'carol',
    Attempts: 1,
    Bytes: 400,
    Score: null,
    Success: false,
    SessionId: '00000000-0000-0000-0000-000000000003',
    Extra: { ip: '10.0.0.3' },
    _TimeReceived: minutesAgo(2 * 24 * 60 - 1),
  },
  {
    TimeGenerated: minutesAgo(25 * 60),
    EventName: 'authn_login_success',
    UserId: '',
    Attempts: 2,
    Bytes: 50,
    Score: 3,
    Success: true,
    SessionId: '00000000-0000-0000-0000-000000000004',
    Extra: {},
    _TimeReceived: minutesAgo(25 * 60 - 1),
  },
];

/** The store's query surface, as a plain object. */
const source: QuerySource = oneTable('AppSecurityEvents_CL', COLUMNS, ROWS);

const T = 'AppSecurityEvents_CL';

function query(kql: string): QueryTable {
  return runQuery(kql, source, NOW);
}

function column(result: QueryTable, name: string): unknown[] {
  const index = result.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name} in ${result.columns.map((c) => c.name).join(', ')}`);
  return result.rows.map((r) => r[index]);
}

function users(kql: string): unknown[] {
  return column(query(kql), 'UserId');
}

function failure(kql: string): KqlQueryError {
  return kqlFailure(kql, query);
}

describe('runQuery: the table', () => {
  it('returns every row and declared column of a table, named PrimaryResult, with Kusto type names', () => {
    const result = query(T);
    expect(result.name).toBe('PrimaryResult');
    expect(result.columns).toEqual([
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'EventName', type: 'string' },
      { name: 'UserId', type: 'string' },
      { name: 'Attempts', type: 'int' },
      { name: 'Bytes', type: 'long' },
      { name: 'Score', type: 'real' },
      { name: 'Success', type: 'bool' },
      { name: 'SessionId', type: 'guid' },
      { name: 'Extra', type: 'dynamic' },
    ]);
    expect(result.rows).toHaveLength(5);
  });

  it('gives datetimes with 7 fractional digits, dynamic values as JSON text, and rows as arrays', () => {
    const first = query(T).rows[0];
    expect(first).toEqual([
      '2026-11-23T11:30:00.0000000Z',
      'authn_login_success',
      'alice',
      1,
      100,
      0.5,
      true,
      '00000000-0000-0000-0000-000000000001',
      '{"ip":"10.0.0.1","tags":["a","b"]}',
    ]);
  });

  it('keeps _TimeReceived hidden unless a query names it', () => {
    expect(query(T).columns.map((c) => c.name)).not.toContain('_TimeReceived');
    expect(column(query(`${T} | project _TimeReceived | take 1`), '_TimeReceived')).toEqual([
      '2026-11-23T11:31:00.0000000Z',
    ]);
  });

  it('hides _TimeReceived also when the source lists it as a column', () => {
    const listed: QuerySource = {
      ...source,
      columns: () => [...COLUMNS, { name: '_TimeReceived', type: 'datetime' }],
    };
    const result = runQuery(`${T} | take 1`, listed, NOW);
    expect(result.columns.map((c) => c.name)).not.toContain('_TimeReceived');
    expect(runQuery(`${T} | where _TimeReceived > ago(1h) | count`, listed, NOW).rows).toEqual([[1]]);
  });

  it('reads _TimeReceived through ingestion_time()', () => {
    expect(column(query(`${T} | take 1 | extend t = ingestion_time()`), 't')).toEqual([
      '2026-11-23T11:31:00.0000000Z',
    ]);
  });
});

describe('runQuery: where', () => {
  it.each([
    [`where UserId == 'bob'`, ['bob']],
    [`where UserId != 'bob'`, ['alice', 'Bob', 'carol', '']],
    [`where Attempts < 2`, ['alice', 'carol']],
    [`where Attempts <= 2`, ['alice', 'carol', '']],
    [`where Attempts > 2`, ['bob', 'Bob']],
    [`where Attempts >= 3`, ['bob', 'Bob']],
    [`where UserId =~ 'BOB'`, ['bob', 'Bob']],
    [`where UserId !~ 'bob'`, ['alice', 'carol', '']],
    [`where EventName contains 'LOGIN'`, ['alice', 'bob', 'Bob', '']],
    [`where EventName !contains 'login'`, ['carol']],
    [`where EventName contains_cs 'LOGIN'`, []],
    [`where EventName has 'fail'`, ['bob', 'Bob', 'carol']],
    [`where EventName has 'fai'`, []],
    [`where EventName has 'authn_login_fail'`, ['bob', 'Bob']],
    [`where EventName !has 'authz_fail'`, ['alice', 'bob', 'Bob', '']],
    [`where EventName startswith 'AUTHZ'`, ['carol']],
    [`where EventName endswith '_success'`, ['alice', '']],
    [`where UserId in ('alice', 'bob')`, ['alice', 'bob']],
    [`where UserId !in ('alice', 'bob')`, ['Bob', 'carol', '']],
    [`where UserId in~ ('BOB')`, ['bob', 'Bob']],
    [`where Attempts in (1, 5)`, ['alice', 'Bob', 'carol']],
    [`where Attempts between (2 .. 3)`, ['bob', '']],
    [`where Attempts !between (2 .. 3)`, ['alice', 'Bob', 'carol']],
    [`where Attempts > 1 and Success`, ['']],
    [`where UserId == 'alice' or UserId == 'carol'`, ['alice', 'carol']],
    [`where not(Success)`, ['bob', 'Bob', 'carol']],
    [`where isempty(UserId)`, ['']],
    [`where isnotempty(UserId)`, ['alice', 'bob', 'Bob', 'carol']],
    [`where isnull(Bytes)`, ['Bob']],
    [`where isnotnull(Score)`, ['alice', 'bob', 'Bob', '']],
    [`where Score == 3`, ['']],
    [`where Success == false and Bytes > 150`, ['bob', 'carol']],
  ])('%s', (filter, expected) => {
    expect(users(`${T} | ${filter}`)).toEqual(expected);
  });

  it('treats a comparison with null as false, so the row is dropped either way', () => {
    expect(users(`${T} | where Bytes > 0`)).not.toContain('Bob');
    expect(users(`${T} | where Bytes != 100`)).not.toContain('Bob');
  });

  it('filters on ago() relative to the query time', () => {
    expect(users(`${T} | where TimeGenerated > ago(1h)`)).toEqual(['alice']);
    expect(users(`${T} | where TimeGenerated > ago(1d)`)).toEqual(['alice', 'bob', 'Bob']);
  });

  it('filters on now() with timespan arithmetic', () => {
    expect(users(`${T} | where TimeGenerated between (now() - 150m .. now())`)).toEqual(['alice', 'bob']);
  });

  it('compares with datetime literals in several forms', () => {
    expect(users(`${T} | where TimeGenerated < datetime(2026-11-22)`)).toEqual(['carol']);
    expect(users(`${T} | where TimeGenerated >= datetime(2026-11-23 11:00)`)).toEqual(['alice']);
    expect(users(`${T} | where TimeGenerated == datetime(2026-11-23T11:30:00Z)`)).toEqual(['alice']);
  });

  it('reads the timespan literals 1d, 2h, 30m, 10s and 100ms', () => {
    const result = query(`${T} | take 1 | project d = 1d, h = 2h, m = 30m, s = 10s, ms = 100ms`);
    expect(result.columns.map((c) => c.type)).toEqual([
      'timespan',
      'timespan',
      'timespan',
      'timespan',
      'timespan',
    ]);
    expect(result.rows[0]).toEqual(['1.00:00:00', '02:00:00', '00:30:00', '00:00:10', '00:00:00.1000000']);
  });

  it('reads members of dynamic columns with . and []', () => {
    expect(users(`${T} | where Extra.ip == '10.0.0.2'`)).toEqual(['bob']);
    expect(users(`${T} | where tostring(Extra['tags'][1]) == 'b'`)).toEqual(['alice']);
  });

  it('compares a guid column with a string literal', () => {
    expect(users(`${T} | where SessionId == '00000000-0000-0000-0000-000000000003'`)).toEqual(['carol']);
  });
});

describe('runQuery: shaping columns', () => {
  it('project keeps, orders and computes columns', () => {
    const result = query(
      `${T} | take 1 | project UserId, Kb = Bytes / 10, Label = strcat(UserId, ':', Attempts)`,
    );
    expect(result.columns).toEqual([
      { name: 'UserId', type: 'string' },
      { name: 'Kb', type: 'long' },
      { name: 'Label', type: 'string' },
    ]);
    expect(result.rows).toEqual([['alice', 10, 'alice:1']]);
  });

  it('project-away removes the named columns', () => {
    const result = query(`${T} | project-away Extra, SessionId, Score`);
    expect(result.columns.map((c) => c.name)).toEqual([
      'TimeGenerated',
      'EventName',
      'UserId',
      'Attempts',
      'Bytes',
      'Success',
    ]);
  });

  it('project-rename renames in place and keeps the type', () => {
    const result = query(`${T} | project-rename Account = UserId | project Account | take 1`);
    expect(result.columns).toEqual([{ name: 'Account', type: 'string' }]);
    expect(result.rows).toEqual([['alice']]);
  });

  it('extend adds columns, replaces existing ones, and sees its own earlier assignments', () => {
    const result = query(
      `${T} | take 1 | extend UserId = toupper(UserId), Double = Attempts * 2, Quad = Double * 2 | project UserId, Double, Quad`,
    );
    expect(result.rows).toEqual([['ALICE', 2, 4]]);
    expect(result.columns.map((c) => c.type)).toEqual(['string', 'long', 'long']);
  });

  it('extend evaluates iif, case, tolower, strlen and conversions', () => {
    const result = query(
      `${T} | where UserId == 'bob' | project a = iif(Success, 'ok', 'ko'), b = case(Attempts > 4, 'many', Attempts > 2, 'some', 'few'), ` +
        `c = tolower('X'), d = strlen(UserId), e = tostring(Attempts), f = toint('7'), g = tolong(2.9), h = toreal('1.5'), ` +
        `i = tobool('true'), j = todatetime('2026-01-01'), k = totimespan('01:00:00')`,
    );
    expect(result.rows).toEqual([
      ['ko', 'some', 'x', 3, '3', 7, 2, 1.5, true, '2026-01-01T00:00:00.0000000Z', '01:00:00'],
    ]);
  });

  it('names unnamed expressions Column1, Column2, …', () => {
    const result = query(`${T} | take 1 | project strlen(UserId), 1 + 1`);
    expect(result.columns.map((c) => c.name)).toEqual(['Column1', 'Column2']);
  });
});

describe('runQuery: ordering and limiting', () => {
  it('sort by sorts descending by default', () => {
    expect(users(`${T} | sort by Attempts, UserId asc`)).toEqual(['Bob', 'bob', '', 'alice', 'carol']);
  });

  it('order by asc puts nulls first, desc puts them last', () => {
    expect(users(`${T} | order by Bytes asc`)).toEqual(['Bob', '', 'alice', 'bob', 'carol']);
    expect(users(`${T} | order by Bytes desc`)).toEqual(['carol', 'bob', 'alice', '', 'Bob']);
    expect(users(`${T} | order by Bytes desc nulls first`)).toEqual(['Bob', 'carol', 'bob', 'alice', '']);
  });

  it('sorts by datetime and by expressions', () => {
    expect(users(`${T} | sort by TimeGenerated asc`)).toEqual(['carol', '', 'Bob', 'bob', 'alice']);
    expect(users(`${T} | sort by strlen(UserId) asc, UserId asc`)).toEqual([
      '',
      'Bob',
      'bob',
      'alice',
      'carol',
    ]);
  });

  it('take and limit return the first N rows', () => {
    expect(users(`${T} | take 2`)).toEqual(['alice', 'bob']);
    expect(users(`${T} | limit 1`)).toEqual(['alice']);
    expect(users(`${T} | take 0`)).toEqual([]);
  });

  it('top N by returns the N highest, or lowest with asc', () => {
    expect(users(`${T} | top 2 by Attempts`)).toEqual(['Bob', 'bob']);
    expect(users(`${T} | top 1 by Score asc nulls last`)).toEqual(['alice']);
  });

  it('top by asc puts nulls first, as Kusto does', () => {
    expect(users(`${T} | top 1 by Score asc`)).toEqual(['carol']);
  });
});

describe('runQuery: aggregating', () => {
  it('count returns one Count row', () => {
    const result = query(`${T} | where Success | count`);
    expect(result.columns).toEqual([{ name: 'Count', type: 'long' }]);
    expect(result.rows).toEqual([[2]]);
  });

  it('distinct returns unique combinations in first-seen order', () => {
    const result = query(`${T} | distinct EventName, Success`);
    expect(result.rows).toEqual([
      ['authn_login_success', true],
      ['authn_login_fail', false],
      ['authz_fail', false],
    ]);
  });

  it('summarize count() by a column names the result count_', () => {
    const result = query(`${T} | summarize count() by EventName`);
    expect(result.columns).toEqual([
      { name: 'EventName', type: 'string' },
      { name: 'count_', type: 'long' },
    ]);
    expect(result.rows).toEqual([
      ['authn_login_success', 2],
      ['authn_login_fail', 2],
      ['authz_fail', 1],
    ]);
  });

  it('summarize without by yields one row, even over no rows', () => {
    expect(query(`${T} | where UserId == 'nobody' | summarize count()`).rows).toEqual([[0]]);
    expect(query(`${T} | where UserId == 'nobody' | summarize count() by UserId`).rows).toEqual([]);
  });

  it('summarize computes countif, dcount, min, max, sum and avg', () => {
    const result = query(
      `${T} | summarize Failures = countif(not(Success)), Users = dcount(tolower(UserId)), min(Attempts), max(TimeGenerated), sum(Bytes), avg(Score)`,
    );
    expect(result.columns).toEqual([
      { name: 'Failures', type: 'long' },
      { name: 'Users', type: 'long' },
      { name: 'min_Attempts', type: 'int' },
      { name: 'max_TimeGenerated', type: 'datetime' },
      { name: 'sum_Bytes', type: 'long' },
      { name: 'avg_Score', type: 'real' },
    ]);
    expect(result.rows).toEqual([[3, 4, 1, '2026-11-23T11:30:00.0000000Z', 750, 1.875]]);
  });

  it('summarize make_set collects distinct values as a dynamic array', () => {
    const result = query(`${T} | summarize Users = make_set(UserId) by Success | order by Success asc`);
    expect(result.columns[1]).toEqual({ name: 'Users', type: 'dynamic' });
    expect(result.rows).toEqual([
      [false, '["bob","Bob","carol"]'],
      [true, '["alice",""]'],
    ]);
  });

  it('summarize by bin(TimeGenerated, 1h) groups into hours named TimeGenerated', () => {
    const result = query(
      `${T} | where TimeGenerated > ago(4h) | summarize count() by bin(TimeGenerated, 1h)`,
    );
    expect(result.columns[0]).toEqual({ name: 'TimeGenerated', type: 'datetime' });
    expect(result.rows).toEqual([
      ['2026-11-23T11:00:00.0000000Z', 1],
      ['2026-11-23T10:00:00.0000000Z', 1],
      ['2026-11-23T09:00:00.0000000Z', 1],
    ]);
  });

  it('summarize by bin(TimeGenerated, 1d) groups into UTC days', () => {
    const result = query(`${T} | summarize n = count() by Day = bin(TimeGenerated, 1d) | sort by Day asc`);
    expect(result.rows).toEqual([
      ['2026-11-21T00:00:00.0000000Z', 1],
      ['2026-11-22T00:00:00.0000000Z', 1],
      ['2026-11-23T00:00:00.0000000Z', 3],
    ]);
  });

  it('chains operators after summarize', () => {
    const result = query(
      `${T} | summarize Attempts = sum(Attempts) by UserId = tolower(UserId) | where Attempts > 1 | sort by Attempts`,
    );
    expect(result.rows).toEqual([
      ['bob', 8],
      ['', 2],
    ]);
  });
});

describe('runQuery: more functions and forms', () => {
  it('coalesce, substring, startofday and parse_json', () => {
    const result = query(
      `${T} | where UserId == '' | project a = coalesce(UserId, 'anonymous'), b = substring(EventName, 6, 5), ` +
        `c = startofday(TimeGenerated), d = parse_json('{"k":[1,2]}').k[1]`,
    );
    expect(result.rows).toEqual([['anonymous', 'login', '2026-11-22T00:00:00.0000000Z', '2']]);
  });

  it('make_list keeps duplicates and take_any picks a value', () => {
    const result = query(`${T} | where Success == false | summarize make_list(EventName), take_any(Success)`);
    // Named as Microsoft's analyzer names them: take_any(X) is X (any(X) would be any_X).
    expect(result.columns.map((c) => c.name)).toEqual(['list_EventName', 'Success']);
    expect(result.rows).toEqual([['["authn_login_fail","authn_login_fail","authz_fail"]', false]]);
  });

  it('make_set honours its size limit', () => {
    expect(query(`${T} | summarize s = make_set(UserId, 2)`).rows).toEqual([['["alice","bob"]']]);
  });

  it('in accepts a dynamic array literal', () => {
    expect(users(`${T} | where UserId in (dynamic(['carol', 'alice']))`)).toEqual(['alice', 'carol']);
  });

  it('between accepts a datetime and a timespan', () => {
    expect(users(`${T} | where TimeGenerated between (datetime(2026-11-23 08:00) .. 4h)`)).toEqual([
      'alice',
      'bob',
      'Bob',
    ]);
  });

  it('distinct * keeps whole rows', () => {
    expect(query(`${T} | project EventName | distinct *`).rows).toHaveLength(3);
  });

  it('count() names repeat with a number', () => {
    expect(query(`${T} | summarize count(), count()`).columns.map((c) => c.name)).toEqual([
      'count_',
      'count_1',
    ]);
  });

  it('compares across int, long and real', () => {
    expect(users(`${T} | where Attempts == 3.0 or Bytes == Score * 100`)).toEqual(['bob']);
  });
});

describe('runQuery: errors', () => {
  it('names an unsupported operator and where it is', () => {
    const error = failure(`${T} | evaluate bag_unpack(Extra)`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/Query operator 'evaluate' is not supported/);
    expect(error.position).toEqual({ offset: 23, line: 1, column: 24 });
  });

  it.each([
    ['make-series', `${T} | make-series n = count() on TimeGenerated step 1h`],
    ['parse', `${T} | parse UserId with a '-' b`],
    ['search', `${T} | search "alice"`],
    ['render', `${T} | render timechart`],
  ])("names the unsupported operator '%s'", (name, kql) => {
    expect(failure(kql).message).toContain(`'${name}'`);
  });

  it('names an unsupported function', () => {
    const error = failure(`${T} | extend x = parse_xml(EventName)`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/Function 'parse_xml' is not supported/);
  });

  it('names an unsupported binary operator', () => {
    const error = failure(`${T} | where UserId hasprefix 'a'`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/Operator 'hasprefix'/);
  });

  it('refuses an aggregation outside summarize', () => {
    expect(failure(`${T} | extend n = count()`).message).toMatch(/count\(\) is an aggregation/);
  });

  it('names an unsupported operator inside a let that binds a table', () => {
    const error = failure(`let failures = ${T} | evaluate bag_unpack(Extra);\nfailures`);
    expect(error.code).toBe('E_KQL_UNSUPPORTED');
    expect(error.message).toMatch(/Query operator 'evaluate' is not supported .*\(line 1, column 39\)/);
  });

  it('reports a syntax error with the parser message and position', () => {
    const error = failure(`${T}\n| where UserId == `);
    expect(error.code).toBe('E_KQL_SYNTAX');
    expect(error.category).toBe('SyntaxError');
    expect(error.position?.line).toBe(2);
    expect(error.message).toMatch(/Missing expression .*\(line 2, column 18\)/);
  });

  it('reports an empty query as a syntax error', () => {
    expect(failure('  ').code).toBe('E_KQL_SYNTAX');
  });

  it('reports an unknown table with the known ones', () => {
    const error = failure('Nope_CL | take 1');
    expect(error.code).toBe('E_KQL_UNKNOWN_TABLE');
    expect(error.category).toBe('SemanticError');
    expect(error.message).toContain(
      "Failed to resolve table or function 'Nope_CL' (tables: AppSecurityEvents_CL; stored functions: none)",
    );
  });

  it('reports an unknown column', () => {
    const error = failure(`${T} | where Nope == 1`);
    expect(error.code).toBe('E_KQL_UNKNOWN_COLUMN');
    expect(error.message).toContain("Failed to resolve column 'Nope'");
  });

  it('reports a comparison of incompatible types', () => {
    const error = failure(`${T} | where UserId > 1`);
    expect(error.code).toBe('E_KQL_SEMANTIC');
    expect(error.message).toContain("Operator '>' cannot combine string and long");
  });

  it('refuses a predicate that is not bool', () => {
    expect(failure(`${T} | where Attempts`).message).toMatch(/Expected a bool, got int/);
  });

  it('refuses a row count that is not a literal', () => {
    expect(failure(`${T} | take Attempts`).code).toBe('E_KQL_UNSUPPORTED');
  });

  it('refuses a column projected twice', () => {
    expect(failure(`${T} | project UserId, UserId`).code).toBe('E_KQL_SEMANTIC');
  });

  it('refuses a function called with the wrong number of arguments', () => {
    expect(failure(`${T} | extend x = tolower()`).message).toMatch(/tolower\(\): expects 1 argument/);
  });

  it('refuses a column that does not exist any more after project', () => {
    expect(failure(`${T} | project UserId | where Attempts > 1`).code).toBe('E_KQL_UNKNOWN_COLUMN');
  });
});
