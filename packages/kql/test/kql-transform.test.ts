import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileTransform, type TransformIssue } from '../src/transform.js';
import { UnsupportedKqlError } from '../src/errors.js';
import type { ColumnDef, Row } from '../src/model.js';

const STREAM: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Attempts', type: 'int' },
  { name: 'Success', type: 'boolean' },
  { name: 'Extra', type: 'dynamic' },
  { name: 'RawTime', type: 'string' },
];

const TABLE: ColumnDef[] = [
  { name: 'TimeGenerated', type: 'datetime' },
  { name: 'EventName', type: 'string' },
  { name: 'UserId', type: 'string' },
  { name: 'Attempts', type: 'int' },
  { name: 'Success', type: 'boolean' },
  { name: 'Extra', type: 'dynamic' },
  { name: 'EventTime', type: 'datetime' },
  { name: 'SessionId', type: 'guid' },
  { name: 'Score', type: 'real' },
  { name: 'Note', type: 'string' },
];

const RECEIVED = new Date('2026-11-23T08:15:30.123Z');

const ROW: Row = {
  TimeGenerated: '2026-11-23T08:00:00Z',
  EventName: 'authn_login_fail',
  UserId: 'Alice',
  Attempts: 3,
  Success: false,
  Extra: { ip: '10.0.0.1' },
  RawTime: '2026-11-22T10:11:12.5+01:00',
};

function apply(kql: string, row: Row = ROW, table: readonly ColumnDef[] = TABLE): Row | undefined {
  return compileTransform(kql, STREAM, table)(row, RECEIVED);
}

function issuesOf(kql: string, row: Row, table: readonly ColumnDef[] = TABLE): TransformIssue[] {
  const issues: TransformIssue[] = [];
  compileTransform(kql, STREAM, table)(row, RECEIVED, (issue) => issues.push(issue));
  return issues;
}

function unsupported(kql: string): UnsupportedKqlError {
  try {
    compileTransform(kql, STREAM, TABLE);
  } catch (error) {
    if (error instanceof UnsupportedKqlError) return error;
    throw error;
  }
  throw new Error(`expected ${kql} to be refused`);
}

describe('compileTransform: source', () => {
  it('passes declared columns through, typed for the table', () => {
    expect(apply('source')).toEqual({
      TimeGenerated: '2026-11-23T08:00:00.0000000Z',
      EventName: 'authn_login_fail',
      UserId: 'Alice',
      Attempts: 3,
      Success: false,
      Extra: { ip: '10.0.0.1' },
    });
  });

  it('drops fields that the stream does not declare', () => {
    expect(apply('source', { ...ROW, Password: 'hunter2' })).not.toHaveProperty('Password');
  });

  it('drops declared stream columns that the table lacks', () => {
    expect(apply('source')).not.toHaveProperty('RawTime');
  });

  it('leaves out table columns the transform does not produce', () => {
    expect(Object.keys(apply('source') ?? {})).not.toContain('EventTime');
  });

  it('accepts a transform written over several lines with comments', () => {
    expect(apply('source\n// keep everything\n| where true')).toEqual(apply('source'));
  });
});

