// A small hand-written ASIM declaration and the facts of the ASIM fields it touches, written from
// Microsoft's Authentication schema documentation: the input of the parser generator's tests.

import type {
  AsimFieldInfo,
  AsimKqlType,
  AsimSchemaSpec,
  AsimStreamSpec,
  MappingConfig,
} from '@otel-sentinel/mapping';
import type { ParserSource, SchemaFacts } from '../src/asim-parser-fields.js';
import { loadFixture } from './helpers.js';

const m = (name: string, type: AsimKqlType = 'string'): AsimFieldInfo => ({ name, type, class: 'Mandatory' });
const o = (name: string, type: AsimKqlType = 'string'): AsimFieldInfo => ({ name, type, class: 'Optional' });

/** A few Authentication fields, as Microsoft's schema page lists them (version 0.1.4). */
export const AUTH_FACTS: SchemaFacts = {
  version: '0.1.4',
  fields: [
    m('TimeGenerated', 'datetime'),
    m('Type'),
    o('AdditionalFields', 'dynamic'),
    m('EventCount', 'int'),
    m('EventStartTime', 'datetime'),
    m('EventEndTime', 'datetime'),
    m('EventType'),
    m('EventResult'),
    { name: 'EventResultDetails', type: 'string', class: 'Recommended' },
    m('EventSeverity'),
    m('EventProduct'),
    m('EventVendor'),
    m('EventSchema'),
    m('EventSchemaVersion'),
    m('Dvc'),
    o('TargetUsername'),
    {
      name: 'TargetUsernameType',
      type: 'string',
      class: 'Conditional',
      parent: 'TargetUsername',
      values: ['UPN', 'Windows', 'DN', 'Simple'],
    },
    o('ActorUsername'),
    o('TargetAppName'),
    {
      name: 'TargetAppType',
      type: 'string',
      class: 'Conditional',
      parent: 'TargetAppName',
      values: ['Process', 'Service', 'Resource', 'URL', 'SaaS application', 'Other'],
    },
    o('SrcIpAddr'),
    o('SrcHostname'),
    o('SrcPortNumber', 'int'),
    o('Src'),
    o('Dst'),
    { name: 'IpAddr', type: 'string', class: 'Alias', aliasOf: 'SrcIpAddr' },
    { name: 'User', type: 'string', class: 'Alias', aliasOf: 'TargetUsername' },
    { name: 'Application', type: 'string', class: 'Alias', aliasOf: 'TargetAppName' },
  ],
};

export const SHOP_TABLE = {
  name: 'ShopSecurity_CL',
  columns: [
    { name: 'TimeGenerated', type: 'datetime' },
    { name: 'EventName', type: 'string' },
    { name: 'UserId', type: 'string' },
    { name: 'ClientIp', type: 'string' },
    { name: 'ClientPort', type: 'long' },
    { name: 'Reason', type: 'string' },
    { name: 'Extra', type: 'string' },
  ],
} as const;

export const SHOP_AUTH: AsimSchemaSpec = {
  schema: 'Authentication',
  events: [
    { name: 'authn_login_success', set: { EventType: 'Logon', EventResult: 'Success' } },
    { name: 'authn_login_fail', set: { EventType: 'Logon', EventResult: 'Failure' } },
    { name: 'authn_logout', set: { EventType: 'Logoff', EventResult: 'Success' } },
  ],
  fields: [
    { field: 'TargetUsername', column: 'UserId' },
    { field: 'SrcIpAddr', column: 'ClientIp' },
    { field: 'SrcPortNumber', column: 'ClientPort' },
    {
      field: 'EventResultDetails',
      column: 'Reason',
      lookup: { maxretries: 'User locked', badpassword: 'Incorrect password' },
      otherwise: 'Other',
    },
  ],
};

export const SHOP_SPEC: AsimStreamSpec = {
  vendor: 'Contoso',
  product: 'Shop',
  eventColumn: 'EventName',
  schemas: [SHOP_AUTH],
};

export const SHOP_SOURCE: ParserSource = {
  table: SHOP_TABLE,
  spec: SHOP_SPEC,
  schema: SHOP_AUTH,
  facts: AUTH_FACTS,
};

/** app-security.yaml with an ASIM declaration on its first stream (AppAuthEvents_CL). */
export function withAsim(): MappingConfig {
  const config = loadFixture('app-security.yaml');
  const [auth, ...rest] = config.streams;
  if (auth === undefined) throw new Error('app-security.yaml has no streams');
  const asim = {
    vendor: 'Contoso',
    product: 'Shop',
    eventColumn: 'EventName',
    schemas: [
      {
        schema: 'Authentication' as const,
        events: [
          { name: 'authn_login_success', set: { EventType: 'Logon', EventResult: 'Success' } },
          { name: 'authn_login_fail', set: { EventType: 'Logon', EventResult: 'Failure' } },
        ],
        // As the mapping resolves it: the declared role, then the columns named like a field.
        fields: [
          { field: 'TargetUsername', column: 'ActorUserId' },
          { field: 'ActorUserId', column: 'ActorUserId' },
          { field: 'SrcIpAddr', column: 'SrcIpAddr' },
          { field: 'HttpUserAgent', column: 'HttpUserAgent' },
        ],
      },
    ],
  };
  return { ...config, streams: [{ ...auth, asim }, ...rest] };
}
