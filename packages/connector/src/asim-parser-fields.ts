// Which ASIM fields a generated parser emits and the KQL expression of each, in the order the
// query extends them: the stream's own fields (event constants, then table columns), the fields
// every parser sets (EventCount, EventVendor, …, Dvc), the derived ones (Src, Dst, SrcDvcIpAddr),
// then every alias and `*Type` companion of a field that is there.

import type {
  AsimEventSpec,
  AsimFieldInfo,
  AsimSchemaInfo,
  AsimSchemaSpec,
  AsimStreamSpec,
} from '@otel-sentinel/mapping';
import {
  convert,
  emptyOf,
  kqlName,
  kqlString,
  kqlTypeOfColumn,
  literal,
  stringList,
} from './asim-kql-text.js';

/** One ASIM field, as mapping's catalogue describes it. */
export type FieldFact = AsimFieldInfo;

/** One ASIM schema's version and fields (mapping's `asimSchema(name)`). */
export type SchemaFacts = Pick<AsimSchemaInfo, 'version' | 'fields'>;

/** A table and its columns, the types as text: a checked folder's table files may hold any. */
export interface TableColumns {
  readonly name: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** The parser's input: the table, the stream's ASIM declaration, one schema of it, its facts. */
export interface ParserSource {
  readonly table: TableColumns;
  readonly spec: AsimStreamSpec;
  readonly schema: AsimSchemaSpec;
  readonly facts: SchemaFacts;
}

/** Field name → KQL expression, in extend order. */
export type FieldExprs = Map<string, string>;

/** The emitted fields, by stage: each stage's expressions may read the fields of earlier ones. */
export interface ParserFields {
  /** Read from the table: event constants and column roles. */
  readonly own: FieldExprs;
  /** Set by every parser, and typed empties for mandatory fields nothing else fills. */
  readonly standard: FieldExprs;
  /** Src, Dst and SrcDvcIpAddr, from fields that are there. */
  readonly derived: FieldExprs;
  /** Aliases and `*Type` companions of the fields that are there. */
  readonly companions: FieldExprs;
  /** A field read straight from a column, unchanged: the column (for filters before extending). */
  readonly direct: ReadonlyMap<string, string>;
}

function typeOf(facts: SchemaFacts, field: string): string {
  return facts.fields.find((f) => f.name === field)?.type ?? 'string';
}

/** Event names by the value `pick` gives each event for `field` (events without one left out). */
function eventsByValue(
  src: ParserSource,
  pick: (e: AsimEventSpec) => Readonly<Record<string, string>> | undefined,
  field: string,
): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  for (const e of src.schema.events) {
    const v = pick(e)?.[field];
    if (v !== undefined && e.set[field] === undefined) byValue.set(v, [...(byValue.get(v) ?? []), e.name]);
  }
  return byValue;
}

/**
 * `Field = case(ev in (…), 'v1', …, fallback)`: the events' constants (`set`), then their values for
 * an empty column (`ifEmpty`), else the column; the constant alone when every event sets the same.
 */
function eventConstant(src: ParserSource, field: string, fallback: string | undefined): string {
  const type = typeOf(src.facts, field);
  const set = new Map<string, string[]>();
  for (const e of src.schema.events) {
    const v = e.set[field];
    if (v !== undefined) set.set(v, [...(set.get(v) ?? []), e.name]);
  }
  const ifEmpty = eventsByValue(src, (e) => e.ifEmpty, field);
  const setByAll = src.schema.events.every((e) => e.set[field] !== undefined);
  const [only] = set.keys();
  if (set.size === 1 && setByAll && only !== undefined) return literal(only, type);
  const col = kqlName(src.spec.eventColumn);
  const orElse = fallback ?? emptyOf(type);
  const emptyTest = fallback === undefined ? '' : ` and isempty(${fallback})`;
  const arms = [
    ...[...set].map(([v, names]) => `${col} in (${stringList(names)}), ${literal(v, type)}`),
    ...[...ifEmpty].map(([v, names]) => `${col} in (${stringList(names)})${emptyTest}, ${literal(v, type)}`),
  ];
  return `case(${arms.join(', ')}, ${orElse})`;
}

/** A field read from its column: converted to the field's type, translated through its lookup. */
function columnExpr(src: ParserSource, field: string, column: string): string {
  const spec = src.schema.fields.find((f) => f.field === field);
  const type = typeOf(src.facts, field);
  const colType = kqlTypeOfColumn(src.table.columns.find((c) => c.name === column)?.type ?? 'string');
  const value = convert(kqlName(column), colType, type);
  const lookup = Object.entries(spec?.lookup ?? {});
  if (lookup.length === 0 && spec?.otherwise === undefined) return value;
  const key = convert(kqlName(column), colType, 'string');
  const arms = lookup.map(([from, to]) => `${key} == ${kqlString(from)}, ${literal(to, type)}`);
  if (spec?.otherwise === undefined) return arms.length === 0 ? value : `case(${arms.join(', ')}, ${value})`;
  // An empty value stays empty (mapping's rule): `otherwise` is for values the lookup does not list.
  return `case(${[`isempty(${key}), ${emptyOf(type)}`, ...arms].join(', ')}, ${literal(spec.otherwise, type)})`;
}

/**
 * The column playing each field: the resolved declaration's sources only. The mapping already
 * applies ASIM's "a column named like the field" rule, and its `false` opt-outs.
 */
function columnSources(src: ParserSource): Map<string, string> {
  return new Map(src.schema.fields.map((f) => [f.field, f.column]));
}

