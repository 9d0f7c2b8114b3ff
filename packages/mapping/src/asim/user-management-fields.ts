// UserManagement's own fields (schema 0.1.2), over the common ones: users and groups created,
// changed, locked or deleted, who did it and to whom.

import {
  alias,
  conditional,
  DOMAIN_TYPES_SHORT,
  DVC_ID_TYPES,
  mandatory,
  optional,
  optionals,
  recommended,
  ruleFields,
  threatFields,
  USER_TYPES_UM,
  USERNAME_TYPES,
  type AsimFieldInfo,
} from './field-builders.js';
import { actingAppFields, sourceDeviceFields, userFields } from './field-groups.js';

const EVENT: readonly AsimFieldInfo[] = [
  mandatory('EventType', 'string', [
    'UserCreated',
    'UserDeleted',
    'UserModified',
    'UserLocked',
    'UserUnlocked',
    'UserDisabled',
    'UserEnabled',
    'PasswordChanged',
    'PasswordReset',
    'GroupCreated',
    'GroupDeleted',
    'GroupModified',
    'UserAddedToGroup',
    'UserRemovedFromGroup',
    'GroupEnumerated',
    'UserRead',
    'GroupRead',
  ]),
  optional('EventSubType', 'string', [
    'UserRead',
    'UserCreated',
    'GroupCreated',
    'UserModified',
    'GroupModified',
    'password',
    'shell',
    'GID',
    'expiration',
    'UID',
  ]),
  alias('UpdatedPropertyName', 'EventSubType'),
  recommended('EventResultDetails', 'string', ['NotAuthorized', 'Other']),
  mandatory('EventSchema', 'string', ['UserManagement']),
  ...optionals('PreviousPropertyValue', 'NewPropertyValue'),
];

const DEVICE: readonly AsimFieldInfo[] = [
  recommended('DvcAction'),
  recommended('DvcFQDN'),
  recommended('DvcId'),
  // Recommended here (Conditional elsewhere), so it carries no parent.
  recommended('DvcIdType', 'string', DVC_ID_TYPES),
  conditional('DvcDomainType', 'DvcDomain', DOMAIN_TYPES_SHORT),
  alias('Hostname', 'DvcHostname'),
];

const ACTOR: readonly AsimFieldInfo[] = [
  ...userFields('Actor', USER_TYPES_UM),
  mandatory('ActorUsername'),
  alias('User', 'ActorUsername'),
  optional('ActorSessionId'),
  // `ActiveAppName` (sic) is how the CSV spells the acting application's name for this schema.
  ...actingAppFields('ActiveAppName'),
];

const TARGET: readonly AsimFieldInfo[] = [
  ...userFields('Target', USER_TYPES_UM),
  ...optionals('GroupId', 'GroupName', 'GroupOriginalType'),
  optional('GroupIdType', 'string', ['SID', 'UID']),
  optional('GroupNameType', 'string', USERNAME_TYPES),
  optional('GroupType', 'string', [
    'Local Distribution',
    'Local Security Enabled',
    'Global Distribution',
    'Global Security Enabled',
    'Universal Distribution',
    'Universal Security Enabled',
    'Other',
  ]),
];

const SOURCE: readonly AsimFieldInfo[] = [
  recommended('Src'),
  recommended('SrcIpAddr'),
  alias('IpAddr', 'SrcIpAddr'),
  recommended('SrcHostname'),
  recommended('SrcDomain'),
  // Recommended here, with no parent, as the CSV has it.
  recommended('SrcDomainType', 'string', DOMAIN_TYPES_SHORT),
  ...sourceDeviceFields(),
];

export const USER_MANAGEMENT_FIELDS: readonly AsimFieldInfo[] = [
  ...EVENT,
  ...DEVICE,
  ...ACTOR,
  ...TARGET,
  ...SOURCE,
  ...ruleFields(true),
  ...threatFields(false),
];
