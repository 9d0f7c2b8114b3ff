// A column's `asim` key: the ASIM fields it plays, each checked against the catalogue (a field of
// some schema, not an alias, of a type the column can carry).

import type { PathSegment } from '../problems.js';
import type { Problems } from '../semantics/semantic-context.js';
import type { ColumnType } from '../types.js';
import type { ColumnAsimInput } from './asim-input.js';
import { aliasMessage, columnFits, fieldInSchemas, suggestField, typeName } from './field-fit.js';

/**
 * The roles as `ColumnConfig.asim` holds them: `undefined` when the column has no `asim` key (it
 * plays the field of its own name), `[]` for `asim: false`, else the fields that passed the checks.
 */
export function resolveColumnRoles(
  written: ColumnAsimInput | undefined,
  column: { readonly name: string; readonly type: ColumnType },
  path: readonly PathSegment[],
  problems: Problems,
): readonly string[] | undefined {
  if (written === undefined) return undefined;
  if (written === false) return [];
  const list = typeof written === 'string' ? [written] : written;
  const roles: string[] = [];
  list.forEach((role, i) => {
    const at = typeof written === 'string' ? [...path, 'asim'] : [...path, 'asim', i];
    if (checkRole(role, column, at, problems) && !roles.includes(role)) roles.push(role);
  });
  return roles;
}

function checkRole(
  role: string,
  column: { readonly name: string; readonly type: ColumnType },
  path: readonly PathSegment[],
  problems: Problems,
): boolean {
  const found = fieldInSchemas(role);
  if (found.length === 0) {
    const alias = aliasMessage(role);
    if (alias !== undefined) problems.error('E_ASIM_ALIAS', path, `column ${column.name}: ${alias}`);
    else
      problems.error(
        'E_ASIM_FIELD',
        path,
        `column ${column.name}: ${role} is not a field of the ASIM schemas Authentication, AuditEvent, UserManagement or WebSession${suggestField(role)}`,
      );
    return false;
  }
  const misfit = found.find(({ field }) => !columnFits(column.type, field.type));
  if (misfit === undefined) return true;
  problems.error(
    'E_ASIM_TYPE',
    path,
    `column ${column.name} is ${column.type}, but ASIM ${misfit.schema} ${role} is ${typeName(misfit.field.type)}: give the column type ${misfit.field.type === 'bool' ? 'boolean' : misfit.field.type}, or give the role to a column of that type`,
  );
  return false;
}