/** The stream's own fields: event constants (which win over columns) and column roles. */
function ownFields(src: ParserSource): { own: FieldExprs; direct: Map<string, string> } {
  const own: FieldExprs = new Map();
  const direct = new Map<string, string>();
  const sources = columnSources(src);
  const constants = new Set(
    src.schema.events.flatMap((e) => [...Object.keys(e.set), ...Object.keys(e.ifEmpty ?? {})]),
  );
  for (const [field, column] of sources) {
    if (constants.has(field)) continue;
    const expr = columnExpr(src, field, column);
    if (expr === kqlName(column)) direct.set(field, column);
    if (expr !== kqlName(field)) own.set(field, expr);
    else own.set(field, field);
  }
  for (const field of [...constants].sort()) {
    const column = sources.get(field);
    const fallback = column === undefined ? undefined : columnExpr(src, field, column);
    own.set(field, eventConstant(src, field, fallback));
  }
  return { own, direct };
}

/** The fields every parser sets, unless the stream gives them. */
function standardFields(src: ParserSource, schemaName: string, present: ReadonlySet<string>): FieldExprs {
  const out: FieldExprs = new Map();
  const put = (field: string, expr: string): void => {
    if (!present.has(field)) out.set(field, expr);
  };
  put('EventCount', 'int(1)');
  put('EventStartTime', 'TimeGenerated');
  put('EventEndTime', 'TimeGenerated');
  out.set('EventVendor', kqlString(src.spec.vendor));
  out.set('EventProduct', kqlString(src.spec.product));
  out.set('EventSchema', kqlString(schemaName));
  out.set('EventSchemaVersion', kqlString(src.facts.version));
  const dvc = ['DvcHostname', 'DvcFQDN', 'DvcIpAddr', 'DvcId'].filter((f) => present.has(f));
  put(
    'Dvc',
    dvc.length > 0
      ? `coalesce(${dvc.join(', ')}, ${kqlString(src.spec.product)})`
      : kqlString(src.spec.product),
  );
  // Microsoft's parsers' rule when the source has no severity: a failure is Low.
  if (present.has('EventResult'))
    put('EventSeverity', "iff(EventResult == 'Failure', 'Low', 'Informational')");
  return out;
}

/** A typed empty value for each Mandatory field nothing fills (the testers require the column). */
function emptyMandatory(facts: SchemaFacts, present: ReadonlySet<string>): FieldExprs {
  return new Map(
    facts.fields
      .filter((f) => f.class === 'Mandatory' && !present.has(f.name))
      .map((f) => [f.name, emptyOf(f.type)]),
  );
}

/** Src, Dst and SrcDvcIpAddr from the fields that are there, as Microsoft's parsers derive them. */
function derivedFields(src: ParserSource, schemaName: string, present: ReadonlySet<string>): FieldExprs {
  const out: FieldExprs = new Map();
  const has = (f: string): boolean => src.facts.fields.some((x) => x.name === f);
  const from = (field: string, candidates: readonly string[]): void => {
    const there = candidates.filter((c) => present.has(c));
    if (present.has(field) || !has(field) || there.length === 0) return;
    out.set(field, there.length === 1 ? (there[0] ?? '') : `coalesce(${there.join(', ')})`);
  };
  from('Src', ['SrcHostname', 'SrcIpAddr']);
  // A web server logging its own requests is the destination itself: Dvc when nothing else says.
  from(
    'Dst',
    schemaName === 'WebSession'
      ? ['DstHostname', 'DstIpAddr', 'HttpHost', 'Dvc']
      : ['TargetHostname', 'TargetIpAddr', 'TargetAppName'],
  );
  // Microsoft's ASIM Authentication rules group by SrcDvcIpAddr, which only the old empty parser
  // declares; without it their incidents name no address.
  if (schemaName === 'Authentication' && present.has('SrcIpAddr') && !present.has('SrcDvcIpAddr'))
    out.set('SrcDvcIpAddr', 'SrcIpAddr');
  return out;
}

/** The default of a `*Type` companion whose parent is there: a user name's form, else `Other`. */
function companionDefault(fact: FieldFact, parent: string): string {
  if (fact.name.endsWith('UsernameType'))
    return `case(isempty(${parent}), '', ${parent} has '@', 'UPN', ${parent} contains '\\\\', 'Windows', 'Simple')`;
  const values = fact.values ?? [];
  const value = values.includes('Other') ? 'Other' : (values[values.length - 1] ?? '');
  return `iff(isempty(${parent}), '', ${kqlString(value)})`;
}

/** Every alias and `*Type` companion of a field that is there and not given already. */
function companionFields(facts: SchemaFacts, present: ReadonlySet<string>): FieldExprs {
  const out: FieldExprs = new Map();
  for (const f of facts.fields) {
    if (present.has(f.name)) continue;
    if (f.class === 'Alias' && f.aliasOf !== undefined && present.has(f.aliasOf)) out.set(f.name, f.aliasOf);
    else if (f.class === 'Conditional' && f.parent !== undefined && present.has(f.parent))
      out.set(f.name, companionDefault(f, f.parent));
  }
  return out;
}

/** Every field the parser emits, by stage. */
export function parserFields(src: ParserSource): ParserFields {
  const schemaName = src.schema.schema;
  const { own, direct } = ownFields(src);
  // TimeGenerated and Type are every table's own columns: there, whatever the declaration says.
  const present = new Set(['TimeGenerated', 'Type', ...own.keys()]);
  const standard = standardFields(src, schemaName, present);
  for (const k of standard.keys()) present.add(k);
  const derived = derivedFields(src, schemaName, present);
  for (const k of derived.keys()) present.add(k);
  for (const [k, v] of emptyMandatory(src.facts, present)) {
    derived.set(k, v);
    present.add(k);
  }
  const companions = companionFields(src.facts, present);
  return { own, standard, derived, companions, direct };
}

export { typeOf };
