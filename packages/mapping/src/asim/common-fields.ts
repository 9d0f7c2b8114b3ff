// The fields ASIM defines for every schema (Microsoft's "common schema fields"), before a
// schema's own list refines them: each schema module replaces a common field by name.

import {
  conditional,
  DOMAIN_TYPES,
  DVC_ID_TYPES,
  EVENT_RESULTS,
  EVENT_SEVERITIES,
  mandatory,
  optional,
  optionals,
  recommended,
  type AsimFieldInfo,
} from './field-builders.js';

export const COMMON_FIELDS: readonly AsimFieldInfo[] = [
  // Log Analytics' own columns: the testers require them, the table gives them.
  mandatory('TimeGenerated', 'datetime'),
  mandatory('Type'),
  optional('AdditionalFields', 'dynamic'),
  // Event fields.
  optional('EventMessage'),
  mandatory('EventCount', 'int'),
  mandatory('EventStartTime', 'datetime'),
  mandatory('EventEndTime', 'datetime'),
  mandatory('EventType'),
  optional('EventSubType'),
  mandatory('EventResult', 'string', EVENT_RESULTS),
  recommended('EventResultDetails'),
  mandatory('EventSeverity', 'string', EVENT_SEVERITIES),
  recommended('EventUid'),
  ...optionals('EventOriginalUid', 'EventOriginalType', 'EventOriginalSubType', 'EventOriginalResultDetails'),
  ...optionals('EventOriginalSeverity', 'EventOwner', 'EventProductVersion', 'EventReportUrl'),
  mandatory('EventProduct'),
  mandatory('EventVendor'),
  mandatory('EventSchema'),
  mandatory('EventSchemaVersion'),
  // Device fields.
  mandatory('Dvc'),
  recommended('DvcIpAddr'),
  recommended('DvcHostname'),
  recommended('DvcDomain'),
  conditional('DvcDomainType', 'DvcDomain', DOMAIN_TYPES),
  optional('DvcFQDN'),
  optional('DvcId'),
  conditional('DvcIdType', 'DvcId', DVC_ID_TYPES),
  optional('DvcAction'),
  ...optionals('DvcDescription', 'DvcMacAddr', 'DvcZone', 'DvcOs', 'DvcOsVersion', 'DvcOriginalAction'),
  ...optionals('DvcInterface', 'DvcScope', 'DvcScopeId'),
];
