// Microsoft's own ASIM content, stored verbatim in third_party/azure-sentinel (MIT, see its
// README for sources and commits), run unmodified by the engine: the empty Authentication parser,
// the schema tester over a parser's getschema, and an ASIM rule over a unifying parser. The
// expected values are written by hand from those files and the ASimTester.csv they read.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runQuery, type StoredFunction } from '../src/query.js';
import { workspace } from './support/workspace.js';

const STORE = join(import.meta.dirname, '../../../third_party/azure-sentinel');
const NOW = new Date('2026-11-23T12:00:00.000Z');
const TESTER_CSV_URL =
  'https://raw.githubusercontent.com/Azure/Azure-Sentinel/master/ASIM/dev/ASimTester/ASimTester.csv';

function read(path: string): string {
  return readFileSync(join(STORE, path), 'utf8');
}

/** A YAML block scalar (`key: |` and its indented lines), as the ASIM files hold their KQL. */
function blockScalar(text: string, key: string): string {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.startsWith(`${key}: |`));
  if (start < 0) throw new Error(`no ${key} in the file`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== '' && !line.startsWith(' ')) break;
    body.push(line);
  }
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(indent)).join('\n');
}

const emptyAuthentication: StoredFunction = {
  name: 'vimAuthenticationEmpty',
  body: blockScalar(read('Parsers/ASimAuthentication/Parsers/vimAuthenticationEmpty.yaml'), 'ParserQuery'),
};
const dataTester: StoredFunction = {
  name: 'ASimDataTester',
  parameters: "T:(*), selected_schema:string=''",
  body: blockScalar(read('ASIM/dev/ASimTester/Testers/ASimDataTester.yaml'), 'ParserQuery'),
};
const schemaTester: StoredFunction = {
  name: 'ASimSchemaTester',
  parameters: "T:(ColumnName:string,ColumnType:string), selected_schema:string=''",
  body: blockScalar(read('ASIM/dev/ASimTester/Testers/ASimSchemaTester.yaml'), 'ParserQuery'),
};

const logins = {
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'User', type: 'string' },
    { name: 'Country', type: 'string' },
    { name: 'Outcome', type: 'string' },
  ],
  rows: [
    { TimeGenerated: '2026-11-23T10:00:00Z', User: 'alice@contoso.com', Country: 'FR', Outcome: 'Success' },
    { TimeGenerated: '2026-11-23T11:00:00Z', User: 'alice@contoso.com', Country: 'BR', Outcome: 'Success' },
    { TimeGenerated: '2026-11-23T11:30:00Z', User: 'bob@contoso.com', Country: 'FR', Outcome: 'Success' },
    { TimeGenerated: '2026-11-23T11:40:00Z', User: 'bob@contoso.com', Country: 'US', Outcome: 'Failure' },
  ],
} as const;

/** A small source parser of our own and Microsoft's empty table, unified as imAuthentication is. */
const functions: StoredFunction[] = [
  emptyAuthentication,
  schemaTester,
  dataTester,
  {
    name: 'vimAuthenticationTest',
    parameters: 'disabled:bool=false',
    body: [
      'Logins_CL | where not(disabled)',
      "| project TimeGenerated, EventType = 'Logon', EventResult = Outcome, TargetUserId = User,",
      "  TargetUsername = User, TargetUserType = 'Regular', SrcGeoCountry = Country,",
      "  EventVendor = 'Contoso', EventProduct = 'Test', EventCount = int(1)",
    ].join('\n'),
  },
  {
    name: 'imAuthentication',
    body: 'union isfuzzy=true vimAuthenticationEmpty, vimAuthenticationTest, vimAuthenticationMissing',
  },
];

// The data tester also reads three IANA registries; these short stand-ins hold a few of their rows.
const FILES = {
  [TESTER_CSV_URL]: read('ASIM/dev/ASimTester/ASimTester.csv'),
  'https://www.iana.org/assignments/protocol-numbers/protocol-numbers-1.csv':
    'Decimal,Keyword\n6,TCP\n17,UDP\n',
  'https://www.iana.org/assignments/dns-parameters/dns-parameters-4.csv': 'TYPE\nA\nAAAA\n',
  'https://www.iana.org/assignments/dns-parameters/dns-parameters-6.csv': 'RCODE,Name\n0,NoError\n',
};
const source = workspace({ Logins_CL: logins }, functions, FILES);

function run(kql: string): { columns: string[]; rows: unknown[][] } {
  const result = runQuery(kql, source, NOW);
  return { columns: result.columns.map((c) => c.name), rows: result.rows.map((r) => [...r]) };
}

describe("Microsoft's ASIM content, unmodified", () => {
  it('runs vimAuthenticationEmpty: no rows, and its columns in the order the file declares them', () => {
    const result = run('vimAuthenticationEmpty | getschema | project ColumnName, ColumnType | take 3');
    expect(result.rows).toEqual([
      ['EventProduct', 'string'],
      ['EventProductVersion', 'string'],
      ['EventVendor', 'string'],
    ]);
    expect(run('vimAuthenticationEmpty | count').rows).toEqual([[0]]);
  });

  it('runs ASimSchemaTester over a getschema: a type mismatch, a missing mandatory field, an extra column', () => {
    const kql =
      "datatable(EventCount: string, Foo: string)[] | getschema | invoke ASimSchemaTester('Authentication')";
    const results = run(kql).rows.map((r) => r[0]);
    expect(results).toContain(
      '(0) Error: type mismatch for column [EventCount]. It is currently string and should be int',
    );
    expect(results).toContain('(0) Error: Missing mandatory field [EventProduct]');
    expect(results).toContain('(2) Info: extra unnormalized column [Foo]');
    expect(results).not.toContain('(0) Error: Missing mandatory field [EventCount]');
    // The tester sorts its results.
    expect(results).toEqual([...results].sort());
  });

  it("runs ASimDataTester over the parser's rows: values outside the closed lists and empty mandatory fields", () => {
    const results = run("imAuthentication | invoke ASimDataTester('Authentication')").rows.map((r) => r[0]);
    expect(results).toContain(
      '(0) Error: 1 invalid value(s) (up to 10 listed) in 4 records (100%) for field [EventVendor] of type [Enumerated]: ["Contoso"] (Schema:Authentication)',
    );
    expect(results).toContain(
      '(0) Error: 1 invalid value(s) (up to 10 listed) in 4 records (100%) for field [EventProduct] of type [Enumerated]: ["Test"] (Schema:Authentication)',
    );
    expect(results).toContain(
      '(1) Warning: Empty value in 4 records (100%)  in mandatory field [Dvc] (Schema:Authentication)',
    );
    expect(results).not.toContainEqual(expect.stringContaining('field [EventResult]'));
  });

  it('runs the ASIM rule for sign-ins from several countries over the unifying parser', () => {
    const query = blockScalar(
      read('Detections/ASimAuthentication/imAuthSigninsMultipleCountries.yaml'),
      'query',
    );
    const result = run(query);
    const at = (name: string): number => result.columns.indexOf(name);
    expect(
      result.rows.map((r) => [
        r[at('TargetUsername')],
        r[at('NumOfCountries')],
        r[at('Name')],
        r[at('UPNSuffix')],
      ]),
    ).toEqual([['alice@contoso.com', 2, 'alice', 'contoso.com']]);
  });
});
