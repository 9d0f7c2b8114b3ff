// AuditEvent's own fields (schema 0.1.2), over the common ones: configuration and policy changes,
// the operation on an object, its old and new value, and who did it from where.

import {
  alias,
  conditional,
  DOMAIN_TYPES_SHORT,
  DVC_ID_TYPES_SHORT,
  mandatory,
  optional,
  optionals,
  recommended,
  ruleFields,
  threatFields,
  USER_TYPES,
  type AsimFieldInfo,
} from './field-builders.js';
import {
  actingAppFields,
  sourceAddressFields,
  sourceDeviceFields,
  sourceRiskFields,
  targetAppFields,
  targetSystemFields,
  userFields,
} from './field-groups.js';

/**
 * `ObjectType` values: the CSV's list plus `Cloud Resource`, which the schema document lists and
 * the CSV does not.
 */
export const AUDIT_OBJECT_TYPES = [
  'Cloud Resource',
  'Configuration Atom',
  'Policy Rule',
  'Event Log',
  'Scheduled Task',
  'Service',
  'Directory Service Object',
  'Other',
] as const;

const EVENT: readonly AsimFieldInfo[] = [
  mandatory('EventType', 'string', [
    'Set',
    'Read',
    'Create',
    'Delete',
    'Execute',
    'Install',
    'Clear',
    'Enable',
    'Disable',
    'Initialize',
    'Start',
    'Stop',
    'Terminate',
    'Other',
  ]),
  // The only schema of the four where these two are not Mandatory.
  optional('EventCount', 'int'),
  recommended('EventSeverity', 'string', ['Informational', 'Low', 'Medium', 'High']),
  mandatory('EventSchema', 'string', ['AuditEvent']),
  recommended('DvcAction'),
  conditional('DvcDomainType', 'DvcDomain', DOMAIN_TYPES_SHORT),
  conditional('DvcIdType', 'DvcId', DVC_ID_TYPES_SHORT),
];

const OBJECT: readonly AsimFieldInfo[] = [
  mandatory('Operation'),
  // The schema document makes Object and ObjectType Mandatory; the CSV has Object Recommended
  // and ObjectType "Related" (sic). A parser must fill what the document asks, so we follow it.
  mandatory('Object'),
  mandatory('ObjectType', 'string', AUDIT_OBJECT_TYPES),
  recommended('ObjectId'),
  optional('OldValue'),
  recommended('NewValue'),
  alias('Value', 'NewValue'),
  optional('ValueType', 'string', ['Other']),
];

const ACTOR: readonly AsimFieldInfo[] = [
  ...userFields('Actor', USER_TYPES),
  // Recommended here, Optional in the other schemas.
  recommended('ActorUsername'),
  alias('User', 'ActorUsername'),
  ...optionals('ActorSessionId', 'ActorScope', 'ActorScopeId', 'ActorUserAadId', 'ActorUserSid'),
  ...actingAppFields('ActingAppName'),
  // The CSV lists the alias Process without the field it repeats; the field is the document's.
  optional('ActingProcessName'),
  alias('Process', 'ActingProcessName'),
];

const SOURCE: readonly AsimFieldInfo[] = [
  ...sourceAddressFields(DOMAIN_TYPES_SHORT),
  optional('SrcDescription'),
  ...sourceDeviceFields(),
  ...sourceRiskFields(),
];

const TARGET: readonly AsimFieldInfo[] = [
  ...targetAppFields(),
  recommended('Dst'),
  recommended('TargetHostname'),
  recommended('TargetIpAddr'),
  optional('TargetDomain'),
  ...targetSystemFields(DOMAIN_TYPES_SHORT, DVC_ID_TYPES_SHORT),
];

export const AUDIT_EVENT_FIELDS: readonly AsimFieldInfo[] = [
  ...EVENT,
  ...OBJECT,
  ...ACTOR,
  ...SOURCE,
  ...TARGET,
  ...ruleFields(false),
  ...threatFields(true).map((f) =>
    f.name === 'ThreatField' ? conditional('ThreatField', 'ThreatIpAddr') : f,
  ),
];
