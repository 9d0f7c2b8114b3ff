// The generated parsers run as workspace functions on the emulator's KQL engine (another
// implementation than the generator), over hand-written rows: each expected value is what the
// ASIM Authentication schema and Learn's "manage parsers" page say the parser must return.

import { runQuery } from '@otel-sentinel/kql';
import type { QuerySource, Row } from '@otel-sentinel/kql';
import { tableSchema } from '@otel-sentinel/mapping';
import { describe, expect, it } from 'vitest';
import { paramsText } from '../src/asim-parser-params.js';
import { generateAsimParsers } from '../src/index.js';
import { withAsim } from './asim-fixture.js';

const config = withAsim();
const [stream] = config.streams;
if (stream === undefined) throw new Error('no stream');

const ROWS: Row[] = [
  {
    TimeGenerated: '2026-11-23T10:00:00Z',
    EventName: 'authn_login_fail',
    ActorUserId: 'alice',
    SrcIpAddr: '10.1.2.3',
    Url: '/login',
    AdditionalFields: { attempt: 3 },
  },
  {
    TimeGenerated: '2026-11-23T10:01:00Z',
    EventName: 'authn_login_success',
    ActorUserId: 'bob@contoso.com',
    SrcIpAddr: '192.168.0.1',
    AdditionalFields: {},
  },
  // Not an Authentication event of this stream's declaration: in no parser's output.
  {
    TimeGenerated: '2026-11-23T10:02:00Z',
    EventName: 'authz_fail',
    ActorUserId: 'carol',
    SrcIpAddr: '10.1.2.4',
  },
];

const SOURCE: QuerySource = {
  tables: () => [stream.table],
  columns: (t) => (t === stream.table ? tableSchema(stream).columns : undefined),
  scan: () => ROWS,
  functions: () =>
    generateAsimParsers(config).map((p) => ({
      name: p.name,
      parameters: paramsText(p.params),
      body: p.query,
    })),
};

function run(query: string): unknown[][] {
  return runQuery(query, SOURCE, new Date('2026-11-24T00:00:00Z')).rows.map((r) => [...r]);
}

describe('the generated Authentication parsers, run as workspace functions', () => {
  it('normalize each sign-in: event constants, user name type, SrcDvcIpAddr, severity, Dvc', () => {
    expect(
      run(
        'vimAuthenticationContosoShop | project TargetUsername, TargetUsernameType, EventType, EventResult, EventSeverity, SrcDvcIpAddr, IpAddr, EventCount, EventSchema, Dvc',
      ),
    ).toEqual([
      ['alice', 'Simple', 'Logon', 'Failure', 'Low', '10.1.2.3', '10.1.2.3', 1, 'Authentication', 'Shop'],
      [
        'bob@contoso.com',
        'UPN',
        'Logon',
        'Success',
        'Informational',
        '192.168.0.1',
        '192.168.0.1',
        1,
        'Authentication',
        'Shop',
      ],
    ]);
  });

  it('filter nothing while every parameter has its default, and say no username was matched', () => {
    expect(run('vimAuthenticationContosoShop | project TargetUsername, ASimMatchingUsername')).toEqual([
      ['alice', '-'],
      ['bob@contoso.com', '-'],
    ]);
  });

  it('keep the rows whose source address has one of the prefixes', () => {
    expect(
      run(
        "vimAuthenticationContosoShop(srcipaddr_has_any_prefix=dynamic(['10.1.'])) | project TargetUsername",
      ),
    ).toEqual([['alice']]);
  });

  it('match username_has_any on TargetUsername and say so in ASimMatchingUsername', () => {
    expect(
      run(
        "vimAuthenticationContosoShop(username_has_any=dynamic(['bob'])) | project TargetUsername, ASimMatchingUsername",
      ),
    ).toEqual([['bob@contoso.com', 'TargetUsername']]);
  });

  it('filter on eventresult and on starttime', () => {
    expect(run("vimAuthenticationContosoShop(eventresult='Failure') | project TargetUsername")).toEqual([
      ['alice'],
    ]);
    expect(
      run('vimAuthenticationContosoShop(starttime=datetime(2026-11-23T10:00:30Z)) | project TargetUsername'),
    ).toEqual([['bob@contoso.com']]);
  });

  it('return no rows when disabled', () => {
    expect(run('ASimAuthenticationContosoShop(disabled=true) | count')).toEqual([[0]]);
  });

  it('pack the columns that are no ASIM field into AdditionalFields on request, and drop them', () => {
    // The query API answers a dynamic value as JSON text.
    const bag = (query: string): unknown => JSON.parse(String(run(query)[0]?.[0]));
    const alice =
      'ASimAuthenticationContosoShop(pack=true) | where TargetUsername == "alice" | project AdditionalFields';
    expect(bag(alice)).toMatchObject({ attempt: 3, Url: '/login', EventName: 'authn_login_fail' });
    expect(bag(alice.replace('(pack=true)', ''))).toEqual({ attempt: 3 });
    const columns = run('ASimAuthenticationContosoShop | getschema | project ColumnName').flat();
    expect(columns).not.toContain('Url');
    expect(columns).not.toContain('EventName');
  });
});