describe('compileTransform: extend', () => {
  it('sets TimeGenerated = now() to the time the request was received', () => {
    expect(apply('source | extend TimeGenerated = now()')?.['TimeGenerated']).toBe(
      '2026-11-23T08:15:30.1230000Z',
    );
  });

  it('converts a string with todatetime() into a UTC datetime with 7 fractional digits', () => {
    expect(apply('source | extend EventTime = todatetime(RawTime)')?.['EventTime']).toBe(
      '2026-11-22T09:11:12.5000000Z',
    );
  });

  it('evaluates literals, column references and the string functions', () => {
    const row = apply(
      "source | extend Note = strcat(toupper(EventName), '/', tolower(UserId)), Score = 1.5, Attempts = Attempts + 1, " +
        "SessionId = '9D4B1F2A-0000-4000-8000-000000000001', EventTime = datetime(2026-01-02 03:04:05)",
    );
    expect(row).toMatchObject({
      Note: 'AUTHN_LOGIN_FAIL/alice',
      Score: 1.5,
      Attempts: 4,
      SessionId: '9d4b1f2a-0000-4000-8000-000000000001',
      EventTime: '2026-01-02T03:04:05.0000000Z',
    });
  });

  it('evaluates iif, case, ago and the to*() conversions', () => {
    const row = apply(
      "source | extend Note = iif(Success, 'ok', case(Attempts > 2, 'locked', 'retry')), EventTime = ago(1h), " +
        "Score = toreal(Attempts), Success = tobool('true'), UserId = tostring(toint('42'))",
    );
    expect(row).toMatchObject({
      Note: 'locked',
      EventTime: '2026-11-23T07:15:30.1230000Z',
      Score: 3,
      Success: true,
      UserId: '42',
    });
  });

  it('reads members of a dynamic column', () => {
    expect(apply('source | extend Note = tostring(Extra.ip)')?.['Note']).toBe('10.0.0.1');
  });
});

describe('compileTransform: project, project-away, project-rename', () => {
  it('project keeps only the listed columns and computed ones', () => {
    expect(apply("source | project TimeGenerated, UserId, Note = strcat('user ', UserId)")).toEqual({
      TimeGenerated: '2026-11-23T08:00:00.0000000Z',
      UserId: 'Alice',
      Note: 'user Alice',
    });
  });

  it('project-away removes the listed columns', () => {
    const row = apply('source | project-away Extra, Attempts');
    expect(row).not.toHaveProperty('Extra');
    expect(row).not.toHaveProperty('Attempts');
    expect(row).toHaveProperty('UserId', 'Alice');
  });

  it('project-rename moves a value to a new column name', () => {
    const row = apply('source | project-rename EventTime = TimeGenerated | extend TimeGenerated = now()');
    expect(row).toMatchObject({
      EventTime: '2026-11-23T08:00:00.0000000Z',
      TimeGenerated: '2026-11-23T08:15:30.1230000Z',
    });
  });
});

describe('compileTransform: where', () => {
  it.each([
    ["where EventName == 'authn_login_fail'", true],
    ["where EventName != 'authn_login_fail'", false],
    ["where UserId =~ 'ALICE'", true],
    ["where EventName contains 'LOGIN'", true],
    ["where EventName has 'fail'", true],
    ["where EventName startswith 'authz'", false],
    ["where EventName endswith '_fail'", true],
    ["where UserId in ('Alice', 'Bob')", true],
    ["where UserId !in ('Alice', 'Bob')", false],
    ['where Attempts >= 3 and not(Success)', true],
    ['where Attempts > 5 or Success', false],
    ['where isnotempty(UserId)', true],
    ['where isempty(UserId)', false],
  ])('source | %s keeps the row: %s', (where, kept) => {
    expect(apply(`source | ${where}`) !== undefined).toBe(kept);
  });

  it('drops a row whose predicate is null (a missing number)', () => {
    const row = { ...ROW };
    delete row['Attempts'];
    expect(apply('source | where Attempts > 1', row)).toBeUndefined();
  });
});

describe('compileTransform: coercion', () => {
  it('converts number-like strings and numbers to the declared types', () => {
    const row = apply('source', { ...ROW, Attempts: '7', Success: 'true', UserId: 42 });
    expect(row).toMatchObject({ Attempts: 7, Success: true, UserId: '42' });
  });

  it('stores null for a value that cannot have the declared type', () => {
    expect(apply('source', { ...ROW, Attempts: 'many', TimeGenerated: 'yesterday' })).toMatchObject({
      Attempts: null,
      TimeGenerated: null,
    });
  });

  it('gives the table type to what the transform produces', () => {
    const table: ColumnDef[] = [
      { name: 'When', type: 'datetime' },
      { name: 'Count', type: 'long' },
      { name: 'Id', type: 'guid' },
    ];
    const row = apply("source | extend When = RawTime, Count = '12', Id = 'not-a-guid'", ROW, table);
    expect(row).toEqual({ When: '2026-11-22T09:11:12.5000000Z', Count: 12, Id: null });
  });

  it('writes any datetime as ISO 8601 UTC with 7 fractional digits, to the millisecond', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
        (date) => {
          const out = apply('source', { TimeGenerated: date.toISOString() })?.['TimeGenerated'];
          expect(out).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);
          expect(new Date(String(out)).getTime()).toBe(date.getTime());
        },
      ),
    );
  });

  it('keeps integers for int columns and any finite number for real columns', () => {
    const table: ColumnDef[] = [
      { name: 'Attempts', type: 'int' },
      { name: 'Score', type: 'real' },
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (n, x) => {
          expect(apply('source | extend Score = toreal(Extra)', { Attempts: n, Extra: x }, table)).toEqual({
            Attempts: n,
            Score: x,
          });
        },
      ),
    );
  });
});

