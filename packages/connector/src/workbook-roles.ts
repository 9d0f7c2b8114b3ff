// Which table columns play the parts a table's workbook shows — the event name, the result, the
// user, the source address and the targets — from the stream's ASIM declaration when it has one,
// else from the ASIM column names the table already uses.

import type { AsimEventSpec, AsimFieldSpec, AsimStreamSpec, TableSchema } from '@otel-sentinel/mapping';

/** The columns (and the one expression) the workbook's panels read; a role nobody plays is absent. */
export interface WorkbookRoles {
  /** `asim`: from the stream's ASIM declaration; `columns`: from ASIM column names in the table. */
  readonly from: 'asim' | 'columns';
  /** The column holding the event name (the event-type parameter and the per-event charts). */
  readonly event?: string;
  /** A KQL expression giving the ASIM `EventResult` (`Success`, `Failure`, …) of a row. */
  readonly result?: string;
  /** The column naming the user a failure is about. */
  readonly user?: string;
  /** The column holding the source (client) IP address. */
  readonly source?: string;
  /** The columns naming what an event acted on, in order of preference (Object, TargetUserId, Url). */
  readonly targets: readonly string[];
}

const EVENT_COLUMNS = ['EventOriginalType', 'EventName', 'EventType'];
const USER_FIELDS = ['TargetUsername', 'ActorUsername', 'SrcUsername', 'ActorUserId', 'TargetUserId'];
const SOURCE_FIELDS = ['SrcIpAddr'];
const TARGET_FIELDS = ['Object', 'TargetUserId', 'Url'];

/** A KQL string literal. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The roles for a table, from its stream's ASIM declaration when given. */
export function workbookRoles(table: TableSchema, asim: AsimStreamSpec | undefined): WorkbookRoles {
  const strings = new Set(table.columns.filter((c) => c.type === 'string').map((c) => c.name));
  return asim === undefined ? rolesFromColumns(strings) : rolesFromAsim(asim, strings);
}

/** Without ASIM: the first string column with each role's ASIM name. */
function rolesFromColumns(strings: ReadonlySet<string>): WorkbookRoles {
  const first = (names: readonly string[]): string | undefined => names.find((n) => strings.has(n));
  const event = first(EVENT_COLUMNS);
  const user = first(USER_FIELDS);
  const source = first(SOURCE_FIELDS);
  return {
    from: 'columns',
    ...(event !== undefined ? { event } : {}),
    ...(strings.has('EventResult') ? { result: 'EventResult' } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(source !== undefined ? { source } : {}),
    targets: TARGET_FIELDS.filter((n) => strings.has(n)),
  };
}

/** With ASIM: the columns the declaration reads each field from, and the result its events fix. */
function rolesFromAsim(asim: AsimStreamSpec, strings: ReadonlySet<string>): WorkbookRoles {
  const fields = asim.schemas.flatMap((s) => s.fields).filter((f) => strings.has(f.column));
  const columnOf = (names: readonly string[]): string | undefined =>
    names.map((n) => fields.find((f) => f.field === n)?.column).find((c) => c !== undefined);
  const event = strings.has(asim.eventColumn) ? asim.eventColumn : undefined;
  const result = event === undefined ? undefined : resultExpression(asim, event, fields);
  const user = columnOf(USER_FIELDS);
  const source = columnOf(SOURCE_FIELDS);
  // Every column that plays a target field in some schema, but not the user column: in
  // Authentication the user who logs in is also the TargetUserId, and the user panel shows them.
  const targets = TARGET_FIELDS.flatMap((n) =>
    fields.filter((f) => f.field === n).map((f) => f.column),
  ).filter((c) => c !== user);
  return {
    from: 'asim',
    ...(event !== undefined ? { event } : {}),
    ...(result !== undefined ? { result } : {}),
    ...(user !== undefined ? { user } : {}),
    ...(source !== undefined ? { source } : {}),
    targets: [...new Set(targets)],
  };
}

/**
 * `EventResult` as the generated parsers give it: the constant each event fixes (a constant wins
 * over a column), else the column the declaration reads it from, with its value lookup, where an
 * event's `ifEmpty` value stands in for an empty column.
 */
function resultExpression(
  asim: AsimStreamSpec,
  event: string,
  fields: readonly AsimFieldSpec[],
): string | undefined {
  const events = asim.schemas.flatMap((s) => s.events);
  const field = fields.find((f) => f.field === 'EventResult');
  const fallback = field === undefined ? undefined : fieldExpression(field);
  const fixed = eventsByValue(events, (e) => e.set.EventResult);
  const unfixed = events.filter((e) => e.set.EventResult === undefined);
  const standIns = eventsByValue(unfixed, (e) => e.ifEmpty?.EventResult);
  const empty = field === undefined ? '' : ` and isempty(${field.column})`;
  const arms = [
    ...[...fixed].map(([value, names]) => `${inList(event, names)}, ${kqlString(value)}`),
    ...[...standIns].map(([value, names]) => `${inList(event, names)}${empty}, ${kqlString(value)}`),
  ];
  if (arms.length === 0) return fallback;
  return `case(${arms.join(', ')}, ${fallback ?? '""'})`;
}

/** The event names by the value `valueOf` gives them (the first listing of an event counts). */
function eventsByValue(
  events: readonly AsimEventSpec[],
  valueOf: (e: AsimEventSpec) => string | undefined,
): Map<string, string[]> {
  const byValue = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of events) {
    const value = valueOf(e);
    if (value === undefined || seen.has(e.name)) continue;
    seen.add(e.name);
    byValue.set(value, [...(byValue.get(value) ?? []), e.name]);
  }
  return byValue;
}

function inList(column: string, values: readonly string[]): string {
  return `${column} in (${values.map(kqlString).join(', ')})`;
}

/** A field read from its column, its values translated by the field's lookup when it has one. */
function fieldExpression(field: AsimFieldSpec): string {
  const lookup = Object.entries(field.lookup ?? {});
  if (lookup.length === 0) return field.column;
  const arms = lookup.map(([from, to]) => `${field.column} == ${kqlString(from)}, ${kqlString(to)}`);
  const otherwise = field.otherwise === undefined ? field.column : kqlString(field.otherwise);
  return `case(${arms.join(', ')}, ${otherwise})`;
}
