// One column of a stream: where its value comes from, its type (given or inferred), and the
// checks that tie the two together (type fit, bags, defaults, transforms).

import { checkDefault } from '../coerce.js';
import { MAX_FIELD_VALUE_BYTES } from '../azure-limits.js';
import { likelyMismatch } from '../likely-type.js';
import type { PathSegment } from '../problems.js';
import type { ColumnInput } from '../schema.js';
import { parseSource, SourceSyntaxError, sourceToText } from '../source-expr.js';
import type { SourceExpr } from '../source-expr.js';
import type { ColumnConfig, ColumnType, ResolvedDefaults } from '../types.js';
import { containsBag, inferType } from './infer-column-type.js';
import { resolveTransforms } from './resolve-transforms.js';
import { resolveColumnRoles } from '../asim/column-roles.js';
import type { SemanticContext } from './semantic-context.js';

/** A column being resolved: its name, what the file says, and where. */
interface ColumnAt {
  readonly name: string;
  readonly col: ColumnInput;
  readonly path: readonly PathSegment[];
  /** Where `from` is written: the column itself for the string shorthand. */
  readonly fromPath: readonly PathSegment[];
  readonly ctx: SemanticContext;
}

export function resolveColumn(
  name: string,
  raw: string | ColumnInput,
  ctx: SemanticContext,
  streamDefaults: ResolvedDefaults,
  path: readonly PathSegment[],
): ColumnConfig | undefined {
  const col: ColumnInput = typeof raw === 'string' ? { from: raw } : raw;
  const at: ColumnAt = { name, col, path, fromPath: typeof raw === 'string' ? path : [...path, 'from'], ctx };
  const source = columnSource(at);
  if (source === undefined) return undefined;
  const type: ColumnType = col.type ?? inferType(source);
  checkTypeFits(at, source, type);
  checkBagUse(at, source, type);
  const transforms = resolveTransforms(col.transform, ctx, type, [...path, 'transform']);
  checkColumnDefault(at, type);
  if (col.type !== undefined) checkLikelyMismatch(at, source, type);
  const asim = resolveColumnRoles(col.asim, { name, type }, path, ctx.problems);
  const config = columnConfig(at, source, type, transforms, streamDefaults);
  return asim === undefined ? config : { ...config, asim };
}

/** The parsed `from`; TimeGenerated alone may leave it out (the record's time). */
function columnSource({ name, col, path, fromPath, ctx }: ColumnAt): SourceExpr | undefined {
  if (col.from === undefined) {
    if (name === 'TimeGenerated') return { kind: 'field', field: 'timestamp' };
    ctx.problems.error(
      'E_MISSING_KEY',
      path,
      `column ${name} needs "from": where its value comes from (e.g. from: "attributes['user.id']")`,
    );
    return undefined;
  }
  try {
    return parseSource(col.from);
  } catch (e) {
    if (e instanceof SourceSyntaxError) {
      ctx.problems.error(e.code, fromPath, e.message);
      return undefined;
    }
    throw e;
  }
}

/** The types some columns and sources must have: TimeGenerated a datetime, rowId a string. */
function checkTypeFits({ name, path, ctx }: ColumnAt, source: SourceExpr, type: ColumnType): void {
  if (name === 'TimeGenerated' && type !== 'datetime') {
    ctx.problems.error(
      'E_TIMEGENERATED_TYPE',
      [...path, 'type'],
      `TimeGenerated must be a datetime, not ${type}`,
    );
  }
  if (source.kind === 'rowId' && type !== 'string') {
    ctx.problems.error(
      'E_ROW_ID_TYPE',
      [...path, 'type'],
      `column ${name} reads rowId, which is a string (the record's log.record.uid, or 32 hex digits); use type: string or leave type out, not ${type}`,
    );
  }
}

/** Whole attribute bags: better dynamic than JSON text, and the only sources include/exclude pick from. */
function checkBagUse(
  { name, col, path, fromPath, ctx }: ColumnAt,
  source: SourceExpr,
  type: ColumnType,
): void {
  const bag = containsBag(source);
  if (bag && type === 'string') {
    ctx.problems.warn(
      'W_BAG_AS_STRING',
      fromPath,
      `column ${name} is a string fed from a whole attribute bag: it becomes JSON text that queries cannot index and may carry data you did not mean to send; use type: dynamic, or pick keys with attributes['k']`,
    );
  }
  if ((col.include !== undefined || col.exclude !== undefined) && !bag) {
    const which = col.include !== undefined ? 'include' : 'exclude';
    ctx.problems.error(
      'E_INCLUDE_WITHOUT_BAG',
      [...path, which],
      `"${which}" only applies to whole-bag sources (attributes, resource); column ${name} reads ${sourceToText(source)}`,
    );
  }
}

/** A default must fit the column's type, and makes `required` moot. */
function checkColumnDefault({ name, col, path, ctx }: ColumnAt, type: ColumnType): void {
  if (col.default === undefined) return;
  const why = checkDefault(col.default, type);
  if (why !== undefined)
    ctx.problems.error(
      'E_DEFAULT_TYPE',
      [...path, 'default'],
      `default ${JSON.stringify(col.default)} does not fit type ${type}: ${why}`,
    );
  if (col.required === true)
    ctx.problems.warn(
      'W_REQUIRED_WITH_DEFAULT',
      [...path, 'required'],
      `column ${name} has a default, so required never rejects a record`,
    );
}

/** A type the file gives that the source's known values would not fit. */
function checkLikelyMismatch({ name, path, ctx }: ColumnAt, source: SourceExpr, type: ColumnType): void {
  const likely = likelyMismatch(source, type);
  if (likely !== undefined)
    ctx.problems.warn(
      'W_TYPE_MISMATCH',
      [...path, 'type'],
      `column ${name} is ${type}, but ${likely}: such values do not fit it (onMismatch says what becomes of them); use type: string or dynamic unless every value fits ${type}`,
    );
}

function columnConfig(
  { name, col }: ColumnAt,
  source: SourceExpr,
  type: ColumnType,
  transforms: ColumnConfig['transforms'],
  streamDefaults: ResolvedDefaults,
): ColumnConfig {
  const base: ColumnConfig = {
    name,
    source,
    sourceText: sourceToText(source),
    type,
    typeInferred: col.type === undefined,
    required: col.required ?? false,
    onMismatch: col.onMismatch ?? streamDefaults.onMismatch,
    transforms,
    redact: (col.redact as ColumnConfig['redact'] | undefined) ?? streamDefaults.redact,
    sanitize: col.sanitize ?? streamDefaults.sanitize,
    maxBytes: Math.min(
      col.maxBytes ?? streamDefaults.maxFieldBytes,
      streamDefaults.maxFieldBytes,
      MAX_FIELD_VALUE_BYTES,
    ),
    added: false,
  };
  return {
    ...base,
    ...(col.default !== undefined ? { default: col.default } : {}),
    ...(col.include !== undefined ? { include: col.include } : {}),
    ...(col.exclude !== undefined ? { exclude: col.exclude } : {}),
    ...(col.description !== undefined ? { description: col.description } : {}),
  };
}
