// Where one schema takes each field from: the schema's own `fields` first, then the columns that
// declare the field as a role (`asim:`), then the columns named like the field.

import type { PathSegment } from '../problems.js';
import type { Problems } from '../semantics/semantic-context.js';
import type { ColumnConfig } from '../types.js';
import { didYouMean } from './did-you-mean.js';
import type { AsimFieldInput } from './asim-input.js';
import { checkValue, schemaField } from './asim-values.js';
import { columnFits, typeName } from './field-fit.js';
import type { AsimFieldSpec, AsimSchemaName } from './model.js';
import { asimField } from './schemas.js';

/** Log Analytics' own columns: ASIM fields already, under their own names, in every table. */
const TABLE_OWN = new Set(['TimeGenerated', 'Type']);

/** What the field checks of one schema share. */
export interface FieldScope {
  readonly schema: AsimSchemaName;
  readonly columns: readonly ColumnConfig[];
  readonly problems: Problems;
  /** The stream's path, e.g. `streams[0]`. */
  readonly streamPath: readonly PathSegment[];
}

export function resolveFieldSources(
  scope: FieldScope,
  written: Readonly<Record<string, AsimFieldInput>> | undefined,
  path: readonly PathSegment[],
): AsimFieldSpec[] {
  const specs = new Map<string, AsimFieldSpec>();
  const none = new Set<string>();
  for (const [field, input] of Object.entries(written ?? {})) {
    if (input === false) none.add(field);
    const spec = input === false ? undefined : overrideSpec(scope, field, input, [...path, field]);
    if (input === false) schemaField(scope.schema, field, [...path, field], scope.problems);
    if (spec !== undefined) specs.set(field, spec);
  }
  const taken = (field: string): boolean => specs.has(field) || none.has(field);
  addDeclaredRoles(scope, specs, taken);
  for (const column of scope.columns) {
    const field = asimField(scope.schema, column.name);
    if (column.asim !== undefined || field === undefined || field.class === 'Alias' || taken(column.name))
      continue;
    if (TABLE_OWN.has(column.name)) continue;
    if (columnFits(column.type, field.type))
      specs.set(column.name, { field: column.name, column: column.name });
  }
  return [...specs.values()];
}

/** One entry of the schema's `fields`: the field, its column, and the lookup's values. */
function overrideSpec(
  scope: FieldScope,
  field: string,
  input: Exclude<AsimFieldInput, false>,
  path: readonly PathSegment[],
): AsimFieldSpec | undefined {
  const info = schemaField(scope.schema, field, path, scope.problems);
  const spec = typeof input === 'string' ? { column: input } : input;
  const columnPath = typeof input === 'string' ? path : [...path, 'column'];
  const column = scope.columns.find((c) => c.name === spec.column);
  if (column === undefined) {
    const names = scope.columns.map((c) => c.name);
    scope.problems.error(
      'E_ASIM_COLUMN',
      columnPath,
      `${scope.schema} ${field} is read from column ${spec.column}, which this stream does not have${didYouMean(spec.column, names)}`,
    );
    return undefined;
  }
  if (info === undefined) return undefined;
  if (!columnFits(column.type, info.type)) {
    scope.problems.error(
      'E_ASIM_TYPE',
      columnPath,
      `${scope.schema} ${field} is ${typeName(info.type)}; column ${column.name} is ${column.type}, which cannot carry it`,
    );
    return undefined;
  }
  let ok = true;
  for (const [from, to] of Object.entries(spec.lookup ?? {}))
    ok = checkValue(scope.schema, info, to, [...path, 'lookup', from], scope.problems) && ok;
  if (spec.otherwise !== undefined)
    ok = checkValue(scope.schema, info, spec.otherwise, [...path, 'otherwise'], scope.problems) && ok;
  if (!ok) return undefined;
  return {
    field,
    column: column.name,
    ...(spec.lookup !== undefined ? { lookup: spec.lookup } : {}),
    ...(spec.otherwise !== undefined ? { otherwise: spec.otherwise } : {}),
  };
}

/** The columns whose `asim` names a field of this schema; two columns for one field is an error. */
function addDeclaredRoles(
  scope: FieldScope,
  specs: Map<string, AsimFieldSpec>,
  taken: (field: string) => boolean,
): void {
  const byRole = new Map<string, string>();
  for (const column of scope.columns) {
    for (const role of column.asim ?? []) {
      const field = asimField(scope.schema, role);
      if (field === undefined || field.class === 'Alias' || taken(role)) continue;
      const other = byRole.get(role);
      if (other !== undefined) {
        scope.problems.error(
          'E_ASIM_ROLE_TWICE',
          [...scope.streamPath, 'columns', column.name, 'asim'],
          `columns ${other} and ${column.name} both play ${scope.schema} ${role}: keep one role, or say which in asim.schemas.${scope.schema}.fields.${role}`,
        );
        continue;
      }
      byRole.set(role, column.name);
    }
  }
  for (const [field, column] of byRole) specs.set(field, { field, column });
}
