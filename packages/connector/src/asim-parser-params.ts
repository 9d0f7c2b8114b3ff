// The standard parameters of ASIM's filtering parsers, per schema, and what each one filters on:
// the names, types, defaults and order of Microsoft's `Im_<Schema>Custom` templates and Learn's
// "manage parsers" page, so our parsers plug into `_Im_<Schema>` with the same call.

import type { AsimSchemaName } from '@otel-sentinel/mapping';

/** One parameter of a parser function, as the ASIM YAML (`ParserParams`) writes it. */
export interface ParserParam {
  /** e.g. `starttime`. */
  readonly name: string;
  /** Its KQL type. */
  readonly type: 'datetime' | 'dynamic' | 'string' | 'bool';
  /** The default as KQL text, e.g. `dynamic([])`, `'*'`, `false`. */
  readonly default: string;
}

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

const TIME: ParamFilter = { kind: 'time' };
const datetime = (name: string): StandardParam => ({
  name,
  type: 'datetime',
  default: 'datetime(null)',
  filter: TIME,
});
const list = (name: string, filter: ParamFilter): StandardParam => ({
  name,
  type: 'dynamic',
  default: 'dynamic([])',
  filter,
});
const on = (kind: 'has_any' | 'in' | 'prefix' | 'equals', ...fields: string[]): ParamFilter => ({
  kind,
  fields,
});
const EVENT_RESULT: StandardParam = {
  name: 'eventresult',
  type: 'string',
  default: "'*'",
  filter: on('equals', 'EventResult'),
};

/** The parameters every ASIM parser takes last. */
export const DISABLED: ParserParam = { name: 'disabled', type: 'bool', default: 'false' };
export const PACK: ParserParam = { name: 'pack', type: 'bool', default: 'false' };

/** Each schema's filtering parameters, in Microsoft's order (before `disabled` and `pack`). */
export const STANDARD_PARAMS: Readonly<Record<AsimSchemaName, readonly StandardParam[]>> = {
  Authentication: [
    datetime('starttime'),
    datetime('endtime'),
    list('username_has_any', {
      kind: 'matching',
      test: 'has_any',
      fields: ['TargetUsername', 'ActorUsername'],
      sets: 'ASimMatchingUsername',
    }),
    list('targetappname_has_any', on('has_any', 'TargetAppName')),
    list('srcipaddr_has_any_prefix', on('prefix', 'SrcIpAddr')),
    list('srchostname_has_any', on('has_any', 'SrcHostname')),
    list('eventtype_in', on('in', 'EventType')),
    list('eventresultdetails_in', on('in', 'EventResultDetails')),
    EVENT_RESULT,
  ],
  AuditEvent: [
    datetime('starttime'),
    datetime('endtime'),
    list('srcipaddr_has_any_prefix', on('prefix', 'SrcIpAddr')),
    list('actorusername_has_any', on('has_any', 'ActorUsername')),
    list('operation_has_any', on('has_any', 'Operation')),
    list('eventtype_in', on('in', 'EventType')),
    EVENT_RESULT,
    list('object_has_any', on('has_any', 'Object')),
    list('newvalue_has_any', on('has_any', 'NewValue')),
  ],
  WebSession: [
    datetime('starttime'),
    datetime('endtime'),
    list('srcipaddr_has_any_prefix', on('prefix', 'SrcIpAddr')),
    list('ipaddr_has_any_prefix', {
      kind: 'matching',
      test: 'prefix',
      fields: ['SrcIpAddr', 'DstIpAddr'],
      sets: 'ASimMatchingIpAddr',
    }),
    list('url_has_any', on('has_any', 'Url')),
    list('httpuseragent_has_any', on('has_any', 'HttpUserAgent')),
    list('eventresultdetails_in', on('in', 'EventResultDetails')),
    EVENT_RESULT,
    list('eventresultdetails_has_any', on('has_any', 'EventResultDetails')),
  ],
  UserManagement: [
    datetime('starttime'),
    datetime('endtime'),
    list('srcipaddr_has_any_prefix', on('prefix', 'SrcIpAddr')),
    list('targetusername_has_any', on('has_any', 'TargetUsername')),
    list('actorusername_has_any', on('has_any', 'ActorUsername')),
    list('eventtype_in', on('in', 'EventType')),
  ],
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
