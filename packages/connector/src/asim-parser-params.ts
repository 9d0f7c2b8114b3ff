// What each standard parameter of an ASIM filtering parser filters on, and the parameter lists of
// each kind of parser. The names, types, defaults and order are mapping's ASIM_FILTERING_PARAMETERS
// (Microsoft's), so our parsers plug into `_Im_<Schema>` with the same call.

import {
  ASIM_DISABLED_PARAMETER,
  ASIM_FILTERING_PARAMETERS,
  ASIM_PACK_PARAMETER,
  type AsimParserParameter,
  type AsimSchemaName,
} from '@otel-sentinel/mapping';

/** One parameter of a parser function, as the ASIM YAML (`ParserParams`) writes it. */
export type ParserParam = AsimParserParameter;

/**
 * What a parameter filters: `time` (TimeGenerated between starttime and endtime), `has_any` /
 * `in` (a list against fields, any of them matching), `prefix` (IPv4 prefixes of a field),
 * `equals` (one value, `*` for all), `matching` (a list against two fields, also setting a field
 * that says which matched: `ASimMatchingUsername`, `ASimMatchingIpAddr`).
 */
export type ParamFilter =
  | { readonly kind: 'time' }
  | { readonly kind: 'has_any' | 'in' | 'prefix' | 'equals'; readonly fields: readonly string[] }
  | {
      readonly kind: 'matching';
      readonly test: 'has_any' | 'prefix';
      readonly fields: readonly [string, string];
      readonly sets: string;
    };

export interface StandardParam extends ParserParam {
  readonly filter: ParamFilter;
}

const on = (kind: 'has_any' | 'in' | 'prefix' | 'equals', ...fields: string[]): ParamFilter => ({
  kind,
  fields,
});

/**
 * How each standard parameter filters, by name (a name means the same in every schema that has
 * it), as Learn's ASIM schema pages and Microsoft's own parsers implement them.
 */
const FILTERS: Readonly<Record<string, ParamFilter>> = {
  starttime: { kind: 'time' },
  endtime: { kind: 'time' },
  username_has_any: {
    kind: 'matching',
    test: 'has_any',
    fields: ['TargetUsername', 'ActorUsername'],
    sets: 'ASimMatchingUsername',
  },
  ipaddr_has_any_prefix: {
    kind: 'matching',
    test: 'prefix',
    fields: ['SrcIpAddr', 'DstIpAddr'],
    sets: 'ASimMatchingIpAddr',
  },
  targetappname_has_any: on('has_any', 'TargetAppName'),
  srcipaddr_has_any_prefix: on('prefix', 'SrcIpAddr'),
  srchostname_has_any: on('has_any', 'SrcHostname'),
  eventtype_in: on('in', 'EventType'),
  eventresultdetails_in: on('in', 'EventResultDetails'),
  eventresultdetails_has_any: on('has_any', 'EventResultDetails'),
  eventresult: on('equals', 'EventResult'),
  actorusername_has_any: on('has_any', 'ActorUsername'),
  targetusername_has_any: on('has_any', 'TargetUsername'),
  operation_has_any: on('has_any', 'Operation'),
  object_has_any: on('has_any', 'Object'),
  newvalue_has_any: on('has_any', 'NewValue'),
  url_has_any: on('has_any', 'Url'),
  httpuseragent_has_any: on('has_any', 'HttpUserAgent'),
};

function standard(p: ParserParam): StandardParam {
  const filter = FILTERS[p.name];
  if (filter === undefined) throw new Error(`no filter for the ASIM parameter ${p.name}`);
  return { ...p, filter };
}

/** The parameters every ASIM parser takes last. */
export const DISABLED: ParserParam = ASIM_DISABLED_PARAMETER;
export const PACK: ParserParam = ASIM_PACK_PARAMETER;

/** Each schema's filtering parameters (mapping's list, in Microsoft's order) with what each filters. */
export const STANDARD_PARAMS: Readonly<Record<AsimSchemaName, readonly StandardParam[]>> = {
  Authentication: ASIM_FILTERING_PARAMETERS.Authentication.map(standard),
  AuditEvent: ASIM_FILTERING_PARAMETERS.AuditEvent.map(standard),
  WebSession: ASIM_FILTERING_PARAMETERS.WebSession.map(standard),
  UserManagement: ASIM_FILTERING_PARAMETERS.UserManagement.map(standard),
};

/** The kinds of ASIM parser we write, and the parameters each takes. */
export type ParserKind = 'filtering' | 'parameterless' | 'custom-filtering' | 'custom-parameterless';

export function parserParams(schema: AsimSchemaName, kind: ParserKind): readonly ParserParam[] {
  const filtering = kind === 'filtering' || kind === 'custom-filtering';
  return [...(filtering ? STANDARD_PARAMS[schema] : []), DISABLED, PACK];
}

/** `name:type=default, …`: the form of ARM's `functionParameters` and of a `let` function's header. */
export function paramsText(params: readonly ParserParam[], separator = ', '): string {
  return params.map((p) => `${p.name}:${p.type}=${p.default}`).join(separator);
}
