// Groups of fields that several schemas share as a block (a user, the acting or target
// application, the source device, the target system), so each schema's list names only what is
// its own.

import {
  ACTING_APP_TYPES,
  alias,
  APP_TYPES,
  conditional,
  DEVICE_TYPES,
  geoFields,
  optional,
  optionals,
  recommended,
  SRC_DVC_ID_TYPES,
  USER_ID_TYPES,
  USERNAME_TYPES,
  type AsimFieldInfo,
} from './field-builders.js';

/** `<role>UserId`, `<role>Username`, their `*Type` companions and the user's type. */
export function userFields(role: 'Actor' | 'Target', userTypes: readonly string[]): AsimFieldInfo[] {
  return [
    optional(`${role}UserId`),
    conditional(`${role}UserIdType`, `${role}UserId`, USER_ID_TYPES),
    optional(`${role}Username`),
    conditional(`${role}UsernameType`, `${role}Username`, USERNAME_TYPES),
    optional(`${role}UserType`, 'string', userTypes),
    optional(`${role}OriginalUserType`),
  ];
}

/** The application the actor used, and its user agent. */
export function actingAppFields(nameField: string): AsimFieldInfo[] {
  return [
    ...optionals('ActingAppId', nameField),
    optional('ActingAppType', 'string', ACTING_APP_TYPES),
    optional('HttpUserAgent'),
  ];
}

/** The application acted on (`Application` repeats its name). */
export function targetAppFields(): AsimFieldInfo[] {
  return [
    optional('TargetAppId'),
    optional('TargetAppName'),
    alias('Application', 'TargetAppName'),
    conditional('TargetAppType', 'TargetAppName', APP_TYPES),
    optional('TargetUrl'),
  ];
}

/** The source device beyond its address, host name and domain. */
export function sourceDeviceFields(): AsimFieldInfo[] {
  return [
    ...optionals('SrcFQDN', 'SrcDvcId', 'SrcDvcScope', 'SrcDvcScopeId'),
    conditional('SrcDvcIdType', 'SrcDvcId', SRC_DVC_ID_TYPES),
    optional('SrcDeviceType', 'string', DEVICE_TYPES),
    ...geoFields('Src'),
  ];
}

/** The target system beyond its host name, address and domain. */
export function targetSystemFields(
  domainTypes: readonly string[],
  idTypes: readonly string[],
): AsimFieldInfo[] {
  return [
    conditional('TargetDomainType', 'TargetDomain', domainTypes),
    ...optionals('TargetFQDN', 'TargetDescription', 'TargetDvcId', 'TargetDvcOs', 'TargetDvcScope'),
    ...optionals('TargetDvcScopeId', 'TargetOriginalRiskLevel'),
    conditional('TargetDvcIdType', 'TargetDvcId', idTypes),
    optional('TargetDeviceType', 'string', DEVICE_TYPES),
    optional('TargetPortNumber', 'int'),
    optional('TargetRiskLevel', 'int'),
    ...geoFields('Target'),
  ];
}

/** The source's risk, as Authentication and AuditEvent have it. */
export function sourceRiskFields(): AsimFieldInfo[] {
  return [optional('SrcRiskLevel', 'int'), optional('SrcOriginalRiskLevel')];
}

/** Where Authentication and AuditEvent say an event came from: address, port, host and domain. */
export function sourceAddressFields(domainTypes: readonly string[]): AsimFieldInfo[] {
  return [
    recommended('Src'),
    recommended('SrcIpAddr'),
    alias('IpAddr', 'SrcIpAddr'),
    optional('SrcPortNumber', 'int'),
    optional('SrcHostname'),
    optional('SrcDomain'),
    conditional('SrcDomainType', 'SrcDomain', domainTypes),
  ];
}
