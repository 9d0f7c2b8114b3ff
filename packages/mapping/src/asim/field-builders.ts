// The shapes of ASIM field facts and the small builders the per-schema field lists are written
// with, plus the value lists several schemas share. The facts are ours, written from Microsoft's
// ASIM schema documentation and checked against Microsoft's ASimTester.csv by a test.

/** The column types ASIM documents (KQL spellings). */
export type AsimKqlType = 'string' | 'int' | 'long' | 'real' | 'bool' | 'datetime' | 'dynamic' | 'guid';

/** How a schema classes a field (Microsoft's words). */
export type AsimFieldClass = 'Mandatory' | 'Recommended' | 'Optional' | 'Conditional' | 'Alias';

/** One field of one ASIM schema. */
export interface AsimFieldInfo {
  /** The field name, case as ASIM spells it, e.g. `TargetUsername`. */
  readonly name: string;
  /** Its KQL type, e.g. `string` (an IP address is a string in ASIM). */
  readonly type: AsimKqlType;
  /** Mandatory, Recommended, Optional, Conditional (a `*Type` companion) or Alias. */
  readonly class: AsimFieldClass;
  /** For an `Alias`: the field it repeats (a parser must extend it whenever that field is there). */
  readonly aliasOf?: string;
  /** For a `Conditional` companion such as `TargetUsernameType`: the field that makes it required. */
  readonly parent?: string;
  /** The closed list of values the schema allows, when it has one. */
  readonly values?: readonly string[];
  /** Set on a field that is not in Microsoft's schema but that we emit on purpose: the reason. */
  readonly extra?: string;
}

type Extras = Partial<Pick<AsimFieldInfo, 'values' | 'parent' | 'aliasOf' | 'extra'>>;

function field(name: string, cls: AsimFieldClass, type: AsimKqlType, extras: Extras): AsimFieldInfo {
  return { name, type, class: cls, ...extras };
}

export const mandatory = (
  name: string,
  type: AsimKqlType = 'string',
  values?: readonly string[],
): AsimFieldInfo => field(name, 'Mandatory', type, values === undefined ? {} : { values });

export const recommended = (
  name: string,
  type: AsimKqlType = 'string',
  values?: readonly string[],
): AsimFieldInfo => field(name, 'Recommended', type, values === undefined ? {} : { values });

export const optional = (
  name: string,
  type: AsimKqlType = 'string',
  values?: readonly string[],
): AsimFieldInfo => field(name, 'Optional', type, values === undefined ? {} : { values });

/** Several string fields of one class at once. */
export const optionals = (...names: readonly string[]): AsimFieldInfo[] =>
  names.map((name) => optional(name));

/** A `*Type` companion, required when `parent` is present. */
export const conditional = (name: string, parent: string, values?: readonly string[]): AsimFieldInfo =>
  field(name, 'Conditional', 'string', values === undefined ? { parent } : { parent, values });

export const alias = (name: string, aliasOf: string, type: AsimKqlType = 'string'): AsimFieldInfo =>
  field(name, 'Alias', type, { aliasOf });

/** The value lists several schemas share. */
export const EVENT_RESULTS = ['Success', 'Partial', 'Failure', 'NA'] as const;
export const EVENT_SEVERITIES = ['Informational', 'Low', 'Medium', 'High'] as const;
export const USERNAME_TYPES = ['UPN', 'Windows', 'DN', 'Simple'] as const;
export const USER_ID_TYPES = [
  'SID',
  'UID',
  'AADID',
  'OktaId',
  'AWSId',
  'PUID',
  'SalesforceId',
  'VectraUserId',
  'MD4IoTid',
  'Other',
] as const;
export const USER_TYPES = [
  'Regular',
  'Guest',
  'Machine',
  'Admin',
  'System',
  'Application',
  'Service',
  'Other',
] as const;
/** UserManagement's user types: no `Guest`, `Service Principal` instead of `Service`. */
export const USER_TYPES_UM = [
  'Regular',
  'Machine',
  'Admin',
  'System',
  'Application',
  'Service Principal',
  'Other',
] as const;
export const APP_TYPES = ['Process', 'Service', 'Resource', 'URL', 'SaaS application', 'Other'] as const;
export const ACTING_APP_TYPES = [
  'Process',
  'Service',
  'Resource',
  'URL',
  'SaaS application',
  'CSP',
  'Other',
] as const;
export const DOMAIN_TYPES = ['Windows', 'FQDN', 'ResourceGroup'] as const;
export const DOMAIN_TYPES_SHORT = ['Windows', 'FQDN'] as const;
export const DVC_ID_TYPES = [
  'AzureResourceId',
  'MDEid',
  'MD4IoTid',
  'VMConnectionId',
  'AwsVpcId',
  'VectraId',
  'AppGateId',
  'Other',
] as const;
/** AuditEvent's device id types: no `VectraId`, no `AppGateId`. */
export const DVC_ID_TYPES_SHORT = [
  'AzureResourceId',
  'MDEid',
  'MD4IoTid',
  'VMConnectionId',
  'AwsVpcId',
  'Other',
] as const;
/** `SrcDvcIdType` in every schema adds `ForcepointId`. */
export const SRC_DVC_ID_TYPES = [
  'AzureResourceId',
  'MDEid',
  'MD4IoTid',
  'VMConnectionId',
  'AwsVpcId',
  'VectraId',
  'ForcepointId',
  'AppGateId',
  'Other',
] as const;
export const DEVICE_TYPES = ['Computer', 'Mobile Device', 'IOT Device', 'Other'] as const;

/** `SrcGeo*` (and, with another prefix, `DstGeo*`, `TargetGeo*`). */
export function geoFields(prefix: string): AsimFieldInfo[] {
  return [
    optional(`${prefix}GeoCountry`),
    optional(`${prefix}GeoRegion`),
    optional(`${prefix}GeoCity`),
    optional(`${prefix}GeoLatitude`, 'real'),
    optional(`${prefix}GeoLongitude`, 'real'),
  ];
}

/** The threat-intelligence fields; `ThreatIpAddr` is left out where a schema has none. */
export function threatFields(withIpAddr: boolean): AsimFieldInfo[] {
  return [
    ...optionals('ThreatId', 'ThreatName', 'ThreatCategory', 'ThreatField', 'ThreatOriginalConfidence'),
    ...optionals('ThreatOriginalRiskLevel'),
    optional('ThreatRiskLevel', 'int'),
    optional('ThreatConfidence', 'int'),
    optional('ThreatIsActive', 'bool'),
    optional('ThreatFirstReportedTime', 'datetime'),
    optional('ThreatLastReportedTime', 'datetime'),
    ...(withIpAddr ? [optional('ThreatIpAddr')] : []),
  ];
}

/** `RuleName`, `RuleNumber` and (unless a schema makes it an alias) `Rule`. */
export function ruleFields(ruleAlias: boolean): AsimFieldInfo[] {
  return [
    optional('RuleName'),
    optional('RuleNumber', 'int'),
    ruleAlias ? alias('Rule', 'RuleName') : optional('Rule'),
  ];
}
