// The standard parameters of ASIM's filtering parsers, per schema: names, KQL types, defaults and
// order as Microsoft's `Im_<Schema>Custom` templates (Azure-Sentinel
// `ASIM/deploy/EmptyCustomUnifyingParsers/`) and Learn's "Manage ASIM parsers" page give them.
// One home: the connector's generated parsers take them, and the emulator's stand-ins for the
// unifying parsers offer them.

import type { AsimSchemaName } from './model.js';

/** One parameter of an ASIM parser function, as ASIM's YAML (`ParserParams`) writes it. */
export interface AsimParserParameter {
  /** e.g. `starttime`. */
  readonly name: string;
  readonly type: 'datetime' | 'dynamic' | 'string' | 'bool';
  /** The default as KQL text, e.g. `dynamic([])`, `'*'`, `false`. */
  readonly default: string;
}

const time = (name: string): AsimParserParameter => ({ name, type: 'datetime', default: 'datetime(null)' });
const list = (...names: readonly string[]): AsimParserParameter[] =>
  names.map((name) => ({ name, type: 'dynamic', default: 'dynamic([])' }));
const TIME = [time('starttime'), time('endtime')];
const EVENT_RESULT: AsimParserParameter = { name: 'eventresult', type: 'string', default: "'*'" };

/** Each schema's filtering parameters, in Microsoft's order (before `disabled` and `pack`). */
export const ASIM_FILTERING_PARAMETERS: Readonly<Record<AsimSchemaName, readonly AsimParserParameter[]>> = {
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
  ],
  AuditEvent: [
    ...TIME,
    ...list('srcipaddr_has_any_prefix', 'actorusername_has_any', 'operation_has_any', 'eventtype_in'),
    EVENT_RESULT,
    ...list('object_has_any', 'newvalue_has_any'),
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
  ],
  UserManagement: [
    ...TIME,
    ...list('srcipaddr_has_any_prefix', 'targetusername_has_any', 'actorusername_has_any', 'eventtype_in'),
  ],
};

/** The parameters every ASIM parser takes last: `disabled`, then `pack`. */
export const ASIM_DISABLED_PARAMETER: AsimParserParameter = {
  name: 'disabled',
  type: 'bool',
  default: 'false',
};
export const ASIM_PACK_PARAMETER: AsimParserParameter = { name: 'pack', type: 'bool', default: 'false' };
