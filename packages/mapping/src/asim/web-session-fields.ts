// WebSession's own fields (schema 0.2.7), over the common ones: HTTP requests as a server, proxy
// or API sees them, on top of NetworkSession's source and destination fields.

import {
  alias,
  APP_TYPES,
  conditional,
  DEVICE_TYPES,
  DOMAIN_TYPES,
  DVC_ID_TYPES,
  geoFields,
  mandatory,
  optional,
  optionals,
  recommended,
  ruleFields,
  SRC_DVC_ID_TYPES,
  threatFields,
  USER_ID_TYPES,
  USER_TYPES,
  USERNAME_TYPES,
  type AsimFieldInfo,
} from './field-builders.js';

const EVENT: readonly AsimFieldInfo[] = [
  mandatory('EventType', 'string', ['HTTPsession', 'WebServerSession', 'ApiRequest']),
  // The HTTP status code as a string: an open list.
  recommended('EventResultDetails'),
  alias('HttpStatusCode', 'EventResultDetails'),
  mandatory('EventSchema', 'string', ['WebSession']),
  optional('DvcAction', 'string', [
    'Allow',
    'Deny',
    'Drop',
    'Drop ICMP',
    'Reset',
    'Reset Source',
    'Reset Destination',
    'Encrypt',
    'Decrypt',
    'VPNroute',
  ]),
  ...optionals('DvcInboundInterface', 'DvcOutboundInterface'),
  recommended('ASimMatchingIpAddr', 'string', ['SrcIpAddr', 'DstIpAddr', 'Both', '-']),
];

const HTTP: readonly AsimFieldInfo[] = [
  // Optional in the CSV, Mandatory in the schema document: we follow the document.
  mandatory('Url'),
  ...optionals('UrlCategory', 'UrlOriginal', 'HttpVersion', 'HttpRequestMethod', 'HttpUserAgent'),
  alias('UserAgent', 'HttpUserAgent'),
  ...optionals('HttpContentType', 'HttpContentFormat', 'HttpReferrer', 'HttpRequestXff', 'HttpHost'),
  ...optionals('HttpCookie', 'HttpRequestCacheControl', 'HttpResponseCacheControl', 'HttpResponseExpires'),
  optional('HttpIsProxied', 'bool'),
  optional('HttpRequestTime', 'int'),
  optional('HttpResponseTime', 'int'),
  optional('HttpRequestHeaderCount', 'int'),
  optional('HttpResponseHeaderCount', 'int'),
  optional('HttpRequestBodyBytes', 'long'),
  optional('HttpResponseBodyBytes', 'long'),
  ...optionals('FileName', 'FileContentType', 'FileMD5', 'FileSHA1', 'FileSHA256', 'FileSHA512'),
  optional('FileSize', 'long'),
];

const NETWORK: readonly AsimFieldInfo[] = [
  ...optionals(
    'NetworkApplicationProtocol',
    'NetworkProtocol',
    'NetworkIcmpType',
    'NetworkConnectionHistory',
  ),
  optional('NetworkProtocolVersion', 'string', ['IPv4', 'IPv6']),
  optional('NetworkDirection', 'string', [
    'Inbound',
    'Outbound',
    'Listen',
    'Unknown',
    'Local',
    'External',
    'NA',
  ]),
  optional('NetworkDuration', 'int'),
  alias('Duration', 'NetworkDuration', 'int'),
  optional('NetworkIcmpCode', 'int'),
  optional('NetworkBytes', 'long'),
  optional('NetworkPackets', 'long'),
  optional('NetworkSessionId'),
  alias('SessionId', 'NetworkSessionId'),
];

/** The fields NetworkSession gives both ends (`Src…` and `Dst…`). */
function endpointFields(end: 'Src' | 'Dst', idTypes: readonly string[]): AsimFieldInfo[] {
  return [
    optional(`${end}PortNumber`, 'int'),
    // The source's domain is Recommended, the destination's Optional.
    end === 'Src' ? recommended('SrcDomain') : optional('DstDomain'),
    conditional(`${end}DomainType`, `${end}Domain`, DOMAIN_TYPES),
    ...optionals(`${end}FQDN`, `${end}Description`, `${end}DvcId`, `${end}MacAddr`, `${end}Zone`),
    ...optionals(`${end}InterfaceName`, `${end}InterfaceGuid`, `${end}NatIpAddr`, `${end}VlanId`),
    conditional(`${end}DvcIdType`, `${end}DvcId`, idTypes),
    optional(`${end}DeviceType`, 'string', DEVICE_TYPES),
    optional(`${end}NatPortNumber`, 'int'),
    optional(`${end}Bytes`, 'long'),
    optional(`${end}Packets`, 'long'),
    optional(`${end}UserId`),
    conditional(`${end}UserIdType`, `${end}UserId`, USER_ID_TYPES),
    optional(`${end}Username`),
    conditional(`${end}UsernameType`, `${end}Username`, USERNAME_TYPES),
    optional(`${end}UserType`, 'string', USER_TYPES),
    ...optionals(`${end}OriginalUserType`, `${end}AppName`, `${end}AppId`),
    optional(`${end}AppType`, 'string', APP_TYPES),
    ...geoFields(end),
  ];
}

const SOURCE: readonly AsimFieldInfo[] = [
  recommended('Src'),
  recommended('SrcIpAddr'),
  alias('IpAddr', 'SrcIpAddr'),
  recommended('SrcHostname'),
  alias('User', 'SrcUsername'),
  alias('InnerVlanId', 'SrcVlanId'),
  ...endpointFields('Src', SRC_DVC_ID_TYPES),
];

const DESTINATION: readonly AsimFieldInfo[] = [
  mandatory('Dst'),
  recommended('DstIpAddr'),
  recommended('DstHostname'),
  alias('Hostname', 'DstHostname'),
  alias('OuterVlanId', 'DstVlanId'),
  ...endpointFields('Dst', DVC_ID_TYPES),
];

export const WEB_SESSION_FIELDS: readonly AsimFieldInfo[] = [
  ...EVENT,
  ...HTTP,
  ...NETWORK,
  ...SOURCE,
  ...DESTINATION,
  ...ruleFields(false),
  ...threatFields(true),
];
