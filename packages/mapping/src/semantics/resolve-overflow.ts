// The overflow column: where a stream keeps the values that did not fit their column.

import type { PathSegment } from '../problems.js';
import type { ColumnConfig } from '../types.js';
import type { Problems } from './semantic-context.js';

/** The conventional overflow column of Sentinel tables (ASIM, the owasp preset, `init`). */
const DEFAULT_OVERFLOW = 'AdditionalFields';

/**
 * The column that keeps values which did not fit (`onMismatch: keep`): `overflowColumn` when it
 * names a dynamic column (an error otherwise), else a dynamic `AdditionalFields`. Without one, a
 * stream whose columns could keep a value says that such values are emptied instead.
 */
export function resolveOverflow(
  named: string | undefined,
  columns: readonly ColumnConfig[],
  path: readonly PathSegment[],
  p: Problems,
): string | undefined {
  if (named !== undefined) {
    const c = columns.find((col) => col.name === named);
    if (c?.type === 'dynamic') return named;
    p.error(
      'E_OVERFLOW_COLUMN',
      [...path, 'overflowColumn'],
      c === undefined
        ? `overflowColumn ${named} is not a column of this stream; add it, e.g. ${named}: { from: attributes, type: dynamic }`
        : `overflowColumn ${named} is ${c.type}; it must be a dynamic column`,
    );
    return undefined;
  }
  if (columns.some((c) => c.name === DEFAULT_OVERFLOW && c.type === 'dynamic')) return DEFAULT_OVERFLOW;
  const keeping = columns.find((c) => c.onMismatch === 'keep' && canMismatch(c));
  if (keeping !== undefined)
    p.info(
      'I_NO_OVERFLOW_COLUMN',
      [...path, 'columns'],
      `a value that does not fit its column (such as ${keeping.name}, ${keeping.type}) is emptied and reported, not kept: this stream has no overflow column; add ${DEFAULT_OVERFLOW}: { from: attributes, type: dynamic } or name a dynamic column with overflowColumn to keep such values`,
    );
  return undefined;
}

/** Columns whose values can fail to fit: not strings or dynamic, nor the record's own time. */
function canMismatch(c: ColumnConfig): boolean {
  if (c.type === 'string' || c.type === 'dynamic') return false;
  return !(
    c.source.kind === 'field' &&
    (c.source.field === 'timestamp' || c.source.field === 'observedTimestamp')
  );
}
