// The parameters of ASIM's unifying filtering parsers (`_Im_<Schema>`, `im<Schema>`), per schema,
// as `functionParameters` text: mapping's ASIM_FILTERING_PARAMETERS (Microsoft's order), then pack.

import {
  ASIM_DISABLED_PARAMETER,
  ASIM_FILTERING_PARAMETERS,
  ASIM_PACK_PARAMETER,
  type AsimParserParameter,
  type AsimSchemaName,
} from '@otel-sentinel/mapping';

const text = (p: AsimParserParameter): string => `${p.name}:${p.type}=${p.default}`;

const filtering = (schema: AsimSchemaName): readonly string[] => [
  ...ASIM_FILTERING_PARAMETERS[schema].map(text),
  text(ASIM_PACK_PARAMETER),
];

/** `name:type=default` of each filtering parameter (mapping's list), `pack` last (the built-ins take it). */
export const FILTERING_PARAMETERS: Readonly<Record<AsimSchemaName, readonly string[]>> = {
  Authentication: filtering('Authentication'),
  AuditEvent: filtering('AuditEvent'),
  UserManagement: filtering('UserManagement'),
  WebSession: filtering('WebSession'),
};

/** The parameterless parsers (`_ASim_<Schema>`, `ASim<Schema>`) take these. */
export const PARAMETERLESS_PARAMETERS: readonly string[] = [ASIM_DISABLED_PARAMETER, ASIM_PACK_PARAMETER].map(
  text,
);

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
