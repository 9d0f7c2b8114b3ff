// The type a column takes when the mapping gives none: what its source holds.

import { KNOWN_INT_ATTRIBUTES } from '../likely-type.js';
import type { SourceExpr } from '../source-expr.js';
import type { ColumnType } from '../types.js';

export function inferType(s: SourceExpr): ColumnType {
  switch (s.kind) {
    case 'field':
      if (s.field === 'timestamp' || s.field === 'observedTimestamp') return 'datetime';
      if (s.field === 'severityNumber') return 'int';
      return 'string';
    case 'key':
      return s.bag === 'attributes' && KNOWN_INT_ATTRIBUTES.has(s.key) ? 'int' : 'string';
    case 'bag':
      return 'dynamic';
    case 'rowId':
      return 'string';
    case 'const':
      return constantType(s.value);
    case 'coalesce':
      return s.sources[0] ? inferType(s.sources[0]) : 'string';
  }
}

/** A constant's type: the narrowest that holds it (int before long, real for fractions). */
function constantType(v: unknown): ColumnType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return 'real';
    return v >= -2147483648 && v <= 2147483647 ? 'int' : 'long';
  }
  if (v !== null && typeof v === 'object') return 'dynamic';
  return 'string';
}

/** Whether a source reads a whole attribute bag, alone or as one of its alternatives. */
export function containsBag(s: SourceExpr): boolean {
  return s.kind === 'bag' || (s.kind === 'coalesce' && s.sources.some(containsBag));
}
