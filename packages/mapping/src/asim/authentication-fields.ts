// Authentication's own fields (schema 0.1.4), over the common ones: sign-ins, sign-outs and
// elevations, with the actor, the target user, the source and the target application.

import {
  alias,
  DOMAIN_TYPES,
  DVC_ID_TYPES,
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

/** The closed list of `EventResultDetails` values for a failed sign-in. */
export const AUTHENTICATION_RESULT_DETAILS = [
  'No such user or password',
  'No such user',
  'Incorrect password',
  'Incorrect key',
  'Account expired',
  'Password expired',
  'User locked',
  'User disabled',
  'Logon violates policy',
  'Session expired',
  'Other',
] as const;

/**
 * Why `SrcDvcIpAddr` is emitted though the schema no longer has it: Microsoft's four ASIM
 * Authentication rules (brute force, password spray, sign-ins from disabled accounts, …) still
 * summarise by it; it resolves only through the old empty-parser datatable. Without it their
 * incidents would group by an empty IP.
 */
const SRC_DVC_IP_ADDR_REASON =
  "Microsoft's ASIM Authentication rules (imAuthBruteForce, imAuthPasswordSpray, imSigninAttemptsByIPviaDisabledAccounts) still group by SrcDvcIpAddr; it repeats SrcIpAddr";

const EVENT: readonly AsimFieldInfo[] = [
  mandatory('EventType', 'string', ['Logon', 'Logoff', 'Elevate']),
  optional('EventSubType', 'string', [
    'System',
    'Interactive',
    'RemoteInteractive',
    'Service',
    'RemoteService',
    'Remote',
    'AssumeRole',
  ]),
  recommended('EventResultDetails', 'string', AUTHENTICATION_RESULT_DETAILS),
  recommended('EventSeverity', 'string', ['Informational', 'Low', 'Medium', 'High']),
  mandatory('EventSchema', 'string', ['Authentication']),
  recommended('DvcAction'),
  ...optionals('LogonMethod', 'LogonProtocol', 'LogonTarget'),
];

const ACTOR: readonly AsimFieldInfo[] = [
  ...userFields('Actor', USER_TYPES),
  ...optionals('ActorSessionId', 'ActorScope', 'ActorScopeId'),
  ...actingAppFields('ActingAppName'),
];

const TARGET_USER: readonly AsimFieldInfo[] = [
  ...userFields('Target', USER_TYPES),
  ...optionals('TargetSessionId', 'TargetUserScope', 'TargetUserScopeId'),
  // The CSV has `User` as an Optional field; the schema document makes it an alias of
  // TargetUsername, and Microsoft's own parsers extend it so: we follow the document.
  alias('User', 'TargetUsername'),
];

const SOURCE: readonly AsimFieldInfo[] = [
  ...sourceAddressFields(DOMAIN_TYPES),
  { ...alias('SrcDvcIpAddr', 'SrcIpAddr'), extra: SRC_DVC_IP_ADDR_REASON },
  ...optionals('SrcDescription', 'SrcDvcOs', 'SrcIsp'),
  ...sourceDeviceFields(),
  ...sourceRiskFields(),
];

const TARGET: readonly AsimFieldInfo[] = [
  ...targetAppFields(),
  recommended('Dst'),
  recommended('TargetHostname'),
  recommended('TargetDomain'),
  optional('TargetIpAddr'),
  ...targetSystemFields(DOMAIN_TYPES, DVC_ID_TYPES),
];

export const AUTHENTICATION_FIELDS: readonly AsimFieldInfo[] = [
  ...EVENT,
  ...ACTOR,
  ...TARGET_USER,
  ...SOURCE,
  ...TARGET,
  ...ruleFields(false),
  ...threatFields(true),
  optional('AdditionalFields', 'dynamic'),
];