describe('compileTransform: issues for --strict', () => {
  it('reports a field the stream does not declare', () => {
    expect(issuesOf('source', { ...ROW, Password: 'x' })).toContainEqual({
      column: 'Password',
      problem: 'not-declared',
      detail: 'not in the stream declaration; dropped',
    });
  });

  it('reports a value converted to its declared type', () => {
    expect(issuesOf('source', { ...ROW, Attempts: '7' })).toContainEqual({
      column: 'Attempts',
      problem: 'mistyped',
      detail: "declared int, got string '7'; converted",
    });
  });

  it('reports a value that could not be converted', () => {
    expect(issuesOf('source', { ...ROW, Attempts: 'many' })).toContainEqual({
      column: 'Attempts',
      problem: 'mistyped',
      detail: "declared int, got string 'many'; stored as null",
    });
  });

  it('reports a column the table does not have', () => {
    expect(issuesOf('source', ROW)).toContainEqual({
      column: 'RawTime',
      problem: 'not-declared',
      detail: 'not a column of the table; dropped',
    });
  });

  it('reports nothing for a clean row', () => {
    const clean = { ...ROW };
    delete clean['RawTime'];
    expect(issuesOf('source', clean)).toEqual([]);
  });

  it('uses the listener given at compile time when a call passes none', () => {
    const issues: TransformIssue[] = [];
    const transform = compileTransform('source', STREAM, TABLE, { onIssue: (i) => issues.push(i) });
    transform({ ...ROW, Extra2: 1 }, RECEIVED);
    expect(issues.map((i) => i.column)).toContain('Extra2');
  });
});

describe('compileTransform: refusals', () => {
  it('refuses an operator a DCR transform cannot use, naming it and where it is', () => {
    const error = unsupported('source\n| summarize count() by UserId');
    expect(error.code).toBe('E_UNSUPPORTED_KQL');
    expect(error.message).toMatch(/Operator 'summarize' is not supported in DCR transforms/);
    expect(error.message).toMatch(/\(line 2, column 3\)/);
  });

  it.each([
    ['parse', "source | parse RawTime with d 'T' t"],
    ['mv-expand', 'source | mv-expand Extra'],
    ['take', 'source | take 10'],
  ])("refuses '%s'", (name, kql) => {
    expect(unsupported(kql).message).toContain(`'${name}'`);
  });

  it('refuses an unsupported function, naming it', () => {
    expect(unsupported('source | extend Note = parse_xml(RawTime)').message).toMatch(
      /Function 'parse_xml' is not supported/,
    );
  });

  it('refuses a transform that does not read source', () => {
    expect(unsupported('MyTable | extend x = 1').message).toMatch(/reads 'source', not 'MyTable'/);
  });

  it('refuses text that does not parse, with the parser message', () => {
    expect(unsupported('source | where').message).toMatch(/Missing expression/);
  });

  it('refuses a column the stream does not declare', () => {
    expect(unsupported('source | extend Note = Nope').message).toMatch(/Failed to resolve column 'Nope'/);
  });

  it('refuses let statements', () => {
    expect(unsupported("let x = 'a'; source | extend Note = x").message).toMatch(/let statements/);
  });
});
