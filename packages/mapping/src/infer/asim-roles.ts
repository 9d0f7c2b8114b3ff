// The ASIM field an inferred column plays when it reads a record field or an OpenTelemetry
// attribute whose meaning ASIM has a field for, so `init` writes `asim:` roles a later `asim`
// section can use. One table, written by hand from the OpenTelemetry semantic conventions
// (open-telemetry/semantic-conventions model/<namespace>/registry.yaml, status in brackets) and
// the ASIM schema documents.

import { columnFits, fieldInSchemas } from '../asim/field-fit.js';
import type { ColumnType } from '../types.js';
import { sourceOf } from './planned-column.js';

/** Source as the inferred file writes it → the ASIM field. */
const ROLES: ReadonlyMap<string, string> = new Map([
  // Log record fields (OpenTelemetry logs data model).
  ['eventName', 'EventOriginalType'], // the event's own name; ASIM's EventType is a per-schema choice
  ['body', 'EventMessage'],
  ['severityText', 'EventOriginalSeverity'], // the level as the source wrote it
  // model/client [stable]: the address behind any proxies.
  [sourceOf('attributes', 'client.address'), 'SrcIpAddr'],
  [sourceOf('attributes', 'client.port'), 'SrcPortNumber'],
  // model/user [development].
  [sourceOf('attributes', 'user.id'), 'ActorUserId'],
  [sourceOf('attributes', 'user.name'), 'ActorUsername'],
  // model/user-agent [stable].
  [sourceOf('attributes', 'user_agent.original'), 'HttpUserAgent'],
  // model/url [stable]: ASIM's Url for API requests is the path (and query).
  [sourceOf('attributes', 'url.path'), 'Url'],
  // model/http [stable].
  [sourceOf('attributes', 'http.request.method'), 'HttpRequestMethod'],
  [sourceOf('attributes', 'http.request.header.referer'), 'HttpReferrer'],
  // model/server [stable]: the host the request was for is the reporting device.
  [sourceOf('attributes', 'server.address'), 'DvcHostname'],
  [sourceOf('attributes', 'server.port'), 'DstPortNumber'],
  // model/network [stable].
  [sourceOf('attributes', 'network.local.address'), 'DvcIpAddr'],
  // model/service [stable]: the application the event is about.
  [sourceOf('resource', 'service.name'), 'TargetAppName'],
  // model/geo [development]: the client's location, where the app resolves it.
  [sourceOf('attributes', 'geo.country.iso_code'), 'SrcGeoCountry'],
  [sourceOf('attributes', 'geo.region.iso_code'), 'SrcGeoRegion'],
  [sourceOf('attributes', 'geo.locality.name'), 'SrcGeoCity'],
  // model/security-rule [development].
  [sourceOf('attributes', 'security_rule.name'), 'RuleName'],
]);

/**
 * The ASIM field a column reading `from` plays, when the table has one and the column's type can
 * carry it in every schema that has the field; `undefined` otherwise.
 */
export function asimRoleOf(from: unknown, type: ColumnType): string | undefined {
  if (typeof from !== 'string') return undefined;
  const role = ROLES.get(from);
  if (role === undefined) return undefined;
  return fieldInSchemas(role).every(({ field }) => columnFits(type, field.type)) ? role : undefined;
}
