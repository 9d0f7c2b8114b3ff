// The parameters of ASIM's unifying filtering parsers (`_Im_<Schema>`, `im<Schema>`), per schema,
// in Microsoft's order: Learn "Manage ASIM parsers" (the line to add to a custom unifier) and the
// `functionParameters` of Azure-Sentinel's `ASIM/deploy/EmptyCustomUnifyingParsers` templates.

import type { AsimSchemaName } from '@otel-sentinel/mapping';

const TIME = ['starttime:datetime=datetime(null)', 'endtime:datetime=datetime(null)'];
const list = (...names: readonly string[]): string[] => names.map((n) => `${n}:dynamic=dynamic([])`);
const EVENT_RESULT = "eventresult:string='*'";

/** `name:type=default` of each filtering parameter, `pack` last (the built-ins take it). */
export const FILTERING_PARAMETERS: Readonly<Record<AsimSchemaName, readonly string[]>> = {
  Authentication: [
    ...TIME,
    ...list(
      'username_has_any',
      'targetappname_has_any',
      'srcipaddr_has_any_prefix',
      'srchostname_has_any',
      'eventtype_in',
      'eventresultdetails_in',
    ),
    EVENT_RESULT,
    'pack:bool=false',
  ],
  AuditEvent: [
    ...TIME,
    ...list('srcipaddr_has_any_prefix', 'actorusername_has_any', 'operation_has_any', 'eventtype_in'),
    EVENT_RESULT,
    ...list('object_has_any', 'newvalue_has_any'),
    'pack:bool=false',
  ],
  UserManagement: [
    ...TIME,
    ...list('srcipaddr_has_any_prefix', 'targetusername_has_any', 'actorusername_has_any', 'eventtype_in'),
    'pack:bool=false',
  ],
  WebSession: [
    ...TIME,
    ...list(
      'srcipaddr_has_any_prefix',
      'ipaddr_has_any_prefix',
      'url_has_any',
      'httpuseragent_has_any',
      'eventresultdetails_in',
    ),
    EVENT_RESULT,
    ...list('eventresultdetails_has_any'),
    'pack:bool=false',
  ],
};

/** The parameterless parsers (`_ASim_<Schema>`, `ASim<Schema>`) take these. */
export const PARAMETERLESS_PARAMETERS: readonly string[] = ['disabled:bool=false', 'pack:bool=false'];

/** The names a `functionParameters` text declares, in order: `a:int=1, T:(x:string)` → a, T. */
export function parameterNames(parameters: string | undefined): string[] {
  if (parameters === undefined) return [];
  const names: string[] = [];
  let depth = 0;
  let start = 0;
  const take = (end: number): void => {
    const name = parameters.slice(start, end).split(':')[0]?.trim() ?? '';
    if (name !== '') names.push(name);
  };
  for (let i = 0; i < parameters.length; i++) {
    const c = parameters[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      take(i);
      start = i + 1;
    }
  }
  take(parameters.length);
  return names;
}
