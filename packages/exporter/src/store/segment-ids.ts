// The write-ahead queue stores a call in segments (texts of rows), yet hands the pipeline one plain
// number per row: `segment × 2^12 + index`. This module encodes and decodes those ids and keeps a
// segment's done-mask (bit i set: row i is settled). Used by both threads; no I/O.

/** Bits of a row's index in its segment's id: a segment holds at most 4096 rows. */
export const ROW_BITS = 12;
/** Rows per segment; larger calls are split into several segments. */
export const MAX_SEGMENT_ROWS = 2 ** ROW_BITS;
/**
 * Highest segment id whose row ids stay exact in a double (2^53). At 10,000 segments a second
 * that is seven years of ids; the store starts again from 1 once the queue has been empty (see
 * `restartSegmentIds`).
 */
export const MAX_SEGMENT_ID = 2 ** (53 - ROW_BITS) - 1;

export function rowId(segment: number, index: number): number {
  return segment * MAX_SEGMENT_ROWS + index;
}

export function segmentOf(id: number): number {
  return Math.floor(id / MAX_SEGMENT_ROWS);
}

export function indexOf(id: number): number {
  return id % MAX_SEGMENT_ROWS;
}

/**
 * Row ids grouped by segment, segments and indexes ascending (queue order). Ids that are not
 * row ids (0, negatives, fractions) are dropped: they name no stored row.
 */
export function bySegment(ids: readonly number[]): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const id of ids) {
    if (!Number.isSafeInteger(id) || id < MAX_SEGMENT_ROWS) continue;
    const segment = segmentOf(id);
    const list = groups.get(segment);
    if (list === undefined) groups.set(segment, [indexOf(id)]);
    else list.push(indexOf(id));
  }
  const sorted = new Map<number, number[]>();
  for (const segment of [...groups.keys()].sort((a, b) => a - b))
    sorted.set(
      segment,
      (groups.get(segment) ?? []).sort((a, b) => a - b),
    );
  return sorted;
}

/** A writable copy of a stored mask (NULL when no row is done yet), `count` rows wide. */
export function maskOf(stored: unknown, count: number): Uint8Array {
  const mask = new Uint8Array((count + 7) >> 3);
  if (stored instanceof Uint8Array) mask.set(stored.subarray(0, mask.length));
  return mask;
}

export function isDone(mask: Uint8Array, index: number): boolean {
  return ((mask[index >> 3] ?? 0) & (1 << (index & 7))) !== 0;
}

/** Marks `index` done; false when it already was (or is outside the mask). */
export function markDone(mask: Uint8Array, index: number): boolean {
  const byte = index >> 3;
  const bit = 1 << (index & 7);
  const value = mask[byte];
  if (value === undefined || (value & bit) !== 0) return false;
  mask[byte] = value | bit;
  return true;
}
