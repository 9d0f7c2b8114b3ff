import { analyzeKql } from '@otel-sentinel/kql';
import type { AnalysisTable } from '@otel-sentinel/kql';
import { describe, expect, it } from 'vitest';
import type { ParserSource } from '../src/asim-parser-fields.js';
import { parserQuery } from '../src/asim-parser-query.js';
import { AUTH_FACTS, SHOP_AUTH, SHOP_SOURCE, SHOP_TABLE } from './asim-fixture.js';

// Microsoft's Authentication parameters (Im_AuthenticationCustom.json, Learn "manage parsers"),
// written out by hand, plus disabled and pack.
const AUTH_PARAMS =
  "starttime:datetime=datetime(null), endtime:datetime=datetime(null), username_has_any:dynamic=dynamic([]), targetappname_has_any:dynamic=dynamic([]), srcipaddr_has_any_prefix:dynamic=dynamic([]), srchostname_has_any:dynamic=dynamic([]), eventtype_in:dynamic=dynamic([]), eventresultdetails_in:dynamic=dynamic([]), eventresult:string='*', disabled:bool=false, pack:bool=false";

const TABLES: AnalysisTable[] = [
  {
    name: SHOP_TABLE.name,
    columns: [
      ...SHOP_TABLE.columns.map((c) => ({ name: c.name, type: c.type as 'string' })),
      { name: 'Type', type: 'string' },
    ],
  },
];

/** The parser saved as a workspace function with `params`, then called with its defaults. */
function analyse(query: string, params: string) {
  return analyzeKql(`let f = (${params}) {\n${query}\n};\nf()`, TABLES);
}

function lines(query: string): string[] {
  return query.split('\n').map((l) => l.trim());
}

