// SQL that measures, inside SQLite, how many UTF-8 bytes a stored value's string form takes: the
// billed-size estimate (cost/billed-size.ts) sums it without reading rows into JavaScript.

import type { ColumnType } from '../model.js';

/**
 * SQL for the UTF-8 byte length of the string form of a column of `type`, `ref` being the quoted
 * column; 0 for null. The forms, per the stored encodings of column-codec.ts:
 * - string, guid, dynamic (compact JSON text), datetime (`2025-03-04T05:06:07.8910000Z`, 28
 *   bytes): the stored text;
 * - int, long: decimal digits, with a `-` when negative;
 * - real: the shortest text that reads back as the number, a whole number without `.0` (2 → `2`);
 * - boolean: `true` (4) or `false` (5).
 */
export function textBytesSql(type: ColumnType, ref: string): string {
  switch (type) {
    case 'string':
    case 'guid':
    case 'dynamic':
    case 'datetime':
      return `coalesce(length(CAST(${ref} AS BLOB)), 0)`;
    case 'int':
    case 'long':
      return `coalesce(length(CAST(${ref} AS TEXT)), 0)`;
    case 'real':
      // SQLite writes 2.0 for a whole real; the estimate counts it as 2, as KQL's tostring() does.
      return (
        `coalesce(CASE WHEN ${ref} = CAST(${ref} AS INTEGER) AND abs(${ref}) < 1e15 ` +
        `THEN length(CAST(CAST(${ref} AS INTEGER) AS TEXT)) ELSE length(CAST(${ref} AS TEXT)) END, 0)`
      );
    case 'boolean':
      return `CASE WHEN ${ref} IS NULL THEN 0 WHEN ${ref} THEN 4 ELSE 5 END`;
  }
}
