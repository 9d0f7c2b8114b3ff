// A stream's columns as a whole: each name against Azure's rules, names that differ only in
// case, the TimeGenerated every table needs, and the most columns a table holds.

import {
  COLUMN_NAME_MAX_LENGTH,
  COLUMN_NAME_MIN_LENGTH,
  columnNameProblem,
  MAX_TABLE_COLUMNS,
  RESERVED_COLUMN_NAMES,
} from '../azure-limits.js';
import type { PathSegment } from '../problems.js';
import { z } from 'zod';
import { columnSchema } from '../schema.js';
import type { ColumnConfig, ResolvedDefaults } from '../types.js';
import { resolveColumn } from './resolve-column.js';
import type { Problems, SemanticContext } from './semantic-context.js';

const columnOrShorthand = z.union([z.string().min(1), columnSchema]);

/** The resolved columns, and whether every one of them resolved. */
export interface ResolvedColumns {
  readonly columns: ColumnConfig[];
  readonly ok: boolean;
}

export function resolveColumns(
  written: Readonly<Record<string, unknown>>,
  table: string,
  defaults: ResolvedDefaults,
  path: readonly PathSegment[],
  ctx: SemanticContext,
): ResolvedColumns {
  const p = ctx.problems;
  const names = Object.keys(written);
  const columns: ColumnConfig[] = [];
  let ok = true;
  const seen = new Map<string, string>();
  for (const name of names) {
    const cPath = [...path, 'columns', name];
    if (!checkColumnName(name, cPath, p)) {
      ok = false;
      continue;
    }
    warnCaseTwin(name, seen, cPath, p);
    const parsed = columnOrShorthand.safeParse(written[name]);
    if (!parsed.success) {
      ok = false; // its structural problems are already reported
      continue;
    }
    const col = resolveColumn(name, parsed.data, ctx, defaults, cPath);
    if (col) columns.push(col);
    else ok = false;
  }
  if (!names.includes('TimeGenerated')) addTimeGenerated(columns, table, defaults, path, p);
  if (columns.length > MAX_TABLE_COLUMNS || names.length > MAX_TABLE_COLUMNS) {
    p.error(
      'E_TOO_MANY_COLUMNS',
      [...path, 'columns'],
      `${table} has ${Math.max(columns.length, names.length)} columns; a table holds at most ${MAX_TABLE_COLUMNS}`,
    );
    ok = false;
  }
  return { columns, ok };
}

function checkColumnName(name: string, path: readonly PathSegment[], problems: Problems): boolean {
  const rule = `column names are ${COLUMN_NAME_MIN_LENGTH}–${COLUMN_NAME_MAX_LENGTH} characters: a letter, then letters, digits or _`;
  switch (columnNameProblem(name)) {
    case undefined:
      return true;
    case 'length':
      problems.error(
        'E_COLUMN_NAME',
        path,
        `column name "${name}" has ${name.length} characters; ${rule}`,
        'key',
      );
      return false;
    case 'characters':
      problems.error('E_COLUMN_NAME', path, `column name "${name}" is not allowed; ${rule}`, 'key');
      return false;
    case 'reserved':
      problems.error(
        'E_RESERVED_COLUMN',
        path,
        `column name "${name}" is reserved by Azure Monitor (${RESERVED_COLUMN_NAMES.join(', ')}); choose another, e.g. Event${name.charAt(0).toUpperCase()}${name.slice(1)}`,
        'key',
      );
      return false;
  }
}

/** Warns when `name` differs from an earlier column only in case; remembers it in `seen`. */
function warnCaseTwin(
  name: string,
  seen: Map<string, string>,
  path: readonly PathSegment[],
  problems: Problems,
): void {
  const lower = name.toLowerCase();
  const other = seen.get(lower);
  if (other !== undefined)
    problems.warn(
      'W_COLUMN_CASE',
      path,
      `columns ${other} and ${name} differ only in case; Log Analytics may treat them as the same column`,
      'key',
    );
  seen.set(lower, name);
}

/** Every table has a TimeGenerated; a stream without one gets it from the record time, first. */
function addTimeGenerated(
  columns: ColumnConfig[],
  table: string,
  defaults: ResolvedDefaults,
  path: readonly PathSegment[],
  problems: Problems,
): void {
  columns.unshift({
    name: 'TimeGenerated',
    source: { kind: 'field', field: 'timestamp' },
    sourceText: 'timestamp',
    type: 'datetime',
    typeInferred: true,
    required: false,
    transforms: [],
    redact: false,
    sanitize: false,
    maxBytes: defaults.maxFieldBytes,
    onMismatch: defaults.onMismatch,
    added: true,
  });
  problems.info(
    'I_TIMEGENERATED_ADDED',
    [...path, 'columns'],
    `${table} has no TimeGenerated column; it is added from the record time (timestamp)`,
  );
}