describe('the filtering parser of a stream', () => {
  const query = parserQuery(SHOP_SOURCE, true);

  it('declares exactly the schema standard parameters, in Microsoft order, and calls itself with them', () => {
    expect(query.startsWith(`let parser = (\n    starttime: datetime = datetime(null),\n    endtime:`)).toBe(
      true,
    );
    expect(lines(query)).toContain(
      'parser(starttime=starttime, endtime=endtime, username_has_any=username_has_any, targetappname_has_any=targetappname_has_any, srcipaddr_has_any_prefix=srcipaddr_has_any_prefix, srchostname_has_any=srchostname_has_any, eventtype_in=eventtype_in, eventresultdetails_in=eventresultdetails_in, eventresult=eventresult, disabled=disabled, pack=pack)',
    );
  });

  it('keeps only the schema events and filters on the table columns before extending', () => {
    const l = lines(query);
    const extend = l.indexOf('| extend');
    expect(l.slice(0, extend)).toEqual(
      expect.arrayContaining([
        'ShopSecurity_CL',
        '| where not(disabled)',
        "| where EventName in ('authn_login_success', 'authn_login_fail', 'authn_logout')",
        '| where (isnull(starttime) or TimeGenerated >= starttime)',
        'and (isnull(endtime) or TimeGenerated <= endtime)',
        'and (array_length(srcipaddr_has_any_prefix) == 0 or has_any_ipv4_prefix(ClientIp, srcipaddr_has_any_prefix))',
      ]),
    );
  });

  it('lets a parameter for a field the source lacks match nothing but its default', () => {
    expect(lines(query)).toContain('and array_length(targetappname_has_any) == 0');
    expect(lines(query)).toContain('and array_length(srchostname_has_any) == 0');
  });

  it('sets the event constants with a case on the event column', () => {
    expect(lines(query)).toContain(
      "EventType = case(EventName in ('authn_login_success', 'authn_login_fail'), 'Logon', EventName in ('authn_logout'), 'Logoff', '')",
    );
    expect(lines(query)).toContain(
      "EventResult = case(EventName in ('authn_login_success', 'authn_logout'), 'Success', EventName in ('authn_login_fail'), 'Failure', ''),",
    );
  });

  it('translates a column through its lookup, with the otherwise value', () => {
    expect(lines(query)).toContain(
      "EventResultDetails = case(isempty(Reason), '', Reason == 'maxretries', 'User locked', Reason == 'badpassword', 'Incorrect password', 'Other'),",
    );
  });

  it('matches username_has_any against the user name and says which matched', () => {
    expect(lines(query)).toContain(
      // On the column, before extending; which field matched is said after.
      'and (array_length(username_has_any) == 0 or UserId has_any (username_has_any))',
    );
    expect(lines(query)).toContain(
      "| extend ASimMatchingUsername = case(array_length(username_has_any) == 0, '-', TargetUsername has_any (username_has_any), 'TargetUsername', 'No match')",
    );
    expect(lines(query)).toContain("and (eventresult == '*' or EventResult =~ eventresult)");
  });

  it('sets the fields every parser has, aliases, companions and SrcDvcIpAddr', () => {
    const l = lines(query);
    // The table's own time and type stay as they are.
    expect(query).not.toMatch(/\b(TimeGenerated|Type) = /);
    for (const line of [
      'EventCount = int(1),',
      'EventStartTime = TimeGenerated,',
      'EventEndTime = TimeGenerated,',
      "EventVendor = 'Contoso',",
      "EventProduct = 'Shop',",
      "EventSchema = 'Authentication',",
      "EventSchemaVersion = '0.1.4',",
      "Dvc = 'Shop',",
      "EventSeverity = iff(EventResult == 'Failure', 'Low', 'Informational')",
      'SrcDvcIpAddr = SrcIpAddr',
      'IpAddr = SrcIpAddr,',
      'User = TargetUsername',
      "TargetUsernameType = case(isempty(TargetUsername), '', TargetUsername has '@', 'UPN', TargetUsername contains '\\\\', 'Windows', 'Simple'),",
    ])
      expect(l).toContain(line);
  });

  it('packs the table columns that are no ASIM field into AdditionalFields on request, and drops them', () => {
    expect(lines(query)).toContain(
      "| extend AdditionalFields = iff(pack, bag_pack('EventName', EventName, 'UserId', UserId, 'ClientIp', ClientIp, 'ClientPort', ClientPort, 'Reason', Reason, 'Extra', Extra), dynamic(null))",
    );
    expect(lines(query)).toContain('| project-away EventName, UserId, ClientIp, ClientPort, Reason, Extra');
  });

  it("analyses clean with Microsoft's analyzer and returns every mandatory field with its type", () => {
    const result = analyse(query, AUTH_PARAMS);
    expect(result.diagnostics).toEqual([]);
    const types = Object.fromEntries(result.columns.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      TimeGenerated: 'datetime',
      Type: 'string',
      EventCount: 'int',
      EventStartTime: 'datetime',
      EventEndTime: 'datetime',
      EventType: 'string',
      EventResult: 'string',
      EventSeverity: 'string',
      EventProduct: 'string',
      EventVendor: 'string',
      EventSchema: 'string',
      EventSchemaVersion: 'string',
      Dvc: 'string',
      SrcPortNumber: 'int',
      AdditionalFields: 'dynamic',
    });
    expect(types).not.toHaveProperty('UserId');
  });
});

describe('event values for an empty column (ifEmpty)', () => {
  const events = [
    { name: 'authn_login_success', set: { EventType: 'Logon', EventResult: 'Success' } },
    {
      name: 'authn_login_fail',
      set: { EventType: 'Logon', EventResult: 'Failure' },
      ifEmpty: { EventResultDetails: 'Incorrect password' },
    },
    {
      name: 'authn_logout',
      set: { EventType: 'Logoff', EventResult: 'Success', EventResultDetails: 'Other' },
    },
  ];
  const source: ParserSource = {
    ...SHOP_SOURCE,
    schema: { ...SHOP_AUTH, events, fields: [{ field: 'EventResultDetails', column: 'Reason' }] },
  };

  it('take the column where it has a value, the event value where it is empty, and a constant over both', () => {
    expect(lines(parserQuery(source, true))).toContain(
      "EventResultDetails = case(EventName in ('authn_logout'), 'Other', EventName in ('authn_login_fail') and isempty(Reason), 'Incorrect password', Reason),",
    );
  });
});

