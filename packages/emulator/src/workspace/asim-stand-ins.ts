// Stand-ins for what a Sentinel workspace has built in and the emulator does not: ASIM's
// unifying parsers (`_Im_<Schema>`, `_ASim_<Schema>` and the workspace-deployed `im<Schema>`,
// `ASim<Schema>`) and the watchlist functions the ASIM rules call. Each unifier is a fuzzy union
// of an empty table of the schema's fields (from mapping's ASIM catalogue) and the workspace's
// custom unifier (`Im_<Schema>Custom` / `ASim_<Schema>Custom`) when it has one, else its source
// parsers (`vim<Schema>…` / `ASim<Schema>…`). Microsoft's own source parsers are not included,
// and the watchlists are always empty (see the README, "Workspace functions").

import type { StoredFunction } from '@otel-sentinel/kql';
import { ASIM_SCHEMA_NAMES, asimSchema, type AsimSchemaName } from '@otel-sentinel/mapping';
import { FILTERING_PARAMETERS, PARAMETERLESS_PARAMETERS, parameterNames } from './asim-parameters.js';

/** The names of the stand-ins, for the README and for a caller that wants to know them. */
export function standInNames(): string[] {
  return [
    ...ASIM_SCHEMA_NAMES.flatMap((s) => [`_Im_${s}`, `im${s}`, `_ASim_${s}`, `ASim${s}`]),
    '_GetWatchlist',
    '_ASIM_GetWatchlistRaw',
  ];
}

/**
 * The stand-ins for the workspace whose own functions are `functions`: none is made for a name
 * the workspace already defines (its own wins).
 */
export function asimStandIns(functions: readonly StoredFunction[]): StoredFunction[] {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const out: StoredFunction[] = [];
  const add = (fn: StoredFunction): void => {
    if (!byName.has(fn.name)) out.push(fn);
  };
  for (const schema of ASIM_SCHEMA_NAMES) {
    const empty = emptyTable(schema);
    const filtering = unifier(empty, FILTERING_PARAMETERS[schema], filteringLegs(schema, byName));
    const parameterless = unifier(empty, PARAMETERLESS_PARAMETERS, parameterlessLegs(schema, byName));
    for (const name of [`_Im_${schema}`, `im${schema}`]) add({ name, ...filtering });
    for (const name of [`_ASim_${schema}`, `ASim${schema}`]) add({ name, ...parameterless });
  }
  add({
    name: '_GetWatchlist',
    parameters: 'watchlistAlias:string, keys:dynamic=dynamic([])',
    body: 'datatable(_DTItemId:string, LastUpdatedTimeUTC:datetime, SearchKey:string, WatchlistItem:dynamic)[]',
  });
  add({
    name: '_ASIM_GetWatchlistRaw',
    parameters: 'watchlist:string',
    body: 'datatable(TimeGenerated:datetime, SearchKey:string, WatchlistItem:dynamic)[]',
  });
  return out;
}

/** `datatable(F:type, …)[]` of every field of the schema, aliases included. */
export function emptyTable(schema: AsimSchemaName): string {
  const columns = asimSchema(schema).fields.map((f) => `${f.name}:${f.type}`);
  return `datatable(${columns.join(', ')})[]`;
}

function unifier(
  empty: string,
  parameters: readonly string[],
  legs: readonly string[],
): Omit<StoredFunction, 'name'> {
  return {
    parameters: parameters.join(', '),
    body: ['union isfuzzy=true', `  (${empty})`, ...legs.map((l) => `  , ${l}`)].join('\n'),
  };
}

/** `Im_<Schema>Custom(…)` when the workspace has it, else each `vim<Schema>…` source parser. */
function filteringLegs(schema: AsimSchemaName, byName: ReadonlyMap<string, StoredFunction>): string[] {
  const custom = byName.get(`Im_${schema}Custom`);
  const targets =
    custom !== undefined ? [custom] : sourceParsers(byName, `vim${schema}`, `vim${schema}Empty`);
  const offered = new Set(parameterNames(FILTERING_PARAMETERS[schema].join(', ')));
  return targets.map((f) => call(f, offered));
}

/** `ASim_<Schema>Custom(…)` when the workspace has it, else each `ASim<Schema>…` source parser. */
function parameterlessLegs(schema: AsimSchemaName, byName: ReadonlyMap<string, StoredFunction>): string[] {
  const custom = byName.get(`ASim_${schema}Custom`);
  const targets =
    custom !== undefined ? [custom] : sourceParsers(byName, `ASim${schema}`, `ASim${schema}Empty`);
  return targets.map((f) => call(f, new Set(['pack'])));
}

/** Functions named `<prefix><something>`, except the empty-schema one, in name order. */
function sourceParsers(
  byName: ReadonlyMap<string, StoredFunction>,
  prefix: string,
  empty: string,
): StoredFunction[] {
  return [...byName.values()]
    .filter((f) => f.name.startsWith(prefix) && f.name.length > prefix.length && f.name !== empty)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `f(p=p, …, disabled=false)`: only the parameters `f` declares, passed by name. */
function call(f: StoredFunction, offered: ReadonlySet<string>): string {
  const declared = parameterNames(f.parameters);
  const args = declared.filter((p) => offered.has(p)).map((p) => `${p}=${p}`);
  if (declared.includes('disabled')) args.push('disabled=false');
  return `${f.name}(${args.join(', ')})`;
}
