// A stream's `asim` section resolved to an AsimStreamSpec: vendor and product with their
// defaults, the event column, and for each schema its events and field sources, with the check
// that every Mandatory field the parser cannot derive has a column or a constant on every event.

import type { PathSegment } from '../problems.js';
import type { Problems } from '../semantics/semantic-context.js';
import type { ColumnConfig } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import { resolveEvents } from './asim-events.js';
import { resolveFieldSources, type FieldScope } from './asim-fields.js';
import type { AsimSchemaInput, StreamAsimInput } from './asim-input.js';
import { ASIM_SCHEMA_NAMES, type AsimSchemaSpec, type AsimStreamSpec } from './model.js';
import { asimMandatoryFields, isAsimSchemaName } from './schemas.js';

/**
 * Mandatory fields a generated parser fills by itself: the table's own, the event count and
 * times from TimeGenerated, vendor/product/schema/version from the declaration, Dvc from the
 * device fields or the product, EventSeverity from EventResult, and WebSession's Dst from Url.
 */
export const PARSER_FILLED_FIELDS: ReadonlySet<string> = new Set([
  'TimeGenerated',
  'Type',
  'EventCount',
  'EventStartTime',
  'EventEndTime',
  'EventVendor',
  'EventProduct',
  'EventSchema',
  'EventSchemaVersion',
  'Dvc',
  'EventSeverity',
  'Dst',
]);

/** What the resolution needs from around the stream. */
export interface AsimStreamContext {
  readonly table: string;
  readonly columns: readonly ColumnConfig[];
  readonly problems: Problems;
  /** The stream's path, e.g. `['streams', 0]`. */
  readonly path: readonly PathSegment[];
  /** `solution.publisher` and `solution.name`, the defaults of vendor and product. */
  readonly solution?:
    { readonly publisher?: string | undefined; readonly name?: string | undefined } | undefined;
}

/** The resolved declaration, or `undefined` when it has errors (reported). */
export function resolveAsim(input: StreamAsimInput, ctx: AsimStreamContext): AsimStreamSpec | undefined {
  const before = ctx.problems.list.length;
  const path = [...ctx.path, 'asim'];
  const eventColumn = resolveEventColumn(input, ctx, path);
  const schemas: AsimSchemaSpec[] = [];
  for (const [name, written] of Object.entries(input.schemas)) {
    const spec = resolveSchema(name, written, ctx, [...path, 'schemas', name]);
    if (spec !== undefined) schemas.push(spec);
  }
  if (Object.keys(input.schemas).length === 0)
    ctx.problems.error(
      'E_ASIM_SCHEMA',
      [...path, 'schemas'],
      `asim.schemas is empty: name at least one of ${ASIM_SCHEMA_NAMES.join(', ')}`,
    );
  const errors = ctx.problems.list.slice(before).some((p) => p.severity === 'error');
  if (errors || eventColumn === undefined) return undefined;
  return {
    vendor: input.vendor ?? ctx.solution?.publisher ?? 'otel-sentinel',
    product: input.product ?? ctx.solution?.name ?? ctx.table.replace(/_CL$/, ''),
    eventColumn,
    schemas,
  };
}

/** `eventColumn` as written, else the column playing EventOriginalType (by role or by name). */
function resolveEventColumn(
  input: StreamAsimInput,
  ctx: AsimStreamContext,
  path: readonly PathSegment[],
): string | undefined {
  const names = ctx.columns.map((c) => c.name);
  if (input.eventColumn !== undefined) {
    if (names.includes(input.eventColumn)) return input.eventColumn;
    ctx.problems.error(
      'E_ASIM_EVENT_COLUMN',
      [...path, 'eventColumn'],
      `eventColumn ${input.eventColumn} is not a column of this stream${didYouMean(input.eventColumn, names)}`,
    );
    return undefined;
  }
  const byRole = ctx.columns.find((c) => c.asim?.includes('EventOriginalType') === true);
  const byName = ctx.columns.find((c) => c.name === 'EventOriginalType' && c.asim === undefined);
  const column = byRole ?? byName;
  if (column === undefined)
    ctx.problems.error(
      'E_ASIM_EVENT_COLUMN',
      path,
      'the asim section needs the column that holds the event name: add a column EventOriginalType (from: eventName), give one the role (asim: EventOriginalType), or name it with eventColumn',
      'key',
    );
  return column?.name;
}

function resolveSchema(
  name: string,
  written: AsimSchemaInput,
  ctx: AsimStreamContext,
  path: readonly PathSegment[],
): AsimSchemaSpec | undefined {
  if (!isAsimSchemaName(name)) {
    ctx.problems.error(
      'E_ASIM_SCHEMA',
      path,
      `${name} is not an ASIM schema otel-sentinel writes parsers for (${ASIM_SCHEMA_NAMES.join(', ')})${didYouMean(name, ASIM_SCHEMA_NAMES)}`,
      'key',
    );
    return undefined;
  }
  const before = ctx.problems.list.length;
  const events = resolveEvents(name, written.events, [...path, 'events'], ctx.problems);
  const scope: FieldScope = {
    schema: name,
    columns: ctx.columns,
    problems: ctx.problems,
    streamPath: ctx.path,
  };
  const fields = resolveFieldSources(scope, written.fields, [...path, 'fields']);
  const spec: AsimSchemaSpec = { schema: name, events, fields };
  // A field or value already reported would be reported again as missing.
  if (ctx.problems.list.length === before) checkMandatory(spec, ctx.problems, path);
  return spec;
}

/** Every Mandatory field the parser cannot derive needs a column, or a constant on every event. */
function checkMandatory(spec: AsimSchemaSpec, problems: Problems, path: readonly PathSegment[]): void {
  for (const field of asimMandatoryFields(spec.schema)) {
    if (PARSER_FILLED_FIELDS.has(field.name) || spec.fields.some((f) => f.field === field.name)) continue;
    const without = spec.events.filter((e) => e.set[field.name] === undefined).map((e) => e.name);
    if (without.length === 0 && spec.events.length > 0) continue;
    const on =
      without.length > 0
        ? ` (not set on: ${without.slice(0, 5).join(', ')}${without.length > 5 ? ', …' : ''})`
        : '';
    problems.error(
      'E_ASIM_MANDATORY',
      path,
      `${spec.schema} requires ${field.name} on every row, and nothing fills it${on}: give a column the role (asim: ${field.name}), name its column in asim.schemas.${spec.schema}.fields.${field.name}, or set ${field.name} on each event`,
      'key',
    );
  }
}