describe('the parameter-less parser', () => {
  const query = parserQuery(SHOP_SOURCE, false);

  it('takes only disabled and pack and filters nothing but its events', () => {
    expect(lines(query)).toContain('parser(disabled=disabled, pack=pack)');
    expect(query).not.toContain('starttime');
    expect(query).not.toContain('ASimMatchingUsername');
    expect(analyse(query, 'disabled:bool=false, pack:bool=false').diagnostics).toEqual([]);
  });
});

describe('username_has_any with both user names', () => {
  const source: ParserSource = {
    ...SHOP_SOURCE,
    table: { ...SHOP_TABLE, columns: [...SHOP_TABLE.columns, { name: 'Admin', type: 'string' }] },
    schema: { ...SHOP_AUTH, fields: [...SHOP_AUTH.fields, { field: 'ActorUsername', column: 'Admin' }] },
  };

  it('matches TargetUsername or ActorUsername and names Both, either or No match', () => {
    const query = parserQuery(source, true);
    expect(lines(query)).toContain(
      'and (array_length(username_has_any) == 0 or UserId has_any (username_has_any) or Admin has_any (username_has_any))',
    );
    expect(lines(query)).toContain(
      "| extend ASimMatchingUsername = case(array_length(username_has_any) == 0, '-', TargetUsername has_any (username_has_any) and ActorUsername has_any (username_has_any), 'Both', TargetUsername has_any (username_has_any), 'TargetUsername', ActorUsername has_any (username_has_any), 'ActorUsername', 'No match')",
    );
  });
});

describe('a WebSession parser', () => {
  const facts = {
    version: '0.2.7',
    fields: [
      ...AUTH_FACTS.fields.filter((f) => !['TargetUsername', 'TargetUsernameType', 'User'].includes(f.name)),
      { name: 'DstIpAddr', type: 'string', class: 'Recommended' } as const,
      { name: 'Url', type: 'string', class: 'Optional' } as const,
    ],
  };
  const source: ParserSource = {
    table: {
      name: 'Web_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Ev', type: 'string' },
        { name: 'Client', type: 'string' },
        { name: 'Server', type: 'string' },
        { name: 'Path', type: 'string' },
      ],
    },
    spec: { vendor: 'Contoso', product: 'Shop', eventColumn: 'Ev', schemas: [] },
    schema: {
      schema: 'WebSession',
      events: [{ name: 'http', set: { EventType: 'HTTPsession', EventResult: 'Success' } }],
      fields: [
        { field: 'SrcIpAddr', column: 'Client' },
        { field: 'DstIpAddr', column: 'Server' },
        { field: 'Url', column: 'Path' },
      ],
    },
    facts,
  };

  it('matches ipaddr_has_any_prefix against source and destination and sets ASimMatchingIpAddr', () => {
    const query = parserQuery(source, true);
    expect(lines(query)).toContain(
      "| extend ASimMatchingIpAddr = case(array_length(ipaddr_has_any_prefix) == 0, '-', has_any_ipv4_prefix(SrcIpAddr, ipaddr_has_any_prefix) and has_any_ipv4_prefix(DstIpAddr, ipaddr_has_any_prefix), 'Both', has_any_ipv4_prefix(SrcIpAddr, ipaddr_has_any_prefix), 'SrcIpAddr', has_any_ipv4_prefix(DstIpAddr, ipaddr_has_any_prefix), 'DstIpAddr', 'No match')",
    );
    // A constant event type: no case needed.
    expect(lines(query)).toContain("EventType = 'HTTPsession'");
    expect(lines(query)).toContain('and (array_length(url_has_any) == 0 or Path has_any (url_has_any))');
    // A URL path names no server: without a server field the app itself (Dvc) is the destination.
    expect(lines(query)).toContain('Dst = coalesce(DstIpAddr, Dvc)');
  });
});
