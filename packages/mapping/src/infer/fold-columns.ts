// Keeps an inferred table within Azure Monitor's 500 columns by folding the attributes past the
// limit into one dynamic AdditionalFields column.

import { MAX_TABLE_COLUMNS } from '../azure-limits.js';
import { literal } from './planned-column.js';
import type { Planned } from './planned-column.js';
import { show } from './values.js';

/** Keeps at most 499 columns besides TimeGenerated, folding the rest into AdditionalFields. */
export function foldColumns(columns: Planned[], excluded: readonly string[], notes: string[]): Planned[] {
  const limit = MAX_TABLE_COLUMNS - 1;
  if (columns.length - 1 <= limit) return columns;
  // TimeGenerated and the other fixed columns first, then attributes in sample order; one slot
  // stays free for AdditionalFields.
  const byPriority = [...columns.filter((c) => !c.foldable), ...columns.filter((c) => c.foldable)];
  const keep = new Set(byPriority.slice(0, limit));
  const kept = columns.filter((c) => keep.has(c));
  const folded = columns.filter((c) => !keep.has(c));
  const exclude = [
    ...new Set([...kept.flatMap((c) => (c.attribute === undefined ? [] : [c.attribute])), ...excluded]),
  ]
    .filter((k) => k !== '')
    .map(literal);
  kept.push({
    base: 'AdditionalFields',
    name: '',
    from: 'attributes',
    type: 'dynamic',
    ...(exclude.length > 0 ? { exclude } : {}),
    notes: [`${folded.length} more attributes; a table holds at most ${MAX_TABLE_COLUMNS} columns`],
    foldable: false,
  });
  notes.push(
    `The sample has more keys than a table has columns (${MAX_TABLE_COLUMNS}): ${folded.length} attributes, from ${show(folded[0]?.attribute ?? '')} on, are kept in the dynamic column AdditionalFields.`,
  );
  return kept;
}
